"""The clip reader (engines/clips.py): every kind of file a platform voice writes, made here by ffmpeg as a
tone of known frequency and level, comes out as mono 16-bit PCM at the engine's rate with the same
length, level and pitch. The shared resampler is band-limited (soxr), not pydub's linear ratecv."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from audiobook.engines.base import Audio
from audiobook.engines.clips import decoder_of, read_clip
from audiobook.errors import SynthesisError
from audiobook.ffmpeg import ffmpeg_exe

pytestmark = pytest.mark.integration

ENGINE_RATE = 22050
SECONDS = 0.75


def _tone(path: Path, codec: str, fmt: str, rate: int, amplitudes: tuple[float, ...], hz: float = 440.0) -> Path:
    """A sine of `hz` lasting SECONDS, one channel per amplitude, written by ffmpeg with `codec` into a
    `fmt` container (whatever `path` is called, as NSSpeech does)."""
    channels = "|".join(f"{a}*sin(2*PI*{hz}*t)" for a in amplitudes)
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", f"aevalsrc={channels}:s={rate}:d={SECONDS}"]
        + ["-c:a", codec, "-f", fmt, str(path)],
        check=True,
    )
    return path


def _peak_hz(x: np.ndarray, rate: int) -> float:
    """The strongest frequency of `x`, to a fraction of a bin (parabolic interpolation)."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    k = int(np.argmax(spectrum[1:])) + 1
    a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-12)
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * rate / len(x)


def _rms_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(x.astype(np.float64) ** 2) + 1e-12) / 32767.0))


# (codec, container, header it must have, rate, channel amplitudes). Stereo channels differ, so that a
# reader keeping one channel (not their mean) fails the level check.
CASES = [
    ("pcm_u8", "wav", b"WAVE", 8000, (0.5,)),
    ("pcm_s16le", "wav", b"WAVE", 11025, (0.6, 0.2)),
    ("pcm_s16le", "wav", b"WAVE", 16000, (0.5,)),
    ("pcm_s24le", "wav", b"WAVE", 22050, (0.5,)),
    ("pcm_s24le", "wav", b"WAVE", 44100, (0.6, 0.2)),
    ("pcm_s32le", "wav", b"WAVE", 48000, (0.5,)),
    ("pcm_f32le", "wav", b"WAVE", 48000, (0.6, 0.2)),
    ("pcm_u8", "wav", b"WAVE", 22050, (0.6, 0.2)),
    ("pcm_s8", "aiff", b"AIFF", 11025, (0.5,)),
    ("pcm_s16be", "aiff", b"AIFF", 22050, (0.5,)),
    ("pcm_s16be", "aiff", b"AIFF", 8000, (0.6, 0.2)),
    ("pcm_s24be", "aiff", b"AIFF", 48000, (0.6, 0.2)),
    ("pcm_s16le", "aiff", b"AIFC", 16000, (0.5,)),  # AIFF-C 'sowt': little-endian samples
    ("pcm_s16le", "aiff", b"AIFC", 44100, (0.6, 0.2)),
    ("pcm_f32be", "aiff", b"AIFC", 22050, (0.5,)),  # AIFF-C 'fl32'
]


@pytest.mark.parametrize(("codec", "fmt", "form", "rate", "amplitudes"), CASES)
def test_every_clip_a_driver_writes_is_read_as_mono_16_bit_at_the_engine_rate(
    tmp_path, codec, fmt, form, rate, amplitudes
):
    # NSSpeech writes AIFF whatever the file is called: the AIFFs are named .wav too.
    path = _tone(tmp_path / "clip.wav", codec, fmt, rate, amplitudes)
    assert path.read_bytes()[8:12] == form
    assert decoder_of(path) == codec
    clip = read_clip(path, ENGINE_RATE)
    assert isinstance(clip, Audio) and clip.sample_rate == ENGINE_RATE
    x = np.frombuffer(clip.pcm, dtype="<i2")
    assert abs(len(x) - SECONDS * ENGINE_RATE) <= 2, len(x)
    mean = sum(amplitudes) / len(amplitudes)  # the channels are averaged, sample by sample
    expected_db = 20 * np.log10(mean / np.sqrt(2))
    middle = x[len(x) // 10 : -len(x) // 10]  # the resampler's edges aside
    assert abs(_rms_db(middle) - expected_db) < 0.15, (_rms_db(middle), expected_db)
    assert abs(_peak_hz(middle.astype(np.float64), ENGINE_RATE) - 440.0) < 2.0


def test_treble_above_the_new_nyquist_is_filtered_not_folded(tmp_path):
    """A 15 kHz tone at 48 kHz read at 22.05 kHz (Nyquist 11.025 kHz): soxr removes it; linear
    interpolation (pydub's set_frame_rate) would fold it to 7.05 kHz, loud."""
    path = _tone(tmp_path / "hi.wav", "pcm_s16le", "wav", 48000, (0.5,), hz=15000.0)
    x = np.frombuffer(read_clip(path, ENGINE_RATE).pcm, dtype="<i2")
    assert _rms_db(x[len(x) // 10 : -len(x) // 10]) < -60.0
    from audiobook.encode import _pydub

    raw = np.frombuffer(read_clip(path, 48000).pcm, dtype="<i2")
    linear = _pydub()(data=raw.tobytes(), sample_width=2, frame_rate=48000, channels=1).set_frame_rate(ENGINE_RATE)
    folded = np.frombuffer(linear.raw_data, dtype="<i2")
    assert _rms_db(folded[len(folded) // 10 : -len(folded) // 10]) > -40.0  # what the test guards against


def test_a_clip_at_the_engine_rate_keeps_its_samples(tmp_path):
    """No resample when the rates agree: 16-bit mono at the engine's rate comes out sample for sample."""
    path = _tone(tmp_path / "same.wav", "pcm_s16le", "wav", ENGINE_RATE, (0.5,))
    data = path.read_bytes()
    pcm = data[data.index(b"data") + 8 :]
    assert read_clip(path, ENGINE_RATE).pcm == pcm


def test_an_empty_file_is_an_empty_clip_and_a_broken_one_an_error(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert read_clip(empty, ENGINE_RATE) == Audio(b"", ENGINE_RATE)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x10\x00\x00\x00WAVEnot a clip at all")
    with pytest.raises(SynthesisError, match="no audio ffmpeg can read"):
        read_clip(broken, ENGINE_RATE)
