"""A finished book measured against ACX's (Audible's) technical requirements.

Each MP3 (or M4B) is decoded and measured as ACX checks it: RMS over the file, peak, noise floor (the
quietest 500 ms), and the room tone at the head and the tail. A file passes when:
  RMS is -23 to -18 dBFS, the peak at most -3 dBFS, the noise floor at most -60 dBFS and not digital
  silence, with 0.5 to 1 s of room tone at the head and 1 to 5 s at the tail.
This is a technical quality bar: Audible itself does not accept text-to-speech narration without its
authorisation.

    report = check_paths([Path("output/Author/Title")])   # files, or folders searched for them
    print("\\n".join(report.lines())); report.ok

`audiobook check OUTPUT...` prints the same report (exit 8 when a file fails).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .ffmpeg import decode_pcm

RATE = 44100
RMS_RANGE = (-23.0, -18.0)
PEAK_MAX = -3.0
FLOOR_MAX = -60.0
DIGITAL_SILENCE = -100.0
HEAD_RANGE = (0.5, 1.0)
TAIL_RANGE = (1.0, 5.0)
SPEECH_DB = -45.0  # a 10 ms window louder than this is speech, not room tone
WINDOW = RATE // 100  # 10 ms
FLOOR_WINDOWS = 50  # the noise floor is measured over 500 ms
SUFFIXES = (".mp3", ".m4b")


@dataclass(frozen=True)
class Levels:
    """What was measured on one file: levels in dBFS, room tone in seconds."""

    path: Path
    rms: float
    peak: float
    floor: float
    head: float
    tail: float

    def problems(self) -> list[str]:
        """Every requirement the file misses, each in a few words."""
        out = []
        if not RMS_RANGE[0] <= self.rms <= RMS_RANGE[1]:
            out.append(f"RMS {self.rms:.1f} dBFS outside {RMS_RANGE[0]:.0f} to {RMS_RANGE[1]:.0f}")
        if self.peak > PEAK_MAX:
            out.append(f"peak {self.peak:.1f} dBFS over {PEAK_MAX:.0f}")
        if self.floor > FLOOR_MAX:
            out.append(f"noise floor {self.floor:.1f} dBFS over {FLOOR_MAX:.0f}")
        if self.floor < DIGITAL_SILENCE:
            out.append("digital silence where room tone should be")
        if not HEAD_RANGE[0] <= self.head <= HEAD_RANGE[1]:
            out.append(f"head room tone {self.head:.2f} s outside {HEAD_RANGE[0]}-{HEAD_RANGE[1]} s")
        if not TAIL_RANGE[0] <= self.tail <= TAIL_RANGE[1]:
            out.append(f"tail room tone {self.tail:.2f} s outside {TAIL_RANGE[0]}-{TAIL_RANGE[1]} s")
        return out

    @property
    def ok(self) -> bool:
        return not self.problems()

    def line(self) -> str:
        """One row of the report's table."""
        problems = self.problems()
        verdict = "ok" if not problems else "FAIL: " + "; ".join(problems)
        return (
            f"{self.path.name[:48]:<48} {self.rms:6.1f} {self.peak:6.1f} {self.floor:6.1f} "
            f"{self.head:5.2f} {self.tail:5.2f}  {verdict}"
        )


@dataclass(frozen=True)
class CheckReport:
    """The measurements of every file checked, in order."""

    files: tuple[Levels, ...]

    @property
    def ok(self) -> bool:
        """Every file passes (and there was at least one)."""
        return bool(self.files) and all(f.ok for f in self.files)

    @property
    def failed(self) -> list[Levels]:
        return [f for f in self.files if not f.ok]

    def lines(self) -> list[str]:
        """The report as a reader sees it: a header, a row per file, a closing count."""
        header = f"{'FILE':<48} {'RMS':>6} {'PEAK':>6} {'FLOOR':>6} {'HEAD':>5} {'TAIL':>5}  RESULT"
        passed = len(self.files) - len(self.failed)
        summary = f"{passed} of {len(self.files)} files pass the ACX technical checks."
        return [header, *(f.line() for f in self.files), summary]


def _db(x: float) -> float:
    import math

    return 20 * math.log10(x) if x > 0 else -200.0


def measure(path: Path) -> Levels:
    """Decode one file and measure it; InputError if it is not audio ffmpeg can read."""
    import numpy as np

    try:
        pcm = decode_pcm(path, RATE)
    except subprocess.CalledProcessError as exc:
        said = exc.stderr.decode("utf-8", "replace").strip().splitlines() if exc.stderr else []
        raise InputError(f"{path}: cannot be decoded as audio ({said[-1] if said else 'ffmpeg failed'})") from exc
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    if not len(x):
        raise InputError(f"{path}: holds no audio")
    rms = _db(float(np.sqrt(np.mean(x * x))))
    peak = _db(float(np.max(np.abs(x))))
    n = len(x) // WINDOW
    power = np.mean(x[: n * WINDOW].reshape(n, WINDOW) ** 2, axis=1)
    sums = np.convolve(power, np.ones(FLOOR_WINDOWS) / FLOOR_WINDOWS, mode="valid")
    floor = _db(float(np.sqrt(sums.min()))) if len(sums) else -200.0
    loud = np.nonzero(power > 10 ** (SPEECH_DB / 10))[0]
    head = loud[0] * WINDOW / RATE if len(loud) else len(x) / RATE
    tail = (n - 1 - loud[-1]) * WINDOW / RATE if len(loud) else len(x) / RATE
    return Levels(path, rms, peak, floor, float(head), float(tail))


def audio_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the MP3 and M4B files in the folders named (hidden ones left out: the line
    cache and our own bookkeeping). InputError for a path that does not exist or a folder with none."""
    out: list[Path] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                q
                for q in p.rglob("*")
                if q.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in q.relative_to(p).parts)
            )
            if not found:
                raise InputError(f"{p}: no MP3 or M4B files in this folder")
            out += found
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return out


def check_paths(paths: Sequence[str | Path]) -> CheckReport:
    """Measure every audio file named or found in the folders named. InputError when a path does not
    exist, a folder holds no MP3 or M4B, a file is not audio, or nothing was named."""
    if not paths:
        raise InputError("nothing to check: name a book folder or audio files")
    return CheckReport(tuple(measure(p) for p in audio_files(paths)))
