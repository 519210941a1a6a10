"""Where ffmpeg is: the system's when on PATH, else the one the imageio-ffmpeg wheel ships."""

from __future__ import annotations

import functools
import shutil
import subprocess

from .errors import EngineError


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path of an ffmpeg binary; EngineError with the fix when there is none."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception as exc:
        raise EngineError("ffmpeg not found: `pip install imageio-ffmpeg` (or install ffmpeg)") from exc


def decode_pcm(path: str, sample_rate: int = 44100) -> bytes:
    """Decode any audio file to mono s16le PCM at `sample_rate` (for checks and tests)."""
    out = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "-"],
        check=True, capture_output=True,
    )
    return out.stdout
