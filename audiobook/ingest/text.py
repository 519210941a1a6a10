"""Plain text and Markdown -> Book: chapters, paragraphs, scene breaks, with source offsets kept.

Offsets are into the text as read with `open(path, encoding="utf-8", newline="")`, so a
leading BOM counts as one character and CRLF line ends as two.

A .md/.markdown file goes through a Markdown parser first (see `markdown.py` for what is spoken
of links, images, code, HTML, lists, quotes and headings); every other file is plain text, read
as written (a Project Gutenberg text without its banner and licence: `gutenberg.py`). Both then
share the rules below: front matter or `Title:` lines, chapter headings
(Markdown levels 1-3, "Chapter N", "Prologue"), scene breaks, and paragraphs from wrapped lines.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Book, ChapterText, Paragraph
from .gutenberg import gutenberg_book
from .lines import Line
from .markdown import markdown_lines

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_NUMBER = rf"(?:\d+|[ivxlcdm]+|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?)"
# "Chapter 1", "Chapter One: The Harbor", "CHAPTER IV.", "Part Two", "Book 3 - Title"
_HEADING = re.compile(
    rf"^(?P<label>(?:chapter|part|book)\s+{_NUMBER})\.?(?:\s*[:.\-\u2013\u2014]\s*(?P<title>\S.*?))?\s*$",
    re.IGNORECASE,
)
_NAMED_HEADING = re.compile(r"^(?:prologue|epilogue|interlude|afterword|foreword)\.?$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,3})\s+(?P<title>\S.*?)\s*#*\s*$")
_SCENE_BREAK = re.compile(r"^\s*(?:(?:[*~\-]\s*){3,}|#|§|(?:[•·]\s*){1,5})\s*$")
_HEADER_FIELD = re.compile(r"^(?P<key>title|author|year|date|narrator)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\u2026:\"\u201d\u2019')\]]\s*$")
_OPENS_QUOTE = re.compile(r"^[\"\u201c\u2018'\u2014-]")

# No one hard-wraps prose wider than this: a block with a longer line holds a paragraph per line.
_MAX_WRAP_WIDTH = 100


def _lines(source: str) -> list[Line]:
    """Split keeping offsets; CR, LF and CRLF all end a line."""
    out: list[Line] = []
    pos = 1 if source.startswith("\ufeff") else 0  # a BOM counts in offsets, never in text
    for m in re.finditer(r"\r\n|\r|\n", source):
        out.append(Line(source[pos : m.start()], pos))
        pos = m.end()
    if pos < len(source):
        out.append(Line(source[pos:], pos))
    return out


def _is_markdown(path: str) -> bool:
    return path.lower().endswith((".md", ".markdown"))


def _heading_title(line: Line) -> tuple[str, int] | None:
    """(title, markdown level or 0) if the line is a chapter heading."""
    if line.kind == "heading":
        return line.title, line.level
    if line.kind == "break":
        return None
    stripped = line.text.strip()
    if len(stripped) > 100:
        return None
    m = _MD_HEADING.match(stripped) if not line.kind else None
    if m:
        return m.group("title").strip(), len(m.group("hashes"))
    m = _HEADING.match(stripped)
    if m:
        label = " ".join(m.group("label").split())
        title = m.group("title")
        return (f"{label}: {title}" if title else label), 0
    if _NAMED_HEADING.match(stripped):
        return stripped.rstrip("."), 0
    return None


def _prettify_stem(stem: str) -> str:
    words = re.split(r"[-_\s]+", stem.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled"


def _read_header(lines: list[Line]) -> tuple[dict[str, str], int]:
    """Title/author from Markdown front matter or `Title:`/`Author:` lines; returns (fields, first body line)."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines) and not lines[i].text.strip(" \ufeff\t"):
        i += 1
    if i < len(lines) and lines[i].text.strip(" \ufeff\t") == "---":
        for j in range(i + 1, min(len(lines), i + 50)):
            if lines[j].text.strip() == "---":
                for line in lines[i + 1 : j]:
                    m = _HEADER_FIELD.match(line.text.strip())
                    if m:
                        fields[m.group("key").lower()] = m.group("value").strip("\"'")
                return fields, j + 1
        return fields, i
    j = i
    while j < len(lines):
        m = _HEADER_FIELD.match(lines[j].text.strip(" \ufeff\t"))
        if not m:
            break
        fields[m.group("key").lower()] = m.group("value")
        j += 1
    return (fields, j) if fields else ({}, i)


def _split_block(block: list[Line], blank_separated: bool) -> list[list[Line]]:
    """A run of non-blank lines -> paragraphs (lists of lines to join).

    Lines too long to be hard-wrapped are a paragraph each (a file with blank lines only between
    sections). In a file whose paragraphs are separated by blank lines, a block is one paragraph.
    Otherwise a short line that ends a sentence, an indented line, or a line opening a quote after
    one that ends a sentence starts a new paragraph."""
    if len(block) == 1:
        return [block]
    widths = [len(line.text.rstrip()) for line in block]
    width = max(widths)
    if width > _MAX_WRAP_WIDTH or (len(block) > 2 and all(_SENTENCE_END.search(line.text) for line in block)):
        return [[line] for line in block]
    if blank_separated:
        return [block]
    paragraphs: list[list[Line]] = [[block[0]]]
    for prev, line, prev_width in zip(block, block[1:], widths):
        ends_short = _SENTENCE_END.search(prev.text) and prev_width < 0.7 * width
        indented = line.text[:1] in (" ", "\t") and prev.text[:1] not in (" ", "\t")
        new_speech = _SENTENCE_END.search(prev.text) and _OPENS_QUOTE.match(line.text.lstrip())
        if ends_short or indented or new_speech:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def _paragraph(lines: list[Line], scene_break_before: bool) -> Paragraph | None:
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    length = 0
    end = lines[0].start
    for line in lines:
        raw = line.text
        lead = len(raw) - len(raw.lstrip(" \t\ufeff"))
        text = raw.strip(" \t\ufeff")
        if not text:
            continue
        if parts:
            length += 1  # the joining space
        pieces.append((length, line.offset(lead)))
        pieces.extend((length + at - lead, src) for at, src in line.pieces if lead < at < lead + len(text))
        parts.append(text)
        length += len(text)
        end = line.end if line.end >= 0 else line.start + lead + len(text)
    if not parts:
        return None
    return Paragraph(
        text=" ".join(parts),
        start=pieces[0][1],
        end=end,
        scene_break_before=scene_break_before,
        pieces=tuple(pieces),
    )


def read_text(source: str, path: str, stem: str) -> Book:
    """Split decoded source text into a Book."""
    lines = _lines(source)
    gutenberg = gutenberg_book(lines)
    if gutenberg:
        header, lines = gutenberg
    else:
        header, first = _read_header(lines)
        lines = lines[first:]
    if _is_markdown(path):
        lines = markdown_lines(lines)

    headings = [(i, h) for i, line in enumerate(lines) if (h := _heading_title(line))]
    book_title = header.get("title")
    # A lone Markdown H1 above lower-level headings is the book's title, not a chapter.
    h1 = [i for i, (_, level) in headings if level == 1]
    if len(h1) == 1 and headings[0][1][1] == 1 and any(level > 1 for _, (_, level) in headings):
        book_title = book_title or headings[0][1][0]
        headings = headings[1:]
        lines = lines[: h1[0]] + [Line("", lines[h1[0]].start)] + lines[h1[0] + 1 :]
    book_title = book_title or _prettify_stem(stem)

    # Chapter bodies: (title, lines) between headings.
    sections: list[tuple[str | None, list[Line]]] = []
    cursor = 0
    title: str | None = None
    for i, (heading, _) in headings:
        sections.append((title, lines[cursor:i]))
        title, cursor = heading, i + 1
    sections.append((title, lines[cursor:]))

    # Paragraphs separated by blank lines: then a block of wrapped lines is always one paragraph.
    gaps = sum(1 for a, b in zip(lines, lines[1:]) if a.text.strip() and not b.text.strip())
    chapters = _chapters(sections, gaps >= 3, "Opening" if headings else book_title)
    year = re.search(r"\b(1[0-9]{3}|2[0-9]{3})\b", header.get("year") or header.get("date") or "")
    return Book(
        title=book_title,
        author=header.get("author", "Unknown Author"),
        path=path,
        chapters=tuple(chapters),
        year=year.group(1) if year else "",
        narrator=header.get("narrator", ""),
    )


def _chapters(sections: list[tuple[str | None, list[Line]]], blank_separated: bool, untitled: str) -> list[ChapterText]:
    """Chapters of the sections between headings. A heading with nothing under it joins the next
    chapter's title ("Part Two" above "Chapter 1"), unless it is one of a contents list: a run of
    three or more such headings naming chapters that come again later is not read at all."""
    chapters: list[ChapterText] = []
    pending: list[str] = []
    titles = [title for title, _ in sections]
    for k, (title, body) in enumerate(sections):
        paragraphs = _spoken(_paragraphs(body, blank_separated))
        if title and paragraphs and (subtitle := _subtitle(title, paragraphs[0])):
            title, paragraphs = f"{title}. {subtitle}", paragraphs[1:]
        if not paragraphs:
            if title:
                pending.append(title)
            continue
        if len(pending) >= CONTENTS_RUN and set(pending) & set(titles[k:]):
            pending = []  # a table of contents
        full_title = " \u2014 ".join([*pending, title or untitled])
        pending = []
        chapters.append(ChapterText(index=len(chapters) + 1, title=full_title, paragraphs=tuple(paragraphs)))
    return chapters


# A chapter's subtitle on the line under a bare "CHAPTER I.": one short line in capitals.
_SUBTITLE = re.compile(r"^(?![\"\u201c\u2018'(\[])(?=(?:.*[A-Z]){2})[^a-z]{1,60}$")
_SUBTITLE_WORDS = 8
_MINOR_WORDS = frozenset("a an and as at but by for from in into nor of on or over the to upon with".split())


def _subtitle(title: str, first: Paragraph) -> str | None:
    """The subtitle that `first` is, under a heading that is only a label ("CHAPTER I"), in title case
    ("START IN LIFE." -> "Start in Life"); None when it is the chapter's first paragraph."""
    label = _HEADING.match(title)
    text = first.text.strip()
    if not label or label.group("title") or len(first.pieces) > 1 or not _SUBTITLE.match(text):
        return None
    words = text.rstrip(".").split()
    if not 0 < len(words) <= _SUBTITLE_WORDS or text.endswith(("!", "?", "\u2026")):
        return None
    cased = [w.lower() if i and w.lower() in _MINOR_WORDS else w.capitalize() for i, w in enumerate(words)]
    return " ".join(cased)


# A contents list is at least this many headings in a row with nothing under them.
CONTENTS_RUN = 3
# A paragraph that is only an editor's bracketed note (an illustration, a transcriber's note, a
# footnote's body: "[Footnote 1: ...]"), or a
# printed book's end mark in capitals ("THE END", "END OF VOL. I.", "FINIS"; a story's own "The end."
# is read).
_EDITORIAL = re.compile(
    r"""^(?:
        (?i:\[\s*(?:illustration|transcriber\W?s?\s+notes?|footnote)\b[^\]]*\])
      | (?:THE\s+)?END(?:\s+OF\s+(?:THE\s+)?(?:VOL(?:UME)?|BOOK|PART)\b[A-Z0-9\s.,]*?)?\.?
      | FINIS\.?
    )$""",
    re.VERBOSE,
)


def _spoken(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs a listener hears: an illustration's or transcriber's bracketed note, or "THE
    END", is not one (a scene break before it passes to the paragraph after it)."""
    out: list[Paragraph] = []
    carried = False
    for p in paragraphs:
        if _EDITORIAL.match(p.text):
            carried |= p.scene_break_before
            continue
        out.append(replace(p, scene_break_before=True) if carried and not p.scene_break_before else p)
        carried = False
    return out


def _paragraphs(body: list[Line], blank_separated: bool) -> list[Paragraph]:
    out: list[Paragraph] = []
    block: list[Line] = []
    scene_break = False

    def flush() -> None:
        nonlocal scene_break
        if block:
            for lines in _split_block(block, blank_separated):
                p = _paragraph(lines, scene_break and bool(out))
                if p:
                    out.append(p)
                    scene_break = False
            block.clear()

    for line in body:
        if line.kind == "break" or _SCENE_BREAK.match(line.text):
            flush()
            scene_break = True
        elif not line.text.strip(" \t\ufeff"):
            flush()
        else:
            block.append(line)
    flush()
    return out
