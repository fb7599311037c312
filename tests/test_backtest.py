"""The back-test (`coder-pay data check`): the core against hand-worked rows, every family held to its stated
tolerance on the packaged table (the back-test in CI), the CLI in-process and the installed command."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coder_pay.backtest import FAMILIES, Backtest, Check, run_backtest
from coder_pay.cli import app
from coder_pay.model import estimate
from coder_pay.query import build_query
from coder_pay.table import BacktestEntry, Table, TableError, default_path
from conftest import CLI_ENV

ENV = {**CLI_ENV, "COLUMNS": "120"}
TEXT = default_path().read_text(encoding="utf-8")
BACKTEST_START = "# ---------------------------------------------------------------- back-test (coder-pay data check)"
BACKTEST_END = "# ---------------------------------------------------------------- offers and careers"


def invoke(args: list[str]):
    return CliRunner().invoke(app, args, env=ENV, catch_exceptions=False)


def typical(table: Table, **profile: object) -> int:
    return estimate(table, build_query(table, **profile)).band.mid  # type: ignore[arg-type]


def only(table: Table, *entries: BacktestEntry, family: str) -> Backtest:
    return run_backtest(table._replace(backtest=entries), (family,))


def row(bt: Backtest, key: str) -> Check:
    return next(c for c in bt.checks if c.key == key)


def failing(bt: Backtest) -> str:
    return "\n".join(f"{c.key}: published {c.published or (c.low, c.high)}, model {c.model:.4f}, error {c.error:+.4f}, "
                     f"tolerance {c.tolerance}" for c in bt.failures())


# --------------------------------------------------------------------------- the core, worked by hand


def test_a_mean_is_put_on_the_median_footing_by_the_bls_median_over_mean(table):
    bt = run_backtest(table, ("levels",))
    c = row(bt, "backtest.aapc_2025_certified")
    # AAPC 2025 certified average $66,979 x BLS May 2024 national median $50,250 / national mean $55,970:
    # 66,979 x 50,250 = 3,365,694,750; / 55,970 = 60,133.91 (55,970 x 60,133 = 3,365,644,010, remainder 50,740)
    assert c.published == pytest.approx(60_133.91, abs=0.01)
    assert c.as_published == (66_979,) and c.statistic == "mean"
    model = typical(table, certs=["CPC"])  # national, one credential, whole market
    assert c.model == model
    assert c.error == pytest.approx(model / 60_133.91 - 1, abs=1e-6)
    assert bt.footing.median == 50_250 and bt.footing.mean == 55_970


def test_a_state_profile_uses_its_states_median_over_mean(table):
    # Texas, BLS May 2024: mean $51,020, median $47,230. A published mean equal to Texas's own mean, put on the
    # median footing, is 51,020 x 47,230 / 51,020 = $47,230: the Texas whole market's typical pay, error 0.
    e = BacktestEntry("tx", "Texas mean", {"state": "TX"}, "oews_state_2024", 0.0, "mean", published=51_020)
    c = row(only(table, e, family="levels"), "backtest.tx")
    assert c.published == pytest.approx(47_230)
    assert c.model == 47_230 and c.error == pytest.approx(0, abs=1e-12) and c.passed


def test_a_median_level_is_not_converted(table):
    e = BacktestEntry("us", "US median", {}, "oews_national_2024", 0.0, "median", published=50_250)
    c = row(only(table, e, family="levels"), "backtest.us")
    assert c.published == 50_250 and c.model == 50_250 and c.passed


def test_a_ratio_of_two_means_needs_no_conversion(table):
    c = row(run_backtest(table, ("ratios",)), "backtest.aapc_2025_crc_vs_cpc")
    assert c.published == pytest.approx(74_629 / 67_147)  # AAPC 2025 CRC $74,629 / CPC $67,147 = 1.1114
    assert c.model == pytest.approx(typical(table, certs=["CRC"]) / typical(table, certs=["CPC"]))
    assert c.error == pytest.approx(c.model / (74_629 / 67_147) - 1)
    assert c.unit == "ratio" and c.profile == "US, CRC / US, CPC"


@pytest.mark.parametrize(("low", "high", "passes", "error"), [
    # the national whole market's typical pay is the BLS national median, $50,250
    (67_000, 90_000, True, -0.25),   # 67,000 x (1 - 0.25) = 50,250: on the low edge
    (67_001, 90_000, False, (50_250 - 67_001) / 67_001),  # a dollar higher: just outside
    (30_000, 40_200, True, 0.25),    # 40,200 x (1 + 0.25) = 50,250: on the high edge
    (30_000, 40_199, False, (50_250 - 40_199) / 40_199),
    (50_250, 50_250, True, 0.0),     # inside (both ends): error 0
    (45_000, 55_000, True, 0.0),
])
def test_a_range_passes_within_its_ends_widened_by_the_tolerance(table, low, high, passes, error):
    e = BacktestEntry("r", "range", {}, "industry_article", 0.25, "range", low=low, high=high)
    bt = only(table, e, family="ranges")
    c = row(bt, "backtest.r")
    assert c.model == 50_250 and c.published is None and (c.low, c.high) == (low, high)
    assert c.passed is passes and bt.ok is passes
    assert c.error == pytest.approx(error)


def test_a_check_not_held_is_shown_but_never_fails(table):
    far = {"low": 500_000, "high": 600_000}  # far above any coder's pay
    shown = BacktestEntry("shown", "not held", {}, "industry_article", 0.1, "range", held=False, note="why", **far)
    held = shown._replace(key="held", held=True)
    bt = only(table, shown, family="ranges")
    c = row(bt, "backtest.shown")
    assert not c.passed and not c.failed and c.note == "why"
    assert bt.ok and bt.failures() == () and bt.shown(failed_only=True) == ()
    s = bt.summaries[0]
    assert (s.total, s.held, s.passed, s.not_held, s.outside, s.worst) == (1, 0, 0, 1, 1, None)
    bt = only(table, shown, held, family="ranges")
    assert not bt.ok and [c.key for c in bt.failures()] == ["backtest.held"]


def test_the_exact_families_fail_when_the_model_moves_a_published_point(table):
    # with the high end capped at p90 itself (high_cap 1), p90 is pulled below its published value
    capped = table._replace(bounds=table.bounds._replace(high_cap=1.0))
    bt = run_backtest(capped, ("national",))
    assert [c.key for c in bt.failures()] == ["national.p90"]
    assert all(c.tolerance == 0 for c in bt.checks)


def test_an_industry_median_fails_when_the_setting_factor_is_wrong(table):
    s = table.settings["hospital"]
    assert s.median is not None
    planted = table._replace(settings={**table.settings, "hospital": s._replace(median=s.median * 2)})
    bt = run_backtest(planted, ("industries",))
    assert [c.key for c in bt.failures()] == ["settings.hospital"]
    c = row(bt, "settings.hospital")
    assert c.published == s.median * 2 and c.model == typical(table, setting="hospital")
    assert c.tolerance == table.industry_tolerance == 0.05  # the table's [check]


@pytest.mark.parametrize(("profile", "message"), [
    ({"cert": ["XYZ"]}, "Unknown certification 'XYZ'"),
    ({"cert": 7}, "cert must be a list"),
    ({"state": "ZZ"}, "Unknown state 'ZZ'"),
    ({"years": 99}, "from 0 to 50"),
    ({"remote": "yes"}, "remote must be true or false"),
    ({"setting": 3}, "setting must be a string"),
])
def test_a_bad_profile_is_a_table_problem_naming_its_key(table, profile, message):
    e = BacktestEntry("bad", "bad", profile, "aapc_2025", 0.1, "mean", published=50_000)
    with pytest.raises(TableError) as info:
        only(table, e, family="levels")
    (p,) = info.value.problems
    assert p.key == "backtest.bad.profile" and message in p.message


def test_a_table_without_backtest_entries_still_checks_the_bls_figures(table):
    bt = run_backtest(table._replace(backtest=()))
    counts = {s.family: s.total for s in bt.summaries}
    assert counts == {"states": 51, "national": 5, "industries": sum(s.median is not None for s in table.settings.values()),
                      "levels": 0, "ratios": 0, "ranges": 0, "metros": 91 * 3, "nonmetro": 133 * 3}
    assert bt.ok


def test_entries_fall_into_families_by_their_shape(table):
    fams = {c.key.removeprefix("backtest."): c.family for c in run_backtest(table, ("levels", "ratios", "ranges")).checks}
    for e in table.backtest:
        want = "ranges" if e.low is not None else "ratios" if e.versus is not None else "levels"
        assert fams[e.key] == want


# --------------------------------------------------------------------------- the back-test in CI


@pytest.mark.parametrize("family", FAMILIES)
def test_every_held_check_of_the_packaged_table_passes(table, family):
    bt = run_backtest(table, (family,))
    (s,) = bt.summaries
    assert s.held > 0, f"no held check in {family}"
    assert bt.ok, f"{family}: {s.failed} of {s.held} held checks outside tolerance:\n{failing(bt)}"


def test_the_bls_families_cover_every_published_figure(table):
    bt = run_backtest(table, ("states", "national", "industries"))
    keys = {c.key for c in bt.checks}
    assert {f"states.{c}" for c in table.states} <= keys and len(table.states) == 51
    assert {f"national.p{p}" for p in (10, 25, 50, 75, 90)} <= keys
    assert {f"settings.{k}" for k, s in table.settings.items() if s.median is not None} <= keys
    for c in bt.checks:
        assert c.tolerance == (table.industry_tolerance if c.family == "industries" else 0)
        if c.family == "states":
            assert c.published == table.states[c.key.split(".")[1]].wages.p50


# --------------------------------------------------------------------------- the command


def planted(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = TEXT
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    p = tmp_path / "planted.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_data_check_prints_every_family_its_summary_and_a_total():
    r = invoke(["data", "check"])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    for title in ("BLS state medians, May 2024", "BLS national percentiles, May 2024", "BLS industry medians, May 2024",
                  "Published averages and medians", "Published pay ratios", "Published ranges"):
        assert f"\n{title}: " in out  # its summary line
    assert "BLS state medians, May 2024: 51/51 pass, worst error 0.0% (tolerance exact)" in out
    assert "California" in out and "$59,700" in out  # California's published median, shown beside the model's
    assert "median footing" in out and "$50,250 / $55,970" in out
    assert "BLS May 2024 industry medians cover settings; the survey wins" in out  # a not-held row's note
    assert "Total: " in out and "held checks pass" in out
    assert r.stderr == ""


def test_data_check_json_and_filters():
    doc = json.loads(invoke(["data", "check", "--json"]).stdout)
    assert doc["kind"] == "data_check" and doc["ok"] is True
    assert [f["family"] for f in doc["families"]] == list(FAMILIES)
    assert doc["total"]["count"] == len(doc["checks"])
    assert doc["mean_to_median"] == {"median": 50250, "mean": 55970, "factor": round(50250 / 55970, 5)}
    one = json.loads(invoke(["data", "check", "--json", "--family", "national"]).stdout)
    assert [c["key"] for c in one["checks"]] == [f"national.p{p}" for p in (10, 25, 50, 75, 90)]
    assert [c["published"] for c in one["checks"]] == [35780, 41600, 50250, 64070, 80950]  # BLS May 2024, national
    none_failed = json.loads(invoke(["data", "check", "--json", "--failed"]).stdout)
    assert none_failed["checks"] == [] and none_failed["families"] == doc["families"]
    r = invoke(["data", "check", "--family", "range"])
    assert r.exit_code == 2 and "Did you mean ranges?" in r.stderr


def test_a_planted_value_makes_data_check_fail(tmp_path):
    # the AAPC 2025 certified average doubled: $133,958 on the median footing is about $120,268, twice the model's
    bad = planted(tmp_path, ("published = 66979", "published = 133958"))
    r = invoke(["--data", str(bad), "data", "check"])
    assert r.exit_code == 1
    assert "FAIL" in r.stdout and "Published averages and medians: 2/3 pass" in r.stdout
    assert r.stderr.startswith("coder-pay: error: 1 held check outside tolerance: backtest.aapc_2025_certified (-50.")
    r = invoke(["--data", str(bad), "data", "check", "--json", "--failed"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and [c["key"] for c in doc["checks"]] == ["backtest.aapc_2025_certified"]
    assert doc["checks"][0]["as_published"] == [133958] and doc["total"]["failed"] == 1
    err = json.loads(r.stderr)["error"]
    assert err["code"] == "backtest_failed" and err["exit_code"] == 1
    # the other families do not hold that entry: they still pass
    assert invoke(["--data", str(bad), "data", "check", "--family", "ratios"]).exit_code == 0


def test_data_check_on_a_table_without_backtest_entries(tmp_path):
    start, end = TEXT.index(BACKTEST_START), TEXT.index(BACKTEST_END)
    bare = tmp_path / "bare.toml"
    bare.write_text(TEXT[:start] + TEXT[end:], encoding="utf-8")
    r = invoke(["--data", str(bare), "data", "check"])
    assert r.exit_code == 0, r.stderr
    assert "Published ranges: none in the table" in r.stdout and "BLS state medians, May 2024: 51/51 pass" in r.stdout


def test_data_check_reports_a_bad_profile_as_a_table_error(tmp_path):
    bad = planted(tmp_path, ('profile = { cert = ["CPB"] }', 'profile = { cert = ["CPBB"] }'))
    r = invoke(["--data", str(bad), "data", "check"])
    assert r.exit_code == 1 and r.stdout == ""
    assert "backtest.cpb_vs_cpc.profile: Unknown certification 'CPBB'" in r.stderr
    assert "Traceback" not in r.stderr


def test_the_installed_command_runs_the_back_test(coder_pay_cmd, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"_TYPER_FORCE_DISABLE_TERMINAL", "CODER_PAY_DATA"}}
    r = subprocess.run([coder_pay_cmd, "data", "check"], capture_output=True, text=True, cwd=tmp_path, env=env,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert "\x1b[" not in r.stdout and "Total: " in r.stdout and r.stderr == ""
    bad = planted(tmp_path, ("low = 60000\nhigh = 85000", "low = 160000\nhigh = 185000"))  # risk adjustment
    r = subprocess.run([coder_pay_cmd, "--data", str(bad), "data", "check", "--json"], capture_output=True, text=True,
                       cwd=tmp_path, env=env, timeout=60)
    assert r.returncode == 1
    assert [c["key"] for c in json.loads(r.stdout)["checks"] if c["failed"]] == ["backtest.article_risk_adjustment"]
