"""The one resampler of the engines: soxr's "HQ" (band-limited), for the neural engine's 16 kHz models and
for whatever rate a platform voice writes (clips.py). Never pydub's `set_frame_rate` (audioop's linear
`ratecv`), which folds the treble above the new Nyquist frequency back down as hiss.

soxr (LGPL-2.1-or-later) has wheels for Linux, macOS and Windows; it is imported only when a clip's rate
is not the one asked for.
"""

from __future__ import annotations

from typing import Any


def resample(samples: Any, rate: int, to: int) -> Any:
    """`samples` (a float numpy array, mono) from `rate` to `to` Hz by soxr "HQ"; the same array when
    the rates are the same or there is nothing to resample."""
    if rate == to or not len(samples):
        return samples
    import soxr

    return soxr.resample(samples, rate, to, quality="HQ")
