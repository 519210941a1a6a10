"""Project Gutenberg plain texts: only the book is read, never the banner above it or the licence below.

A Gutenberg text is recognised by its markers, `*** START OF THE PROJECT GUTENBERG EBOOK <TITLE> ***` and
`*** END OF THE PROJECT GUTENBERG EBOOK <TITLE> ***` (older files say "THIS" for "THE"). The book's
title, author, language and release date come from the fields of the header above the start marker
(`Title:`, `Author:`, `Language:`, `Release date:`; a long title continued on indented lines, a second
author on an indented line of its own); a "Produced by ..." credit just under the start marker is not
the book either. The release date is the ebook's, not the book's: its year is the only one the header
gives, and it stands as the book's year (shown in the tags) unless the user gives another. Lines keep
their source offsets: a segment can still be found in the file.
"""

from __future__ import annotations

import re

from .lines import Line

START_MARKER = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b", re.IGNORECASE)
END_MARKER = re.compile(r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b", re.IGNORECASE)
_FIELD = re.compile(r"^(?P<key>title|author|language|release date)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
# The languages Gutenberg names most, as the language tags the rest of the program compares with a
# voice's (a name not here gives no language: no check, rather than a wrong one).
_LANGUAGES = {
    "english": "en",
    "french": "fr",
    "german": "de",
    "finnish": "fi",
    "dutch": "nl",
    "italian": "it",
    "spanish": "es",
    "portuguese": "pt",
    "chinese": "zh",
    "latin": "la",
    "esperanto": "eo",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "greek": "el",
    "hungarian": "hu",
    "polish": "pl",
    "russian": "ru",
    "czech": "cs",
    "welsh": "cy",
    "catalan": "ca",
    "japanese": "ja",
    "tagalog": "tl",
}
_CREDIT = re.compile(r"^\s*(?:produced by|e-?text prepared by|this e-?book was produced by)\b", re.IGNORECASE)


def gutenberg_book(lines: list[Line]) -> tuple[dict[str, str], list[Line]] | None:
    """(title, author, language and year from the header, the book's own lines) of a Gutenberg text,
    or None when `lines` are not one (no start marker)."""
    start = next((i for i, line in enumerate(lines) if START_MARKER.match(line.text)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if END_MARKER.match(lines[i].text)), len(lines))
    return _header(lines[:start]), _without_credit(lines[start + 1 : end])


def _header(lines: list[Line]) -> dict[str, str]:
    """`Title:`, `Author:`, `Language:` ("English" -> "en") and `Release date:` (its year, as "year") of
    the banner. An indented line under `Title:` goes on with the title; one under `Author:` is a second
    author ("Alexandre Dumas" over "Auguste Maquet" -> "Alexandre Dumas and Auguste Maquet")."""
    fields: dict[str, str] = {}
    authors: list[str] = []
    key = None
    for line in lines:
        m = _FIELD.match(line.text)
        if m:
            key, value = m.group("key").lower(), m.group("value")
            if key == "author":
                authors = [value]
            fields[key] = value
        elif key and line.text[:1].isspace() and line.text.strip():
            if key == "author":
                authors.append(line.text.strip())
            elif key == "title":
                fields[key] += " " + line.text.strip()
        else:
            key = None
    if authors:
        fields["author"] = ", ".join(authors[:-1]) + " and " + authors[-1] if len(authors) > 1 else authors[0]
    language = _LANGUAGES.get(fields.pop("language", "").split(";")[0].strip().lower())
    if language:
        fields["language"] = language
    year = re.search(r"\b(1[5-9][0-9]{2}|2[0-9]{3})\b", fields.pop("release date", ""))
    if year:
        fields["year"] = year.group(1)
    return fields


def _without_credit(lines: list[Line]) -> list[Line]:
    """The book's lines without the producers' credit that may open them (up to its blank line)."""
    first = next((i for i, line in enumerate(lines) if line.text.strip()), None)
    if first is None or not _CREDIT.match(lines[first].text):
        return lines
    after = next((i for i in range(first, len(lines)) if not lines[i].text.strip()), len(lines))
    return lines[after:]
