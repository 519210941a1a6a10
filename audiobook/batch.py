"""Many books in one run (`audiobook batch`): every story given, or every story under a folder, rendered
with one pool of workers (or one Ray cluster) and one line cache.

Books are rendered side by side (`books_at_once` of them), each in a thread of its own, on executors
they share: while one book's last chapter is joined, its M4B encoded or its folder published, the
workers speak another's lines. A book that fails is reported by name and the others go on."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .engines.base import Engine
from .errors import AudiobookError, ExitCode
from .ingest import STORY_SUFFIXES
from .model import BuildReport, ReadOptions, RenderOptions
from .pipeline import prepare, render
from .synth import Executor, Executors, Job, LocalExecutors, Spoken

_PREPARING = threading.Lock()


def find_stories(paths: Sequence[str | Path], out_root: str | Path | None = None) -> list[Path]:
    """The story files to render: each file given, and every story file under each folder given (by
    suffix, in name order; hidden folders and the output folder left out). A path that does not exist
    is kept: its book fails by name, as any other."""
    out = Path(out_root).resolve() if out_root else None
    found: list[Path] = []
    for given in map(Path, paths):
        if not given.is_dir():
            found.append(given)
            continue
        for path in sorted(given.rglob("*")):
            parts = path.relative_to(given).parts
            if any(p.startswith(".") for p in parts) or not path.is_file():
                continue
            if out is not None and out in path.resolve().parents:
                continue
            if path.suffix.lower() in STORY_SUFFIXES:
                found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


@dataclass
class BookResult:
    """How one book of a batch went: its report, or why it failed."""

    source: str
    report: BuildReport | None = None
    error: str = ""
    seconds: float = 0.0
    exit_code: int = 0  # the failure's own (errors.ExitCode), as `generate` would have exited

    @property
    def ok(self) -> bool:
        return not self.error


class _Releasing:
    """An executor's results, holding its lock until they are all read or the reader closes them."""

    def __init__(self, results: Iterator[list[Spoken]], lock: threading.Lock):
        self._results = results
        self._lock: threading.Lock | None = lock

    def __iter__(self) -> _Releasing:
        return self

    def __next__(self) -> list[Spoken]:
        try:
            return next(self._results)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        close = getattr(self._results, "close", None)
        if close is not None:
            close()
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def __del__(self) -> None:
        self.close()


class _Shared:
    """One executor lent to every book: closing it does nothing (the batch closes it at the end).
    An executor that is not safe to use from several threads (a local WorkerPool) is lent to one map
    at a time: a book holds it for a chapter, then the next book waiting takes it."""

    def __init__(self, executor: Executor):
        self.executor = executor
        self._lock = None if getattr(executor, "thread_safe", False) else threading.Lock()

    def map(self, units: Sequence[list[Job]]) -> Iterator[list[Spoken]]:
        if self._lock is None:
            return self.executor.map(units)
        if not units:
            return iter(())
        self._lock.acquire()
        try:
            return _Releasing(self.executor.map(units), self._lock)
        except BaseException:
            self._lock.release()
            raise

    def close(self) -> None:
        return None


class SharedExecutors:
    """Executors started once for the whole batch, one per engine (and engine options and cache),
    and lent to every book."""

    def __init__(self, inner: Executors):
        self.inner = inner
        self._lock = threading.Lock()
        self._started: dict[tuple[str, str, str | None], _Shared] = {}

    def start(self, engine: Engine, cache_root: str | None, workers: int, engines: int) -> Executor:
        key = (engine.name, json.dumps(engine.options(), sort_keys=True, default=str), cache_root)
        with self._lock:
            if key not in self._started:
                self._started[key] = _Shared(self.inner.start(engine, cache_root, workers, engines))
            return self._started[key]

    def close(self) -> None:
        with self._lock:
            shared, self._started = list(self._started.values()), {}
        for one in shared:
            one.executor.close()


@dataclass(frozen=True)
class Batch:
    """What every book of a batch shares: where books go, how they are rendered and read, and what
    voices.yaml each one reads (`config_for(story)`: None auto-casts)."""

    out_root: str | Path
    options: RenderOptions
    config_for: Callable[[str], str | None] = lambda story: None
    reading: ReadOptions | None = None
    voices_dirs: Sequence[str | Path] = ()


def render_books(
    stories: Sequence[str | Path],
    batch: Batch,
    executors: Executors | None = None,
    books_at_once: int = 2,
    on_done: Callable[[BookResult], None] | None = None,
) -> list[BookResult]:
    """Render every story; the results in the order of `stories`. `executors` speak the lines (a Ray
    cluster); without them, `options.jobs` worker processes here (or, with one job, this process,
    one book at a time). `on_done` hears each book as it ends."""
    if executors is None and batch.options.jobs > 1:
        executors = LocalExecutors()
    shared = SharedExecutors(executors) if executors is not None else None
    at_once = max(1, books_at_once) if shared is not None else 1
    done: list[BookResult] = []

    def one(story: str | Path) -> BookResult:
        result = _render_one(story, batch, shared)
        if on_done:
            on_done(result)
        return result

    try:
        if at_once == 1:
            done = [one(story) for story in stories]
        else:
            pool = ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="book")
            try:
                done = list(pool.map(one, stories))
            except BaseException:  # Ctrl-C: the books being rendered stop at their next line, the rest never start
                if shared is not None:
                    shared.close()
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            pool.shutdown()
    finally:
        if shared is not None:
            shared.close()
    return done


def _render_one(story: str | Path, batch: Batch, executors: Executors | None) -> BookResult:
    """One book of the batch; its failure is its own, said in one line."""
    started = time.monotonic()
    result = BookResult(str(story))
    try:
        # One book at a time builds its engine and casts: an engine in this process (espeak-ng's
        # library) is not safe to start, or to list voices, from two threads at once.
        with _PREPARING:
            prep = prepare(story, batch.config_for(str(story)), reading=batch.reading, voices_dirs=batch.voices_dirs)
        try:
            result.report = render(prep, batch.out_root, batch.options, None, None, Path(story).name, executors)
        finally:
            prep.engine.close()  # a mixed cast's other engines run in processes of their own
        if result.report.failed:
            count = len(result.report.failed)
            result.error = f"{count} line{'s' * (count != 1)} not synthesized: {result.report.failed[0]}"
            result.exit_code = ExitCode.SYNTHESIS
    except AudiobookError as exc:
        result.error, result.exit_code = str(exc), exc.exit_code
    except Exception as exc:  # a bug in one book must not end the others
        result.error, result.exit_code = f"unexpected {type(exc).__name__}: {exc}", ExitCode.FAILURE
    result.seconds = time.monotonic() - started
    return result


def summary_table(results: Sequence[BookResult]) -> str:
    """The batch's summary: one row per book (its file, what became of it, its chapters, audio, lines
    made and reused, time), then the totals."""
    rows = [("book", "result", "chapters", "audio", "synthesized", "reused", "seconds")]
    for r in results:
        rep = r.report
        rows.append(
            (
                Path(r.source).name,
                "done" if r.ok else "FAILED",
                str(rep.chapters) if rep else "-",
                _clock(rep.audio_seconds) if rep else "-",
                str(rep.synthesized) if rep else "-",
                str(rep.reused) if rep else "-",
                f"{r.seconds:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in rows
    ]
    failed = [r for r in results if not r.ok]
    lines.append(
        f"{len(results) - len(failed)} of {len(results)} books done" + (f", {len(failed)} failed" if failed else "")
    )
    lines += [f"failed: {Path(r.source).name}: {r.error}" for r in failed]
    return "\n".join(line.rstrip() for line in lines)


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def book_line(result: BookResult) -> str:
    """What is said as one book ends."""
    if result.ok and result.report is not None:
        return f"done: {Path(result.source).name} -> {result.report.output_dir} ({result.seconds:.1f} s)"
    return f"failed: {Path(result.source).name}: {result.error}"


__all__ = ["Batch", "BookResult", "SharedExecutors", "book_line", "find_stories", "render_books", "summary_table"]
