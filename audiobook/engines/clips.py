"""Any clip a platform voice writes, read as the pipeline's one format: mono signed 16-bit PCM at the rate
the engine asks for.

pyttsx3's drivers write what their platform writes: NSSpeechSynthesizer an AIFF (or AIFF-C) whatever the
file is called, SAPI5 a WAV whose width (8 to 32 bits, integer or float), rate (8 to 48 kHz) and channels
depend on the voice. pydub reads them through the ffmpeg we ship (audiobook/ffmpeg.py). pydub asks ffprobe
which decoder a file needs, and imageio-ffmpeg ships no ffprobe: ffmpeg itself names the decoder
(`ffmpeg -i` prints it), and pydub is given it. Channels are averaged and the rate changed here, by the
engines' one resampler (resample.py, soxr "HQ"), never by pydub's linear `ratecv`.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from ..errors import SynthesisError
from ..ffmpeg import ffmpeg_exe, ffmpeg_file
from .base import Audio
from .resample import resample

# "Stream #0:0: Audio: pcm_s24le ([1][0][0][0] / 0x0001), 44100 Hz, stereo, s32 (24 bit), ..."
_AUDIO_STREAM = re.compile(r"Stream #\d+:\d+[^:]*: Audio: ([A-Za-z0-9_]+)")


def decoder_of(path: str | Path) -> str:
    """The ffmpeg decoder that reads `path`'s audio (pcm_s16le, pcm_s24be, pcm_f32le, ...), as ffmpeg
    reports it; SynthesisError when ffmpeg finds no audio there."""
    probe = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", ffmpeg_file(path)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    found = _AUDIO_STREAM.search(probe.stderr)
    if not found:
        last = probe.stderr.strip().splitlines()[-1:] or ["no output"]
        raise SynthesisError(f"the speech driver wrote no audio ffmpeg can read ({path}): {last[0]}")
    return found.group(1)


def _segment_class() -> Any:
    """pydub's AudioSegment, told where our ffmpeg is (pydub looks only on PATH, and warns at import)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment
    AudioSegment.converter = ffmpeg_exe()
    return AudioSegment


def read_clip(path: str | Path, sample_rate: int) -> Audio:
    """The clip at `path` (AIFF, AIFF-C, WAV of any width, rate and channel count: whatever ffmpeg
    decodes) as mono 16-bit PCM at `sample_rate`. An empty file is an empty clip (the driver spoke
    nothing); a file ffmpeg cannot read is a SynthesisError."""
    import numpy as np

    if Path(path).stat().st_size == 0:
        return Audio(b"", sample_rate)
    codec = decoder_of(path)
    try:
        # Given the decoder, pydub runs ffmpeg alone (no ffprobe) and gets 16-bit WAV back.
        seg = _segment_class().from_file(str(path), codec=codec)
    except Exception as exc:  # pydub's CouldntDecodeError, or the WAV it could not parse
        raise SynthesisError(f"could not read the speech driver's clip {path} ({codec}): {exc}") from exc
    width, channels = seg.sample_width, seg.channels
    if width not in (1, 2, 4):
        raise SynthesisError(f"pydub returned {width * 8}-bit samples from {path}")
    # pydub's samples are signed whatever the width (it turns 8-bit WAV's unsigned bytes to signed).
    raw = np.frombuffer(seg.raw_data, dtype={1: "i1", 2: "<i2", 4: "<i4"}[width]).astype(np.float64)
    full_scale = float(1 << (8 * width - 1))
    frames = len(raw) // channels
    mono = raw[: frames * channels].reshape(frames, channels).mean(axis=1) / full_scale
    out = resample(mono.astype(np.float32), seg.frame_rate, sample_rate)
    pcm = np.clip(np.round(np.asarray(out, dtype=np.float64) * 32767.0), -32768, 32767).astype("<i2").tobytes()
    return Audio(pcm, sample_rate)
