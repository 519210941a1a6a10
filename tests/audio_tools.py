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
    """Median fundamental frequency (Hz) of the voiced 40 ms frames, by autocorrelation (computed
    through the FFT, a few hundred frames at a time)."""
    frame = int(0.04 * rate)
    lo, hi = int(rate / 450), int(rate / 60)
    n = max(0, -(-(len(x) - frame) // frame))  # frames starting before len(x) - frame
    frames = x[: n * frame].reshape(n, frame)
    frames = frames[np.sqrt(np.mean(frames * frames, axis=1)) >= 0.02]  # voiced: loud enough
    frames = frames - frames.mean(axis=1, keepdims=True)
    size = 1 << (2 * frame - 1).bit_length()  # no wrap-around: the lags of a linear correlation
    found: list[float] = []
    for at in range(0, len(frames), 256):
        spectrum = np.fft.rfft(frames[at : at + 256], size, axis=1)
        c = np.fft.irfft(spectrum * spectrum.conj(), size, axis=1)[:, :frame]  # c[:, lag]
        k = lo + np.argmax(c[:, lo:hi], axis=1)
        periodic = c[np.arange(len(c)), k] > 0.3 * c[:, 0]
        found += [rate / int(lag) for lag in k[periodic]]
    return float(np.median(found)) if found else 0.0


def span(x: np.ndarray, start: float, end: float, rate: int = RATE) -> np.ndarray:
    return x[int(start * rate) : int(end * rate)]
