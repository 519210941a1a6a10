"""Quote segmentation: where speech starts and ends in a chapter's paragraphs.

Handles “double”, ‘single’, «guillemets», „low-high”, plain ASCII " and ', apostrophes and elisions
(don’t, ’til, rock ’n’ roll, the twins’ boat), nested quotes of the other kind, and speeches that run
over several paragraphs (no closing mark; the next paragraph reopens).

Older Project Gutenberg texts quote `like this' or ``like this'' (a backtick or two to open, an
apostrophe or two to close). A chapter with backtick openers in it is read that way: a backtick
opens, and an apostrophe closes as a single quote's would (one inside a word, don't, or after one,
the boys' boat, closes only when no surer close follows); a plain ' then never opens a quote.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..model import Paragraph
from .weights import LIMITS

DOUBLE, SINGLE, GUILLEMET, BACKTICK = "double", "single", "guillemet", "backtick"
# A chapter with at least this many backticks opening a word is written in `quote' style.
BACKTICK_OPENERS = 2
_BACKTICK_OPENER = re.compile(r"(?:^|(?<=[\s(\[\u2014-]))`+(?=[^\s`])")

# Word-initial elisions written with an opening mark: never the start of a quote.
_ELISIONS = re.compile(
    r"""
    (?:tis|twas|til|till|cause|cos|bout|round|nother|ere  # 'tis, 'twas, 'til, 'cause, 'bout, 'round, 'ere
      |em|n|im|er|ow|ave|e|un|uns|ee|ye                   # 'em, rock 'n' roll, 'im, 'er, 'ow, 'ave, 'e, 'un, 'ee, 'ye
      |\d\d?s?                                            # '99, the '60s
    )\b
    """,
    re.VERBOSE | re.IGNORECASE,
)
_OPEN_CONTEXT = set(" \t\n([{\u2014\u2013-/\"\u201c\u201e\u00ab\u2018'") | {""}
_CLOSE_PUNCT = set(",.!?;:\u2026\u2014\u2013-")
# A closing single mark that is certainly one: punctuation before it, and no letter after it.
_SURE_SINGLE_CLOSE = re.compile(r"[,.!?\u2026\u2014\u2013-][\u2019'](?![A-Za-z])")
_SPEECH_PUNCT = re.compile(r"[.!?,;:\u2026\u2014\u2013]|--")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# The only characters `_opener` and `_closes` can answer yes for (a scan skips every other one).
_MAY_OPEN = re.compile("[\u201c\u201e\u00ab\"\u2018'\u201a]")
_MAY_OPEN_BACKTICK = re.compile('[\u201c\u201e\u00ab"`]')
_MAY_CLOSE = {
    DOUBLE: re.compile('[\u201d\u201c"]'),
    GUILLEMET: re.compile("\u00bb"),
    SINGLE: re.compile("[\u2019']"),
    BACKTICK: re.compile("[\u2019']"),
}


@dataclass(frozen=True)
class Quote:
    """One stretch of quoted text, possibly over several paragraphs."""

    para: int  # paragraph where the opening mark is
    open: int  # index of the opening mark in that paragraph's text
    end_para: int  # paragraph where it ends
    close: int  # index just past the closing mark (or the paragraph's end) in end_para
    text: str  # the words inside, marks removed, paragraphs joined by a space
    style: str  # DOUBLE, SINGLE or GUILLEMET
    speech: bool = True  # False for a scare quote, a title, a quoted letter


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else ""


def _opener(text: str, i: int, backticks: bool = False) -> str | None:
    """The style of quote that opens at text[i], if one does (in a `quote' style chapter when
    `backticks`: a backtick opens, a plain or curly single mark does not)."""
    c = text[i]
    if backticks and c in "`\u2018'\u201a":
        return BACKTICK if c == "`" and _prev(text, i) != "`" and _next(text, i).strip() else None
    if c in "\u201c\u201e":
        return DOUBLE
    if c == "\u00ab":
        return GUILLEMET
    nxt = _next(text, i)
    if c == '"':
        return DOUBLE if nxt and not nxt.isspace() else None
    if c in "\u2018'\u201a":
        if _prev(text, i) not in _OPEN_CONTEXT or not nxt or nxt.isspace():
            return None
        if _ELISIONS.match(text, i + 1):
            return None
        return SINGLE
    return None


def _closes(text: str, i: int, style: str) -> bool:
    """Whether text[i] closes an open quote of `style`."""
    c = text[i]
    if style == GUILLEMET:
        return c == "\u00bb"
    if style == DOUBLE:
        return c in '\u201d\u201c"' and not (c == "\u201c" and _next(text, i).isalnum() and _prev(text, i).isspace())
    if c not in "\u2019'" or (style == BACKTICK and _prev(text, i) in "\u2019'"):
        return False
    prev, nxt = _prev(text, i), _next(text, i)
    if not prev or prev.isspace():
        return False
    if prev.isalnum() and nxt.isalnum():
        return False  # don’t, o’clock
    if prev in _CLOSE_PUNCT or not nxt or nxt in _CLOSE_PUNCT or nxt in ')]"\u201d':
        return True
    # A letter, then the mark, then a space: a closing mark or an apostrophe (the twins’ boat,
    # goin’ home). Prefer a certain closing mark later in the paragraph when there is one.
    return _SURE_SINGLE_CLOSE.search(text, i + 1) is None


def _reopens(text: str, style: str) -> int | None:
    """Index of the mark that reopens a speech of `style` at the start of a paragraph."""
    stripped = len(text) - len(text.lstrip())
    if stripped < len(text) and _opener(text, stripped, style == BACKTICK) == style:
        return stripped
    return None


def _is_speech(q_text: str, before: str) -> bool:
    """Short, unpunctuated words quoted inside a sentence are a name, title or scare quote."""
    limit = LIMITS["scare_quote_words"]
    words = sum(1 for _ in itertools.islice(_WORD.finditer(q_text), limit + 1))  # counted to one past the limit
    if not words:
        return False
    if words > limit or _SPEECH_PUNCT.search(q_text):
        return True
    tail = before.rstrip()
    if not tail:
        return True  # the paragraph starts with it: a line of its own
    return tail[-1] in ",:\u2014\u2013-" or tail.endswith("--")


def backtick_style(paragraphs: tuple[Paragraph, ...] | list[Paragraph]) -> bool:
    """Whether a chapter quotes `like this' (BACKTICK_OPENERS backticks or more opening a word)."""
    found = 0
    for p in paragraphs:
        if "`" in p.text:
            found += len(_BACKTICK_OPENER.findall(p.text))
            if found >= BACKTICK_OPENERS:
                return True
    return False


def _open_end(text: str, i: int, style: str) -> int:
    """Index just past the opening mark at text[i]: both of a backtick quote's two (``)."""
    return i + 2 if style == BACKTICK and _next(text, i) == "`" else i + 1


def _close_end(text: str, i: int, style: str) -> int:
    """Index just past the closing mark at text[i]: both of a backtick quote's two ('')."""
    return i + 2 if style == BACKTICK and _next(text, i) in "\u2019'" and _next(text, i) else i + 1


def find_quotes(paragraphs: tuple[Paragraph, ...] | list[Paragraph]) -> list[Quote]:
    """Every quote in a chapter, in order."""
    backticks = backtick_style(paragraphs)
    may_open = _MAY_OPEN_BACKTICK if backticks else _MAY_OPEN
    quotes: list[Quote] = []
    p = 0
    # A speech still open at a paragraph's end: (para, open, style, text so far)
    carry: tuple[int, int, str, list[str]] | None = None
    while p < len(paragraphs):
        text = paragraphs[p].text
        i = 0
        start_i = 0
        if carry is not None:
            at = _reopens(text, carry[2])
            if at is None:
                # Not reopened: the speech ended with the previous paragraph.
                cp, co, cstyle, parts = carry
                prev_text = paragraphs[p - 1].text
                quotes.append(Quote(cp, co, p - 1, len(prev_text), " ".join(parts).strip(), cstyle))
                carry = None
            else:
                i = start_i = at + 1
        state: tuple[int, int, str, list[str]] | None = carry
        carry = None
        while i < len(text):
            # Jump to the next character that could open (or close) a quote: no other one can.
            found = (may_open if state is None else _MAY_CLOSE[state[2]]).search(text, i)
            if found is None:
                break
            i = found.start()
            if state is None:
                style = _opener(text, i, backticks)
                if style:
                    state = (p, i, style, [])
                    start_i = i = _open_end(text, i, style)
                    i -= 1
            elif _closes(text, i, state[2]):
                sp, so, sstyle, parts = state
                parts.append(text[start_i:i])
                inner = " ".join(x.strip() for x in parts if x.strip())
                before = paragraphs[sp].text[:so]
                end = _close_end(text, i, sstyle)
                quotes.append(Quote(sp, so, p, end, inner, sstyle, speech=_is_speech(inner, before)))
                state = None
                i = end - 1
            i += 1
        if state is not None:
            state[3].append(text[start_i:])
            carry = state
        p += 1
    if carry is not None:
        quotes.append(_to_the_end(carry, paragraphs))
    return quotes


def _to_the_end(carry: tuple[int, int, str, list[str]], paragraphs: tuple[Paragraph, ...] | list[Paragraph]) -> Quote:
    """A speech still open at the chapter's end: it runs to the end of the last paragraph."""
    cp, co, cstyle, parts = carry
    inner = " ".join(x.strip() for x in parts if x.strip())
    return Quote(cp, co, len(paragraphs) - 1, len(paragraphs[-1].text), inner, cstyle)


def speech_by_paragraph(quotes: list[Quote], paragraphs: int) -> list[list[int]]:
    """For each of a chapter's paragraphs, the indices of the speech quotes that open in it, run
    through it or close in it, in quote order. Built once per chapter, in one pass over its quotes,
    so that nothing rescans every quote of the chapter for each paragraph."""
    touching: list[list[int]] = [[] for _ in range(paragraphs)]
    for qi, q in enumerate(quotes):
        if q.speech:
            for p in range(q.para, q.end_para + 1):
                touching[p].append(qi)
    return touching
