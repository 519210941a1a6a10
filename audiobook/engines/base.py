"""The engine interface every speech engine implements, and the values it returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from ..model import VoiceSpec


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers: what `audiobook voices` lists and voices.yaml may name."""

    id: str
    name: str
    gender: str  # "female", "male" or "unknown"
    languages: tuple[str, ...]
    kind: str = "voice"  # "voice", or "variant" for an espeak-ng timbre appended as "+name"


@dataclass(frozen=True)
class CastVoice:
    """A voice an engine offers for casting, described: whom it suits and how it is best set."""

    voice_id: str  # what the engine speaks with (an espeak-ng timbre is "base+variant")
    gender: str  # whom it suits: "female", "male", or "unknown" (the text does not say)
    age: str = "adult"  # "child", "adult" or "elderly"
    rate: int = 170  # suggested words a minute
    pitch: int = 50  # suggested pitch, 0-100
    language: str = ""  # its accent or language, e.g. "en-us" ("" when the engine does not say)


@dataclass(frozen=True)
class Palette:
    """What an engine offers the caster: a narrator's voice, a fallback for speakers nobody cast, and the
    voices for characters, the clearest first within each gender and age. An engine with a few voices
    lists each (pitched apart if it likes); one with many timbres lists those it recommends."""

    narrator: CastVoice
    fallback: CastVoice
    voices: tuple[CastVoice, ...]


def palette_from_voices(voices: list[VoiceInfo]) -> Palette:
    """For an engine that says no more than its voices' genders: each voice for its gender, at three pitches
    for adults; children higher and quicker, the elderly slower and lower; the first voice narrates."""
    real = [v for v in voices if v.kind == "voice"]
    female = [v.id for v in real if v.gender == "female"] or [v.id for v in real]
    male = [v.id for v in real if v.gender == "male"] or [v.id for v in real]
    language = {v.id: v.languages[0] if v.languages else "" for v in real}
    offered = [
        *(("female", "adult", v, 170, p) for p in (50, 40, 60) for v in female),
        *(("male", "adult", v, 170, p) for p in (50, 40, 60) for v in male),
        *(("female", "child", v, 185, 75) for v in female),
        *(("male", "child", v, 185, 75) for v in male),
        *(("female", "elderly", v, 145, 35) for v in female),
        *(("male", "elderly", v, 145, 35) for v in male),
        *(("unknown", "adult", v, 170, 55) for v in male + female),
    ]
    first = real[0].id if real else "default"
    return Palette(
        narrator=CastVoice(first, "unknown", "adult", 165, 45, language.get(first, "")),
        fallback=CastVoice(first, "unknown", "adult", 170, 60, language.get(first, "")),
        voices=tuple(CastVoice(v, g, a, r, p, language[v]) for g, a, v, r, p in offered),
    )


@dataclass(frozen=True)
class Audio:
    """Mono signed 16-bit little-endian PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def frames(self) -> int:
        """Number of samples."""
        return len(self.pcm) // 2

    @property
    def seconds(self) -> float:
        """Duration in seconds."""
        return self.frames / self.sample_rate


class Engine(ABC):
    """A text-to-speech engine. One instance per process; never pickled."""

    name: ClassVar[str]
    sample_rate: int = 22050

    @property
    @abstractmethod
    def version(self) -> str:
        """Engine and library version (what book.json records)."""

    def options(self) -> dict[str, Any]:
        """What `create_engine` needs besides the name to build this engine again, the same, in a worker
        process (Piper: the voices folders searched here)."""
        return {}

    def engines(self) -> dict[str, Engine]:
        """Every engine this one speaks with, by name: itself, unless it mixes engines (mixed.py)."""
        return {self.name: self}

    def engine_for(self, engine_name: str) -> Engine:
        """The engine that speaks voices of `engine_name` (a VoiceSpec's engine): this one, unless it
        mixes engines."""
        return self

    def close(self) -> None:
        """Let go of what the engine holds beyond this process (a mixed cast's other engines)."""
        return None

    def voice_version(self, voice_id: str) -> str:
        """What a clip in this voice depends on besides its text and settings: part of every clip's
        identity (its cache key). The engine's version, unless a voice has its own data (a neural
        model's file), so that a new model re-renders only its own lines."""
        return self.version

    @abstractmethod
    def voices(self) -> list[VoiceInfo]:
        """Every voice id this engine accepts here (variants included, as kind 'variant')."""

    def has_voice(self, voice_id: str) -> bool:
        """Whether `voice_id` names a voice this engine really has (exact, case-sensitive)."""
        return voice_id in {v.id for v in self.voices() if v.kind == "voice"}

    def suggest(self, voice_id: str, n: int = 3) -> list[str]:
        """The ids closest to a mistyped one."""
        import difflib

        ids = [v.id for v in self.voices() if v.kind == "voice"]
        return difflib.get_close_matches(voice_id, ids, n=n, cutoff=0.5)

    def palette(self) -> Palette:
        """The voices this engine offers for casting, described (by default: its voices by gender)."""
        return palette_from_voices(self.voices())

    @abstractmethod
    def synthesize(self, text: str, voice: VoiceSpec) -> Audio:
        """Speak `text` with every setting of `voice` applied afresh; SynthesisError on failure."""
