"""Synth: cast lines -> clips -> encoded blocks. Text made speakable, pronunciations applied, clips and
blocks taken from the caches when they are there, failures recorded, progress reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from .assemble import Block, block_key, make_block
from .cache import caches, clip_key
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


class Pronouncer:
    """Respellings from voices.yaml, whole words only. A key in lower case matches any case ("okafor"
    matches "Okafor"); a key with capitals matches only as written ("May" the name, not "may")."""

    def __init__(self, table: Mapping[str, str]):
        self._exact = {k: v for k, v in table.items() if k != k.lower()}
        self._folded = {k.lower(): v for k, v in table.items() if k == k.lower()}
        self._rx: list[tuple[re.Pattern[str], dict[str, str], bool]] = []
        for table_, fold in ((self._exact, False), (self._folded, True)):
            if table_:
                alt = "|".join(re.escape(k) for k in sorted(table_, key=len, reverse=True))
                self._rx.append((re.compile(rf"(?<![\w'\u2019-])(?:{alt})(?![\w-])", re.IGNORECASE if fold else 0),
                                 table_, fold))

    def __call__(self, text: str) -> str:
        for rx, table, fold in self._rx:
            text = rx.sub(lambda m: table[m.group(0).lower() if fold else m.group(0)], text)
        return text


@dataclass(frozen=True)
class Rendered:
    """A line ready to join: its encoded block, how long its speech lasts, and what it cost."""

    block: Block
    speech_seconds: float       # the clip's length (the block adds the pause after it)
    synthesized: bool           # the engine was asked (else the clip came from the cache)
    encoded: bool               # the block was encoded (else it came from the cache)
    failed: str = ""            # why the line has no audio, when it has none


def spoken_text(line: CastLine, pronounce: Pronouncer | None = None) -> str:
    """Exactly what the engine says for a line (and what its cache key is made of)."""
    text = line.segment.text
    if pronounce:
        text = pronounce(text)
    return speakable(text)


class LineRenderer:
    """Turns cast lines into encoded blocks, reusing whatever the caches hold. One per process."""

    def __init__(self, engine: Engine, cache_root: str | Path | None = None,
                 pronounce: Pronouncer | None = None):
        self.engine = engine
        self.clips, self.blocks = caches(cache_root) if cache_root else (None, None)
        self.pronounce = pronounce

    def __call__(self, line: CastLine) -> Rendered:
        engine = self.engine
        text = spoken_text(line, self.pronounce)
        if not _HAS_SOUND.search(text):
            clip, key, synthesized = Audio(b"", engine.sample_rate), "silent", False
        else:
            key = clip_key(text, line.voice, engine.name, engine.version)
            clip = self.clips.get(key) if self.clips else None
            synthesized = clip is None
            if clip is None:
                try:
                    clip = engine.synthesize(text, line.voice)
                    if not clip.frames:
                        raise SynthesisError(f"the engine returned no audio for {text[:60]!r}")
                except SynthesisError as exc:
                    block = make_block(None, 1.0, line.pause_after_ms, engine.sample_rate)
                    return Rendered(block, 0.0, True, True, failed=f"offset {line.segment.start}: {exc}")
                if self.clips:
                    self.clips.put(key, clip)       # at once: a render killed part-way loses nothing
        bkey = block_key(key, line.voice.volume, line.pause_after_ms, engine.sample_rate)
        stored = self.blocks.get(bkey) if self.blocks else None
        if stored is not None:
            return Rendered(Block(stored[1], stored[0]), clip.seconds, synthesized, False)
        block = make_block(clip, line.voice.volume, line.pause_after_ms, engine.sample_rate)
        if self.blocks:
            self.blocks.put(bkey, block.frames, block.mp3)
        return Rendered(block, clip.seconds, synthesized, True)

    def silence(self, ms: int) -> Block:
        """A block of silence (a chapter's head or tail)."""
        bkey = block_key("silence", 1.0, ms, self.engine.sample_rate)
        stored = self.blocks.get(bkey) if self.blocks else None
        if stored is not None:
            return Block(stored[1], stored[0])
        block = make_block(None, 1.0, ms, self.engine.sample_rate)
        if self.blocks:
            self.blocks.put(bkey, block.frames, block.mp3)
        return block


def synthesize_lines(renderer: LineRenderer, lines: Iterable[CastLine],
                     progress: Progress | None = None) -> Iterator[Rendered]:
    """Each line rendered, in order."""
    for line in lines:
        done = renderer(line)
        if progress:
            progress(1)
        yield done
