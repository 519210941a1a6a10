"""Plain text and Markdown -> Book: chapters, paragraphs, scene breaks, with source offsets kept.

Offsets are into the text as read with `open(path, encoding="utf-8", newline="")`, so a
leading BOM counts as one character and CRLF line ends as two.

A .md/.markdown file goes through a Markdown parser first (see `markdown.py` for what is spoken
of links, images, code, HTML, lists, quotes and headings); every other file is plain text, read
as written (a Project Gutenberg text without its banner and licence: `gutenberg.py`). Both then
share the rules below: front matter or `Title:` lines, chapter headings
(Markdown levels 1-3, "Chapter N", "Prologue"), scene breaks, and paragraphs from wrapped lines.

The EPUB and HTML readers share them too, through the public names here: `HEADING`, `NAMED_HEADING`,
`heading_title`, `tidy_title`, `split_paragraphs`, `spoken_paragraphs`, `make_chapters`, `is_prose`,
`title_from_stem`: a book reads alike whatever file it comes in.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Book, ChapterText, Paragraph
from ..numerals import roman_value
from .gutenberg import gutenberg_book
from .lines import Line
from .markdown import markdown_lines

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_ORDINAL_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
)
_NUMBER = (
    rf"(?:\d+|[ivxlcdm]+|(?:the\s+)?(?:{_ORDINAL_WORDS})|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?)"
    r"(?![\w'\u2019])"
)
# "Chapter 1", "Chapter One: The Harbor", "CHAPTER IV.", "Part Two", "Book 3 - Title", "VOL. II.",
# "VOLUME THE SECOND", "Book the First--Recalled to Life"; chapters by another name, "Letter 1",
# "STAVE I.", "Canto II" (capitalised: "letter I." ending a wrapped line is prose).
HEADING = re.compile(
    r"^(?P<label>(?P<word>chapter|part|book|volume|vol|(?-i:Letter|LETTER|Stave|STAVE|Canto|CANTO))"
    rf"(?:\.\s*|\s+)(?P<number>{_NUMBER}))\.?"
    rf"(?:\s*(?:--|[:.\-\u2013\u2014])\s*(?P<title>\S.*?))?\s*$",
    re.IGNORECASE,
)
# Headings that are a name, not a number; notes, when they come after the last chapter, are not read.
NAMED_HEADING = re.compile(
    r"^(?:prologue|epilogue|interlude|afterword|foreword|preface|introduction|(?:foot|end)?notes)\s*[.:]?$",
    re.IGNORECASE,
)
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


MARKDOWN_SUFFIXES = (".md", ".markdown")


def _is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def heading_title(line: Line) -> tuple[str, int] | None:
    """(title, markdown level or 0) if the line is a chapter heading."""
    if line.kind == "heading":
        return line.title, line.level
    if line.kind == "break":
        return None
    stripped = line.text.strip()
    if stripped.endswith("]") and "[" not in stripped:
        stripped = stripped[:-1].rstrip()  # the end of an illustration's caption: "Chapter I.]"
    if len(stripped) > 100:
        return None
    m = _MD_HEADING.match(stripped) if not line.kind else None
    if m:
        return m.group("title").strip(), len(m.group("hashes"))
    m = HEADING.match(stripped)
    if m:
        title = m.group("title")
        return _label(m) + (f": {_title_case(title)}" if title else ""), 0
    if NAMED_HEADING.match(stripped) and not (line.kind and _NOTES.match(stripped.rstrip(".: "))):
        return _title_case(stripped.rstrip(".: ")), 0
    return None


_WORD_VALUES = {w: n for n, w in enumerate(_NUMBER_WORDS.split("|")[:19], 1)} | {
    w: 10 * n for n, w in enumerate(_NUMBER_WORDS.split("|")[19:], 2)
}
_ORDINAL_VALUES = {w: n for n, w in enumerate(_ORDINAL_WORDS.split("|"), 1)}


def _number_value(number: str) -> int | None:
    """The value of a heading's number: digits, a Roman numeral, words ("Twenty-One") or an ordinal
    ("the Second"); None for letters that only look like a Roman numeral ("IIII", "VX")."""
    n = number.lower()
    if n.isdigit():
        return int(n)
    words = n.replace("-", " ").split()
    if words and words[0] == "the":
        return _ORDINAL_VALUES.get(words[-1])
    if all(w in _WORD_VALUES for w in words):
        return sum(_WORD_VALUES[w] for w in words)
    value = roman_value(n)
    return value if value is not None else _ORDINAL_VALUES.get(n)


def _label(m: re.Match[str]) -> str:
    """A heading's label as shown and announced: its word in full and in title case, its number in
    digits ("CHAPTER IV." -> "Chapter 4", "VOL. II." -> "Volume 2", "Book the First" -> "Book 1");
    as written when the number is not one ("Chapter MIX")."""
    word = m.group("word").lower()
    value = _number_value(m.group("number"))
    if value is None:
        return " ".join(m.group("label").split())
    return f"{'volume' if word == 'vol' else word}".capitalize() + f" {value}"


# A title that opens with a bare Roman numeral as its number: "I: A Letter", "XII. The Return".
_NUMBERED_TITLE = re.compile(r"^(?P<number>[IVXLCDM]+)(?P<sep>[.:])\s+(?P<title>\S.*)$")


def tidy_title(title: str) -> str:
    """A title as the book's own table of contents gives it (an EPUB's), written as this module writes
    the headings it finds: the label's number in digits and capitals in title case ("CHAPTER I. START
    IN LIFE" -> "Chapter 1: Start in Life"), a bare Roman numeral before the name a chapter's number
    ("IV: The Arrival" -> "Chapter 4: The Arrival"), a number alone a chapter's ("XIV" -> "Chapter 14"), else as written
    but for title case; never with a full stop at its end ("The Corner Pub." -> "The Corner Pub")."""
    text = re.sub(r"(?<=[^.\s])\.$", "", " ".join(title.split()))
    m = HEADING.match(text)
    if m:
        return _label(m) + (f": {_title_case(m.group('title'))}" if m.group("title") else "")
    if re.fullmatch(r"\d+|[IVXLCDM]+", text) and (value := _number_value(text)) is not None and value <= 300:
        return f"Chapter {value}"  # a number alone ("XIV"), as a lone numeral in a text file is
    m = _NUMBERED_TITLE.match(text)
    if m and (value := _number_value(m.group("number"))) is not None:
        return f"Chapter {value}: {_title_case(m.group('title'))}"
    return _title_case(text)


def _title_case(text: str) -> str:
    """A title written in capitals, in title case ("START IN LIFE." -> "Start in Life."); a title
    with small letters as written."""
    if re.search(r"[a-z]", text):
        return text
    words = text.split()
    return " ".join(
        w.lower() if i and w.lower() in _MINOR_WORDS else "\u2014".join(part.capitalize() for part in w.split("\u2014"))
        for i, w in enumerate(words)
    )


def _headings(lines: list[Line]) -> list[tuple[int, tuple[str, int]]]:
    """(line index, (title, level)) of every chapter heading. A plain-text heading whose title goes on
    over one more line joins it (that line is blanked in `lines`); one that runs on into a
    paragraph is not a heading ("BOOK I. (Folio), CHAPTER I. (Sperm Whale).--This whale, among the"
    over the rest of the sentence)."""
    found = [(i, h) for i, line in enumerate(lines) if (h := heading_title(line))]
    if not any(HEADING.match(title) and not _division(title) for _, (title, _) in found):
        found = sorted(found + [(i, (title, 0)) for i, title in _numeral_headings(lines).items()])
    at = {i for i, _ in found}
    out = []
    for i, (title, level) in found:
        m = HEADING.match(lines[i].text.strip()) if not lines[i].kind else None
        run = 0
        while m and m.group("title") and i + run + 1 < len(lines) and lines[i + run + 1].text.strip():
            run += 1
            if i + run in at:
                run = 0
                break
        if run > 1:
            continue
        if run == 1:
            title = f"{title} {lines[i + 1].text.strip()}"
            lines[i + 1] = Line("", lines[i + 1].start)
        out.append((i, (title, level)))
    return out


# A chapter's number alone on its line ("II", "  VII.", "12"), as some books head their chapters.
_LONE_NUMERAL = re.compile(r"^\s*(?:(?P<roman>[IVXLC]+)|(?P<digits>[1-9]\d{0,2}))\.?\s*$")
_NUMERAL_RUN = 3
# Words under a lone number in digits, at the least, for it to be a chapter's: not a page's number.
_NUMBERED_CHAPTER_WORDS = 500


def _numeral_headings(lines: list[Line]) -> dict[int, str]:
    """{line index: "Chapter N"} of the chapters headed by their number alone (The Great Gatsby's
    centred "I", "II", "III"...), in a book with no other chapter headings: numbers alone between
    blank lines (or in a column of them: a contents list) that count 1, 2, 3... in order, at least
    three of them; the count may start again at 1 (a new part). Any other lone "I" (a pronoun, a line
    of verse) stays text, and numbers in digits count only with pages of prose between them."""
    out: dict[int, str] = {}
    for kind in ("roman", "digits"):
        for run in _counting_runs(_lone_numbers(lines, kind)):
            if kind == "digits" and not _far_apart(lines, [i for i, _ in run]):
                continue
            out.update((i, f"Chapter {v}") for i, v in run)
    return out


def _lone_numbers(lines: list[Line], kind: str) -> list[tuple[int, int]]:
    """(line index, value) of the lines that are a number of `kind` alone between blank lines (or
    other such numbers)."""

    def number(i: int) -> int | None:
        line = lines[i]
        m = _LONE_NUMERAL.match(line.text) if not line.kind and len(line.text) < 80 else None
        return _number_value(m.group(kind)) if m and m.group(kind) else None

    values = {i: v for i in range(len(lines)) if (v := number(i)) is not None}

    def alone(i: int) -> bool:
        return i < 0 or i >= len(lines) or not lines[i].text.strip() or i in values

    return [(i, v) for i, v in values.items() if alone(i - 1) and alone(i + 1)]


def _counting_runs(marks: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The runs of `marks` that count 1, 2, 3... (at least `_NUMERAL_RUN` long), skipping a mark that
    does not go on the count. A 1 starts the count again when a 2 comes before the count's next."""
    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    for k, (i, v) in enumerate(marks):
        if v == len(run) + 1:
            run.append((i, v))
        elif v == 1:
            following = [w for _, w in marks[k + 1 :] if w in (2, len(run) + 1)]
            if following and following[0] == 2 or not following:
                runs.append(run)
                run = [(i, v)]
    runs.append(run)
    return [r for r in runs if len(r) >= _NUMERAL_RUN]


def _far_apart(lines: list[Line], at: list[int]) -> bool:
    """Whether most of the numbers at lines `at` have a chapter's worth of words under them, not a
    page's (a contents list's numbers, with none, do not count)."""
    words = [sum(len(line.text.split()) for line in lines[a + 1 : b]) for a, b in zip(at, [*at[1:], len(lines)])]
    spaced = sorted(w for w in words if w)
    return bool(spaced) and spaced[len(spaced) // 2] >= _NUMBERED_CHAPTER_WORDS


def title_from_stem(stem: str) -> str:
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

    headings = _headings(lines)
    book_title = header.get("title")
    # A lone Markdown H1 above lower-level headings is the book's title, not a chapter.
    h1 = [i for i, (_, level) in headings if level == 1]
    if len(h1) == 1 and headings[0][1][1] == 1 and any(level > 1 for _, (_, level) in headings):
        book_title = book_title or headings[0][1][0]
        headings = headings[1:]
        lines = lines[: h1[0]] + [Line("", lines[h1[0]].start)] + lines[h1[0] + 1 :]
    book_title = book_title or title_from_stem(stem)

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
    chapters = make_chapters(sections, gaps >= 3, "Opening" if headings else book_title)
    year = re.search(r"\b(1[0-9]{3}|2[0-9]{3})\b", header.get("year") or header.get("date") or "")
    return Book(
        title=book_title,
        author=header.get("author", "Unknown Author"),
        path=path,
        chapters=tuple(chapters),
        year=year.group(1) if year else "",
        narrator=header.get("narrator", ""),
        language=header.get("language", ""),
    )


def make_chapters(
    sections: list[tuple[str | None, list[Line]]], blank_separated: bool, untitled: str
) -> list[ChapterText]:
    """Chapters of the sections between headings, titled as `_Titles` says. Not chapters: a section
    with no heading and no prose (a title page, "by Author", a publisher's lines) when the book has
    headings, and notes after the last chapter ("NOTES", "FOOTNOTES", "ENDNOTES")."""
    chapters: list[ChapterText] = []
    titles = _Titles([_key(title) for title, _ in sections])
    for k, (title, body) in enumerate(sections):
        paragraphs = spoken_paragraphs(split_paragraphs(body, blank_separated))
        if title and paragraphs and (subtitle := _subtitle(title, paragraphs[0], _adjacent(body, paragraphs[0]))):
            title, paragraphs = f"{title}. {subtitle}", paragraphs[1:]
        if not paragraphs:
            if title:
                titles.pending.append(title)
            continue
        full_title = titles.chapter(k, title)
        if full_title is None and untitled == "Opening":
            paragraphs = _without_imprint(paragraphs)
            if not any(map(is_prose, paragraphs)):
                continue  # front matter
        chapters.append(ChapterText(len(chapters) + 1, full_title or untitled, tuple(paragraphs)))
    return _without_colophon(_without_end_notes(chapters))


# A line of a book's imprint page: its copyright, rights, ISBN, publisher, printer, catalogue data.
_IMPRINT = re.compile(
    r"copyright\b|\u00a9|\(c\)\s*\d{4}|all rights reserved|\bISBN\b|\b(?:first\s+)?published\s+(?:in\s+)?\d{4}|"
    r"printed\s+(?:and\s+bound\s+)?(?:in|by)\b|cataloguing|cataloging|library of congress",
    re.IGNORECASE,
)


IMPRINT_ENDS = 20


def _without_imprint(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The text before the first heading without its imprint page: from a line that names a copyright,
    an ISBN, a publisher's or printer's year, every line up to the next sentence of prose that names
    none of them and runs to IMPRINT_ENDS words at least ("Copyright (c) 1997 ...", "Typeset in ...",
    "ISBN 1 86330 595 5", "364.1680922" go; the preface after them stays)."""
    out: list[Paragraph] = []
    in_imprint = False
    for p in paragraphs:
        marked = bool(_IMPRINT.search(p.text))
        in_imprint = marked or (in_imprint and not (is_prose(p) and len(p.text.split()) >= IMPRINT_ENDS))
        if not in_imprint:
            out.append(p)
    return out


# A printer's colophon after the story's end: "CHISWICK PRESS:--CHARLES WHITTINGHAM AND CO. TOOKS COURT,
# CHANCERY LANE, LONDON.", "PRINTED BY SMITH AND SONS, EDINBURGH." (in capitals, a few words).
_COLOPHON = re.compile(r"\b(?:PRESS|PRINTED|PRINTERS?|&\s*CO\.?|AND\s+CO\.?)(?!\w)")
_COLOPHON_WORDS = 30


def _without_colophon(chapters: list[ChapterText]) -> list[ChapterText]:
    """The chapters without the printer's lines at the end of the last one: its last paragraphs when
    they are short, in capitals and name a press or a printer."""
    if not chapters:
        return chapters
    paragraphs = list(chapters[-1].paragraphs)
    while len(paragraphs) > 1 and _is_colophon(paragraphs[-1].text):
        paragraphs.pop()
    return [*chapters[:-1], replace(chapters[-1], paragraphs=tuple(paragraphs))]


def _is_colophon(text: str) -> bool:
    return not re.search(r"[a-z]", text) and len(text.split()) <= _COLOPHON_WORDS and bool(_COLOPHON.search(text))


# A note as an end-notes section numbers it: "1. Words by ...", "[2] See above".
_NUMBERED_NOTE = re.compile(r"^\[?\d{1,3}[.\])]\s")


def _without_end_notes(chapters: list[ChapterText]) -> list[ChapterText]:
    """The chapters without the notes after the last one: a section headed "NOTES" ("FOOTNOTES",
    "ENDNOTES"), or notes grouped under their chapters' names again ("Chapter 1" over "1. Words by
    ...", after the book's own Chapter 1 and all the rest): a trailing chapter that repeats an
    earlier chapter's name and opens with a numbered note."""
    while len(chapters) > 1:
        last = chapters[-1]
        named_notes = all(_NOTES.match(t) for t in last.title.rpartition(", ")[2].split(" \u2014 "))
        earlier = {_key(ch.title) for ch in chapters[:-1]}
        regrouped = _key(last.title) in earlier and bool(_NUMBERED_NOTE.match(last.paragraphs[0].text))
        if not (named_notes or regrouped):
            break
        chapters.pop()
    return chapters


class _Titles:
    """Chapter titles as the headings above each chapter make them.

    - A heading with nothing under it joins the next chapter's title ("Prologue — Chapter 1").
    - A volume, part or book heading ("VOL. II.", "PART ONE", "BOOK THE THIRD") names every chapter
      after it until the next one of its kind: "Volume 2, Chapter 1", "Part 1, Book 2, Chapter 3"
      (a part starts its books afresh). Its own name ("Book the First--Recalled to Life") is not kept.
    - A contents list, a run of three or more headings with nothing under them naming headings that
      come again later, is not read and names nothing; nor is the contents' last line when prose
      follows it (a preface under the list): that prose has no heading.
    """

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.pending: list[str] = []
        self.divisions: list[str] = []

    def chapter(self, k: int, title: str | None) -> str | None:
        """The full title of section `k`'s chapter (None: it has no heading of its own)."""
        later = set(self.keys[k + 1 :])
        pending, self.pending = self.pending, []
        if len(pending) + bool(title) >= CONTENTS_RUN and {_key(h) for h in pending} & ({_key(title)} | later):
            last = max((i for i, h in enumerate(pending) if not _division(h)), default=-1)
            pending = pending[last + 1 :]  # only the divisions after the list are the book's own
            if title and not pending and _key(title) in later:
                title = None
        joined = []
        for heading in pending:
            if division := _division(heading):
                self._enter(division)
            else:
                joined.append(heading)
        outer = list(self.divisions)
        if title and (division := _division(title)):
            self._enter(division)
            outer = self.divisions[:-1]
        if title is None and not joined:
            return None
        named = " \u2014 ".join([*joined, title or "Opening"])
        return ", ".join([*outer, named])

    def _enter(self, division: str) -> None:
        """A new volume, part or book: it replaces the one of its kind and every one inside it."""
        kind = division.split()[0]
        kinds = [d.split()[0] for d in self.divisions]
        self.divisions = (self.divisions[: kinds.index(kind)] if kind in kinds else self.divisions) + [division]


_DIVISION = re.compile(r"^(?P<label>(?:Volume|Part|Book) \d+)\b")
_NOTES = re.compile(r"^(?:foot|end)?notes$", re.IGNORECASE)


def _division(title: str) -> str | None:
    """The division ("Volume 2") when the title is a volume, part or book heading ("Volume 2. The
    Return"); else None."""
    m = HEADING.match(title)
    if not m or m.group("word").lower() == "chapter":
        return None
    label = _label(m)
    return label if _DIVISION.match(label) else None


def _key(title: str | None) -> str:
    """What a heading is called for comparing a contents list with the book: its label ("chapter 4")
    or its whole title."""
    if title is None:
        return ""
    m = HEADING.match(title)
    return (_label(m) if m else title).lower()


_PROSE_WORDS = 8


def is_prose(p: Paragraph) -> bool:
    """A paragraph with a sentence of prose in it, not a title page's lines ("THE COUNT OF MONTE
    CRISTO", "by Alexandre Dumas", "Contents", a publisher's address) nor a contents list's entry
    ("CHAPTER 56. Of the Less Erroneous Pictures of Whales...")."""
    if _LIST_ENTRY.match(p.text):
        return False
    words = p.text.split()
    lower = sum(c.islower() for c in p.text)
    return (
        len(words) >= _PROSE_WORDS
        and lower > 2 * sum(c.isupper() for c in p.text)
        and bool(re.search(r"[a-z,;][.!?]", p.text))
    )


# A chapter's subtitle on the line under a bare "CHAPTER I.": one short line in capitals.
_SUBTITLE = re.compile(r"^(?![\"\u201c\u2018'(\[])(?=(?:.*[A-Z]){2})[^a-z]{1,60}$")
_SUBTITLE_WORDS = 8
_MINOR_WORDS = frozenset("a an and as at but by for from in into nor of on or over the to upon with".split())


def _subtitle(title: str, first: Paragraph, adjacent: bool) -> str | None:
    """The subtitle that `first` is, under a heading that is only a label ("CHAPTER I"), in title case
    ("START IN LIFE." -> "Start in Life"); or in title case already on the very next line
    ("CHAPTER I." over "The Period", or one word of three letters or more with no stop after it,
    "Knitting"). None when it is the chapter's first paragraph."""
    label = HEADING.match(title)
    text = first.text.strip()
    if not label or label.group("title") or len(first.pieces) > 1:
        return None
    one_word = " " not in text and sum(c.isalpha() for c in text) >= 3 and text[-1:].isalnum()
    title_cased = adjacent and _TITLE_CASED.match(text) and (" " in text or one_word) and not text.endswith(".")
    if not (_SUBTITLE.match(text) or title_cased):
        return None
    words = text.rstrip(".").split()
    if not 0 < len(words) <= _SUBTITLE_WORDS or text.endswith(("!", "?", "\u2026")):
        return None
    return _title_case(" ".join(words))


# Every word capitalised but the small ones ("The Period", "A Merry Christmas", "Mr. Wren's Journey").
_TITLE_CASED = re.compile(
    rf"^(?![\"\u201c\u2018'(\[])[A-Z][\w'\u2019.,-]*(?:\s+(?:[A-Z][\w'\u2019.,-]*|{'|'.join(sorted(_MINOR_WORDS))}))*$"
)


def _adjacent(body: list[Line], first: Paragraph) -> bool:
    """Whether `first` is the line right under the heading, no blank line between."""
    return bool(body) and body[0].text.strip() == first.text


# A contents list is at least this many headings in a row with nothing under them.
CONTENTS_RUN = 3
# A paragraph that is only an editor's bracketed note (an illustration, a transcriber's note, a
# footnote's body: "[Footnote 1: ...]"), or a
# printed book's end mark in capitals ("THE END", "END OF VOL. I.", "FINIS"; a story's own "The end."
# is read).
_EDITORIAL = re.compile(
    r"""^(?:
        (?i:\[\s*(?:illustration|transcriber\W?s?\s+notes?|footnote)\b[^\]]*\])
      | (?i:\[\s*illustration\b[^\]]*)  # one whose text runs over a blank line
      | (?:THE\s+)?END(?:\s+OF\s+(?:THE\s+)?(?:VOL(?:UME)?|BOOK|PART)\b[A-Z0-9\s.,]*?)?\.?
      | FINIS\.?
    )$""",
    re.VERBOSE,
)


# A paragraph that lists chapters (three or more "CHAPTER I  The Period") or pages ("Frontispiece   iv")
# and holds no sentence: a contents list or a list of illustrations.
_LIST_ENTRY = re.compile(
    rf"\b(?:chapter|part|book|volume)\s+{_NUMBER}|\S {{3,}}(?:\d{{1,4}}|[ivxlc]{{1,7}})(?!\S)", re.I
)
_LIST_ENTRIES = 3
# The heading of such a list as a paragraph of its own ("Footnotes" only when a note follows it).
_LIST_HEADING = re.compile(r"^(?:(?:table of )?contents|(?:list of )?illustrations|page)\s*[.:]?$", re.I)
# A note's body after its chapter or at the book's end: "[1] The miser in the comedy." (its mark in
# the text, "clear[1]", is not spoken either: speech.py).
# An illustration's file name left in the text ("20009m"), never a word.
_IMAGE_ID = re.compile(r"^\d{3,}[a-z]?$")
_NOTE_BODY = re.compile(r"^\[(?:\d{1,3}|\*|[a-z])\]\s*\S")


# An editor's note that opens a paragraph: "[Illustration: ...", "[Transcriber's Note: ...", "[Footnote 1: ...".
_NOTE_OPEN = re.compile(r"\[\s*(?:illustration|transcriber\W?s?\s+notes?|footnote)\b", re.I)


def _bracketed_note(text: str) -> bool:
    """Whether `text` is only an editor's note, brackets inside it and all: "[Illustration: "The
    entreaties of several" [_Copyright 1894 by George Allen._]]" (its bracket closes at its end), or
    the start of an illustration's caption that the next paragraphs go on with (`_caption_run`)."""
    if not _NOTE_OPEN.match(text):
        return False
    depth = 0
    for k, c in enumerate(text):
        depth += (c == "[") - (c == "]")
        if depth == 0:
            return k == len(text) - 1
    return text[1:].lstrip()[:12].lower() == "illustration"  # a caption that goes on over a blank line


def _unread(p: Paragraph, after: Paragraph | None) -> bool:
    """Whether a listener does not hear paragraph `p` (`after` is the next one): an editor's note, an
    end mark, a contents list or its heading, a note's body or the "Notes" above it."""
    text = p.text
    if _EDITORIAL.match(text) or _LIST_HEADING.match(text) or _NOTE_BODY.match(text) or _IMAGE_ID.match(text):
        return True
    if _bracketed_note(text):
        return True
    if _NOTES.match(text.rstrip(".: ")) and after is not None and _NOTE_BODY.match(after.text):
        return True
    return len(_LIST_ENTRY.findall(text)) >= _LIST_ENTRIES and not re.search(r"[a-z,;][.!?](?:\s|$)", text)


_CAPTION_PARAGRAPHS = 6


def _caption_run(paragraphs: list[Paragraph], k: int) -> int:
    """How many paragraphs after paragraph `k` are the rest of an illustration's caption that it opens
    and does not close ("[Illustration:", a blank line, "He rode a black horse", "]"): up to the one
    that closes its bracket, if one does within a few paragraphs; else 0."""
    if not re.match(r"\[\s*illustration\b", paragraphs[k].text, re.I):
        return 0
    depth = 0
    for n, p in enumerate(paragraphs[k : k + _CAPTION_PARAGRAPHS]):
        depth += p.text.count("[") - p.text.count("]")
        if depth <= 0:
            return n
    return 0


# A list's entry with its page number set off after it ("Frontispiece      iv", ""He rode a black
# horse"    10", "The Inn ........ 14"): a paragraph of a few words that ends so.
_PAGE_ENTRY = re.compile(r"^(?=(?:\S+\s+){0,39}\S+$).*\S(?: {2,}|\s*\.{3,}\s*)(?:\d{1,4}|[ivxlc]{1,7})$")


def _page_list(paragraphs: list[Paragraph]) -> set[int]:
    """The indices of the paragraphs that are entries of a list of pages, a list of illustrations or
    a contents list set out an entry a paragraph: three or more in a row, each ending with its page."""
    out: set[int] = set()
    run: list[int] = []
    for k, p in enumerate([*paragraphs, None]):
        if p is not None and _PAGE_ENTRY.match(p.text):
            run.append(k)
            continue
        if len(run) >= _LIST_ENTRIES:
            out.update(run)
        run = []
    return out


def spoken_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs a listener hears: an illustration's or transcriber's bracketed note, "THE
    END", or a list of pages is not one (a scene break before it passes to the paragraph after it)."""
    out: list[Paragraph] = []
    carried = False
    caption = 0  # paragraphs left of an illustration's caption that runs over blank lines
    listed = _page_list(paragraphs)
    for k, (p, after) in enumerate(zip(paragraphs, [*paragraphs[1:], None])):
        if caption or k in listed or _unread(p, after):
            caption = max(caption - 1, 0) or _caption_run(paragraphs, k)
            carried |= p.scene_break_before
            continue
        out.append(replace(p, scene_break_before=True) if carried and not p.scene_break_before else p)
        carried = False
    return out


def split_paragraphs(body: list[Line], blank_separated: bool) -> list[Paragraph]:
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
