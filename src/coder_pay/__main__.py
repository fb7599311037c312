"""`python -m coder_pay` and the `coder-pay` command: the command-line interface, started fast.

What a run imports (Typer, Click, coder-pay's modules) and the table it reads live until the process
ends, yet the garbage collector walks them over and over while they are made, and all of them once
more as the interpreter exits: over ten milliseconds of a 60 ms run (benchmarks/bench_startup.py). So
the CLI is imported with collection paused and what it made is set aside (`gc.freeze`: never walked
again), and the same is done when the command is over. The command itself runs with the collector on
(a batch of a million rows collects as usual). Library use (`import coder_pay`) is not affected.
"""

import gc


def run() -> int:
    """Entry point of the `coder-pay` command (and of `python -m coder_pay`)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        from .cli import main
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    try:
        return main()
    finally:
        gc.freeze()  # the process ends here: the interpreter's last collection has nothing left to walk


if __name__ == "__main__":
    raise SystemExit(run())
