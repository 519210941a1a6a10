"""EPUB files for tests, written from our own sentences: EPUB 3 with a nav document or EPUB 2 with an
NCX, a cover, non-linear items, encryption.xml, missing members, on demand."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

# A tiny valid JPEG header is enough: the reader checks the magic bytes, not the picture.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


@dataclass
class Toc:
    """A table-of-contents entry: label, href (from the OPF's folder), entries under it."""

    label: str
    href: str
    children: list[Toc] = field(default_factory=list)


def page(body: str, lang: str = "en") -> str:
    """An XHTML document around `body` (EPUB 3's namespace for epub:type declared)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'xml:lang="{lang}"><head><title>t</title></head>\n<body>\n{body}\n</body></html>\n'
    )


def _nav(toc: list[Toc]) -> str:
    def items(entries: list[Toc]) -> str:
        out = []
        for e in entries:
            sub = f"<ol>{items(e.children)}</ol>" if e.children else ""
            out.append(f'<li><a href="{e.href}">{escape(e.label)}</a>{sub}</li>')
        return "".join(out)

    return page(f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>{items(toc)}</ol></nav>')


def _ncx(toc: list[Toc]) -> str:
    n = 0

    def points(entries: list[Toc]) -> str:
        nonlocal n
        out = []
        for e in entries:
            n += 1
            out.append(
                f'<navPoint id="np{n}" playOrder="{n}"><navLabel><text>{escape(e.label)}</text></navLabel>'
                f'<content src="{e.href}"/>{points(e.children)}</navPoint>'
            )
        return "".join(out)

    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        f"<head/><docTitle><text>t</text></docTitle><navMap>{points(toc)}</navMap></ncx>"
    )


def write_epub(
    path: Path,
    docs: list[tuple[str, str]],
    toc: list[Toc] | None = None,
    *,
    version: int = 3,
    title: str = "The Salt Road",
    author: str = "Wren Calloway",
    language: str = "en",
    date: str = "1911-04-02",
    cover: bytes | None = None,
    non_linear: tuple[str, ...] = (),
    extra: dict[str, bytes | str] | None = None,
    leave_out: tuple[str, ...] = (),
) -> Path:
    """An EPUB at `path`: `docs` are (file name, XHTML) in spine order, under OEBPS/. EPUB 3 gets a nav
    document (not in the spine) from `toc`; EPUB 2 an NCX. `leave_out` names members not written."""
    toc = toc or []
    files: dict[str, bytes | str] = {
        "META-INF/container.xml": (
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>"
        )
    }
    manifest = [
        f'<item id="d{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, (name, _) in enumerate(docs)
    ]
    linear = {name: ' linear="no"' if name in non_linear else "" for name, _ in docs}
    spine = [f'<itemref idref="d{i}"{linear[name]}/>' for i, (name, _) in enumerate(docs)]
    for name, body in docs:
        files[f"OEBPS/{name}"] = body
    meta = ""
    if version == 3:
        files["OEBPS/nav.xhtml"] = _nav(toc)
        manifest.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
    files["OEBPS/toc.ncx"] = _ncx(toc)
    manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
    if cover is not None:
        files["OEBPS/images/cover.jpg"] = cover
        props = ' properties="cover-image"' if version == 3 else ""
        manifest.append(f'<item id="cover-img" href="images/cover.jpg" media-type="image/jpeg"{props}/>')
        if version == 2:
            meta = '<meta name="cover" content="cover-img"/>'
    opf = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" '
        'unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:opf="http://www.idpf.org/2007/opf">'
        f'<dc:identifier id="uid">urn:uuid:1</dc:identifier><dc:title>{escape(title)}</dc:title>'
        f'<dc:creator opf:file-as="Calloway, Wren">{escape(author)}</dc:creator>'
        f"<dc:language>{language}</dc:language><dc:date>{date}</dc:date>{meta}</metadata>"
        f'<manifest>{"".join(manifest)}</manifest><spine toc="ncx">{"".join(spine)}</spine></package>'
    )
    files["OEBPS/content.opf"] = opf
    files.update(extra or {})
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, data in files.items():
            if name not in leave_out:
                zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path
