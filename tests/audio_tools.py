"""Measurements on real audio for the integration tests: decode, level, pitch."""

from __future__ import annotations

import numpy as np

from audiobook.ffmpeg import decode_pcm

RATE = 44100


def decode(path, rate: int = RATE) -> np.ndarray:
    """Samples of any audio file as float in [-1, 1), mono."""
    return np.frombuffer(decode_pcm(str(path), rate), dtype="<i2").astype(np.float64) / 32768.0


def pcm_to_array(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0


def rms_db(x: np.ndarray) -> float:
    """RMS level in dBFS (-inf for digital silence)."""
    if len(x) == 0:
        return float("-inf")
    r = float(np.sqrt(np.mean(x * x)))
    return 20 * np.log10(r) if r > 0 else float("-inf")


def median_f0(x: np.ndarray, rate: int = RATE) -> float:
    """Median fundamental frequency (Hz) of the voiced 40 ms frames, by autocorrelation."""
    frame = int(0.04 * rate)
    lo, hi = int(rate / 450), int(rate / 60)
    found = []
    for i in range(0, len(x) - frame, frame):
        w = x[i : i + frame]
        if np.sqrt(np.mean(w * w)) < 0.02:
            continue
        w = w - w.mean()
        c = np.correlate(w, w, "full")[frame - 1 :]
        k = lo + int(np.argmax(c[lo:hi]))
        if c[k] > 0.3 * c[0]:
            found.append(rate / k)
    return float(np.median(found)) if found else 0.0


def span(x: np.ndarray, start: float, end: float, rate: int = RATE) -> np.ndarray:
    return x[int(start * rate) : int(end * rate)]
