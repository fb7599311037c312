"""The fixed commands whose output the golden test pins byte for byte (see tests/test_golden.py).

Each case: a name (the file stem under tests/golden/out/) and the argv after `coder-pay`.
`{GOLDEN}` in an argument is this folder. Add a case, then record it: python tests/golden/regen.py
"""

from __future__ import annotations

CASES: dict[str, list[str]] = {
    # estimate: option mixes
    "estimate_national": ["estimate", "--json"],
    "estimate_ca_cpc": ["estimate", "--state", "CA", "--cert", "CPC", "--json"],
    "estimate_oh_full": ["estimate", "-s", "OH", "-c", "CPC,CRC", "-y", "4", "--specialty", "risk-adjustment",
                         "--setting", "hospital", "--json"],
    "estimate_level_home_housing": ["estimate", "-s", "tx", "--level", "senior", "--home", "CA", "--col", "housing",
                                    "--json"],
    "estimate_remote_as_of": ["estimate", "-s", "Washington", "--remote", "-c", "CCS", "--as-of", "2026", "--json"],
    "estimate_after_tax": ["estimate", "-s", "NY", "-c", "CPC", "-y", "7", "--after-tax", "--json"],
    "estimate_cpca": ["estimate", "-s", "FL", "-c", "CPC-A", "--json"],
    "estimate_dc_thin": ["estimate", "-s", "DC", "--json"],
    # states
    "states_default": ["states", "--json"],
    "states_sorted_top": ["states", "-c", "CPC", "-y", "5", "--sort", "adjusted", "--top", "5", "--json"],
    "states_after_tax": ["states", "--after-tax", "--sort", "price", "--top", "4", "--format", "json"],
    "states_csv": ["states", "--format", "csv", "--top", "6", "--col", "housing"],
    # compare
    "compare_states": ["compare", "-s", "CA", "-s", "TX", "-s", "OH", "-c", "CPC", "--json"],
    "compare_offers": ["compare", "--offer", "CA:65000", "--offer", "TX:50k", "--offer", "OH:27/h", "--after-tax",
                       "--json"],
    "compare_home": ["compare", "-s", "NY", "--home", "FL", "--format", "csv"],
    # certs, career
    "certs_oh": ["certs", "-s", "OH", "-y", "2", "--json"],
    "certs_remote_csv": ["certs", "-s", "TX", "--remote", "--format", "csv"],
    "career_default": ["career", "-s", "OH", "-c", "CPC", "--json"],
    "career_add_cert": ["career", "-s", "TX", "-y", "1", "--span", "6", "--add-cert", "CRC@2", "--raise", "2.5%",
                        "--json"],
    # offer, take-home
    "offer_basic": ["offer", "58000", "-s", "OH", "-c", "CPC", "-y", "4", "--setting", "hospital", "--json"],
    "offer_hourly_benefits": ["offer", "27.50/h", "-s", "CA", "--match", "4", "--health", "6000", "--pto", "15",
                              "--bonus", "3", "--after-tax", "--json"],
    "offer_cpca": ["offer", "45k", "-s", "GA", "-c", "CPC-A", "--json"],
    "take_home_ca": ["take-home", "65000", "-s", "CA", "--json"],
    "take_home_no_state": ["take-home", "24.50/h", "--json"],
    "take_home_home_housing": ["take-home", "$70k", "-s", "TX", "--home", "NY", "--col", "housing", "--json"],
    # batch
    "batch_jsonl": ["batch", "{GOLDEN}/batch_input.csv"],
    "batch_csv_keep": ["batch", "{GOLDEN}/batch_input.csv", "--format", "csv", "--keep", "name", "--after-tax"],
    "batch_compact": ["batch", "{GOLDEN}/batch_input.csv", "--compact", "--no-summary"],
    "batch_fields": ["batch", "{GOLDEN}/batch_input.csv", "--fields", "row,state,cert,mid,salary,verdict",
                     "--column", "cert=cert"],
    # data
    "data_show": ["data", "show", "--json"],
    "data_validate": ["data", "validate", "--json"],
    "data_validate_bad": ["data", "validate", "{GOLDEN}/bad_table.toml", "--json"],
    "data_check": ["data", "check", "--json"],
    "data_check_family": ["data", "check", "--family", "states", "--failed", "--json"],
    # JSON errors
    "error_unknown_state": ["estimate", "-s", "Califrnia", "--json"],
    "error_bad_cert": ["estimate", "-c", "CPX", "--json"],
    "error_negative_years": ["estimate", "-y", "-3", "--json"],
    "error_level_years": ["offer", "50000", "--level", "entry", "-y", "20", "--json"],
    "error_bad_salary": ["offer", "lots", "--json"],
    "error_bad_option": ["estimate", "--stat", "CA", "--json"],
    "error_compare_one": ["compare", "-s", "CA", "--json"],
    "error_bad_table": ["--data", "{GOLDEN}/bad_table.toml", "estimate", "--json"],
    "error_sort": ["states", "--sort", "payy", "--json"],
}
