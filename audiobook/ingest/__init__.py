"""Ingest: a story file -> Book. Knows encodings and layouts; knows nothing of speakers or audio."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import Book
from .text import read_text

SUPPORTED = (".txt", ".md", ".markdown", ".text")

__all__ = ["SUPPORTED", "decode", "load_book", "read_source"]


def decode(data: bytes, path: str) -> str:
    """Bytes -> text, or an InputError naming the line and byte that are not UTF-8."""
    if b"\x00" in data[:65536]:
        raise InputError(f"{path}: looks like a binary file, not text; give a .txt or .md story")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 and try again"
        ) from exc


def read_source(path: str | Path) -> str:
    """The story's text exactly as `open(path, encoding="utf-8", newline="")` reads it, checked."""
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


def load_book(path: str | Path) -> Book:
    """Read a .txt or .md story into chapters of paragraphs."""
    p = Path(path)
    text = read_source(p)
    book = read_text(text, str(p), p.stem)
    if not book.chapters:
        raise InputError(f"{p}: has headings but no paragraphs; there is no story to read")
    return book
