"""Synth: cast lines -> clips -> encoded blocks. Each line's words (speech.py: pronunciations applied,
a long line cut into pieces) become jobs; a job's block is taken from the cache when it is there, else
the engine speaks it (in this process or a pool of workers) and encode.py levels and encodes the clip;
failures are recorded, never dropped silently."""

from __future__ import annotations

import collections
import itertools
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import BlockCache, Stored, line_key
from .encode import BITRATE_KBPS, Block, encoding_id, make_block
from .engines.base import Audio, Engine
from .errors import AudiobookError, EngineError, SynthesisError
from .files import deferred_interrupts
from .model import CastLine, VoiceSpec
from .speech import PIECE_PAUSE_MS, Pronouncer, split_speech, spoken_text

_HAS_SOUND = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Spoken:
    """A line ready to join: its encoded block, how long its speech lasts, and what it cost."""

    block: Block
    speech_seconds: float  # the clip's length (the block adds the pause after it)
    synthesized: bool  # the engine was asked (else the line came from the cache)
    failed: str = ""  # why the line has no audio, when it has none


@dataclass(frozen=True)
class Job:
    """One line to render, as a worker needs it: picklable, no engine inside."""

    text: str  # exactly what the engine says (pronunciations applied)
    voice: VoiceSpec
    pause_ms: int
    key: str  # where it is kept in the cache
    where: str  # for error messages: "offset 1234"
    bitrate_kbps: int = BITRATE_KBPS


def make_jobs(
    line: CastLine, engine: Engine, pronounce: Pronouncer | None = None, bitrate_kbps: int = BITRATE_KBPS
) -> list[Job]:
    """The jobs for a line, each with its cache key: one, or one per piece of a long line (the last
    piece carries the line's own pause)."""
    pieces = split_speech(spoken_text(line, pronounce))
    jobs = []
    for n, (text, after) in enumerate(pieces, 1):
        pause = line.pause_after_ms if after == "end" else PIECE_PAUSE_MS[after]
        where = f"offset {line.segment.start}" + (f" (piece {n} of {len(pieces)})" if len(pieces) > 1 else "")
        jobs.append(_job(text, line.voice, pause, where, engine, bitrate_kbps))
    return jobs


def _job(text: str, voice: VoiceSpec, pause_ms: int, where: str, engine: Engine, bitrate_kbps: int) -> Job:
    if not _HAS_SOUND.search(text):
        text = ""
    key = line_key(text, voice, engine.name, engine.voice_version(voice.voice_id), pause_ms, encoding_id(bitrate_kbps))
    return Job(text, voice, pause_ms, key, where, bitrate_kbps)


def silence_job(ms: int, engine: Engine, bitrate_kbps: int = BITRATE_KBPS) -> Job:
    """A job that is only a pause, with room tone (a chapter's head or tail)."""
    return _job("", VoiceSpec(engine.name, "silence"), ms, "silence", engine, bitrate_kbps)


def from_cache(job: Job, cache: BlockCache | None) -> Spoken | None:
    """The line as the cache holds it, if it does."""
    stored = cache.get(job.key) if cache else None
    if stored is None:
        return None
    return Spoken(Block(stored.mp3, stored.frames), stored.speech_samples / stored.sample_rate, False)


def synthesize_job(job: Job, engine: Engine, cache: BlockCache | None) -> Spoken:
    """Synthesize, level and encode one line, and keep it in the cache at once (so a render killed
    part-way loses nothing it made)."""
    clip = Audio(b"", engine.sample_rate)
    failed = ""
    if job.text:
        try:
            clip = engine.synthesize(job.text, job.voice)
            if not clip.frames:
                raise SynthesisError(f"the engine returned no audio for {job.text[:60]!r}")
        except SynthesisError as exc:
            clip, failed = Audio(b"", engine.sample_rate), f"{job.where}: {exc}"
    block = make_block(clip, job.voice.volume, job.pause_ms, engine.sample_rate, job.bitrate_kbps)
    if cache and not failed:
        cache.put(job.key, Stored(block.mp3, block.frames, clip.frames, clip.sample_rate))
    return Spoken(block, clip.seconds, bool(job.text), failed)


# One engine per worker process, built by the pool's initializer; never pickled.
_worker: dict[str, object] = {}


def _init_worker(engine_name: str, cache_root: str | None, parent: int) -> None:
    from .engines import create_engine

    # Ctrl-C reaches every process of the terminal's group: the parent alone answers it (and ends
    # the pool), so a worker neither prints a traceback nor dies half-way through a cache write.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _worker["engine"] = create_engine(engine_name)
    except AudiobookError as exc:  # said by the first unit of work: a failed initializer says nothing
        _worker["failed"] = f"a worker process could not start the {engine_name!r} engine: {exc}"
    _worker["cache"] = BlockCache(cache_root) if cache_root else None
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """A worker's watch on the process that started the render: when that one is gone (`kill -9`), the
    worker goes too, instead of waiting on its queue for ever."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(0)
        except OSError:
            pass


def _work(jobs: list[Job]) -> list[Spoken]:
    if "failed" in _worker:
        raise EngineError(str(_worker["failed"]))
    return [synthesize_job(job, _worker["engine"], _worker["cache"]) for job in jobs]  # type: ignore[arg-type]


# Lines go to the workers in units of a few (enough to keep every core busy), and only a few units per
# worker are in flight at once: finished lines wait for the writer in memory, so that is bounded too.
UNIT = 4
UNITS_PER_WORKER = 3


def _from_pool(pool: Any, jobs: list[Job], workers: int) -> Iterator[Spoken]:
    """Each job's result, in order, from `pool`, with at most UNITS_PER_WORKER units per worker in
    flight. A worker that died (killed, out of memory) ends the run with one line, where a plain
    process pool would wait for it for ever."""
    from concurrent.futures.process import BrokenProcessPool

    units = (jobs[i : i + UNIT] for i in range(0, len(jobs), UNIT))
    pending: collections.deque[Any] = collections.deque()
    try:
        pending.extend(pool.submit(_work, u) for u in itertools.islice(units, workers * UNITS_PER_WORKER))
        while pending:
            done = pending.popleft().result()
            unit = next(units, None)
            if unit:
                pending.append(pool.submit(_work, unit))
            yield from done
    except BrokenProcessPool as exc:
        raise EngineError(
            "a worker process died while speaking (killed, or out of memory); run the same command "
            "again: every line already made is kept in the cache"
        ) from exc


def _workers_can_start() -> bool:
    """Whether worker processes can start here: a fresh worker first runs the program's main module
    again (multiprocessing's spawn and forkserver), which it cannot when the program was read from
    standard input (`python - < script.py`) or its file is gone."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path is None or os.path.exists(path)


class Synthesizer:
    """Speaks jobs in order: cache hits first, the rest by the engine in this process (jobs=1) or
    in a pool of worker processes, one engine each."""

    def __init__(self, engine: Engine, cache_root: str | Path | None, jobs: int = 1):
        self.engine = engine
        self.cache = BlockCache(cache_root) if cache_root else None
        self.cache_root = str(cache_root) if cache_root else None
        self.jobs = max(1, jobs)
        self._pool: Any = None

    def __enter__(self) -> Synthesizer:
        if self.jobs > 1 and not _workers_can_start():
            self.jobs = 1  # the same bytes, in this process
        if self.jobs > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            ctx = mp.get_context("spawn" if sys.platform != "linux" else "forkserver")
            self._pool = ProcessPoolExecutor(
                self.jobs,
                mp_context=ctx,
                initializer=_init_worker,
                initargs=(self.engine.name, self.cache_root, os.getpid()),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            # Lines being spoken are finished (a second or two) and kept; the rest are dropped. A second
            # Ctrl-C meanwhile must not cut this short: the workers would never hear they may stop.
            with deferred_interrupts():
                self._pool.shutdown(wait=True, cancel_futures=True)

    def blocks(self, jobs: Iterable[Job]) -> Iterator[Spoken]:
        """Each job's result, in order. Cached lines are read as their turn comes, so no more than
        one of them is in memory at a time."""
        jobs = list(jobs)
        hits = [self.cache is not None and j.key in self.cache for j in jobs]
        misses = [j for j, hit in zip(jobs, hits) if not hit]
        if self._pool is not None and misses:
            made: Iterator[Spoken] = _from_pool(self._pool, misses, self.jobs)
        else:
            made = (synthesize_job(j, self.engine, self.cache) for j in misses)
        for job, hit in zip(jobs, hits):
            done = from_cache(job, self.cache) if hit else None
            # An entry that turned out damaged is made again here, in order.
            yield done if done is not None else (synthesize_job(job, self.engine, self.cache) if hit else next(made))

    def line_blocks(self, lines: Sequence[Sequence[Job]]) -> Iterator[Iterator[Spoken]]:
        """Like `blocks`, for lines of one or more jobs each: an iterator of each line's results, to be
        used up before the next line's is taken (a long line's blocks are never all in memory)."""
        flat = self.blocks(job for jobs in lines for job in jobs)
        for jobs in lines:
            yield itertools.islice(flat, len(jobs))
