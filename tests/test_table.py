"""The data table: its figures match the public sources, and a bad table is rejected clearly."""

from __future__ import annotations

import csv
import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from coder_pay.table import USPS, Table, TableError, check_table, load_table, parse_table
from conftest import ROOT, SOURCES, problems_of

needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not beside this checkout")


def test_default_table_covers_every_state_and_dc(table: Table) -> None:
    assert set(table.states) == USPS
    assert len(table.states) == 51
    assert table.wage_year == 2024 and table.price_year == 2024


def test_every_figure_names_a_known_source(table: Table) -> None:
    refs = [s.wage_source for s in table.states.values()] + [s.price_source for s in table.states.values()]
    refs += [lv.source for lv in table.levels.values()] + [f.source for f in table.specialties.values()]
    refs += [f.source for f in table.settings.values()] + [c.source for c in table.credential_counts.values()]
    refs += [table.national_source, table.growth_source, table.market_source, table.remote.source]
    refs += [w.source for w in table.wage_medians.values()] + [o.source for o in table.occupations.values()]
    refs += [r.years_source for r in table.roles.values()] + [r.positions_source for r in table.roles.values()]
    assert refs and all(r in table.sources for r in refs)


@needs_sources
def test_state_wages_and_prices_equal_the_published_figures(table: Table) -> None:
    with (SOURCES / "bls_oews_29-2072_state_percentiles.csv").open(newline="") as fh:
        bls = {r["state_code"]: r for r in csv.DictReader(fh)}
    with (SOURCES / "bea_rpp_states_2024.csv").open(newline="") as fh:  # 2024: the year of the metros' parities
        bea = {r["state_code"]: r for r in csv.DictReader(fh)}
    for code, st in table.states.items():
        row = bls[code]
        assert row["year"].startswith("2024")
        assert (st.wages.p10, st.wages.p25, st.wages.p50, st.wages.p75, st.wages.p90) == tuple(
            int(row[k]) for k in ("p10", "p25", "p50", "p75", "p90"))
        assert st.employment == int(row["employment"]) and st.mean == int(row["annual_mean"])
        assert st.rpp_all == pytest.approx(float(bea[code]["rpp_all_items"]), abs=5e-4)
        assert st.rpp_housing == pytest.approx(float(bea[code]["rpp_housing"]), abs=5e-4)
    assert table.price_year == 2024


@needs_sources
def test_national_figures_equal_bls_may_2024(table: Table) -> None:
    # BLS OEWS May 2024, 29-2072: p10 35,780; p25 41,600; median 50,250; p75 64,070; p90 80,950.
    n = table.national
    assert (n.p10, n.p25, n.p50, n.p75, n.p90) == (35780, 41600, 50250, 64070, 80950)
    assert table.national_employment == 187910
    # ageing: the published national medians (May 2023 48,780; May 2024 50,250; May 2025 51,140, SOURCES.md section
    # 23), and past them their compound yearly change: (51,140 / 48,780) ^ (1/2) - 1 = 0.023904... -> 0.0239
    assert {y: w.median for y, w in table.wage_medians.items()} == {2023: 48780, 2024: 50250, 2025: 51140}
    assert table.growth_rate == pytest.approx((51140 / 48780) ** 0.5 - 1, abs=5e-5)
    with (SOURCES / "oews_M2025" / "bls_oews_29-2072_M2025_national.csv").open(newline="") as fh:
        assert int(next(csv.DictReader(fh))["A_MEDIAN"]) == 51140


@needs_sources
def test_related_occupations_equal_the_bls_rows(table: Table) -> None:
    """SOURCES.md section 21: every related occupation's national p10-p90 and employment as BLS prints them;
    the coders' own occupation (29-2072) is not among them."""
    path = SOURCES / "bls_oews_related_occupations_national_M2024_raw_rows.csv"
    with path.open(newline="") as fh:
        rows = {r["OCC_CODE"]: r for r in csv.DictReader(fh)}
    assert "29-2072" in rows and "29-2072" not in table.occupations
    assert set(table.occupations) == set(rows) - {"29-2072"}
    for code, occ in table.occupations.items():
        r = rows[code]
        want = tuple(int(r[k].replace(",", "")) for k in ("A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90"))
        assert tuple(occ.wages) == want and occ.employment == int(r["TOT_EMP"].replace(",", "")), code


@needs_sources
def test_exam_fees_equal_the_published_figures(table: Table) -> None:
    """exam_fees.csv (SOURCES.md section 18): AHIMA member / non-member, AAPC one / two attempts."""
    with (SOURCES / "exam_fees.csv").open(newline="") as fh:
        fees = {(r["credential"], r["fee_type"], r["member_status"]): r for r in csv.DictReader(fh)}

    def fee(code: str, kind: str, who: str) -> int:
        return int(fees[(code, kind, who)]["value"].split()[0])  # '499 (approx.)' -> 499

    creds = table.credentials
    for code in ("CCA", "CCS", "RHIT"):  # the payback counts the non-member price: AHIMA membership is optional
        c = creds[code]
        assert c.exam_fee == fee(code, "exam fee", "non-member")
        assert c.member_exam_fee == fee(code, "exam fee", "AHIMA member")
        assert c.exam_fee_terms == "non-member price"
        assert c.exam_fee_source and table.sources[c.exam_fee_source].url == fees[(code, "exam fee", "non-member")][
            "url_or_origin"]
    for code in ("CPC", "CRC"):
        c = creds[code]
        assert c.exam_fee == fee(code, "exam fee, one attempt", "AAPC member required")
        assert c.two_attempt_exam_fee == fee(code, "exam fee, two attempts", "AAPC member required")
        assert c.exam_fee_terms == "one attempt"
    # COC: only a two-attempt package price, "around $499", is published; it is labelled as such
    coc = creds["COC"]
    assert coc.exam_fee == fee("COC", "exam fee, two attempts", "AAPC member required") == 499
    assert "two-attempt package" in coc.exam_fee_terms and "approx" in coc.exam_fee_terms
    # RHIT's only public figure is a lifestyle blog: the table says so, in its source and its note
    rhit = creds["RHIT"]
    assert rhit.exam_fee_source is not None
    assert "low reliability" in table.sources[rhit.exam_fee_source].kind
    assert "low reliability" in rhit.cost_note
    # every fee source is dated where the page gives a year, and marked secondary
    for c in creds.values():
        if c.exam_fee_source:
            src = table.sources[c.exam_fee_source]
            assert "secondary" in src.kind
            assert src.year in (None, 2025, 2026)
    # still no public figure: the table says so instead of a number
    for code in ("CCS-P", "RHIA", "CDIP", "CIC", "CPMA", "CPB"):
        assert creds[code].exam_fee is None
        assert "no public figure" in creds[code].cost_note


@needs_sources
def test_committed_table_is_what_the_build_script_makes(tmp_path: Path) -> None:
    out = tmp_path / "t.toml"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_table.py"), str(SOURCES), "-o", str(out)],
                   check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == (ROOT / "data" / "coder_pay.toml").read_text(encoding="utf-8")
    assert (tmp_path / "places.toml").read_bytes() == (ROOT / "data" / "places.toml").read_bytes()  # written beside it
    # the ZIPs' content, not the gzip bytes: the header differs between Python versions (3.10/3.13 vs 3.11/3.12)
    zips = [gzip.decompress((d / "zips.tsv.gz").read_bytes()) for d in (tmp_path, ROOT / "data")]
    assert zips[0] == zips[1]


# ----------------------------------------------------------------------------- bad tables


def test_malformed_toml_names_the_line(table_text: str) -> None:
    lines = table_text.splitlines()
    lines[20] = "this is = = not toml"
    (msg,) = problems_of("\n".join(lines))
    assert msg.startswith("line 21")
    assert "not valid TOML" in msg


def test_text_where_a_number_belongs_names_key_and_line(table_text: str) -> None:
    bad = table_text.replace("p50 = 59700", 'p50 = "lots"', 1)
    msgs = problems_of(bad)
    line = next(i for i, ln in enumerate(bad.splitlines(), 1) if 'p50 = "lots"' in ln)
    assert any(m.startswith(f"line {line}, states.CA.p50: must be a number") for m in msgs), msgs


def test_negative_wage_is_rejected(table_text: str) -> None:
    msgs = problems_of(table_text.replace("p10 = 28300", "p10 = -28300", 1))
    assert any("states.AL.p10" in m and "greater than 0" in m for m in msgs), msgs


def test_percentiles_out_of_order_are_rejected(table_text: str) -> None:
    msgs = problems_of(table_text.replace("p25 = 47280", "p25 = 99999", 1))
    assert any("states.CA.p25" in m and "above p50" in m for m in msgs), msgs


def test_a_missing_state_is_named(table_text: str) -> None:
    start = table_text.index("[states.WY]")
    end = table_text.index("\n\n", start)
    msgs = problems_of(table_text[:start] + table_text[end + 2:])
    assert any("missing: WY" in m for m in msgs), msgs


def test_an_unknown_source_is_named(table_text: str) -> None:
    msgs = problems_of(table_text.replace('wage_source = "oews_state_2024"', 'wage_source = "nowhere"', 1))
    assert any("states.AK.wage_source" in m and "unknown source 'nowhere'" in m for m in msgs), msgs


@pytest.mark.parametrize("value, says", [("-0.01", "must not be negative"), ("0.6", "at most 0.5"),
                                          ('"1%"', "must be a number")])
def test_a_pay_agreement_out_of_range_is_rejected(table_text: str, value: str, says: str) -> None:
    msgs = problems_of(table_text.replace("pay_agreement = 0.01", f"pay_agreement = {value}", 1))
    assert any("benefits.pay_agreement" in m and says in m for m in msgs), msgs


def test_a_pay_agreement_names_its_source(table_text: str) -> None:
    msgs = problems_of(table_text.replace('pay_agreement_source = "assumption"\n', "", 1))
    assert any("benefits.pay_agreement_source" in m and "missing" in m for m in msgs), msgs


def test_negative_growth_rate_is_allowed_as_documented(table_text: str) -> None:
    import re

    t = parse_table(re.sub(r"(?m)^rate = 0\.\d+", "rate = -0.02", table_text, count=1))
    assert t.growth_rate == -0.02


def test_every_problem_is_listed_not_only_the_first(table_text: str) -> None:
    bad = table_text.replace("p10 = 28300", "p10 = -1", 1).replace("rpp_all = 110.720", 'rpp_all = "x"', 1)
    msgs = problems_of(bad)
    assert len(msgs) >= 2


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="file not found"):
        load_table(tmp_path / "nope.toml")
    with pytest.raises(TableError, match="is a directory"):
        load_table(tmp_path)
    assert check_table(tmp_path / "nope.toml")[0].message == "file not found"


# ----------------------------------------------------------------------------- the parse cache


def test_parse_cache_is_used_and_follows_every_edit(tmp_path: Path, table_text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import coder_pay.table as T

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CODER_PAY_NO_CACHE", raising=False)
    mine = tmp_path / "mine.toml"
    mine.write_text(table_text, encoding="utf-8")
    assert load_table(mine).states["CA"].wages.p50 == 59700  # parsed, and remembered
    assert list((tmp_path / "cache" / "coder-pay").iterdir())

    def no_parsing(text: str) -> None:
        raise AssertionError("parsed again")

    with monkeypatch.context() as m:
        m.setattr(T, "_toml_loads", no_parsing)
        assert load_table(mine).states["CA"].wages.p50 == 59700  # from the cache
    mine.write_text(table_text.replace("p50 = 59700", "p50 = 59701", 1), encoding="utf-8")
    assert load_table(mine).states["CA"].wages.p50 == 59701  # an edit is seen at once
    mine.write_text(table_text.replace("p50 = 59700", "p50 = -1", 1), encoding="utf-8")
    with pytest.raises(TableError, match="states.CA.p50"):  # and still validated
        load_table(mine)



def test_unknown_keys_are_looked_for_until_the_bytes_are_found_valid(tmp_path: Path, table_text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The cache remembers bytes found free of unknown keys, and only those: a misspelt key is reported on
    every load (from the cache too), a valid table's later loads skip the search."""
    import coder_pay.table as T

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CODER_PAY_NO_CACHE", raising=False)
    mine = tmp_path / "mine.toml"
    mine.write_text(table_text.replace("p50 = 59700", "p50 = 59700\nmedain = 59700", 1), encoding="utf-8")
    for _ in range(2):  # parsed, then from the cache: reported both times
        with pytest.raises(TableError, match="states.CA.medain: unknown key"):
            load_table(mine)
    mine.write_text(table_text, encoding="utf-8")
    searched: list[int] = []
    real = T._build
    monkeypatch.setattr(T, "_build", lambda *a: searched.append(1) or real(*a))
    load_table(mine)
    load_table(mine)
    assert searched == [1]  # searched once; the second load knows these bytes are clean

def test_a_valid_table_is_read_back_built_until_its_bytes_or_code_change(tmp_path: Path, table_text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Start-up: the records built from a table found valid are cached; they are built again after an edit of
    the table or of coder-pay's code, and are the same records, whatever the spelling of the path."""
    import coder_pay.table_cache as C
    from coder_pay import table_sections

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CODER_PAY_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine.toml"
    mine.write_text(table_text, encoding="utf-8")
    built: list[int] = []
    real = table_sections._read_table
    monkeypatch.setattr(table_sections, "_read_table", lambda *a: built.append(1) or real(*a))
    first = load_table(mine)
    again = load_table(mine)
    assert built == [1] and again == first and again is not first  # read back, not built again
    assert load_table("mine.toml").path == "mine.toml" and built == [1]  # the path as given this time
    monkeypatch.setattr(C, "_code_stamp", lambda: (("table.py", 1, 1),))  # coder-pay's code edited
    assert load_table(mine) == first and built == [1, 1]
    assert load_table(mine) == first and built == [1, 1]
    mine.write_text(table_text.replace("p50 = 59700", "p50 = 59701", 1), encoding="utf-8")
    assert load_table(mine).states["CA"].wages.p50 == 59701 and built == [1, 1, 1]
    monkeypatch.setattr(C, "_code_stamp", lambda: ())  # the modules cannot be listed: nothing built is reused
    load_table(mine)
    load_table(mine)
    assert built == [1, 1, 1, 1, 1]


def test_places_are_read_back_built_only_for_the_table_they_were_built_for(tmp_path: Path, table_text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Start-up with --area: places built for a table are cached with it; another table's places are built anew."""
    import coder_pay.places as P

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CODER_PAY_NO_CACHE", raising=False)
    monkeypatch.setattr(P, "_LOADED", {})
    mine, other = tmp_path / "mine.toml", tmp_path / "other.toml"
    mine.write_text(table_text, encoding="utf-8")
    other.write_text(table_text.replace("p50 = 59700", "p50 = 59701", 1), encoding="utf-8")
    built: list[int] = []
    real = P._read_places
    monkeypatch.setattr(P, "_read_places", lambda *a: built.append(1) or real(*a))
    first = P.load_places(load_table(mine))
    P._LOADED.clear()
    assert P.load_places(load_table(mine)) == first and built == [1]  # read back
    P._LOADED.clear()
    P.load_places(load_table(other))
    assert built == [1, 1]  # another table (other wages): built for it
    P._LOADED.clear()
    older = load_table(mine)
    load_table(other)
    P.load_places(older)
    assert built == [1, 1, 1]  # not the table loaded last: built, never read back for the wrong table


def test_a_cached_table_holds_only_the_tables_records(tmp_path: Path, table_text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A cache entry naming anything but the table's own records (a tampered or foreign file) is not used."""
    import marshal
    import pickle

    import coder_pay.table_cache as C

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CODER_PAY_NO_CACHE", raising=False)
    mine = tmp_path / "mine.toml"
    mine.write_text(table_text, encoding="utf-8")
    table = load_table(mine)
    cache = C._cache_file(mine)
    assert cache is not None
    entry = list(marshal.loads(cache.read_bytes()))
    assert entry[4]  # the records were cached
    entry[4] = pickle.dumps(table._replace(sources=Path("x")))  # a class that is not a record of the table
    cache.write_bytes(marshal.dumps(tuple(entry)))
    assert C._built(C._cached(mine, mine.read_bytes())) is None
    assert load_table(mine) == table  # built again from the document


def test_a_broken_cache_or_no_cache_falls_back_to_parsing(tmp_path: Path, table_text: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mine = tmp_path / "mine.toml"
    mine.write_text(table_text, encoding="utf-8")
    load_table(mine)
    for f in (tmp_path / "cache" / "coder-pay").iterdir():
        f.write_bytes(b"\x00garbage")
    assert load_table(mine).states["TX"].wages.p50 == 47230
    monkeypatch.setenv("CODER_PAY_NO_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    assert load_table(mine).states["TX"].wages.p50 == 47230
    assert not (tmp_path / "other").exists()


def test_the_parse_cache_keeps_only_the_most_recent_tables(tmp_path: Path, table_text: str, monkeypatch, runner) -> None:  # type: ignore[no-untyped-def]
    """One cache file per table path used to pile up forever (205 files seen): it is bounded."""
    import coder_pay.table as T
    import coder_pay.table_cache as C
    from coder_pay.cli import app

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("CODER_PAY_NO_CACHE", raising=False)
    (cache / "coder-pay").mkdir(parents=True)
    (cache / "coder-pay" / "notes.txt").write_text("not ours", encoding="utf-8")  # never touched
    paths = []
    for i in range(C.CACHE_FILES + 5):
        mine = tmp_path / f"t{i}.toml"
        mine.write_text(table_text, encoding="utf-8")
        paths.append(mine)
        r = runner.invoke(app, ["--data", str(mine), "estimate", "--json"])
        assert r.exit_code == 0, r.output
    kept = {f.name for f in (cache / "coder-pay").iterdir()}
    assert len(kept) == C.CACHE_FILES + 1 and "notes.txt" in kept
    assert C._cache_file(paths[-1]).name in kept  # type: ignore[union-attr]  # the newest are kept ...
    assert C._cache_file(paths[0]).name not in kept  # type: ignore[union-attr]  # ... the oldest pruned

    def no_parsing(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(T, "_toml_loads", no_parsing)
    assert runner.invoke(app, ["--data", str(paths[-1]), "estimate", "--json"]).exit_code == 0  # still a cache hit


def test_the_tests_do_not_write_into_the_users_cache() -> None:
    import os

    assert os.environ["XDG_CACHE_HOME"] != os.path.join(os.path.expanduser("~"), ".cache")
    assert "coder-pay-test-cache-" in os.environ["XDG_CACHE_HOME"]


def test_the_coders_own_occupation_is_never_a_related_career() -> None:
    """Issue 16 item 3: 29-2072 *is* the coders' occupation; the loader refuses it as another career."""
    from coder_pay.table import default_path

    text = default_path().read_text(encoding="utf-8")
    extra = ('\n[occupations."29-2072"]\ntitle = "Medical Records Specialists"\nlabel = "Medical records specialist"\n'
             'related = true\nsource = "oews_national_2024"\nemployment = 187910\np10 = 35780\np25 = 41600\n'
             'p50 = 50250\np75 = 64070\np90 = 80950\n')
    with pytest.raises(TableError) as e:
        parse_table(text + extra, "edited.toml")
    assert any(p.key == "occupations.29-2072.related" and "coders' own occupation" in p.message for p in e.value.problems)
