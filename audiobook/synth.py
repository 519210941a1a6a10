"""Synth: cast lines -> clips -> encoded blocks. Each line's words (speech.py: pronunciations applied,
a long line cut into pieces) become jobs; a job's block is taken from the cache when it is there, else
the engine speaks it (in this process or a pool of workers) and encode.py levels and encodes the clip;
failures are recorded, never dropped silently."""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .cache import BlockCache, Stored, line_key
from .encode import BITRATE_KBPS, Block, encoding_id, make_block
from .engines.base import Audio, Engine
from .errors import AudiobookError, EngineError, SynthesisError
from .files import deferred_interrupts
from .model import CastLine, VoiceSpec
from .speech import PIECE_PAUSE_MS, Pronouncer, split_speech, spoken_text
from .workers import WorkerPool, serve_units, workers_can_start

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
    speaker = engine.engine_for(voice.engine)  # a cast that mixes engines: this voice's own
    key = line_key(
        text, voice, speaker.name, speaker.voice_version(voice.voice_id), pause_ms, encoding_id(bitrate_kbps)
    )
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
            clip = engine.engine_for(job.voice.engine).synthesize(job.text, job.voice)
            if not clip.frames:
                raise SynthesisError(f"the engine returned no audio for {job.text[:60]!r}")
        except SynthesisError as exc:
            clip, failed = Audio(b"", engine.sample_rate), f"{job.where}: {exc}"
    block = make_block(clip, job.voice.volume, job.pause_ms, engine.sample_rate, job.bitrate_kbps)
    if cache and not failed:
        cache.put(job.key, Stored(block.mp3, block.frames, clip.frames, clip.sample_rate))
    return Spoken(block, clip.seconds, bool(job.text), failed)


# A worker builds one engine when it starts (an engine is never pickled) and speaks units of a few
# lines: enough to keep every core busy, with only a few units per worker in flight at once, so that
# finished lines waiting for the writer are bounded in memory too.
UNIT = 4
UNITS_PER_WORKER = 3


def _start_worker(
    engine_name: str, options: dict[str, Any], cache_root: str | None
) -> tuple[Engine, BlockCache | None]:
    """A worker's engine and cache. An engine that cannot start here is said in answer to the first
    unit of work (workers.serve_units), as the render's one error line."""
    from .engines import create_engine

    try:
        engine = create_engine(engine_name, **options)
    except AudiobookError as exc:
        raise EngineError(f"a worker process could not start the {engine_name!r} engine: {exc}") from exc
    return engine, BlockCache(cache_root) if cache_root else None


def _speak_unit(state: tuple[Engine, BlockCache | None], jobs: list[Job], stop: Any) -> list[Spoken]:
    engine, cache = state
    spoken = []
    for job in jobs:
        if stop.is_set():  # the render is ending: the lines not begun are dropped
            break
        spoken.append(synthesize_job(job, engine, cache))
    return spoken


def _serve(conn: Any, stop: Any, parent: int, engine: tuple[str, dict[str, Any]], cache_root: str | None) -> None:
    start = functools.partial(_start_worker, engine[0], engine[1], cache_root)
    serve_units(conn, stop, parent, start, _speak_unit)


class Executor(Protocol):
    """Where units of jobs are spoken, away from the render's own process: `map` yields each unit's
    results in the order of `units` (with a bounded number in flight), `close` lets the workers go.
    workers.WorkerPool is one (processes on this machine); ray_executor.RayExecutor another (actors
    on a Ray cluster)."""

    def map(self, units: Sequence[list[Job]]) -> Iterator[list[Spoken]]: ...

    def close(self) -> None: ...


class Executors(Protocol):
    """Starts an executor of `workers` for one engine of a cast (`engines` is how many engines the cast
    has: they share the machine or cluster). The engine is built again by each worker, by name and
    `options()`, never pickled."""

    def start(self, engine: Engine, cache_root: str | None, workers: int, engines: int) -> Executor: ...


def local_pool(
    engine_name: str, options: dict[str, Any], cache_root: str | None, workers: int, in_flight: int = UNITS_PER_WORKER
) -> WorkerPool[list[Job], list[Spoken]]:
    """`workers` processes on this machine, each with its own engine `engine_name` built from `options`."""
    return WorkerPool(workers, _serve, (os.getpid(), (engine_name, options), cache_root), in_flight)


class LocalExecutors:
    """Worker processes on this machine (workers.WorkerPool), one engine each."""

    def start(self, engine: Engine, cache_root: str | None, workers: int, engines: int) -> Executor:
        return local_pool(engine.name, engine.options(), cache_root, workers)


def _flatten(results: Iterator[list[Spoken]]) -> Generator[Spoken, None, None]:
    """Units' results one line at a time; closing this closes the executor's iterator too."""
    try:
        for unit in results:
            yield from unit
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


class Synthesizer:
    """Speaks jobs in order: cache hits first, the rest by the engine in this process (jobs=1) or by
    executors (by default pools of worker processes), one engine each: an executor per engine when the
    cast mixes engines. `executors`, when given, is used whatever `jobs` says (a Ray cluster)."""

    def __init__(
        self, engine: Engine, cache_root: str | Path | None, jobs: int = 1, executors: Executors | None = None
    ):
        self.engine = engine
        self.cache = BlockCache(cache_root) if cache_root else None
        self.cache_root = str(cache_root) if cache_root else None
        self.jobs = max(1, jobs)
        self.executors = executors
        self._pools: dict[str, Executor] = {}

    def __enter__(self) -> Synthesizer:
        executors = self.executors
        if executors is None and self.jobs > 1 and workers_can_start():
            executors = LocalExecutors()
        if executors is not None:  # else the same bytes, in this process
            try:
                speakers = self.engine.engines()
                for name in sorted(speakers):  # one order for every book of a batch: see batch.py
                    self._pools[name] = executors.start(speakers[name], self.cache_root, self.jobs, len(speakers))
            except BaseException:
                self.__exit__()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        # Lines being spoken are finished (a second or two) and kept; the rest are dropped. A second
        # Ctrl-C meanwhile must not cut this short: the workers would never hear they may stop.
        with deferred_interrupts():
            for pool in self._pools.values():
                pool.close()
        self._pools = {}

    def blocks(self, jobs: Iterable[Job]) -> Iterator[Spoken]:
        """Each job's result, in order. Cached lines are read as their turn comes, so no more than
        one of them is in memory at a time."""
        jobs = list(jobs)
        hits = [self.cache is not None and j.key in self.cache for j in jobs]
        misses = [j for j, hit in zip(jobs, hits) if not hit]
        made = self._made(misses)
        try:
            for job, hit in zip(jobs, hits):
                done = from_cache(job, self.cache) if hit else None
                # An entry that turned out damaged is made again here, in order.
                if done is None:
                    done = synthesize_job(job, self.engine, self.cache) if hit else next(made[self._pool_of(job)])
                yield done
        finally:  # an executor shared by several books is free for the next as soon as this one is done
            for results in made.values():
                results.close()

    def _pool_of(self, job: Job) -> str:
        """Which pool speaks `job` ("" when lines are spoken in this process)."""
        return self.engine.engine_for(job.voice.engine).name if self._pools else ""

    def _made(self, misses: list[Job]) -> dict[str, Generator[Spoken, None, None]]:
        """The results of `misses` from each pool, in order (or made here, one by one, when asked)."""
        if not self._pools:
            return {"": (synthesize_job(j, self.engine, self.cache) for j in misses)}
        made: dict[str, Generator[Spoken, None, None]] = {}
        for name, pool in self._pools.items():
            mine = [j for j in misses if self._pool_of(j) == name]
            units = [mine[i : i + UNIT] for i in range(0, len(mine), UNIT)]
            made[name] = _flatten(pool.map(units))
        return made

    def line_blocks(self, lines: Sequence[Sequence[Job]]) -> Iterator[Iterator[Spoken]]:
        """Like `blocks`, for lines of one or more jobs each: an iterator of each line's results, to be
        used up before the next line's is taken (a long line's blocks are never all in memory)."""
        flat = self.blocks(job for jobs in lines for job in jobs)
        for jobs in lines:
            yield itertools.islice(flat, len(jobs))
