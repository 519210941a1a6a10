"""Synth: CastScript lines -> clips (PCM). Text made speakable, failures recorded, progress reported."""

from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from .engines.base import Audio, Engine
from .errors import SynthesisError
from .model import CastLine

Progress = Callable[[int], None]

_EMPHASIS = re.compile(r"(?<!\w)([*_]{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_DASHES = re.compile(r"\s*(?:--+|\u2014|\u2015)\s*")
_SPACE = re.compile(r"\s+")
_HAS_SOUND = re.compile(r"[^\W_]")


def speakable(text: str) -> str:
    """What the engine is given: Markdown emphasis marks dropped, dashes as pauses, spaces folded."""
    text = _EMPHASIS.sub(r"\2", text)
    text = _DASHES.sub(", ", text)
    return _SPACE.sub(" ", text).strip(" ,")


def synthesize_lines(engine: Engine, lines: Iterable[CastLine], failed: list[str],
                     progress: Progress | None = None) -> Iterator[Audio | None]:
    """One clip per line, in order; None (and an entry in `failed`) for a line that failed."""
    for line in lines:
        text = speakable(line.segment.text)
        clip: Audio | None
        if not _HAS_SOUND.search(text):
            clip = Audio(b"", engine.sample_rate)
        else:
            try:
                clip = engine.synthesize(text, line.voice)
                if not clip.frames:
                    raise SynthesisError(f"the engine returned no audio for {text[:60]!r}")
            except SynthesisError as exc:
                failed.append(f"offset {line.segment.start}: {exc}")
                clip = None
        if progress:
            progress(1)
        yield clip
