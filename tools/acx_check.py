"""Check audiobook files against the ACX (Audible) technical requirements.

    python tools/acx_check.py FILE_OR_FOLDER [...]

For each MP3 (or M4B) it decodes the audio and prints RMS, peak, noise floor (the quietest 500 ms),
and the room tone at the head and the tail; it exits 1 when any file is out of range:
  RMS -23 to -18 dBFS, peak at most -3 dBFS, noise floor at most -60 dBFS and not digital silence,
  0.5 to 1 s of room tone at the head and 1 to 5 s at the tail.
This is a technical quality bar: Audible itself does not accept text-to-speech narration without
its authorisation.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from audiobook.ffmpeg import decode_pcm

RATE = 44100
RMS_RANGE = (-23.0, -18.0)
PEAK_MAX = -3.0
FLOOR_MAX = -60.0
DIGITAL_SILENCE = -100.0
HEAD_RANGE = (0.5, 1.0)
TAIL_RANGE = (1.0, 5.0)
SPEECH_DB = -45.0  # a 10 ms window louder than this is speech, not room tone


@dataclass
class Levels:
    """What was measured on one file."""

    path: Path
    rms: float
    peak: float
    floor: float
    head: float
    tail: float

    def problems(self) -> list[str]:
        """Every requirement the file misses."""
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


def _db(x: float) -> float:
    return 20 * np.log10(x) if x > 0 else -200.0


def measure(path: Path) -> Levels:
    """Decode a file and measure it."""
    x = np.frombuffer(decode_pcm(str(path), RATE), dtype="<i2").astype(np.float64) / 32768.0
    rms = _db(float(np.sqrt(np.mean(x * x))))
    peak = _db(float(np.max(np.abs(x))))
    win = RATE // 100  # 10 ms windows
    n = len(x) // win
    power = np.mean(x[: n * win].reshape(n, win) ** 2, axis=1)
    half = 50  # 500 ms = 50 windows
    sums = np.convolve(power, np.ones(half) / half, mode="valid")
    floor = _db(float(np.sqrt(sums.min()))) if len(sums) else -200.0
    loud = np.nonzero(power > 10 ** (SPEECH_DB / 10))[0]
    head = loud[0] * win / RATE if len(loud) else len(x) / RATE
    tail = (n - 1 - loud[-1]) * win / RATE if len(loud) else len(x) / RATE
    return Levels(path, rms, peak, floor, head, tail)


def files(args: list[str]) -> list[Path]:
    """The audio files named, or found in the folders named."""
    out: list[Path] = []
    for a in args:
        p = Path(a)
        out += (
            sorted(
                q
                for q in p.rglob("*")
                if q.suffix in (".mp3", ".m4b") and not any(part.startswith(".") for part in q.relative_to(p).parts)
            )
            if p.is_dir()
            else [p]
        )
    return [p for p in out if not any(part.startswith(".") for part in p.parts[-3:-1])]


def main(argv: list[str]) -> int:
    paths = files(argv)
    if not paths:
        print("usage: acx_check.py FILE_OR_FOLDER [...]", file=sys.stderr)
        return 2
    failed = 0
    print(f"{'FILE':<48} {'RMS':>6} {'PEAK':>6} {'FLOOR':>6} {'HEAD':>5} {'TAIL':>5}  RESULT")
    for p in paths:
        m = measure(p)
        problems = m.problems()
        failed += bool(problems)
        print(
            f"{p.name[:48]:<48} {m.rms:6.1f} {m.peak:6.1f} {m.floor:6.1f} {m.head:5.2f} {m.tail:5.2f}  "
            f"{'ok' if not problems else 'FAIL: ' + '; '.join(problems)}"
        )
    print(f"{len(paths) - failed} of {len(paths)} files pass the ACX technical checks.")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
