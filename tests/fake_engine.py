"""A deterministic engine for fast unit tests: a tone whose length follows the text and rate.

Never the only proof of anything: integration tests drive the real engine. Importing this module
registers it as engine "fake" (create_engine("fake") in this process; it renders with jobs 1 only).
"""

from __future__ import annotations

import math
import struct

from audiobook.engines import Audio, Engine, VoiceInfo, register_engine
from audiobook.errors import SynthesisError
from audiobook.model import VoiceSpec

FAKE_VOICES = ("fake/low", "fake/mid", "fake/high", "fake/child")


class FakeEngine(Engine):
    """Speaks 60 ms per character at rate 175, as a tone whose pitch follows the voice settings."""

    name = "fake"
    sample_rate = 22050

    @property
    def version(self) -> str:
        return "fake 1"

    def voices(self) -> list[VoiceInfo]:
        genders = ("male", "unknown", "female", "female")
        return [VoiceInfo(v, v.split("/")[1], g, ("en",)) for v, g in zip(FAKE_VOICES, genders)]

    @staticmethod
    def frames_for(text: str, voice: VoiceSpec, sample_rate: int = 22050) -> int:
        """Exactly how many samples `synthesize` returns: tests do arithmetic with it."""
        return int(len(text) * 0.06 * 175 / voice.rate * sample_rate)

    def synthesize(self, text: str, voice: VoiceSpec) -> Audio:
        if "\x07" in text:
            raise SynthesisError("fake engine refuses the bell character")
        n = self.frames_for(text, voice, self.sample_rate)
        freq = 80 + 2 * voice.pitch + 40 * FAKE_VOICES.index(voice.voice_id) if voice.voice_id in FAKE_VOICES else 100
        amp = int(8000 * voice.volume)
        step = 2 * math.pi * freq / self.sample_rate
        pcm = struct.pack(f"<{n}h", *(int(amp * math.sin(i * step)) for i in range(n)))
        return Audio(pcm, self.sample_rate)


register_engine("fake", FakeEngine)
