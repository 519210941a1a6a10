"""The documents of the narrated EPUB (narrated_epub.py): the chapters' XHTML and SMIL, the stylesheet,
the navigation document, the cover page and the package document, each as a string. Pure: no files.

Each spoken line is one element, `seg-N` (N: its index in the chapter's `segments` in book.json), whose
text is exactly the line's text; a quote's marks lie outside it. Its class says who speaks it:
`narration`, or `dialogue` and `speaker-<name>` (or `unknown`).
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .assemble import Timing
from .assemble import clock as timestamp
from .cast import TITLE_RULE
from .model import OPENING_TITLE, BookInfo, CastLine, Script

ACTIVE_CLASS = "-epub-media-overlay-active"  # the class a reader gives the line being read
# A colour per speaking character, in order of lines spoken; each is dark enough on white for body text
# (contrast at least 4.5:1). Narration keeps the reader's own colour.
COLOURS = (
    "#1f5fa8",
    "#a8321f",
    "#2e7d32",
    "#7b3fa0",
    "#9c4f00",
    "#00796b",
    "#ad1457",
    "#5d4037",
    "#3949ab",
    "#6b6b00",
    "#c62828",
    "#01579b",
)
UNKNOWN_COLOUR = "#595959"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class EpubChapter:
    """A rendered chapter as the EPUB needs it: its lines and when each plays in `audio`."""

    index: int
    title: str
    lines: tuple[CastLine, ...]
    timings: tuple[Timing, ...]
    audio: Path  # the re-encoded audio, in the work folder
    duration: float
    scene_breaks: frozenset[int]

    @property
    def name(self) -> str:
        """The file name of its documents inside the EPUB, without extension."""
        return f"chapter-{self.index:03d}"


def speaker_classes(script: Script) -> dict[str, tuple[str, str]]:
    """Each speaking character's class and colour: `speaker-<name>` (letters and digits, unique), the
    colours in order of lines spoken."""
    speaking = sorted((c for c in script.characters if c.lines), key=lambda c: -c.lines)
    out: dict[str, tuple[str, str]] = {}
    used = set()
    for i, c in enumerate(speaking):
        slug = re.sub(r"[^a-z0-9]+", "-", c.name.lower()).strip("-") or "character"
        name, n = f"speaker-{slug}", 2
        while name in used:
            name, n = f"speaker-{slug}-{n}", n + 1
        used.add(name)
        out[c.name] = (name, COLOURS[i % len(COLOURS)])
    return out


def clock(seconds: float) -> str:
    """A SMIL full clock value to the millisecond: "0:01:02.345"."""
    return timestamp(seconds, hour_digits=1)


def _x(text: str) -> str:
    """Text for XML content or a quoted attribute (characters XML cannot hold dropped)."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _attr(text: str) -> str:
    return _x(" ".join(text.split()))


XHTML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" '
    'xml:lang="{lang}">\n<head>\n<title>{title}</title>\n'
    '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
)


def xhtml(lang: str, title: str, body: str) -> str:
    """A whole XHTML content document around `body` (already markup)."""
    head = XHTML_HEAD.format(lang=_attr(lang), title=_x(" ".join(title.split()) or "Untitled"))
    return f"{head}<body>\n{body}\n</body>\n</html>\n"


def line_markup(i: int, line: CastLine, classes: dict[str, tuple[str, str]]) -> str:
    """One spoken line as an element with its id and speaker class; a quote between its marks."""
    seg = line.segment
    if seg.kind == "narration":
        return f'<span id="seg-{i}" class="narration">{_x(seg.text)}</span>'
    who = classes[seg.speaker][0] if seg.speaker in classes else "unknown"
    return f'\u201c<span id="seg-{i}" class="dialogue {who}">{_x(seg.text)}</span>\u201d'


def chapter_body(ch: EpubChapter, classes: dict[str, tuple[str, str]]) -> str:
    """A chapter's heading (its announced title is a line of the overlay) and its paragraphs, a scene
    break as a rule between them."""
    out: list[str] = []
    parts: list[str] = []
    para: int | None = None
    titled = False
    for i, line in enumerate(ch.lines):
        seg = line.segment
        if seg.rule == TITLE_RULE and seg.paragraph < 0:
            out.append(f'<h1><span id="seg-{i}" class="narration title">{_x(seg.text)}</span></h1>')
            titled = True
            continue
        if seg.paragraph != para:
            if parts:
                out.append("<p>" + " ".join(parts) + "</p>")
                parts = []
            if para is not None and any(para < p <= seg.paragraph for p in ch.scene_breaks):
                out.append('<hr class="scene-break"/>')
            para = seg.paragraph
        parts.append(line_markup(i, line, classes))
    if parts:
        out.append("<p>" + " ".join(parts) + "</p>")
    if not titled and ch.title.strip() and ch.title != OPENING_TITLE:
        out.insert(0, f"<h1>{_x(ch.title.strip())}</h1>")
    return f'<section epub:type="chapter" id="chapter-{ch.index}">\n' + "\n".join(out) + "\n</section>"


def chapter_xhtml(ch: EpubChapter, classes: dict[str, tuple[str, str]], lang: str) -> str:
    """A chapter's XHTML document."""
    return xhtml(lang, ch.title if ch.title != OPENING_TITLE else "", chapter_body(ch, classes))


def has_overlay(ch: EpubChapter) -> bool:
    """Whether any line of the chapter has audio (a chapter whose every line failed has no overlay)."""
    return any(t.end > t.start for t in ch.timings)


def chapter_smil(ch: EpubChapter) -> str:
    """A chapter's media overlay: each line with audio as a `par` of its element and its clip."""
    pars = [
        f'<par id="par-{i}"><text src="{ch.name}.xhtml#seg-{i}"/>'
        f'<audio src="audio/{ch.name}.mp3" clipBegin="{clock(t.start)}" clipEnd="{clock(t.end)}"/></par>'
        for i, t in enumerate(ch.timings)
        if t.end > t.start
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
        f'<body>\n<seq id="seq-{ch.index}" epub:textref="{ch.name}.xhtml#chapter-{ch.index}">\n'
        + "\n".join(pars)
        + "\n</seq>\n</body>\n</smil>\n"
    )


def stylesheet(classes: dict[str, tuple[str, str]]) -> str:
    """The book's CSS: plain text, a colour per speaking character, the highlight of the line read."""
    rules = [
        "body { line-height: 1.5; }",
        "h1 { text-align: center; margin: 1em 0 1.5em; }",
        "p { margin: 0 0 0.8em; }",
        "hr.scene-break { border: 0; border-top: 1px solid #999999; width: 30%; margin: 1.5em auto; }",
        "img.cover { display: block; max-width: 100%; max-height: 100%; margin: 0 auto; }",
        f".{ACTIVE_CLASS} {{ background-color: #fff0a8; color: #000000; }}",
        f".dialogue.unknown {{ color: {UNKNOWN_COLOUR}; }}",
    ]
    rules += [f".dialogue.{name} {{ color: {colour}; }}" for name, colour in classes.values()]
    return "\n".join(rules) + "\n"


def nav_xhtml(chapters: Sequence[EpubChapter], lang: str, title: str) -> str:
    """The navigation document: the chapters, in order."""
    items = "\n".join(f'<li><a href="{ch.name}.xhtml">{_x(chapter_label(ch))}</a></li>' for ch in chapters)
    body = f'<nav epub:type="toc" id="toc">\n<h1>{_x(title)}</h1>\n<ol>\n{items}\n</ol>\n</nav>'
    return xhtml(lang, title, body)


def chapter_label(ch: EpubChapter) -> str:
    """How the contents name a chapter."""
    return " ".join(ch.title.split()) or f"Chapter {ch.index}"


def cover_xhtml(href: str, lang: str, title: str) -> str:
    """The first page: the cover image."""
    return xhtml(lang, title, f'<div><img class="cover" src="{href}" alt="{_attr(title)}"/></div>')


def cover_svg(info: BookInfo) -> str:
    """A plain cover for a book that has none: its title and author on a dark ground."""
    lines = textwrap.wrap(" ".join(info.title.split()), 18)[:6] or ["Untitled"]
    y = 360 - 30 * (len(lines) - 1)
    texts = [
        f'<text x="300" y="{y + 64 * k}" font-size="52" text-anchor="middle">{_x(t)}</text>'
        for k, t in enumerate(lines)
    ]
    if info.author:
        texts.append(f'<text x="300" y="760" font-size="34" text-anchor="middle">{_x(info.author[:40])}</text>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 600 900" width="600" height="900">\n'
        '<rect width="600" height="900" fill="#23395b"/>\n<g fill="#ffffff" font-family="serif">\n'
        + "\n".join(texts)
        + "\n</g>\n</svg>\n"
    )


CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>\n'
    "</container>\n"
)


@dataclass(frozen=True)
class PackageInfo:
    """What the package document says of the book besides its chapters."""

    identifier: str
    info: BookInfo
    language: str
    modified: str
    cover_href: str  # "cover.jpg" or "cover.svg"


def _metadata(p: PackageInfo, chapters: Sequence[EpubChapter]) -> list[str]:
    """The package's metadata: Dublin Core, the narrator, and the overlays' durations (the total is the
    sum of the chapters', to the millisecond, as epubcheck checks)."""
    info = p.info
    meta = [
        f'<dc:identifier id="bookid">{_x(p.identifier)}</dc:identifier>',
        f"<dc:title>{_x(' '.join(info.title.split()) or 'Untitled')}</dc:title>",
        f"<dc:language>{_x(p.language)}</dc:language>",
        f'<meta property="dcterms:modified">{p.modified}</meta>',
        f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>',
    ]
    if info.author.strip():
        meta.insert(2, f"<dc:creator>{_x(' '.join(info.author.split()))}</dc:creator>")
    if re.fullmatch(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?", info.year):
        meta.append(f"<dc:date>{info.year}</dc:date>")
    if info.narrator.strip():
        meta.append(f'<meta property="media:narrator">{_x(" ".join(info.narrator.split()))}</meta>')
    total = 0
    for ch in chapters:
        if has_overlay(ch):
            ms = int(round(ch.duration * 1000))
            total += ms
            meta.append(f'<meta property="media:duration" refines="#mo-{ch.index}">{clock(ms / 1000)}</meta>')
    meta.append(f'<meta property="media:duration">{clock(total / 1000)}</meta>')
    return meta


def package_opf(p: PackageInfo, chapters: Sequence[EpubChapter]) -> str:
    """The package document: metadata, every file, the reading order (the cover, then the chapters)."""
    kind = "image/svg+xml" if p.cover_href.endswith(".svg") else "image/jpeg"
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
        f'<item id="cover-image" href="{p.cover_href}" media-type="{kind}" properties="cover-image"/>',
        '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
    ]
    spine = ['<itemref idref="cover"/>']
    for ch in chapters:
        overlay = f' media-overlay="mo-{ch.index}"' if has_overlay(ch) else ""
        items.append(f'<item id="ch-{ch.index}" href="{ch.name}.xhtml" media-type="application/xhtml+xml"{overlay}/>')
        if overlay:
            items.append(f'<item id="mo-{ch.index}" href="{ch.name}.smil" media-type="application/smil+xml"/>')
            items.append(f'<item id="audio-{ch.index}" href="audio/{ch.name}.mp3" media-type="audio/mpeg"/>')
        spine.append(f'<itemref idref="ch-{ch.index}"/>')
    lang = _attr(p.language)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="{lang}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(_metadata(p, chapters))
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(items)
        + "\n</manifest>\n<spine>\n"
        + "\n".join(spine)
        + "\n</spine>\n</package>\n"
    )


def package_files(
    p: PackageInfo, chapters: Sequence[EpubChapter], classes: dict[str, tuple[str, str]], cover: bytes | None
) -> list[tuple[str, bytes]]:
    """Every file of the EPUB but the mimetype and the audio, as (path in the zip, bytes)."""
    lang, title = p.language, p.info.title
    image = cover if cover is not None else cover_svg(p.info).encode("utf-8")
    files = [
        ("META-INF/container.xml", CONTAINER),
        ("EPUB/package.opf", package_opf(p, chapters)),
        ("EPUB/nav.xhtml", nav_xhtml(chapters, lang, title)),
        ("EPUB/style.css", stylesheet(classes)),
        ("EPUB/cover.xhtml", cover_xhtml(p.cover_href, lang, title)),
    ]
    for ch in chapters:
        files.append((f"EPUB/{ch.name}.xhtml", chapter_xhtml(ch, classes, lang)))
        if has_overlay(ch):
            files.append((f"EPUB/{ch.name}.smil", chapter_smil(ch)))
    out = [(name, text.encode("utf-8")) for name, text in files]
    return [*out, (f"EPUB/{p.cover_href}", image)]
