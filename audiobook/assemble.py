"""Assemble: clips -> one chapter file, streamed into a single ffmpeg encode, with tags.

Clips and pauses are written to ffmpeg's stdin as they come (never `a + b` in a loop, never a whole
chapter held twice); the file appears under its final name only when the encode succeeded.
The only module that imports pydub.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .engines.base import Audio
from .errors import OutputError
from .ffmpeg import ffmpeg_exe

OUTPUT_RATE = 44100
BITRATE = "128k"


def _resample(clip: Audio, rate: int) -> bytes:
    from pydub import AudioSegment

    AudioSegment.converter = ffmpeg_exe()
    seg = AudioSegment(data=clip.pcm, sample_width=2, frame_rate=clip.sample_rate, channels=1)
    return bytes(seg.set_frame_rate(rate).raw_data)


@dataclass
class Placed:
    """Where a clip landed in the chapter audio, in seconds."""

    start: float
    end: float


@dataclass
class ChapterWriter:
    """Streams PCM into ffmpeg and keeps the clock; `close()` renames the finished file into place."""

    path: Path
    tags: dict[str, str]
    sample_rate: int
    bitrate: str = BITRATE
    frames: int = 0
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _tmp: Path | None = field(default=None, repr=False)
    _err: IO[bytes] | None = field(default=None, repr=False)

    def __enter__(self) -> "ChapterWriter":
        self._tmp = self.path.with_name(self.path.name + ".part")
        cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
               "-f", "s16le", "-ar", str(self.sample_rate), "-ac", "1", "-i", "pipe:0",
               "-ar", str(OUTPUT_RATE), "-ac", "1", "-c:a", "libmp3lame", "-b:a", self.bitrate,
               "-id3v2_version", "3", "-write_xing", "1"]
        for k, v in self.tags.items():
            cmd += ["-metadata", f"{k}={v}"]
        cmd += ["-f", "mp3", str(self._tmp)]
        import tempfile
        self._err = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._err)
        except OSError as exc:
            raise OutputError(f"cannot start ffmpeg ({exc}); reinstall imageio-ffmpeg") from exc
        return self

    def _write(self, pcm: bytes) -> None:
        assert self._proc and self._proc.stdin
        try:
            self._proc.stdin.write(pcm)
        except BrokenPipeError as exc:
            raise OutputError(f"{self.path}: ffmpeg stopped: {self._stderr()}") from exc
        self.frames += len(pcm) // 2

    def silence(self, ms: int) -> None:
        """Append `ms` milliseconds of silence."""
        n = int(round(self.sample_rate * ms / 1000))
        if n > 0:
            self._write(bytes(2 * n))

    def clip(self, clip: Audio) -> Placed:
        """Append a clip and say where it went."""
        start = self.seconds
        pcm = clip.pcm if clip.sample_rate == self.sample_rate else _resample(clip, self.sample_rate)
        self._write(pcm)
        return Placed(start, self.seconds)

    @property
    def seconds(self) -> float:
        """The chapter's length so far."""
        return self.frames / self.sample_rate

    def _stderr(self) -> str:
        if not self._err:
            return ""
        self._err.seek(0)
        lines = self._err.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else "no message"

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        proc, tmp = self._proc, self._tmp
        assert proc and proc.stdin and tmp
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        if exc_type is not None:
            proc.kill()
            proc.wait()
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        rc = proc.wait()
        if rc != 0:
            msg = self._stderr()
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise OutputError(f"{self.path}: ffmpeg failed to encode ({msg})")
        os.replace(tmp, self.path)
        if self._err:
            self._err.close()


def write_text_atomic(path: Path, text: str) -> None:
    """Write a text file under a temporary name, then rename it into place."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _vtt_time(t: float) -> str:
    ms = int(round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def webvtt(cues: list[tuple[float, float, str, str]]) -> str:
    """A WebVTT transcript: one cue per segment, the voice tag naming who speaks."""
    out = ["WEBVTT", ""]
    for i, (start, end, who, text) in enumerate(cues, 1):
        safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")
        name = who.replace(">", "").replace("<", "")
        out += [str(i), f"{_vtt_time(start)} --> {_vtt_time(end)}", f"<v {name}>{safe}", ""]
    return "\n".join(out)
