"""The words as the engine will say them: Markdown marks dropped, dashes made pauses, the
pronunciations of voices.yaml applied, and a long line cut into pieces an engine can speak in bounded
memory. Pure text in, text out: nothing here knows an engine."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from .ear import for_the_ear
from .model import CastLine

_EMPHASIS = re.compile(r"(?<!\w)([*_]{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_DASHES = re.compile(r"\s*(?:--+|\u2014|\u2015)\s*")
_SPACE = re.compile(r"\s+")
# A note's reference mark after a word: "clear[1]", "so.[12]", "below [*]" (its body is not read
# either: ingest drops a paragraph that is only "[Footnote 1: ...]").
# Or a bare number glued to a word's closing stop, as a text made from a printed book leaves it
# ("reach Jupiter.2 They", "autonomous.7" at the end), before a new sentence or the end; never after a
# digit ("1997.12") or a short abbreviation ("No.7", "p.23 of").
_NOTE_MARK = re.compile(
    r"(?<=[\w.,;:!?\u201d\u2019\"')])\s?\[(?:\d{1,3}|[*\u2020\u2021\u00a7])\]"
    r"|(?<=[a-z]{3}[.,;:!?\u201d\u2019\"])\d{1,3}(?=\s+[A-Z\u201c\"]|\s*$)"
)


def speakable(text: str, ear: bool = True) -> str:
    """What the engine is given: note marks and Markdown emphasis marks dropped, the text normalised
    for the ear (ear.py: years, money, roman numerals, abbreviations, editorial notes; `ear=False`
    leaves that out, for bench/asr.py's before-and-after), dashes as pauses, spaces folded. The text
    itself (what `script` and the player show) is left as written."""
    text = _NOTE_MARK.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    if ear:
        text = for_the_ear(text)
    text = _DASHES.sub(", ", text)
    return _SPACE.sub(" ", text).strip(" ,")


class Pronouncer:
    """Respellings from voices.yaml, whole words only. A key in lower case matches any case ("okafor"
    matches "Okafor"); a key with capitals matches only as written ("May" the name, not "may")."""

    def __init__(self, table: Mapping[str, str]):
        self._exact = {k: v for k, v in table.items() if k != k.lower()}
        self._folded = {k.lower(): v for k, v in table.items() if k == k.lower()}
        self._rx: list[tuple[re.Pattern[str], dict[str, str], bool]] = []
        for table_, fold in ((self._exact, False), (self._folded, True)):
            if table_:
                alt = "|".join(re.escape(k) for k in sorted(table_, key=len, reverse=True))
                self._rx.append(
                    (re.compile(rf"(?<![\w'\u2019-])(?:{alt})(?![\w-])", re.IGNORECASE if fold else 0), table_, fold)
                )

    def __call__(self, text: str) -> str:
        for rx, table, fold in self._rx:
            text = rx.sub(_respeller(table, fold), text)
        return text


def _respeller(table: Mapping[str, str], fold: bool) -> Callable[[re.Match[str]], str]:
    """The replacement for a match of a word in `table` (looked up in lower case when `fold`)."""

    def respell(m: re.Match[str]) -> str:
        return table[m.group(0).lower() if fold else m.group(0)]

    return respell


def spoken_text(line: CastLine, pronounce: Pronouncer | None = None) -> str:
    """Exactly what the engine says for a line (and what its cache key is made of). The pronunciations
    of voices.yaml come first, so a user's respelling wins over the rules for the ear ("Henry VIII":
    "King Hal" in voices.yaml is said so, not "Henry the Eighth")."""
    text = line.segment.text
    if pronounce:
        text = pronounce(text)
    return speakable(text)


# A line longer than this is spoken in pieces: a clip's memory (and the limiter's, and the encoder's)
# grows with its length, and real books hold speeches of many minutes (a letter read out, a
# confession). Sentences are kept whole where they fit; a piece is about a minute of speech.
MAX_PIECE_CHARS = 800
# The silence between two pieces of one line, by what the cut fell between: close to the pause
# espeak-ng makes itself after a sentence or a comma, so the join is not heard.
PIECE_PAUSE_MS = {"sentence": 300, "clause": 150, "word": 0}
_BREAKS = (
    ("sentence", re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+")),
    ("clause", re.compile(r"(?<=[,;:])\s+|\s*(?:--+|\u2014|\u2013)\s*")),
    ("word", re.compile(r"\s+")),
)


def split_speech(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[str, str]]:
    """`text` cut into pieces of at most `limit` characters: at sentence ends where it can, then at
    clauses, then between words (a run with no space at all is cut at `limit`). Returns (piece, what
    the cut after it fell between: "sentence", "clause", "word", or "end" for the last)."""
    out: list[tuple[str, str]] = []
    _split(text, limit, 0, "end", out)
    return out


def _split(text: str, limit: int, level: int, after: str, out: list[tuple[str, str]]) -> None:
    if len(text) <= limit:
        out.append((text, after))
        return
    if level == len(_BREAKS):
        cuts = range(0, len(text), limit)
        out.extend((text[i : i + limit], "word" if i + limit < len(text) else after) for i in cuts)
        return
    kind, rx = _BREAKS[level]
    packed: list[str] = []
    unit_start = piece_start = 0
    for m in rx.finditer(text):
        # Close the piece before this unit when the unit would take it past the limit.
        if m.end() - piece_start > limit and unit_start > piece_start:
            packed.append(text[piece_start:unit_start])
            piece_start = unit_start
        unit_start = m.end()
    if len(text) - piece_start > limit and unit_start > piece_start:
        packed.append(text[piece_start:unit_start])
        piece_start = unit_start
    packed.append(text[piece_start:])
    for i, piece in enumerate(packed):
        _split(piece.strip(), limit, level + 1, kind if i < len(packed) - 1 else after, out)
