"""Synth's worker processes: each builds one engine and speaks the units of jobs sent down its own pipe,
writing every line to the cache as it is made and sending the blocks back.

Why not `concurrent.futures.ProcessPoolExecutor`: its workers share one result pipe, and a worker killed
while sending (by the OOM killer, or `kill -9`) leaves half a message in it. The executor's manager
thread then waits for the rest of that message for ever, and so does the render (CPython 3.11: one run
in nine under load). Here each worker has a pipe of its own whose only writer is that worker, so its
death is an end of file or its process sentinel, and the render ends with one line."""

from __future__ import annotations

import collections
import itertools
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from .errors import AudiobookError, EngineError

T = TypeVar("T")  # one unit of work
R = TypeVar("R")  # its result

# Set (to anything but "" or "0"): no process is forked, as on Windows, which has no fork: the pool's
# workers are spawned, and espeak-ng speaks each line in the worker itself (engines/espeak.py).
NO_FORK_ENV = "AUDIOBOOK_NO_FORK"

DIED = (
    "a worker process died while speaking (killed, or out of memory); run the same command again: "
    "every line already made is kept in the cache"
)
# How long closing the pool waits for a worker to finish the line it is speaking before stopping it.
FINISH_SECONDS = 60.0


def fork_allowed() -> bool:
    """Whether this process may fork: where the system has fork (not Windows) and AUDIOBOOK_NO_FORK is
    not set, which takes the Windows path here so that it can be tested."""
    return hasattr(os, "fork") and os.environ.get(NO_FORK_ENV, "") in ("", "0")


def start_method() -> str:
    """How the pool starts its workers: forkserver on Linux (a worker starts from a clean process, not
    from a copy of the render's), spawn elsewhere (macOS's default; Windows has nothing else) and
    whenever forking is off."""
    return "forkserver" if sys.platform.startswith("linux") and fork_allowed() else "spawn"


def workers_can_start() -> bool:
    """Whether worker processes can start here: a fresh worker first runs the program's main module
    again (multiprocessing's spawn and forkserver), which it cannot when the program was read from
    standard input (`python - < script.py`) or its file is gone."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path is None or os.path.exists(path)


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process (of the chosen context)
    conn: Connection
    sent: collections.deque[int] = field(default_factory=collections.deque)  # unit numbers, in order


class WorkerPool(Generic[T, R]):
    """`workers` processes, each running `serve(conn, stop, *args)`: it receives units on `conn` until
    the end of file or `stop` is set, and answers each with `("ok", result)` or `("raise", exception)`.
    `map` hands out units and yields their results in order, with at most `in_flight` units per worker
    sent and not yet yielded (so results waiting for their turn are bounded in memory too)."""

    def __init__(self, workers: int, serve: Callable[..., None], args: tuple[Any, ...], in_flight: int = 3):
        ctx: Any = mp.get_context(start_method())
        self.in_flight = in_flight
        self._tags = itertools.count()  # every unit ever sent has its own, so a map left half-read
        self._stop = ctx.Event()  # cannot hand its answers to the next
        self._workers: list[_Worker] = []
        try:
            for _ in range(workers):
                ours, theirs = ctx.Pipe()
                process = ctx.Process(target=serve, args=(theirs, self._stop, *args), daemon=True)
                process.start()
                theirs.close()  # the worker's end lives in the worker alone: its death is our end of file
                self._workers.append(_Worker(process, ours))
        except BaseException:
            self.close()
            raise

    def map(self, units: Sequence[T]) -> Iterator[R]:
        """Each unit's result, in the order of `units`. The first units are sent at once, so that
        pools asked for work side by side (a cast that mixes engines) all start on it."""
        tags = [next(self._tags) for _ in units]
        window = self.in_flight * len(self._workers)
        for n in range(min(window, len(units))):
            self._send(units[n], tags[n])
        return self._results(units, tags, window)

    def _results(self, units: Sequence[T], tags: list[int], window: int) -> Iterator[R]:
        done: dict[int, R] = {}
        for n, tag in enumerate(tags):
            while tag not in done:
                self._receive(done, tags[0])
            if n + window < len(units):
                self._send(units[n + window], tags[n + window])
            yield done.pop(tag)

    def call(self, unit: T) -> R:
        """One unit's result."""
        [result] = list(self.map([unit]))
        return result

    def _send(self, unit: T, tag: int) -> None:
        """To the worker with the fewest units in hand."""
        worker = min(self._workers, key=lambda w: len(w.sent))
        try:
            worker.conn.send(unit)
        except OSError as exc:
            raise EngineError(DIED) from exc
        worker.sent.append(tag)

    def _receive(self, done: dict[int, R], first: int) -> None:
        """Wait for the next answer from any busy worker (answers to units sent before `first` are
        dropped); a worker that died ends the run."""
        busy = [w for w in self._workers if w.sent]
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in self._workers])
        for worker in busy:
            if worker.conn in ready:
                try:
                    kind, value = worker.conn.recv()
                except (EOFError, OSError) as exc:
                    raise EngineError(DIED) from exc
                tag = worker.sent.popleft()
                if tag < first:
                    continue
                if kind == "raise":
                    raise value
                done[tag] = value
        if any(w.process.sentinel in ready for w in self._workers):
            raise EngineError(DIED)

    def close(self) -> None:
        """Stop the workers: each finishes the line it is speaking (and keeps it in the cache), the
        units not begun are dropped. A worker that does not stop in FINISH_SECONDS is killed."""
        self._stop.set()
        for worker in self._workers:
            worker.conn.close()  # a worker blocked sending an answer gets a broken pipe and goes
        deadline = time.monotonic() + FINISH_SECONDS
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self._workers = []


def serve_units(conn: Connection, stop: Any, parent: int, start: Callable[[], Any], work: Callable[..., R]) -> None:
    """A worker's life: build its state with `start()` once, then answer each unit received with
    `work(state, unit, stop)` until the pipe closes or `stop` is set. If `start()` fails (the engine
    cannot run here), every unit is answered with that error."""
    # Ctrl-C reaches every process of the terminal's group: the parent alone answers it (and closes
    # the pool), so a worker neither prints a traceback nor dies half-way through a cache write.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    failed: AudiobookError | None = None
    state: Any = None
    try:
        state = start()
    except AudiobookError as exc:  # said in answer to the first unit: the parent's one error line
        failed = exc
    while not stop.is_set():
        try:
            unit = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if failed is not None:
                raise failed
            answer: tuple[str, Any] = ("ok", work(state, unit, stop))
        except AudiobookError as exc:
            answer = ("raise", exc)
        except Exception as exc:  # a bug: the parent shows it with the worker's traceback
            import traceback

            answer = ("raise", RuntimeError(f"in a worker process:\n{traceback.format_exc()}".rstrip()))
            del exc
        if stop.is_set():
            return
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return


def _exit_with(parent: int) -> None:
    """A worker's watch on the process that started the render: when that one is gone (`kill -9`), the
    worker goes too, even in the middle of a long line."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(0)
        except OSError:
            pass
