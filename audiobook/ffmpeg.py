"""Where ffmpeg is: the system's when on PATH, else the one the imageio-ffmpeg wheel ships."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

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


def ffmpeg_file(path: str | Path) -> str:
    """A file's path as ffmpeg must be given it to read or write only that file: ffmpeg reads "pipe:0",
    "http:x.png" or "concat:a|b" as protocols, and "-x.png" could pass for an option."""
    return "file:" + str(Path(path).resolve())


def decode_pcm(path: str | Path, sample_rate: int = 44100) -> bytes:
    """Decode any audio file to mono s16le PCM at `sample_rate` (for checks and tests)."""
    out = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", ffmpeg_file(path), "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "-"],
        check=True,
        capture_output=True,
    )
    return out.stdout
