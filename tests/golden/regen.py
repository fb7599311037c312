#!/usr/bin/env python3
"""Regenerate the golden outputs after an intentional change of output:

    python tests/golden/regen.py            # every case
    python tests/golden/regen.py NAME ...   # only these cases

Then read `git diff tests/golden/out/` and say in the commit message why the output changed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import os  # noqa: E402

os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="coder-pay-golden-cache-")

from golden_cases import CASES  # noqa: E402
from golden_harness import OUT, files_for, run_case  # noqa: E402


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print(f"unknown case(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    if not names:  # a full run: cases removed from cases.py lose their files
        for f in OUT.iterdir():
            if f.stem not in CASES:
                f.unlink()
    for name in names or list(CASES):
        res = run_case(CASES[name])
        out, err, code = files_for(name)
        out.write_bytes(res.stdout)
        if res.stderr:
            err.write_bytes(res.stderr)
        elif err.exists():
            err.unlink()
        code.write_text(f"{res.exit_code}\n")
        print(f"{name}: exit {res.exit_code}, {len(res.stdout)} bytes out, {len(res.stderr)} bytes err")
    shutil.rmtree(os.environ["XDG_CACHE_HOME"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
