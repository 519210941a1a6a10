"""Ingest: a story file -> Book. Knows encodings and layouts; knows nothing of speakers or audio."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError
from ..model import Book
from .epub import is_epub, read_epub
from .html import HTML_SUFFIXES, is_html, read_html
from .text import MARKDOWN_SUFFIXES, read_text

__all__ = ["STORY_SUFFIXES", "decode", "load_book", "read_source"]

# The file names load_book reads as stories (a folder is searched for these: `audiobook batch`).
STORY_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES, ".epub", *HTML_SUFFIXES)


# Byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode(data: bytes, path: str) -> str:
    """Bytes -> text: UTF-8, or UTF-16 or UTF-32 marked with a byte-order mark; else an InputError
    naming the line and byte that do not decode.

    The mark is decoded with the rest and kept as U+FEFF at offset 0, whatever the encoding: every
    offset (a segment's start and end, a script file's [start:end]) counts characters of this
    decoded text, never bytes of the file, so a story saved as UTF-16 has the same offsets as the
    same story saved as UTF-8 with a mark."""
    encoding, name = "utf-8", "UTF-8"
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            encoding, name = codec, label
            break
    else:
        if b"\x00" in data[:65536]:
            if _looks_utf16(data):
                raise InputError(
                    f"{path}: looks like UTF-16 without a byte-order mark; save it as UTF-8 "
                    "(or as UTF-16 with a byte-order mark) and try again"
                )
            raise InputError(f"{path}: looks like a binary file, not text; give a .txt or .md story")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise InputError(
            f"{path}:{line}: not valid {name} (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 and try again"
        ) from exc
    if encoding != "utf-8" and "\x00" in text:
        raise InputError(f"{path}: looks like a binary file, not text; give a .txt or .md story")
    return text


def _looks_utf16(data: bytes) -> bool:
    """Mostly ASCII text in UTF-16: a NUL in every other byte, the same side each time."""
    head = data[: 4096 - 4096 % 2]
    return len(head) >= 8 and (head[1::2].count(0) > 0.9 * len(head) // 2 or head[0::2].count(0) > 0.9 * len(head) // 2)


def read_source(path: str | Path) -> str:
    """The story's text, checked: decoded as `decode` says (for UTF-8, exactly as
    `open(path, encoding="utf-8", newline="")` reads it; line ends are never translated)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give a .txt or .md story file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror}); check its permissions") from exc
    text = decode(data, str(p))
    if not text.strip(" \t\r\n\ufeff"):
        raise InputError(f"{p}: is empty; there is no story to read")
    return text


def load_book(path: str | Path, notes: str = "skip") -> Book:
    """Read a .txt, .md, .epub or .html story into chapters of paragraphs. `notes` is for an EPUB: "skip"
    reads no footnote or endnote, "chapter-end" reads those a chapter refers to at its end."""
    p = Path(path)
    if p.is_file() and is_epub(p):
        return read_epub(p, notes)
    if p.is_file() and is_html(p):
        return read_html(p, notes)
    text = read_source(p)
    book = read_text(text, str(p), p.stem)
    if not book.chapters:
        raise InputError(f"{p}: has headings but no paragraphs; there is no story to read")
    return book
