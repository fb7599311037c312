"""Shell completion of option values: the callbacks directly, and one real completion run."""

from __future__ import annotations

import os
import subprocess

from coder_pay.cli import complete_cert, complete_level, complete_setting, complete_specialty, complete_state
from coder_pay.table import USPS, default_path, load_table
from conftest import installed_command

TABLE = load_table()


class FakeCtx:
    """What the callbacks read from Click's context: the root's parsed --data."""

    def __init__(self, data=None):
        self.params = {"data": data}

    def find_root(self):
        return self


def values(items):
    return [v[0] if isinstance(v, tuple) else v for v in items]


def test_state_codes_complete_in_the_case_typed():
    assert values(complete_state(FakeCtx(), "")) == sorted(USPS)
    assert values(complete_state(FakeCtx(), "C")) == ["CA", "CO", "CT"]
    assert values(complete_state(FakeCtx(), "n")) == ["nc", "nd", "ne", "nh", "nj", "nm", "nv", "ny"]
    assert dict(complete_state(FakeCtx(), "TX"))["TX"] == "Texas"  # the name is the help text (zsh, fish)
    assert complete_state(FakeCtx(), "zz") == []


def test_credentials_complete_and_the_last_item_of_a_comma_list():
    assert values(complete_cert(FakeCtx(), "")) == list(TABLE.credentials)
    assert values(complete_cert(FakeCtx(), "CC")) == ["CCS", "CCS-P", "CCA"]
    assert values(complete_cert(FakeCtx(), "cc")) == ["ccs", "ccs-p", "cca"]
    assert values(complete_cert(FakeCtx(), "CPC,RH")) == ["CPC,RHIT", "CPC,RHIA"]
    assert "CPC,CPC" not in values(complete_cert(FakeCtx(), "CPC,C"))  # a credential already listed is not offered
    assert "cpc,CCS,CCS-P" in values(complete_cert(FakeCtx(), "cpc,CCS,C"))


def test_levels_specialties_settings():
    assert values(complete_level("")) == ["entry", "mid", "senior", "supervisor", "manager", "director"]
    assert values(complete_level("s")) == ["senior", "supervisor"]
    assert values(complete_level("S")) == ["SENIOR", "SUPERVISOR"]
    assert values(complete_level("Ma")) == ["Manager"]
    assert values(complete_specialty(FakeCtx(), "")) == list(TABLE.specialties)
    assert values(complete_specialty(FakeCtx(), "ri")) == ["risk-adjustment"]
    assert values(complete_setting(FakeCtx(), "")) == list(TABLE.settings)
    # the BLS May 2024 industries: hospital (NAICS 6221), home health care (6216), health IT (computer systems
    # design, 5415), in the table's order
    assert values(complete_setting(FakeCtx(), "h")) == ["hospital", "home-health", "health-it"]
    assert values(complete_setting(FakeCtx(), "s")) == ["specialty-hospital", "staffing", "state-government"]


def test_completion_honours_data(tmp_path):
    text = default_path().read_text(encoding="utf-8").replace('[specialties.oncology]', '[specialties.ophthalmology]', 1)
    mine = tmp_path / "mine.toml"
    mine.write_text(text, encoding="utf-8")
    assert values(complete_specialty(FakeCtx(str(mine)), "o")) == ["ophthalmology"]
    assert values(complete_specialty(FakeCtx(), "o")) == ["oncology"]


def test_completion_with_an_unreadable_table_offers_nothing(tmp_path):
    assert complete_state(FakeCtx(str(tmp_path / "missing.toml")), "") == []




def _complete(words: str, cword: int, extra_env=None) -> list[str]:
    env = {**os.environ, "_CODER_PAY_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword),
           "CODER_PAY_DATA": "", **(extra_env or {})}
    r = subprocess.run([installed_command()], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return r.stdout.split()


def test_a_real_bash_completion_run():
    assert _complete("coder-pay estimate --state C", 3) == ["CA", "CO", "CT"]
    assert _complete("coder-pay estimate --home t", 3) == ["tn", "tx"]
    assert _complete("coder-pay estimate --cert CPC,CR", 3) == ["CPC,CRC"]
    assert _complete("coder-pay estimate --level ma", 3) == ["manager"]
    assert _complete("coder-pay batch --format ", 3) == ["jsonl", "csv", "xlsx"]
    assert "data" in _complete("coder-pay ", 1)
    assert _complete("coder-pay data ", 2) == ["path", "show", "validate", "check", "init"]


def test_show_completion_prints_a_script():
    r = subprocess.run([installed_command(), "--show-completion", "bash"], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "CODER_PAY_DATA": ""})
    assert r.returncode == 0
    assert "_CODER_PAY_COMPLETE=complete_bash" in r.stdout


def test_col_sort_and_add_cert_complete():
    from coder_pay.cli import complete_add_cert, complete_col, complete_sort

    assert values(complete_col("")) == ["all", "housing"]
    assert values(complete_col("H")) == ["HOUSING"]
    assert values(complete_sort("")) == ["pay", "adjusted", "price", "name"]
    assert values(complete_sort("p")) == ["pay", "price"]
    # codes first, each with '@' (the shell then adds no space) ...
    assert values(complete_add_cert(FakeCtx(), "")) == [c + "@" for c in TABLE.credentials]
    assert values(complete_add_cert(FakeCtx(), "CC")) == ["CCS@", "CCS-P@", "CCA@"]
    # ... then the projection years 0 to the span (default 10) once the credential is known
    assert values(complete_add_cert(FakeCtx(), "CPC@")) == [f"CPC@{y}" for y in range(11)]
    assert values(complete_add_cert(FakeCtx(), "cpc@1")) == ["cpc@1", "cpc@10"]
    assert values(complete_add_cert(FakeCtx(), "RHIT")) == [f"RHIT@{y}" for y in range(11)]  # one code left
    assert complete_add_cert(FakeCtx(), "XYZ@") == []
    ctx = FakeCtx()
    ctx.params["span"] = 3
    assert values(complete_add_cert(ctx, "CRC@")) == ["CRC@0", "CRC@1", "CRC@2", "CRC@3"]


def test_completion_of_the_options_that_had_none():
    """compare --state, take-home --state, --col, states --sort and career --add-cert offered nothing."""
    assert _complete("coder-pay compare --state CA --state T", 5) == ["TN", "TX"]
    assert _complete("coder-pay take-home 50000 --state n", 4) == ["nc", "nd", "ne", "nh", "nj", "nm", "nv", "ny"]
    assert _complete("coder-pay estimate --col h", 3) == ["housing"]
    assert _complete("coder-pay states --col ", 3) == ["all", "housing"]
    assert _complete("coder-pay states --sort p", 3) == ["pay", "price"]
    assert _complete("coder-pay career --add-cert CR", 3) == ["CRC@0", "CRC@1", "CRC@2", "CRC@3", "CRC@4", "CRC@5",
                                                              "CRC@6", "CRC@7", "CRC@8", "CRC@9", "CRC@10"]
    assert _complete("coder-pay career --add-cert CC", 3) == ["CCS@", "CCS-P@", "CCA@"]
