"""Frozen values passed between the pipeline's stages.

source --ingest--> Book --parse--> Script --cast--> CastScript --synth--> clips --assemble--> files
No I/O and no third-party imports here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["narration", "dialogue"]
Gender = Literal["female", "male", "unknown"]
Age = Literal["child", "adult", "elderly", "unknown"]


# ---- ingest ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the source: its text with hard wraps joined, and where it lies in the file."""

    text: str  # as spoken: wrapped lines joined by single spaces
    start: int  # offset of the first character in the source text
    end: int  # offset just past the last character
    scene_break_before: bool = False
    # Where each joined source line begins: (index in `text`, offset in the source), ascending.
    # One piece when the paragraph is a single line; joining wrapped lines shifts offsets.
    pieces: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

    def source_offset(self, i: int) -> int:
        """Offset in the source of character `i` of `text` (`i == len(text)` gives `end`)."""
        if i >= len(self.text):
            return self.end
        return piece_offset(self.pieces, self.start, i)


def piece_offset(pieces: tuple[tuple[int, int], ...], start: int, i: int) -> int:
    """Offset in the source of character `i` of a text made of `pieces` ((index in the text, offset in
    the source) where each contiguous run begins, ascending), the first at `start`."""
    base_text, base_src = 0, start
    for text_at, src_at in pieces:
        if text_at > i:
            break
        base_text, base_src = text_at, src_at
    return base_src + (i - base_text)


# The title of the text before a book's first heading, when it has prose: not a title to announce.
OPENING_TITLE = "Opening"


@dataclass(frozen=True)
class ChapterText:
    """A chapter as read: a title and its paragraphs."""

    index: int  # 1-based
    title: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Book:
    """A source file read into chapters of paragraphs."""

    title: str
    author: str
    path: str
    chapters: tuple[ChapterText, ...]
    year: str = ""  # from a `Year:`/`Date:` header or front matter
    narrator: str = ""  # from a `Narrator:` header
    language: str = ""  # a language tag ("en", "fr-CA") when the source says (an EPUB's dc:language)
    cover: bytes = field(default=b"", repr=False)  # image bytes (JPEG or PNG) the source carries (an EPUB's cover)


# ---- parse ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One unit of speech: narration, or a quote by one speaker."""

    kind: Kind
    text: str  # what is spoken (quote marks stripped for dialogue)
    speaker: str | None  # canonical character name for dialogue; None for narration or unknown
    start: int  # offsets into the source text, so every line traces back
    end: int
    paragraph: int = 0  # index of the paragraph (within its chapter) the segment starts in
    rule: str = ""  # why this speaker: "tag:after", "pronoun", "beat:before", ...
    confidence: float = 1.0


@dataclass(frozen=True)
class Character:
    """A person who speaks or is named, with every name the text uses for them."""

    name: str  # canonical name
    aliases: tuple[str, ...] = ()
    gender: Gender = "unknown"
    age: Age = "unknown"
    lines: int = 0  # dialogue segments attributed to them
    words: int = 0


@dataclass(frozen=True)
class Chapter:
    """A parsed chapter: its segments in reading order."""

    index: int
    title: str
    segments: tuple[Segment, ...]
    scene_breaks: frozenset[int] = frozenset()  # paragraph indices preceded by a scene break


def speech_counts(chapters: tuple[Chapter, ...] | list[Chapter]) -> tuple[dict[str, int], dict[str, int]]:
    """(lines, words) of dialogue per speaker."""
    lines: dict[str, int] = {}
    words: dict[str, int] = {}
    for ch in chapters:
        for seg in ch.segments:
            if seg.kind == "dialogue" and seg.speaker:
                lines[seg.speaker] = lines.get(seg.speaker, 0) + 1
                words[seg.speaker] = words.get(seg.speaker, 0) + len(seg.text.split())
    return lines, words


@dataclass(frozen=True)
class Script:
    """The whole book as segments with speakers: what `audiobook script` shows."""

    title: str
    author: str
    chapters: tuple[Chapter, ...]
    characters: tuple[Character, ...]
    year: str = ""
    narrator: str = ""
    language: str = ""
    cover: bytes = field(default=b"", repr=False)  # the source's own cover image (JPEG or PNG), or b""


# ---- cast, synth, assemble -------------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceSpec:
    """Everything that changes how a line sounds; hashable, part of every clip's identity."""

    engine: str
    voice_id: str
    rate: int = 175  # words per minute
    pitch: int = 50  # 0-100
    volume: float = 1.0  # 0.0-1.0


@dataclass(frozen=True)
class CastLine:
    """A segment bound to the voice that speaks it and the pause that follows it."""

    segment: Segment
    voice: VoiceSpec
    role: str  # "narrator", a character name, or "fallback"
    pause_after_ms: int


@dataclass(frozen=True)
class CastChapter:
    """A chapter ready to synthesize."""

    index: int
    title: str
    lines: tuple[CastLine, ...]


@dataclass(frozen=True)
class CastScript:
    """The script with a voice on every line."""

    title: str
    author: str
    chapters: tuple[CastChapter, ...]
    head_ms: int
    tail_ms: int


@dataclass(frozen=True)
class BookInfo:
    """What players show: the tags of every file, the folder it goes in, the cover. Given to `generate`,
    a field left "" is taken from the story's header, else a default (`pipeline.book_info`)."""

    title: str = ""
    author: str = ""
    narrator: str = ""  # the composer tag, which Audiobookshelf reads as the narrator
    year: str = ""
    cover: str = ""  # path of a JPEG or PNG image, or ""


@dataclass(frozen=True)
class RenderOptions:
    """How `generate` renders: workers, cache, encoding, and what it writes besides chapter MP3s."""

    jobs: int = 1
    cache_dir: str | None = None
    use_cache: bool = True
    bitrate_kbps: int = 128
    m4b: bool = False  # also one M4B (AAC) with chapter markers
    epub: bool = False  # also one EPUB 3 with media overlays (narrated_epub.py)
    epub_kbps: int = 64  # the bitrate of the EPUB's audio (mono MP3)


@dataclass(frozen=True)
class ReadOptions:
    """What of the book is spoken, decided before any audio."""

    announce: bool = True  # the narrator reads each chapter's title at its start
    notes: Literal["skip", "chapter-end"] = "skip"  # an EPUB's footnotes: not read, or read at their chapter's end


@dataclass
class BuildReport:
    """What a render did; it alone decides the exit code."""

    chapters: int = 0
    segments: int = 0
    synthesized: int = 0
    reused: int = 0
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    output_dir: str = ""
