"""coder-pay as a library: one estimate, a CSV file, and a list of records."""

from coder_pay import RowError, build_query, estimate, estimate_many, iter_batch, load_table

table = load_table()                      # the packaged table (or a path, or $CODER_PAY_DATA)
q = build_query(table, state="California", certs=["CPC"], years=7)
result = estimate(table, q)               # an Estimate (a NamedTuple): the same object the CLI renders
print(result.band, result.col.band.mid)

with open("examples/team.csv", newline="", encoding="utf-8-sig") as f:
    for row in iter_batch(table, f, on_unknown_columns=lambda cols: None):
        if isinstance(row.result, RowError):
            print(row.row, "error:", row.result.code)
        else:
            print(row.row, row.result.query.state, row.result.band.mid)

records = [{"state": "TX", "cert": ["CPC", "CRC"]}, {"state": "FL", "years": 3.0}]   # e.g. df.to_dict("records")
print([r.result.band.mid for r in estimate_many(table, records)])
