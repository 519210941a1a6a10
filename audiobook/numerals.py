"""Roman numerals, read the one way every stage reads them: ingest for a chapter's number ("CHAPTER
XIV." is "Chapter 14"), the rules for the ear for what the engine says ("Henry VIII"). Pure."""

from __future__ import annotations

import re

# A well-formed numeral in capitals, up to 3999 (a pattern to build others on: "Chapter (ROMAN)").
ROMAN = r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_WELL_FORMED = re.compile(ROMAN)
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral in capitals or lower case ("XIV" 14, "iv" 4); None for
    letters that only look like one ("IIII", "VX", "first")."""
    upper = numeral.upper()
    if not upper or not _WELL_FORMED.fullmatch(upper):
        return None
    values = [_VALUES[c] for c in upper]
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0]))
