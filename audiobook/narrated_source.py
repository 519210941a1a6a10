"""An EPUB in, the same EPUB out, narrated: the reader's own book, its XHTML, styles, images, fonts and
navigation kept, with a span and id around every line read (source_marks.py), a media overlay for each
document that holds one, the chapters' audio, and the package's overlay metadata. Nothing else changes:
every other member is copied byte for byte; the documents that gain ids are written again from their
trees (the same markup, HTML's named entities as the characters they stand for).

A line that cannot be found in its document (a block the reading changed) is left out of the overlay; a
chapter's announced title is shown on its heading."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree

from .cast import TITLE_RULE
from .epub_documents import ACTIVE_CLASS, EpubChapter, clock
from .files import atomic_path
from .ingest.epub_html import local_name
from .ingest.epub_package import href_path, open_package, opf_path, parse_xml
from .source_marks import XHTML, Located, Span, locate, places_of, whole_block, wrap

OPF = "http://www.idpf.org/2007/opf"
FOLDER = "audiobook"  # beside the package document: the overlays, the audio and the highlight's stylesheet
OVERLAY_CSS = f".{ACTIVE_CLASS} {{ background-color: #fff0a8; color: #000000; }}\n"


def is_epub3(source: Path) -> bool:
    """Whether `source` is an EPUB 3 (media overlays need one; an EPUB 2 is narrated in our own pages)."""
    try:
        pkg = open_package(source)
    except Exception:
        return False
    try:
        root = parse_xml(pkg.read(opf_path(pkg)))
        return root is not None and (root.get("version") or "").startswith("3")
    finally:
        pkg.zf.close()


@dataclass(frozen=True)
class Target:
    """A line to mark: where it is, its id and classes, and its clip."""

    span: Span
    ident: str
    classes: str
    chapter: EpubChapter
    start: float
    end: float


def _title_block(located: Located, ch: EpubChapter) -> int | None:
    """The heading just before a chapter's first line: where its announced title is shown."""
    first = next((line.segment for line in ch.lines if line.segment.rule != TITLE_RULE), None)
    if first is None:
        return None
    b = located.block_at(first.start)
    for k in range(b - 1, max(-1, b - 4), -1):
        if located.flat.blocks[k].heading and located.flat.blocks[k].text:
            return k
    return None


def targets(located: Located, chapters: Sequence[EpubChapter], classes: dict[str, tuple[str, str]]) -> list[Target]:
    """Every line with audio that can be found in the book's own documents."""
    out = []
    for ch in chapters:
        for i, (line, t) in enumerate(zip(ch.lines, ch.timings)):
            seg = line.segment
            if t.end <= t.start:
                continue
            if seg.rule == TITLE_RULE:
                block = _title_block(located, ch)
                span = whole_block(located, block) if block is not None else None
            else:
                span = places_of(located, seg.start, seg.end)
            if span is None:
                continue
            speaker = classes.get(seg.speaker or "", ("unknown", ""))[0]
            who = "narration" if seg.kind == "narration" else f"dialogue {speaker}"
            out.append(Target(span, f"ab-{ch.index}-{i}", who, ch, t.start, t.end))
    return out


def mark(located: Located, found: list[Target]) -> list[Target]:
    """Wrap every target in its document, each document's last first; the targets marked."""
    ours: set[str] = set()
    done = set()
    for t in sorted(found, key=lambda t: t.span.at, reverse=True):
        if wrap(t.span.first, t.span.last, t.ident, t.classes, ours):
            done.add(t.ident)
    return [t for t in found if t.ident in done]


def cover_gaps(chapters: Sequence[EpubChapter], marked: list[Target]) -> list[Target]:
    """The marked lines, each one's clip grown over the lines after it that could not be marked (or, at
    a chapter's start, back over those before): a reader plays only the clips of an overlay, and every
    line must be heard."""
    by_id = {t.ident: t for t in marked}
    out: list[Target] = []
    for ch in chapters:
        mine: list[Target] = []
        waiting = -1.0  # the start of lines not marked before the chapter's first marked one
        for i, t in enumerate(ch.timings):
            found = by_id.get(f"ab-{ch.index}-{i}")
            if found is not None:
                mine.append(replace(found, start=waiting) if waiting >= 0 else found)
                waiting = -1.0
            elif t.end > t.start and mine:
                mine[-1] = replace(mine[-1], end=t.end)
            elif t.end > t.start and waiting < 0:
                waiting = t.start
        out += mine
    return out


def _rel(path: str, start_file: str) -> str:
    return posixpath.relpath(path, posixpath.dirname(start_file) or ".")


def smil(document: str, path: str, lines: list[Target], audio: dict[int, str]) -> str:
    """A document's overlay: its lines in the order they are read."""
    pars = [
        f'<par id="par-{t.ident}"><text src="{_rel(document, path)}#{t.ident}"/>'
        f'<audio src="{_rel(audio[t.chapter.index], path)}" clipBegin="{clock(t.start)}" '
        f'clipEnd="{clock(t.end)}"/></par>'
        for t in lines
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
        "<body>\n" + "\n".join(pars) + "\n</body>\n</smil>\n"
    )


def overlay_ms(lines: list[Target]) -> int:
    """An overlay's duration: for each audio file it plays, from its first clip's start to its last's end."""
    spans: dict[int, tuple[float, float]] = {}
    for t in lines:
        lo, hi = spans.get(t.chapter.index, (t.start, t.end))
        spans[t.chapter.index] = (min(lo, t.start), max(hi, t.end))
    return sum(int(round((hi - lo) * 1000)) for lo, hi in spans.values())


def _link_stylesheet(root: Any, document: str, css: str) -> None:
    head = next((el for el in root.iter() if local_name(el) == "head"), None)
    if head is not None:
        link = etree.SubElement(head, f"{{{XHTML}}}link")
        link.set("rel", "stylesheet")
        link.set("type", "text/css")
        link.set("href", _rel(css, document))


def _serialise(root: Any) -> bytes:
    out: bytes = etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8")
    return out


def _item(manifest: Any, ident: str, href: str, media_type: str) -> None:
    item = etree.SubElement(manifest, f"{{{OPF}}}item")
    item.set("id", ident)
    item.set("href", href)
    item.set("media-type", media_type)


def _meta(metadata: Any, prop: str, value: str, refines: str = "") -> None:
    meta = etree.SubElement(metadata, f"{{{OPF}}}meta")
    meta.set("property", prop)
    if refines:
        meta.set("refines", refines)
    meta.text = value


@dataclass
class Additions:
    """What the narrated copy adds to the package: the overlay of each document (its path and length in
    ms), the chapters' audio by chapter number, the highlight's stylesheet."""

    overlays: dict[str, tuple[str, int]]
    audio: dict[int, str]
    css: str


def rewrite_opf(data: bytes, opf: str, add: Additions, modified: str) -> bytes:
    """The package document with the overlays, the audio and their metadata added, and its
    modification date moved to now."""
    root = parse_xml(data)
    assert root is not None  # open_package read it
    manifest, metadata = root.find(f"{{{OPF}}}manifest"), root.find(f"{{{OPF}}}metadata")
    items = {href_path(opf, item.get("href") or ""): item for item in manifest if item.get("href")}
    total = 0
    for n, (document, (overlay, ms)) in enumerate(add.overlays.items(), 1):
        items[document].set("media-overlay", f"audiobook-mo-{n}")
        _item(manifest, f"audiobook-mo-{n}", _rel(overlay, opf), "application/smil+xml")
        _meta(metadata, "media:duration", clock(ms / 1000), f"#audiobook-mo-{n}")
        total += ms
    for index, path in add.audio.items():
        _item(manifest, f"audiobook-audio-{index}", _rel(path, opf), "audio/mpeg")
    _item(manifest, "audiobook-css", _rel(add.css, opf), "text/css")
    for old in [m for m in metadata if m.get("property") in ("dcterms:modified", "media:active-class")]:
        metadata.remove(old)  # the book's own modification date and highlight give way to ours
    _meta(metadata, "media:duration", clock(total / 1000))
    _meta(metadata, "media:active-class", ACTIVE_CLASS)
    _meta(metadata, "dcterms:modified", modified)
    return _serialise(root)


def write_narrated_source(
    source: Path, dst: Path, chapters: Sequence[EpubChapter], classes: dict[str, tuple[str, str]], modified: str
) -> bool:
    """The narrated copy of the EPUB `source` into `dst`; False (writing nothing) when no line could be
    found in its documents."""
    pkg = open_package(source)
    try:
        opf = opf_path(pkg)
        located = locate(pkg)
        marked = cover_gaps(chapters, mark(located, targets(located, chapters, classes)))
        if not marked:
            return False
        folder = posixpath.join(posixpath.dirname(opf), FOLDER)
        played = sorted({t.chapter.index for t in marked})
        add = Additions({}, {i: f"{folder}/chapter-{i:03d}.mp3" for i in played}, f"{folder}/overlay.css")
        by_document: dict[str, list[Target]] = {}
        for t in marked:
            by_document.setdefault(t.span.document, []).append(t)
        files: dict[str, bytes] = {}
        for n, (document, lines) in enumerate(by_document.items(), 1):
            _link_stylesheet(located.trees[document], document, add.css)
            files[document] = _serialise(located.trees[document])
            overlay = f"{folder}/overlay-{n:03d}.smil"
            files[overlay] = smil(document, overlay, lines, add.audio).encode("utf-8")
            add.overlays[document] = (overlay, overlay_ms(lines))
        files[opf] = rewrite_opf(pkg.read(opf), opf, add, modified)
        files[add.css] = OVERLAY_CSS.encode("utf-8")
        audio = {add.audio[ch.index]: ch.audio for ch in chapters if ch.index in add.audio}
        _copy_zip(pkg.zf, dst, files, audio)
        return True
    finally:
        pkg.zf.close()


def _copy_zip(src: zipfile.ZipFile, dst: Path, replaced: dict[str, bytes], audio: dict[str, Path]) -> None:
    """`src` copied into `dst` (written whole, then renamed), the members in `replaced` with their new
    bytes, the new ones after them, the audio last (stored: it is compressed already)."""
    new = dict(replaced)
    with atomic_path(dst) as tmp, zipfile.ZipFile(tmp, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for info in src.infolist():
            if info.filename == "mimetype" or info.is_dir():
                continue
            data = new.pop(info.filename, None)
            out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            out.external_attr = info.external_attr
            z.writestr(out, src.read(info) if data is None else data, compress_type=info.compress_type)
        for name, data in new.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, path in audio.items():
            z.write(path, name, compress_type=zipfile.ZIP_STORED)
