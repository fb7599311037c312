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
    assert _complete("coder-pay batch --format ", 3) == ["jsonl", "csv"]
    assert "data" in _complete("coder-pay ", 1)
    assert _complete("coder-pay data ", 2) == ["path", "show", "validate", "check", "init"]


def test_show_completion_prints_a_script():
    r = subprocess.run([installed_command(), "--show-completion", "bash"], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "CODER_PAY_DATA": ""})
    assert r.returncode == 0
    assert "_CODER_PAY_COMPLETE=complete_bash" in r.stdout
