"""EPUB 2 and 3 -> Book: the spine's documents read in order, cut into chapters by the table of
contents when it covers the text, else by the headings in the text.

The source text. An EPUB is a zip of many files, so offsets cannot point into one file. A book's
*source text* is built, deterministically, from its spine: every block read (paragraph, heading,
note body; not what is skipped) on its own line, a blank line between blocks. Every Paragraph's
start and end index into that text (`epub_source(path)` returns it), so a segment can be found
again and the editable script file works on an EPUB as on a .txt.

Chapters. The table of contents (EPUB 3 nav, else EPUB 2 NCX) is used when it covers the text: no
chapter heading lies in a document it does not point at, and it lists at least half as many entries as
the text has "Chapter N" headings. Entries pointing at anchors inside one document split it there.
A nested entry (a part with chapters under it, in other documents or named "Part/Book/Volume") gives
its children as chapters; when their labels repeat across the book ("Chapter 1" in every part) each
is named "Part One, Chapter 1"; otherwise a part with no text of its own joins its first chapter's
title ("Part One \u2014 The Stopped Clock"). Entries under a chapter in the same document are sections, not
chapters. Otherwise chapters come from the headings across documents (h1-h3, or a paragraph that is a
"Chapter N" heading), as in plain text. A chapter's leading heading is its title, not narration.

Front matter before the first chapter is read (as "Opening") only when it has at least
FRONT_MATTER_WORDS words: a title page, an epigraph or a dedication alone are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError
from ..model import Book, ChapterText, Paragraph
from .epub_html import Block, Document, read_document
from .epub_nav import Entry, read_toc
from .epub_package import Package, open_package
from .lines import Line
from .text import (
    HEADING,
    NAMED_HEADING,
    heading_title,
    is_prose,
    make_chapters,
    split_paragraphs,
    spoken_paragraphs,
    tidy_title,
    title_from_stem,
)

NOTES = ("skip", "chapter-end")
FRONT_MATTER_WORDS = 150
_CONTENTS = re.compile(r"^(?:table of )?contents\.?$", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^(?:[IVXLC]+|\d+)\.?$")
_PART = re.compile(r"^(?:part|book|volume|vol\.)\b", re.IGNORECASE)


@dataclass
class FlatBook:
    """Every block of the book in reading order, with its source offset, and where ids point."""

    blocks: list[Block]
    starts: list[int]
    docs: list[tuple[str, int, int]]  # (path, first block, past the last block)
    ids: dict[str, int]  # "file#id" -> block index
    note_of: dict[str, str]
    source: str


def is_epub(path: Path) -> bool:
    """A .epub file, or a zip whose first member `mimetype` says application/epub+zip."""
    if path.suffix.lower() == ".epub":
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(58)
    except OSError:
        return False
    return head[:4] == b"PK\x03\x04" and head[30:38] == b"mimetype" and b"application/epub+zip" in head[38:]


def _flatten(pkg: Package) -> FlatBook:
    skipped = pkg.nav.path if pkg.nav is not None else None
    return flatten_documents(
        read_document(item.path, pkg.read(item.path)) for item in pkg.spine if item.path != skipped
    )


def flatten_documents(documents: Iterable[Document]) -> FlatBook:
    """Documents in reading order as one text: their blocks, where each begins, and the source text."""
    blocks: list[Block] = []
    docs: list[tuple[str, int, int]] = []
    ids: dict[str, int] = {}
    note_of: dict[str, str] = {}
    for doc in documents:
        base = len(blocks)
        blocks.extend(doc.blocks)
        docs.append((doc.path, base, len(blocks)))
        ids.update({f"{doc.path}#{k}": base + v for k, v in doc.ids.items()})
        note_of.update(doc.note_of)
    blocks = _without_contents(_within_gutenberg_markers(_unmarked_notes(blocks, ids, note_of)))
    starts, pos = [], 0
    for b in blocks:
        starts.append(pos)
        pos += len(b.text) + 2
    source = "".join(b.text + "\n\n" for b in blocks)
    return FlatBook(blocks, starts, docs, ids, note_of, source)


def _unmarked_notes(blocks: list[Block], ids: dict[str, int], note_of: dict[str, str]) -> list[Block]:
    """The blocks with every note body that no markup names as one (a converted book's notes file:
    `<p id="fn3">` under no footnote type or class) taken for what it is: the paragraph a note mark
    points at, when it is not the mark's own paragraph, a heading, or inside a known note already."""
    out = list(blocks)
    for k, b in enumerate(blocks):
        for ref in b.refs:
            i = ids.get(ref)
            if i is not None and i != k and ref not in note_of and not out[i].note and not out[i].heading:
                out[i] = replace(out[i], note=ref)
                note_of[ref] = ref
    return out


# A Gutenberg marker inside a block (an older book's banner and licence set in one <pre>): the marker
# line itself, up to its closing asterisks.
_MARKER_IN_BLOCK = re.compile(
    r"\*{3}\s*(?P<which>START|END) OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b[^*]*\*{0,3}", re.I
)


# "Produced by ..." after the start marker: the volunteers' credit, not the book.
_CREDIT_WORDS = 40


def _within_gutenberg_markers(blocks: list[Block]) -> list[Block]:
    """A Project Gutenberg book's blocks with its banner (up to `*** START OF ...`) and licence (from
    `*** END OF ...`) emptied: kept in place (indices stay), never read. A marker inside a block (all
    of an older book's banner in one <pre>) keeps only what is after the start, or before the end."""
    marks = [(i, m) for i, b in enumerate(blocks) for m in _MARKER_IN_BLOCK.finditer(b.text)]
    start = next(((i, m) for i, m in marks if m.group("which").upper() == "START"), None)
    end = next(((i, m) for i, m in marks if m.group("which").upper() == "END" and (not start or i >= start[0])), None)
    out = list(blocks)
    if start is not None:
        i, m = start
        out[:i] = [replace(b, text="", refs=[]) for b in out[:i]]
        rest = out[i].text[m.end() :].strip()
        credit = rest.lower().startswith("produced by") and len(rest.split()) <= _CREDIT_WORDS
        out[i] = replace(out[i], text="" if credit else rest, refs=[])
    if end is not None:
        i, m = end
        cut = m.start() if start is None or i != start[0] else m.start() - start[1].end()
        out[i] = replace(out[i], text=out[i].text[: max(cut, 0)].strip())
        out[i + 1 :] = [replace(b, text="", refs=[]) for b in out[i + 1 :]]
    return out


CONTENTS_RUN = 3


def _without_contents(blocks: list[Block]) -> list[Block]:
    """The blocks with a contents list in the text emptied: a run of CONTENTS_RUN or more blocks that
    are only links, and the heading just above it ("Contents")."""
    out = list(blocks)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and out[j].link and not out[j].note:
            j += 1
        if j - i >= CONTENTS_RUN:
            lo = i - 1 if i and out[i - 1].heading and not out[i - 1].note else i
            out[lo:j] = [replace(b, text="", refs=[]) for b in out[lo:j]]
        i = max(j, i + 1)
    return out


def epub_source(path: str | Path) -> str:
    """The source text a book's offsets index into (see the module's docstring)."""
    return _flatten(open_package(Path(path))).source


def book_chapters(flat: FlatBook, toc: list[Entry], notes: str) -> list[ChapterText]:
    """The chapters of flattened documents: from the table of contents when it covers them, else from
    their headings; front matter, contents and (unless `notes` says "chapter-end") notes left out."""
    sections = _without_front_matter(_toc_sections(flat, toc) or _heading_sections(flat))
    sections = [(tidy_title(title) if title else title, lines) for title, lines in sections]
    chapters = make_chapters(sections, True, "Opening")
    return _with_notes(chapters, flat) if notes == "chapter-end" else chapters


def read_epub(path: str | Path, notes: str = "skip") -> Book:
    """Read an EPUB into chapters of paragraphs; `notes` "chapter-end" reads the note bodies a chapter
    refers to at its end, "skip" reads none. InputError for a file that cannot be read as a book."""
    p = Path(path)
    if notes not in NOTES:
        raise ValueError(f"notes must be one of {NOTES}, not {notes!r}")
    pkg = open_package(p)
    try:
        flat = _flatten(pkg)
        toc = _tidied(read_toc(pkg))
    finally:
        pkg.zf.close()
    chapters = book_chapters(flat, toc, notes)
    if not chapters:
        raise InputError(f"{p}: has no text to read (only images, or pages that are skipped); give a book with text")
    return Book(
        title=pkg.title or title_from_stem(p.stem),
        author=pkg.author or "Unknown Author",
        path=str(p),
        chapters=tuple(chapters),
        year=pkg.year,
        language=pkg.language,
        cover=pkg.cover,
    )


def _line(flat: FlatBook, i: int) -> Line:
    b = flat.blocks[i]
    if 1 <= b.heading <= 3:
        return Line(
            b.text, flat.starts[i], end=flat.starts[i] + len(b.text), kind="heading", title=b.text, level=b.heading
        )
    return Line(b.text, flat.starts[i], end=flat.starts[i] + len(b.text), kind="md")


def _lines(flat: FlatBook, lo: int, hi: int) -> list[Line]:
    """The blocks [lo, hi) of the book's own text as lines, a blank line between blocks."""
    out: list[Line] = []
    for i in range(lo, hi):
        b = flat.blocks[i]
        if b.scene_break:
            out.append(Line("", flat.starts[i], kind="break"))
        if b.note or not b.text:
            continue
        out.append(_line(flat, i))
        out.append(Line("", flat.starts[i] + len(b.text)))
    return out


def _is_heading(line: Line) -> bool:
    return line.kind != "break" and bool(line.text) and heading_title(line) is not None


def _words(lines: list[Line]) -> int:
    return sum(len(line.text.split()) for line in lines)


def _tidied(entries: list[Entry]) -> list[Entry]:
    """The table of contents with its labels written as a text file's headings are ("CHAPTER I. START
    IN LIFE" -> "Chapter 1: Start in Life"): the titles a listener hears announced and sees in a player."""
    return [Entry(tidy_title(e.label), e.path, e.fragment, _tidied(e.children)) for e in entries]


def _front(lines: list[Line]) -> list[tuple[str | None, list[Line]]]:
    """Front matter as a section of its own, when it is long enough to be read."""
    return [(None, lines)] if _words(lines) >= FRONT_MATTER_WORDS else []


def _without_front_matter(sections: list[tuple[str | None, list[Line]]]) -> list[tuple[str | None, list[Line]]]:
    """The sections from the first that is long enough to be the book or is named as a chapter: short
    ones before it (a title page, the book's title alone, a short dedication) are not read; a part's
    page ("Part One") stays, to join the title of the chapter after it, and so does a short piece of the
    author's under a title of its own with a sentence of prose in it (Twain's "Notice")."""
    first = next(
        (k for k, (t, lines) in enumerate(sections) if _words(lines) >= FRONT_MATTER_WORDS or _chapter_like(t)), 0
    )
    return [
        (t, lines)
        for k, (t, lines) in enumerate(sections)
        if k >= first or _PART.match(t or "") or (t and _has_prose(lines))
    ]


# A piece of the author's before the first chapter is read when it has a sentence this long at least.
AUTHORS_NOTE_WORDS = 15


def _has_prose(lines: list[Line]) -> bool:
    """Whether a sentence of prose is among `lines` (not a title page's lines, a publisher's address, a
    list of scenes, a dedication's few words)."""
    paragraphs = split_paragraphs([replace(x, kind="md") for x in lines], True)
    return any(is_prose(p) and len(p.text.split()) >= AUTHORS_NOTE_WORDS for p in paragraphs)


def _chapter_like(title: str | None) -> bool:
    """A title that names a chapter ("Chapter 1", "Prologue"), never front matter however short."""
    return bool(title) and bool(HEADING.match(title or "") or NAMED_HEADING.match(title or ""))


def _heading_sections(flat: FlatBook) -> list[tuple[str | None, list[Line]]]:
    """Sections between the headings of the text, across documents."""
    lines = _lines(flat, 0, len(flat.blocks))
    heads = [(i, h[0]) for i, line in enumerate(lines) if line.kind != "break" and (h := heading_title(line))]
    if not heads:
        return [(None, lines)]
    sections = _front(lines[: heads[0][0]])
    for k, (i, title) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        sections.append((title, lines[i + 1 : end]))
    return sections


# Entries under one in the same document are its sections, unless the document is longer than any
# chapter: then they are its chapters (a part's stories, all in one file).
LONG_DOCUMENT_WORDS = 10_000


def _chapter_entries(
    entries: list[Entry], prefix: str = "", long_docs: frozenset[str] = frozenset()
) -> list[tuple[str, Entry, bool]]:
    """(title, entry, whether it is a part whose children name themselves after it) of the entries that
    make chapters; see the module's docstring. `long_docs`: the documents of LONG_DOCUMENT_WORDS or more."""
    out: list[tuple[str, Entry, bool]] = []
    labels = [e.label for e in _leaves(entries)]
    repeats = len(labels) != len(set(labels))
    for e in entries:
        title = f"{prefix}, {e.label}" if prefix and e.label else e.label
        elsewhere = any(c.path != e.path for c in e.children)
        holds = bool(_PART.match(e.label)) or (len(e.children) >= 2 and e.path in long_docs)
        if not (e.children and (elsewhere or holds)):
            out.append((title, e, False))
            continue
        named = repeats and _repeats_within(e.children, labels)
        out.append((title, e, named))
        out.extend(_chapter_entries(e.children, title if named else "", long_docs))
    return out


def _leaves(entries: list[Entry]) -> list[Entry]:
    return [leaf for e in entries for leaf in (_leaves(e.children) if e.children else [e])]


def _repeats_within(children: list[Entry], labels: list[str]) -> bool:
    return any(labels.count(c.label) > 1 for c in children)


def _toc_sections(flat: FlatBook, toc: list[Entry]) -> list[tuple[str | None, list[Line]]]:
    """Sections from the table of contents, or [] when it does not cover the text."""
    # Entries pointing at a document with nothing read in it (a title page, the colophon) are no chapters.
    doc_start = {path: lo for path, lo, hi in flat.docs if any(b.text and not b.note for b in flat.blocks[lo:hi])}
    points: list[tuple[int, str, bool]] = []
    long_docs = frozenset(
        path
        for path, lo, hi in flat.docs
        if sum(len(b.text.split()) for b in flat.blocks[lo:hi]) >= LONG_DOCUMENT_WORDS
    )
    for title, e, named in _chapter_entries(toc, long_docs=long_docs):
        if e.path not in doc_start:
            continue
        at = flat.ids.get(f"{e.path}#{e.fragment}", doc_start[e.path]) if e.fragment else doc_start[e.path]
        if points and at < points[-1][0]:
            continue  # out of reading order
        if points and at == points[-1][0] and not points[-1][2]:
            points[-1] = (at, f"{points[-1][1]} \u2014 {title}" if points[-1][1] else title, named)
            continue
        points.append((at, title, named))
    if not points or not _covers(flat, points):
        return []
    sections = _front(_lines(flat, 0, points[0][0]))
    for k, (at, title, named) in enumerate(points):
        end = points[k + 1][0] if k + 1 < len(points) else len(flat.blocks)
        lines = _lines(flat, at, end)
        if not any(line.text for line in lines) or _CONTENTS.match(title):
            continue  # nothing is read there (a contents list, emptied)
        lead = [line for line in lines[:6] if _is_heading(line)]
        while lines and (not lines[0].text or _is_heading(lines[0])) and lines[0].kind != "break":
            lines = lines[1:]
        if not title and lead:
            title = (heading_title(lead[0]) or ("", 0))[0]
        # A numbered section inside a chapter ("II" over the story's second part) is a pause, not words.
        lines = [
            Line("", x.start, kind="break") if x.kind == "heading" and _NUMBER_ONLY.match(x.text) else x for x in lines
        ]
        if named and not _words(lines):
            continue  # a part page: its name is in each of its chapters' titles
        sections.append((title or None, lines))
    return sections


def _covers(flat: FlatBook, points: list[tuple[int, str, bool]]) -> bool:
    """Whether the table of contents' chapter points cover the text (see the module's docstring)."""
    starts = {at for at, _, _ in points}
    untargeted = [(lo, hi) for _, lo, hi in flat.docs if not any(lo <= at < hi for at in starts) and lo >= points[0][0]]
    for lo, hi in untargeted:
        if any(_is_heading(line) for line in _lines(flat, lo, hi)):
            return False
    numbered = sum(1 for b in flat.blocks if not b.note and len(b.text) <= 100 and HEADING.match(b.text))
    return len(points) >= numbered / 2


# A note body's own mark before its words ("[1] The spring tide.", "2. Herring gulls."): not read.
_LEADING_MARK = re.compile(r"^(?:\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}[.)])\s+(?=\S)")


def _unmarked(line: Line) -> Line:
    """A note's line without the mark it opens with."""
    m = _LEADING_MARK.match(line.text)
    return replace(line, text=line.text[m.end() :], start=line.start + m.end()) if m else line


def _with_notes(chapters: list[ChapterText], flat: FlatBook) -> list[ChapterText]:
    """Each chapter with the bodies of the notes its paragraphs refer to, once each, at its end."""
    by_start = {s: i for i, s in enumerate(flat.starts)}
    note_blocks: dict[str, list[int]] = {}
    for i, b in enumerate(flat.blocks):
        if b.note and b.text:
            note_blocks.setdefault(b.note, []).append(i)
    read: set[str] = set()
    out = []
    for ch in chapters:
        extra: list[Paragraph] = []
        for para in ch.paragraphs:
            block = by_start.get(para.start)
            for ref in flat.blocks[block].refs if block is not None else []:
                key = flat.note_of.get(ref, ref)
                if key in read or key not in note_blocks:
                    continue
                read.add(key)
                lines = [
                    line for i in note_blocks[key] for line in (_unmarked(_line(flat, i)), Line("", flat.starts[i]))
                ]
                extra.extend(spoken_paragraphs(split_paragraphs([replace(x, kind="md") for x in lines], True)))
        out.append(replace(ch, paragraphs=ch.paragraphs + tuple(extra)) if extra else ch)
    return out
