"""An HTML book (.html, .htm, .xhtml: a Project Gutenberg HTML file, a saved web page) -> Book, read
as an EPUB's one document is (`epub_html.py`): what is skipped there is skipped here (Gutenberg's
`pg-boilerplate` header and licence, contents, page numbers, notes), and the chapters come from its
headings. Offsets index the text of its blocks, a blank line after each, as for an EPUB."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Book
from .epub import book_chapters, flatten_documents
from .epub_html import local_name, parse_document, read_document
from .text import title_from_stem

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# Gutenberg's <title>: "The Project Gutenberg eBook of Emma, by Jane Austen".
_PG_TITLE = re.compile(
    r"^(?:the\s+)?project\s+gutenberg\s+e-?book\s+of\s+(?P<title>.+?)(?:,\s+by\s+(?P<author>.+))?$", re.I
)
_MAX_BYTES = 64 * 1024 * 1024


def is_html(path: Path) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES


def read_html(path: str | Path, notes: str = "skip") -> Book:
    """Read an HTML book into chapters of paragraphs (see the module's docstring)."""
    p = Path(path)
    try:
        if p.stat().st_size > _MAX_BYTES:
            raise InputError(f"{p}: is over 64 MB, too large for a book's text; give the book as .txt or .epub")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror}); check the path and its permissions") from exc
    as_html = p.suffix.lower() != ".xhtml"
    flat = flatten_documents([read_document(p.name, data, as_html)])
    chapters = book_chapters(flat, [], notes)
    if not chapters:
        raise InputError(f"{p}: has no text to read; give a book with text")
    title, author, language = _about(data, as_html)
    return Book(
        title=title or title_from_stem(p.stem),
        author=author or "Unknown Author",
        path=str(p),
        chapters=tuple(chapters),
        language=language,
    )


def _about(data: bytes, as_html: bool) -> tuple[str, str, str]:
    """(title, author, language) from the head: Dublin Core metas, else <title> (Gutenberg's names
    both), and the root's lang."""
    root = parse_document(data, as_html)
    if root is None:
        return "", "", ""
    meta: dict[str, str] = {}
    title = ""
    for el in root.iter():
        name = local_name(el)
        if name == "meta" and el.get("content"):
            meta.setdefault((el.get("name") or el.get("property") or "").lower(), el.get("content", "").strip())
        elif name == "title" and not title:
            title = " ".join("".join(el.itertext()).split())
    author = meta.get("author") or meta.get("dc.creator") or ""
    m = _PG_TITLE.match(title)
    if m:  # its "by Jane Austen" before dc.creator's "Austen, Jane", the catalogue's order
        title, author = m.group("title"), m.group("author") or author
    title = meta.get("dc.title") or title
    language = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or meta.get("dc.language", "")
    return title, author, language
