"""A cast that mixes engines: the book's engine (voices.yaml's `engine:`) in this process, and each other
engine a voice id names (`piper:en_US-joe-medium+female` in an espeak-ng book, `espeak:gmw/en-us+f2` in a
Piper one) in a process of its own.

It has to be its own process: Piper bundles a libespeak-ng of its own, and two libespeak-ngs in one
process crash it (docs/engines.md). A render with worker processes gives every engine workers of its
own (synth.py); this process asks the other engine only what casting must know (its voices, versions)
and, when the render has no workers, has it speak its lines.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..model import VoiceSpec
from ..workers import WorkerPool, serve_units
from .base import Audio, Engine, Palette, VoiceInfo


class RemoteEngine(Engine):
    """An engine running in a child process, asked by call. What does not change (version, rate,
    voices, options) is asked once, when it starts."""

    name = "remote"  # replaced by the real engine's name on the instance

    def __init__(self, engine_name: str, voices_dirs: Sequence[str | Path] = ()):
        self._pool: WorkerPool[tuple[Any, ...], Any] = WorkerPool(
            1, _serve, (os.getpid(), engine_name, tuple(str(d) for d in voices_dirs)), in_flight=1
        )
        about = self._pool.call(("describe",))
        self.name = about["name"]  # type: ignore[misc]
        self.sample_rate = about["sample_rate"]
        self._version: str = about["version"]
        self._voices: list[VoiceInfo] = about["voices"]
        self._options: dict[str, Any] = about["options"]
        self._voice_versions: dict[str, str] = {}

    @property
    def version(self) -> str:
        return self._version

    def options(self) -> dict[str, Any]:
        return self._options

    def voices(self) -> list[VoiceInfo]:
        return list(self._voices)

    def has_voice(self, voice_id: str) -> bool:
        return bool(self._pool.call(("has_voice", voice_id)))

    def voice_version(self, voice_id: str) -> str:
        if voice_id not in self._voice_versions:
            self._voice_versions[voice_id] = self._pool.call(("voice_version", voice_id))
        return self._voice_versions[voice_id]

    def palette(self) -> Palette:
        palette: Palette = self._pool.call(("palette",))
        return palette

    def synthesize(self, text: str, voice: VoiceSpec) -> Audio:
        audio: Audio = self._pool.call(("synthesize", text, voice))
        return audio

    def close(self) -> None:
        self._pool.close()


def _serve(conn: Any, stop: Any, parent: int, engine_name: str, voices_dirs: tuple[str, ...]) -> None:
    from . import create_engine

    serve_units(conn, stop, parent, lambda: create_engine(engine_name, voices_dirs), _answer)


def _answer(engine: Engine, call: tuple[Any, ...], stop: Any) -> Any:
    what, *args = call
    if what == "describe":
        return {
            "name": engine.name,
            "sample_rate": engine.sample_rate,
            "version": engine.version,
            "voices": engine.voices(),
            "options": engine.options(),
        }
    if what == "palette":
        return engine.palette()
    if what in ("has_voice", "voice_version", "synthesize"):
        return getattr(engine, what)(*args)
    raise ValueError(f"no such engine call: {what!r}")


class MixedEngine(Engine):
    """The book's engine, with the other engines its cast names: each voice is spoken by its own engine
    (VoiceSpec.engine). Casting, the palette and the narrator's voice are the book's engine's."""

    name = "mixed"  # replaced by the book's engine's name on the instance: its lines' keys stay the same

    def __init__(self, primary: Engine, others: dict[str, Engine]):
        for other in others.values():
            if other.sample_rate != primary.sample_rate:
                raise ConfigError(
                    f"the {other.name} engine speaks at {other.sample_rate} Hz and the {primary.name} engine at "
                    f"{primary.sample_rate} Hz; one book cannot mix them: cast every voice from one engine"
                )
        self.primary, self.others = primary, dict(others)
        self.name = primary.name  # type: ignore[misc]
        self.sample_rate = primary.sample_rate

    @property
    def version(self) -> str:
        return "; ".join([self.primary.version, *(e.version for e in self.others.values())])

    def options(self) -> dict[str, Any]:
        return self.primary.options()

    def engines(self) -> dict[str, Engine]:
        return {self.primary.name: self.primary, **self.others}

    def engine_for(self, engine_name: str) -> Engine:
        return self.others.get(engine_name, self.primary)

    def voice_version(self, voice_id: str) -> str:
        return self.primary.voice_version(voice_id)

    def voices(self) -> list[VoiceInfo]:
        from . import voice_label

        theirs = [
            VoiceInfo(voice_label(e.name, v.id, self.name), v.name, v.gender, v.languages, v.kind)
            for e in self.others.values()
            for v in e.voices()
            if v.kind == "voice"
        ]
        return self.primary.voices() + theirs

    def has_voice(self, voice_id: str) -> bool:
        from . import engine_of

        engine, own = engine_of(voice_id, self.name)
        return self.engine_for(engine).has_voice(own)

    def palette(self) -> Palette:
        return self.primary.palette()

    def synthesize(self, text: str, voice: VoiceSpec) -> Audio:
        return self.engine_for(voice.engine).synthesize(text, voice)

    def close(self) -> None:
        for other in self.others.values():
            other.close()
