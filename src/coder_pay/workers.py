"""Work spread over processes, results in order: how a large batch uses every CPU.

    with ordered_map(work, chunks, jobs=2) as results:   # work(chunk) runs here and in one worker
        for r in results:                                 # in the order of `chunks`
            ...

`jobs` processes share the work: this one and jobs - 1 workers forked from it, so the workers start with
everything it has built (the data table, a Batch with its header read, caches) and `work` may be any callable,
a closure included: only the items and the results cross between processes (pickled, over one pair of pipes
per worker, each made as large as the system allows). Each item goes to the worker with the fewest waiting, up
to AHEAD each; when every worker has that many, this process takes the item itself and works on it while the
workers do (it also reads the input and writes the output, so it takes fewer). Each worker answers its items
in the order it got them, and answers are put back in order. At most `jobs x AHEAD` items are in flight, so
memory stays flat whatever the input's length. Because this process works too, a machine whose other CPUs
are busy runs about as fast as with no workers at all, never slower by much.

This process does all the piping itself, in one thread, waiting on whichever pipe is ready (a worker busy
writing a large result never blocks it from being fed, and the reverse), so nothing can deadlock and there is
no thread to copy into a fork. Workers ignore Ctrl-C (the caller handles it once, for everyone), end when their
input pipe closes, and are killed when the `with` block ends early (an error, Ctrl-C, a closed output pipe).
Forking is only safe where the platform's libraries allow it: `can_fork()` says whether to use this at all
(Linux); elsewhere the caller works in one process. Pure: no printing.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: Items handed to each share ahead of the result the caller waits for.
AHEAD = 3
#: The size asked for each pipe (Linux allows 1 MiB to anyone): a worker writes a whole result without waiting.
PIPE_SIZE = 1 << 20
_SIZE = struct.Struct("<Q")  # each message: its length, then a pickle of (ok, value)


def can_fork() -> bool:
    """True where worker processes are forked safely (Linux: macOS's system libraries do not survive a fork)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed, out of memory)."""


def _frame(value: Any) -> bytes:
    """One message on a pipe: its length, then its pickle."""
    body = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return _SIZE.pack(len(body)) + body


def _answer(ok: bool, value: Any) -> bytes:
    """A worker's answer: (True, the result) or (False, the exception raised)."""
    try:
        return _frame((ok, value))
    except Exception as e:  # an exception that cannot be pickled: its text
        return _frame((False, RuntimeError(f"{type(value).__name__}: {value} ({e})")))


def _read_exact(fd: int, n: int) -> bytes | None:
    parts, got = [], 0
    while got < n:
        b = os.read(fd, n - got)
        if not b:
            return None
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def _serve(work: Callable[[Any], Any], inbox: int, outbox: int) -> None:
    """A worker's life: read an item, answer it, until the input pipe closes."""
    while True:
        head = _read_exact(inbox, _SIZE.size)
        if head is None:
            return
        body = _read_exact(inbox, _SIZE.unpack(head)[0])
        if body is None:
            return
        try:
            answer = _answer(True, work(pickle.loads(body)))
        except Exception as e:
            answer = _answer(False, e)
        view = memoryview(answer)
        while view:
            view = view[os.write(outbox, view):]


class _Worker:
    def __init__(self, pid: int, to_child: int, from_child: int):
        self.pid = pid
        self.to_child = to_child
        self.from_child = from_child
        self.sending = bytearray()  # items not yet written into its pipe
        self.received = bytearray()  # answers read, not yet whole
        self.waiting: deque[int] = deque()  # the items it owes an answer for, in order


def _pipe() -> tuple[int, int]:
    r, w = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass  # the system's default size: slower, still correct
    return r, w


def _start(work: Callable[[Any], Any], workers_wanted: int, workers: list[_Worker]) -> None:
    """Fork the workers, adding each to `workers` as it starts."""
    for _ in range(workers_wanted):
        down_r, down_w = _pipe()
        up_r, up_w = _pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
                for w in workers:  # the caller's ends of the earlier workers' pipes: theirs alone
                    os.close(w.to_child)
                    os.close(w.from_child)
                os.close(down_w)
                os.close(up_r)
                _serve(work, down_r, up_w)
            except BaseException:
                code = 1
            finally:
                os._exit(code)  # never the caller's exit handlers, never its buffered output
        os.close(down_r)
        os.close(up_w)
        os.set_blocking(down_w, False)
        workers.append(_Worker(pid, down_w, up_r))


def _stop(workers: list[_Worker], kill: bool) -> None:
    for w in workers:
        for fd in (w.to_child, w.from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        if kill:
            with contextlib.suppress(OSError):
                os.kill(w.pid, signal.SIGKILL)
    for w in workers:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(w.pid, 0)


@contextlib.contextmanager
def ordered_map(work: Callable[[Any], Any], items: Iterable[Any], jobs: int) -> Iterator[Iterator[Any]]:
    """`work(item)` for each item, shared by this process and `jobs` - 1 forked workers; the results in the order
    of `items`. An exception raised by `work` is raised again here, from the results' iterator."""
    workers: list[_Worker] = []
    ok = False
    try:
        _start(work, max(jobs, 1) - 1, workers)
        yield _results(work, workers, iter(items))
        ok = True
    finally:
        _stop(workers, kill=not ok)  # (also the ones started when a later fork failed)


def _results(work: Callable[[Any], Any], workers: list[_Worker], items: Iterator[Any]) -> Iterator[Any]:
    limit = (len(workers) + 1) * AHEAD
    answers: dict[int, tuple[bool, Any]] = {}
    mine: dict[int, Any] = {}  # this process's items, by number
    sent = done = 0
    more = True
    sel = selectors.DefaultSelector()
    watched: dict[int, int] = {}  # fd -> events registered
    owner = {w.to_child: w for w in workers} | {w.from_child: w for w in workers}

    def watch(fd: int, events: int) -> None:
        if watched.get(fd, 0) == events:
            return
        if fd in watched:
            if events:
                sel.modify(fd, events)
            else:
                sel.unregister(fd)
                del watched[fd]
                return
        elif events:
            sel.register(fd, events)
        watched[fd] = events

    def pump(timeout: float | None) -> None:
        """Write what the workers wait for and read what they have answered: what is ready now, or (timeout None)
        at least one of them."""
        for w in workers:
            watch(w.to_child, selectors.EVENT_WRITE if w.sending else 0)
            watch(w.from_child, selectors.EVENT_READ if w.waiting else 0)
        if not watched:
            return
        for key, _ in sel.select(timeout):
            w = owner[key.fd]
            if key.fd == w.to_child:
                try:
                    n = os.write(w.to_child, w.sending)
                except BlockingIOError:
                    continue
                except BrokenPipeError:
                    raise WorkerDied(f"worker process {w.pid} ended unexpectedly") from None
                del w.sending[:n]
                continue
            data = os.read(w.from_child, PIPE_SIZE)
            if not data:
                raise WorkerDied(f"worker process {w.pid} ended unexpectedly")
            w.received += data
            while len(w.received) >= _SIZE.size:
                size = _SIZE.unpack_from(w.received)[0]
                if len(w.received) < _SIZE.size + size:
                    break
                answers[w.waiting.popleft()] = pickle.loads(w.received[_SIZE.size:_SIZE.size + size])
                del w.received[:_SIZE.size + size]

    try:
        while True:
            while more and sent < done + limit:  # hand out items: to the worker with the fewest waiting
                try:
                    item = next(items)
                except StopIteration:
                    more = False
                    break
                w = min(workers, key=lambda w: len(w.waiting)) if workers else None
                if w is not None and len(w.waiting) < AHEAD:
                    w.sending += _frame(item)
                    w.waiting.append(sent)
                else:
                    mine[sent] = item  # every worker has enough to do: this process takes it
                sent += 1
            if done == sent and not more:
                return
            if done in answers:
                ok, value = answers.pop(done)
                done += 1
                if not ok:
                    raise value
                yield value
            elif mine:
                pump(0)  # feed the workers and take their answers first: they work while this process does
                if done not in answers:  # work on the next item due, or else this process's earliest one
                    k = done if done in mine else min(mine)
                    answers[k] = (True, work(mine.pop(k)))
            else:
                pump(None)
    finally:
        sel.close()


__all__ = ["AHEAD", "WorkerDied", "can_fork", "cpus", "ordered_map"]
