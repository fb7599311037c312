"""coder-pay's Batch: read a staff file's header, keep a column, price every row."""

from coder_pay import load_table
from coder_pay.batch_rows import Batch

table = load_table()
with open("examples/staff.csv", newline="", encoding="utf-8-sig") as f:
    batch = Batch(table, f, keep=["name"], lean=True)   # reads the header now: a bad one raises UsageError
    print(batch.fields, batch.kept)
    for row in batch.with_input():                       # KeptRow(row, result, input, ident)
        if row.ok:
            print(row.input["Name"], row.result.band.mid, row.result.offer.verdict)
        else:
            print(row.input["Name"], "error:", row.result.code, "-", row.ident)
print(batch.rows, batch.failed, batch.verdicts)
