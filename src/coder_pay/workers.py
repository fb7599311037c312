"""Work spread over worker processes, results in order: how a large batch uses every CPU.

    with ordered_map(work, chunks, jobs=2) as results:   # work(chunk) runs in a worker
        for r in results:                                 # in the order of `chunks`
            ...

The workers are forked from the calling process, so they start with everything it has built (the data table,
a Batch with its header read, caches) and `work` may be any callable, a closure included: only the items and
the results cross between processes (pickled). At most `jobs x AHEAD` items are in flight, so memory stays flat
whatever the input's length. Workers ignore Ctrl-C (the caller handles it once, for everyone) and are stopped
when the `with` block ends, however it ends. Forking is only safe where the platform's libraries allow it:
`can_fork()` says whether to use this at all (Linux); elsewhere the caller works in one process.
Pure: no printing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: Items handed out per worker before the first result is waited for.
AHEAD = 3

_work: Callable[[Any], Any] | None = None  # set in the parent just before the fork; the workers inherit it


def can_fork() -> bool:
    """True where worker processes are forked safely (Linux: macOS's system libraries do not survive a fork)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _quiet() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _call(item: Any) -> Any:
    assert _work is not None
    return _work(item)


@contextlib.contextmanager
def ordered_map(work: Callable[[Any], Any], items: Iterable[Any], jobs: int) -> Iterator[Iterator[Any]]:
    """`work(item)` for each item, in `jobs` forked worker processes; the results in the order of `items`.
    An exception raised by `work` is raised again here, from the results' iterator."""
    import multiprocessing

    global _work
    _work = work
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_quiet)
    _work = None  # the parent keeps no reference: the workers have their copy

    def results() -> Iterator[Any]:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(pool.apply_async(_call, (item,)))
            if len(pending) >= jobs * AHEAD:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    ok = False
    try:
        yield results()
        ok = True
    finally:
        if ok:
            pool.close()
        else:
            pool.terminate()
        pool.join()


__all__ = ["AHEAD", "can_fork", "cpus", "ordered_map"]
