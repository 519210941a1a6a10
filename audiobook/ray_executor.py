"""Lines spoken on a Ray cluster (`generate --executor ray`): the second implementation of synth's
Executor, beside the local process pool.

A Ray actor per worker builds its engine once (in a worker process of its own, as a pool does) and speaks
units of jobs, writing each line to the shared cache as it is made; the render gets the blocks back in
order, with a bounded number of units in flight. An actor that dies (its process killed, its node gone)
costs only time: the units it held are sent to the actors still alive, and a fresh actor is started in
its place, used once Ray has placed it. Ray is optional: without it, one line says how to install it."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .engines.base import Engine
from .errors import AudiobookError, EngineError
from .synth import UNITS_PER_WORKER, Job, Spoken, local_pool
from .workers import DIED

INSTALL = "pip install 'audiobook[ray]'"
# How often one unit may be lost with its actor before the render gives up (a unit that kills every
# actor it is sent to is a bug, not bad luck).
RETRIES = 3
# How long to wait for Ray to place an actor when none is left to speak.
PLACE_SECONDS = 300.0


def import_ray() -> Any:
    """The `ray` module, or the one error line that says how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise EngineError(f"--executor ray needs Ray, which is not installed here: {INSTALL}") from exc
    return ray


class Speaker:
    """A Ray actor's state: one engine, built once, in a worker process of its own (synth.local_pool,
    one worker: the process a local pool speaks in). Not in the actor's own process: a Ray worker runs
    threads and libraries that change process-wide state the engine reads. One was libc's random
    numbers, which espeak-ng's breathy voices draw on: lines spoken there came out different from run to
    run (6 lines of 100 of the benchmark novel), until each line reset them (engines/espeak.py); a clean
    process keeps whatever else there may be away, and speaks every line as `--jobs 1` does. An engine that cannot start
    is said in answer to every unit (the render's one error line); a worker process that dies takes
    its actor with it, so that its units are sent to another."""

    def __init__(self, engine_name: str, options: dict[str, Any], cache_root: str | None):
        self.pool = local_pool(engine_name, options, cache_root, 1, in_flight=1)

    def ready(self) -> int:
        return os.getpid()

    def speak(self, jobs: list[Job]) -> list[Spoken]:
        try:
            return self.pool.call(jobs)
        except EngineError as exc:
            if str(exc) == DIED:
                os._exit(1)  # the actor dies with its worker: RayExecutor sends the unit elsewhere
            raise


@dataclass(eq=False)
class _Actor:
    handle: Any
    ready: Any  # the reference that resolves when Ray has started it
    busy: int = 0  # units sent and not yet answered


class RayExecutor:
    """`workers` actors made by `make()`; `map` as WorkerPool's: each unit's result in order, at most
    `in_flight` units per worker sent and not yet yielded. Safe to use from several threads at once
    (batch.py renders books side by side on one executor)."""

    thread_safe = True

    def __init__(self, ray: Any, make: Callable[[], Any], workers: int, in_flight: int = UNITS_PER_WORKER):
        self._ray = ray
        self._make = make
        self._lock = threading.Lock()
        self.workers = max(1, workers)
        self.in_flight = in_flight
        self.lost = 0  # actors that died during the render (each replaced)
        self._starting: list[_Actor] = []
        self._actors: list[_Actor] = []
        for _ in range(self.workers):
            self._start_one()

    def _start_one(self) -> None:
        handle = self._make()
        self._starting.append(_Actor(handle, handle.ready.remote()))

    def pids(self) -> list[int]:
        """The process ids of the actors speaking now (for tests that kill one)."""
        with self._lock:
            actors = list(self._actors)
        return [self._ray.get(a.handle.ready.remote()) for a in actors]

    def map(self, units: Sequence[list[Job]]) -> Iterator[list[Spoken]]:
        """Each unit's result, in the order of `units`; the first units are sent at once."""
        units = list(units)
        pending: dict[int, tuple[Any, _Actor]] = {}
        window = self.in_flight * self.workers
        for n in range(min(window, len(units))):
            pending[n] = self._send(units[n])
        return self._results(units, pending, window)

    def _results(
        self, units: list[list[Job]], pending: dict[int, tuple[Any, _Actor]], window: int
    ) -> Iterator[list[Spoken]]:
        tries = [0] * len(units)
        try:
            for n in range(len(units)):
                yield self._answer(n, units, pending, tries)
                if n + window < len(units):
                    pending[n + window] = self._send(units[n + window])
        finally:
            with self._lock:  # units left unread (the render failed): their actors are free again
                for _, actor in pending.values():
                    actor.busy -= 1

    def _answer(
        self, n: int, units: list[list[Job]], pending: dict[int, tuple[Any, _Actor]], tries: list[int]
    ) -> list[Spoken]:
        """Unit n's result; when its actor died, every unit that actor held is sent again elsewhere."""
        exceptions = self._ray.exceptions
        died = (exceptions.RayActorError, exceptions.WorkerCrashedError, exceptions.ObjectLostError)
        while True:
            ref, actor = pending[n]
            try:
                result: list[Spoken] = self._ray.get(ref)
            except exceptions.RayTaskError as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, AudiobookError):
                    raise cause from None
                raise RuntimeError(f"in a Ray worker:\n{exc}") from None
            except died:
                tries[n] += 1
                if tries[n] > RETRIES:
                    raise EngineError(
                        f"a unit of {len(units[n])} lines was lost with its Ray worker {tries[n]} times; "
                        "run the same command again: every line already made is kept in the cache"
                    ) from None
                self._lost(actor)
                for m, (_, holder) in list(pending.items()):
                    if holder is actor:
                        pending[m] = self._send(units[m])
                continue
            with self._lock:
                actor.busy -= 1
            del pending[n]
            return result

    def _lost(self, actor: _Actor) -> None:
        """An actor died: it gets no more work, and a fresh one is started in its place."""
        with self._lock:
            if actor not in self._actors:
                return  # another thread saw it first
            self._actors.remove(actor)
            self.lost += 1
            self._start_one()

    def _send(self, unit: list[Job]) -> tuple[Any, _Actor]:
        """To the actor with the fewest units in hand (waiting for one to be placed when none is)."""
        with self._lock:
            self._promote(wait=not self._actors)
            actor = min(self._actors, key=lambda a: a.busy)
            actor.busy += 1
        return actor.handle.speak.remote(unit), actor

    def _promote(self, wait: bool) -> None:
        """Actors Ray has started join the ones that speak; when `wait`, block until one has."""
        while self._starting:
            refs = [a.ready for a in self._starting]
            ready, _ = self._ray.wait(refs, num_returns=1, timeout=PLACE_SECONDS if wait else 0)
            if not ready:
                if wait:
                    raise EngineError(
                        f"no Ray worker could be placed in {PLACE_SECONDS:.0f} s: the cluster has no free CPU "
                        "(or GPU) for one; check `ray status`"
                    )
                return
            actor = next(a for a in self._starting if a.ready == ready[0])
            self._starting.remove(actor)
            try:
                self._ray.get(actor.ready)
                self._actors.append(actor)
            except self._ray.exceptions.RayError:
                self.lost += 1
                if self.lost > RETRIES * self.workers:
                    raise EngineError("Ray workers keep dying as they start; check `ray status`") from None
                self._start_one()
            wait = not self._actors
        if not self._actors:
            raise EngineError("no Ray worker is left to speak; check `ray status`")

    def close(self) -> None:
        """Let the actors go (ray.kill: their worker processes follow within a second). A line being
        spoken then is dropped; the cache holds only whole entries, so nothing is left half-made."""
        with self._lock:
            actors, self._actors, self._starting = self._actors + self._starting, [], []
        for actor in actors:
            try:
                self._ray.kill(actor.handle)
            except Exception:  # already gone
                pass


class RayExecutors:
    """Synth's Executors on Ray: joins the cluster at `address` (or the one this process is already
    connected to, or starts a local one) and, for each engine, starts actors: `workers` of them, or
    as many as the cluster has CPUs (shared between the engines of a mixed cast). Each asks for one CPU,
    and one GPU only when its engine says it can use one (`can_use_gpu`)."""

    def __init__(self, address: str | None = None, workers: int | None = None, **init: Any):
        self.address = address
        self.workers = workers
        self.init = init  # more of ray.init's arguments (a local Ray's num_cpus, object store size)
        self.executors: list[RayExecutor] = []
        self._ray: Any = None
        self._started = False
        self._remote: Any = None

    def __enter__(self) -> RayExecutors:
        self._ray = ray = import_ray()
        if not ray.is_initialized():
            try:
                ray.init(
                    address=self.address,
                    include_dashboard=False,
                    logging_level=logging.WARNING,
                    log_to_driver=False,
                    **self.init,
                )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = f"at {self.address}" if self.address else "on this machine"
                raise EngineError(f"cannot join or start a Ray cluster {where}: {exc}") from exc
            self._started = True
        self._remote = ray.remote(Speaker)
        return self

    def __exit__(self, *exc: object) -> None:
        for executor in self.executors:
            executor.close()
        self.executors = []
        if self._started:
            self._ray.shutdown()
            self._started = False

    @property
    def lost(self) -> int:
        """Actors that died during the run (and were replaced)."""
        return sum(e.lost for e in self.executors)

    def start(self, engine: Engine, cache_root: str | None, workers: int, engines: int) -> RayExecutor:
        if self._remote is None:
            raise RuntimeError("RayExecutors.start outside its `with` block")
        cpus = float(self._ray.cluster_resources().get("CPU", 1))
        count = self.workers or max(1, int(cpus) // max(1, engines))
        resources = {
            "num_cpus": 1 if cpus >= engines else cpus / engines,
            "num_gpus": 1 if getattr(engine, "can_use_gpu", False) else 0,
            "max_restarts": 0,  # a dead actor's units are sent elsewhere by RayExecutor itself
        }
        name, options, remote = engine.name, engine.options(), self._remote

        def make() -> Any:
            return remote.options(**resources).remote(name, options, cache_root)

        executor = RayExecutor(self._ray, make, count)
        self.executors.append(executor)
        return executor
