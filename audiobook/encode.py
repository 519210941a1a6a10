"""Encode: a clip -> an MP3 block. Levels (every voice at one loudness), a peak limiter, room tone, and
LAME run on each line on its own.

Each line (its levelled clip and the pause after it) is encoded on its own into a run of MP3 frames:
a block. A chapter file is its blocks one after another (see assemble.py), so a render re-encodes only
the lines whose sound changed (blocks are cached by content) and memory never holds more than a line.
Joins fall in the silence of a pause: LAME starts every block with its encoder delay (taken out of the
pause before it) and ends it on a whole frame (so a pause may run up to one frame, 26 ms, long). Both
are silent and both are counted, so the manifest's times are the decoded file's.

The only module that imports pydub (resampling a clip) and the MP3 encoder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .engines.base import Audio

OUTPUT_RATE = 44100
BITRATE_KBPS = 128
ENCODER_QUALITY = 7  # LAME's algorithm quality: 7 is fast and clean for speech at 128 kbit/s
FRAME_SAMPLES = 1152  # MPEG-1 Layer III, 44.1 kHz
# Samples of silence a decoder plays before a block's first sample (LAME's 576 + the decoder's 529),
# measured on the decoded output: the manifest adds it to every line's start.
BLOCK_DELAY_SAMPLES = 1104
# Every clip is brought to this RMS level before it is joined, so no voice is quieter than another;
# a voice's `volume` moves it from here (0.5 is 6 dB quieter). Peaks stay under PEAK_CEILING_DB.
TARGET_RMS_DB = -20.0
PEAK_CEILING_DB = -3.5  # ACX asks for peaks at or under -3 dBFS; MP3 encoding can add a little
MAX_GAIN_DB = 18.0
# Room tone: very quiet noise under every line and pause. ACX flags digital silence, and a listener
# hears a gap of it as a drop-out; -80 dBFS is far under anything heard, and LAME keeps it.
ROOM_TONE_DB = -80.0
_CHUNK = 1 << 16  # samples per step where a whole-line temporary would be 8 bytes a sample


def encoding_id(bitrate_kbps: int = BITRATE_KBPS) -> str:
    """Everything about levelling and encoding that changes a line's block: part of its cache key."""
    return (
        f"lame-q{ENCODER_QUALITY}-{bitrate_kbps}k-{OUTPUT_RATE}-rms{TARGET_RMS_DB}-peak{PEAK_CEILING_DB}"
        f"-tone{ROOM_TONE_DB}"
    )


_TONE: dict[int, Any] = {}


def room_tone(samples: int, sample_rate: int) -> Any:
    """`samples` of room tone (int16), the same for the same length: blocks stay reproducible."""
    import numpy as np

    table = _TONE.get(sample_rate)
    if table is None:
        rng = np.random.default_rng(20261127)
        table = _TONE[sample_rate] = rng.standard_normal(sample_rate * 7) * 32768 * 10 ** (ROOM_TONE_DB / 20)
    start = (samples * 7919) % len(table)
    reps = -(-(start + samples) // len(table))
    return np.tile(table, reps)[start : start + samples]


def _pydub() -> Any:  # pydub's AudioSegment class (pydub has no type information)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "couldn't find ffmpeg": we never ask pydub to run it
        from pydub import AudioSegment
    return AudioSegment


def level(clip: Audio, volume: float = 1.0) -> bytes:
    """The clip's PCM at the common loudness (plus the voice's own volume); the rare peaks that would
    pass PEAK_CEILING_DB are turned down by a short look-ahead limiter rather than lowering the line."""
    if not clip.pcm:
        return clip.pcm
    import numpy as np

    samples = np.frombuffer(clip.pcm, dtype="<i2")
    # The sum of squares in exact integers: a float reduction's result can depend on where the array
    # happens to sit in memory, and a line must come out the same in any process.
    energy = sum(int(np.square(samples[i : i + _CHUNK], dtype=np.int64).sum()) for i in range(0, len(samples), _CHUNK))
    if energy == 0:
        return clip.pcm
    rms = math.sqrt(energy / len(samples)) / 32768.0
    x = samples.astype(np.float32) / 32768.0
    target = TARGET_RMS_DB + 20 * math.log10(max(volume, 0.01))
    gain = min(target - 20 * math.log10(rms), MAX_GAIN_DB)
    x *= 10 ** (gain / 20)
    x = _limit(x, 10 ** (PEAK_CEILING_DB / 20), clip.sample_rate)
    pcm: bytes = (np.clip(x * 32768.0, -32768, 32767)).astype("<i2").tobytes()
    return pcm


def _limit(x: Any, ceiling: float, rate: int) -> Any:
    """Peak limiter: gain computed per 2.5 ms block, held over its neighbours (look-ahead and release),
    interpolated sample by sample; a final clamp catches what interpolation lets through."""
    import numpy as np

    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak <= ceiling:
        return x
    size = max(1, rate // 400)
    n = -(-len(x) // size)
    padded = np.zeros(n * size, dtype=np.float32)
    padded[: len(x)] = np.abs(x)
    g = np.minimum(1.0, ceiling / np.maximum(padded.reshape(n, size).max(axis=1), 1e-9))
    held = g.copy()
    for k in (1, 2, 3):
        held[k:] = np.minimum(held[k:], g[:-k])
        held[:-k] = np.minimum(held[:-k], g[k:])
    centers = np.arange(n) * size + size / 2
    for i in range(0, len(x), _CHUNK):  # in place, a chunk at a time: no full-length float64 copies
        gain = np.interp(np.arange(i, min(i + _CHUNK, len(x))), centers, held).astype(np.float32)
        x[i : i + _CHUNK] *= gain
    return np.clip(x, -ceiling, ceiling, out=x)


def encode(pcm: bytes, sample_rate: int, bitrate_kbps: int = BITRATE_KBPS) -> bytes:
    """Mono 16-bit PCM -> a self-contained run of CBR MP3 frames at 44.1 kHz."""
    if not pcm:
        return b""
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(bitrate_kbps)
    enc.set_in_sample_rate(sample_rate)
    enc.set_out_sample_rate(OUTPUT_RATE)
    enc.set_channels(1)
    enc.set_quality(ENCODER_QUALITY)
    return bytes(enc.encode(pcm)) + bytes(enc.flush())


_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)


def count_frames(mp3: bytes) -> int:
    """Number of MPEG-1 Layer III frames in a run of frames (what `encode` makes)."""
    n = i = 0
    while i + 4 <= len(mp3):
        b1, b2 = mp3[i + 1], mp3[i + 2]
        if mp3[i] != 0xFF or (b1 & 0xFE) != 0xFA:
            raise ValueError(f"not an MPEG-1 Layer III frame at byte {i}")
        bitrate = _BITRATES[b2 >> 4] * 1000
        rate = (44100, 48000, 32000)[(b2 >> 2) & 3]
        i += 144 * bitrate // rate + ((b2 >> 1) & 1)
        n += 1
    return n


@dataclass(frozen=True)
class Block:
    """One line's encoded audio: its frames, and how long they play."""

    mp3: bytes
    frames: int

    @property
    def seconds(self) -> float:
        """Decoded length."""
        return self.frames * FRAME_SAMPLES / OUTPUT_RATE


def make_block(
    clip: Audio | None, volume: float, pause_ms: int, sample_rate: int, bitrate_kbps: int = BITRATE_KBPS
) -> Block:
    """A line's clip, levelled, followed by its pause, with room tone under both, encoded on its own."""
    import numpy as np

    pcm = level(clip, volume) if clip is not None and clip.pcm else b""
    if clip is not None and clip.pcm and clip.sample_rate != sample_rate:
        seg = _pydub()(data=pcm, sample_width=2, frame_rate=clip.sample_rate, channels=1)
        pcm = bytes(seg.set_frame_rate(sample_rate).raw_data)
    # The next block starts with the encoder's delay, which is silence: it is part of this pause.
    silence = round(sample_rate * pause_ms / 1000) - round(BLOCK_DELAY_SAMPLES * sample_rate / OUTPUT_RATE)
    x = np.concatenate(
        [np.frombuffer(pcm, dtype="<i2").astype(np.float32), np.zeros(max(0, silence), dtype=np.float32)]
    )
    x += room_tone(len(x), sample_rate)
    mp3 = encode(np.clip(np.round(x), -32768, 32767).astype("<i2").tobytes(), sample_rate, bitrate_kbps)
    return Block(mp3, count_frames(mp3))
