"""Project Gutenberg plain texts: only the book is read, never the banner above it or the licence below.

A Gutenberg text is recognised by its markers, `*** START OF THE PROJECT GUTENBERG EBOOK <TITLE> ***` and
`*** END OF THE PROJECT GUTENBERG EBOOK <TITLE> ***` (older files say "THIS" for "THE"). The book's
title and author come from the fields of the header above the start marker (`Title:`, `Author:`, a
long value continued on indented lines); a "Produced by ..." credit just under the start marker is
not the book either. Lines keep their source offsets: a segment can still be found in the file.
"""

from __future__ import annotations

import re

from .lines import Line

_START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b", re.IGNORECASE)
_END = re.compile(r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b", re.IGNORECASE)
_FIELD = re.compile(r"^(?P<key>title|author)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
_CREDIT = re.compile(r"^\s*(?:produced by|e-?text prepared by|this e-?book was produced by)\b", re.IGNORECASE)


def gutenberg_book(lines: list[Line]) -> tuple[dict[str, str], list[Line]] | None:
    """(title and author from the header, the book's own lines) of a Gutenberg text, or None when
    `lines` are not one (no start marker)."""
    start = next((i for i, line in enumerate(lines) if _START.match(line.text)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _END.match(lines[i].text)), len(lines))
    return _header(lines[:start]), _without_credit(lines[start + 1 : end])


def _header(lines: list[Line]) -> dict[str, str]:
    """`Title:` and `Author:` of the banner; a value may go on over indented lines."""
    fields: dict[str, str] = {}
    key = None
    for line in lines:
        m = _FIELD.match(line.text)
        if m:
            key = m.group("key").lower()
            fields[key] = m.group("value")
        elif key and line.text[:1].isspace() and line.text.strip():
            fields[key] += " " + line.text.strip()
        else:
            key = None
    return fields


def _without_credit(lines: list[Line]) -> list[Line]:
    """The book's lines without the producers' credit that may open them (up to its blank line)."""
    first = next((i for i, line in enumerate(lines) if line.text.strip()), None)
    if first is None or not _CREDIT.match(lines[first].text):
        return lines
    after = next((i for i in range(first, len(lines)) if not lines[i].text.strip()), len(lines))
    return lines[after:]
