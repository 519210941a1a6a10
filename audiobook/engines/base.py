"""The engine interface every speech engine implements, and the values it returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

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
        """Engine and library version: part of every clip's identity."""

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

    @abstractmethod
    def synthesize(self, text: str, voice: VoiceSpec) -> Audio:
        """Speak `text` with every setting of `voice` applied afresh; SynthesisError on failure."""
