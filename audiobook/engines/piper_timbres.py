"""Timbres derived from one Piper model: a woman, a child and old people from a man's voice, by Praat's
"Change gender" (praat-parselmouth): the pitch moved to a new median and the formants scaled apart from it,
so the voice does not turn into a chipmunk (docs/engines.md, "Piper"). Also the VoiceSpec's pitch, mildly.

Praat's overlap-add draws random numbers; its generator is seeded before every call, so the same line
gives the same bytes in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import CastVoice, Palette, VoiceInfo

PITCH_FLOOR, PITCH_CEILING = 60.0, 400.0  # Hz: the pitch analysis's range for the source voice
PITCH_SEMITONES = 4.0  # a VoiceSpec pitch of 0 or 100 moves the median this far down or up
PRAAT_SEED = 12  # any fixed seed: the random numbers Praat's resynthesis draws, the same every time
VERSION = 2  # bump when a timbre or the pitch mapping changes: every derived line re-renders


@dataclass(frozen=True)
class Timbre:
    """A derived voice: `+name` after a model id; its pitch median in Hz, formant shift ratio and pitch
    range factor for Change gender (duration factor 1: the rate stays the model's)."""

    name: str
    gender: str
    age: str
    pitch_median: float
    formant_ratio: float
    range_factor: float


# Chosen on joe (89 Hz median): measured medians in tests/test_piper.py and docs/engines.md.
TIMBRES = (
    Timbre("female", "female", "adult", 180.0, 1.15, 1.0),
    Timbre("child", "unknown", "child", 235.0, 1.25, 1.0),
    Timbre("old", "male", "elderly", 70.0, 1.0, 1.0),
    Timbre("old_female", "female", "elderly", 160.0, 1.1, 0.8),
)
BY_NAME = {t.name: t for t in TIMBRES}
BASE_MEDIAN = 89.0  # Hz: the base voice's own median (joe), what pitch 50 keeps


def split_id(voice_id: str) -> tuple[str, Timbre | None]:
    """(model id, its timbre or None); KeyError for an unknown timbre."""
    model, plus, name = voice_id.partition("+")
    return model, (BY_NAME[name] if plus else None)


def variants() -> list[VoiceInfo]:
    """The timbres as voices() lists them: `+name`, kind 'variant'."""
    return [VoiceInfo(f"+{t.name}", t.name, t.gender, (), kind="variant") for t in TIMBRES]


def apply(samples: Any, sample_rate: int, timbre: Timbre | None, pitch: int) -> Any:
    """`samples` (float, mono) in `timbre`, its median moved by `pitch` (50: none); unchanged when there is
    nothing to do (the base voice at pitch 50)."""
    import numpy as np

    shift = 2.0 ** ((pitch - 50) / 50 * PITCH_SEMITONES / 12)
    if (timbre is None and pitch == 50) or len(samples) == 0:
        return samples
    import parselmouth
    from parselmouth.praat import call

    median = (timbre.pitch_median if timbre else BASE_MEDIAN) * shift
    formants = timbre.formant_ratio if timbre else 1.0
    spread = timbre.range_factor if timbre else 1.0
    sound = parselmouth.Sound(np.asarray(samples, dtype=np.float64), sampling_frequency=float(sample_rate))
    parselmouth.praat.run(f"random_initializeWithSeedUnsafelyButPredictably ({PRAAT_SEED})")
    out = call(sound, "Change gender", PITCH_FLOOR, PITCH_CEILING, formants, median, spread, 1.0)
    return np.asarray(out.values[0], dtype=np.float32)


def palette(model_id: str, language: str) -> Palette:
    """One model's casting palette: the base voice narrates and plays men, the timbres play women,
    children and the old, each at two or three pitches so that neighbours in a cast differ."""

    def offer(suffix: str, gender: str, age: str, rate: int, *pitches: int) -> list[CastVoice]:
        return [CastVoice(model_id + suffix, gender, age, rate, p, language) for p in pitches]

    return Palette(
        narrator=CastVoice(model_id, "unknown", "adult", 165, 50, language),
        fallback=CastVoice(model_id, "unknown", "adult", 170, 56, language),
        voices=(
            *offer("+female", "female", "adult", 170, 50, 42, 58),
            *offer("", "male", "adult", 170, 50, 42, 58),
            *offer("+child", "female", "child", 185, 55, 45),
            *offer("+child", "male", "child", 185, 45, 55),
            *offer("+old_female", "female", "elderly", 145, 50, 42),
            *offer("+old", "male", "elderly", 145, 50, 58),
            *offer("", "unknown", "adult", 170, 64),
            *offer("+female", "unknown", "adult", 170, 36),
        ),
    )
