"""Markdown -> the lines a listener hears, every kept character still pointing at its source offset.

markdown-it-py (CommonMark, plus tables and ~~strikethrough~~) parses the story; its inline rules are
wrapped to record which characters of each paragraph every rule consumed, so the spoken text is
built from source characters alone and each run of kept characters becomes a piece (index in the
spoken text, offset in the file). What is spoken:

- Text, and emphasis/strong/strikethrough text, without the `*`, `_`, `~~` markers. Unmatched
  markers (`5 * 3`) are text and stay.
- Links: their text only. `[the guide](https://...)` is "the guide"; `[text][ref]` likewise.
  Autolinks `<https://...>` have no other text, so the address is read, without the angle brackets.
- Images: skipped, alt text included (it describes a picture the listener cannot see).
- Inline code: its text, without the backticks.
- HTML: tags and comments dropped; the text between tags is read; `<br>` ends a line. HTML blocks
  likewise (the contents of <script>/<style>/<textarea> are dropped). Entities (`&amp;`) are
  read decoded, mapped to the offset of their `&`.
- Backslash escapes: the escaped character (`\\*` is "*").
- Headings: levels 1-3 start chapters (as the plain-text reader always did; a lone H1 above
  lower headings is the book title). Levels 4-6 are sub-headings inside a chapter, read as a
  narration paragraph of their own, without hashes. An empty heading (`#`) is a scene break, as
  it was. A `---`-underlined (setext) "heading" that reads like prose (several lines, over 100
  characters, or ending in sentence punctuation) is a paragraph followed by a scene break: that
  is what `---` under a paragraph means in a story.
- Lists: bullet markers (`-`, `*`, `+`) are not spoken; each item's paragraph is a paragraph.
  Ordered-list numbers are spoken ("1." reads "one."): a number is content, and CommonMark takes
  a paragraph opening "1984. The year..." for a list item.
- Block quotes: the `>` markers are not spoken; the quoted paragraphs are read.
- Code blocks (fenced or indented) are read plainly, line by line: in a story they hold letters,
  signs, verses, a screen's message, or prose indented by four spaces, which CommonMark takes for
  code; skipping them would silently drop part of the story.
- A bare `~~~` line followed by a blank line is a scene break (as in the plain-text reader), not
  the opening of a code fence.
- Tables: each row is a paragraph, cells read in order and joined by ", " (the comma is the only
  character not taken from the source; the row of dashes is not read).
- Thematic breaks (`* * *`, `---`, `***`) are scene breaks. Link reference definitions and
  footnote definitions (`[^1]: ...`, with their indented continuation) are skipped, and so are
  footnote references (`[^1]`).

Every line produced is a `Line` whose `pieces` map each kept character to its source offset: a
character taken from the source satisfies `source[line.offset(i)] == line.text[i]`. Characters not
in the source are the table-cell joiners and decoded entities (which map to their `&`).
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .lines import Line

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["markdown_lines"]

# What becomes of each character of an inline token's content.
_KEEP, _DROP, _BREAK, _SUB = 1, 2, 3, 4
_KEY = "audiobook.spoken"  # env and token.meta key: (marks, entity substitutions)
_RECORDS = "_audiobook_records"  # attribute on the inline parser state
_BLANK = " \t\ufeff"  # what the paragraph joiner strips from each line's ends
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_ORDINAL = re.compile(r"\d{1,9}[.)][ \t]*$")
_PROSE_END = re.compile(r"[.!?\u2026,;:\"\u201d\u2019')]\s*$")
_CELL_END = re.compile(r"[.,;:!?\u2026]\s*$")
_HTML_DROP = re.compile(
    r"<!--.*?(?:-->|\Z)|<\?.*?(?:\?>|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![A-Za-z].*?(?:>|\Z)"
    r"|<(script|style|textarea)\b.*?(?:</\1\s*>|\Z)|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>",
    re.DOTALL | re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

Seg = tuple[str, "int | None", "int | None"]  # (text, source start, source end); None: not in the source


# ---- the parser, with inline rules that record what they consumed ---------------------------------


def _recording(name: str, rule: Any) -> Any:
    def recorded(state: Any, silent: bool) -> bool:
        if silent:
            return rule(state, silent)
        before, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        extra: Any = None
        if name in ("emphasis", "strikethrough"):
            # One text token per delimiter (run), pushed last; their lengths tile the span.
            delims: list[tuple[Any, int, int]] = []
            end = state.pos
            for tok in reversed(state.tokens[count:]):
                if end <= before:
                    break
                delims.append((tok, end - len(tok.content), end))
                end -= len(tok.content)
            extra = delims if end == before else None
        elif name == "backticks":
            extra = next((len(t.markup) for t in state.tokens[count:] if t.type == "code_inline"), 0)
        elif name == "entity":
            extra = next((t.content for t in state.tokens[count:] if t.type == "text_special"), None)
        records = getattr(state, _RECORDS, None)
        if records is None:
            records = []
            setattr(state, _RECORDS, records)
        records.append((name, before, state.pos, extra))
        return True

    return recorded


def _literal(state: Any, silent: bool) -> bool:
    """Last rule: one character as text (what the tokenizer does when no rule matches), recorded."""
    if not silent:
        if hasattr(state, "append_pending"):  # markdown-it-py 4
            state.append_pending(state.src[state.pos])
        else:
            state.pending += state.src[state.pos]
    state.pos += 1
    return True


def _fill(marks: bytearray, b: int, a: int, kind: int) -> None:
    marks[b:a] = bytes([kind]) * (a - b)


def _mark_link(marks: bytearray, src: str, b: int, a: int, extra: Any) -> bool:
    for i in range(b, a):  # the label's characters are already marked
        if not marks[i]:
            marks[i] = _DROP
    return True


def _mark_image(marks: bytearray, src: str, b: int, a: int, extra: Any) -> bool:
    _fill(marks, b, a, _DROP)
    return True


def _mark_newline(marks: bytearray, src: str, b: int, a: int, extra: Any) -> bool:
    marks[b] = _BREAK  # "\n" then the next line's indent (kept: a hint)
    _fill(marks, b + 1, a, _KEEP)
    return True


def _mark_escape(marks: bytearray, src: str, b: int, a: int, extra: Any) -> bool:
    if src[b + 1] == "\n":  # backslash hard break
        marks[b], marks[b + 1] = _DROP, _BREAK
        _fill(marks, b + 2, a, _KEEP)
    else:
        _fill(marks, b, a, _KEEP)
        if src[b + 1] in _ESCAPABLE:
            marks[b] = _DROP
    return True


def _mark_backticks(marks: bytearray, src: str, b: int, a: int, extra: Any) -> bool:
    if not extra:  # the length of the backtick run
        return False
    _fill(marks, b, a, _DROP)
    s, e = b + extra, a - extra
    if e - s >= 2 and src[s] == " " and src[e - 1] == " " and src[s:e].strip(" "):
        s, e = s + 1, e - 1
    for i in range(s, e):
        marks[i] = _BREAK if src[i] == "\n" else _KEEP
    return True


def _mark_delimiters(marks: bytearray, src: str, b: int, a: int, extra: Any) -> bool:
    if extra is None:  # the delimiter runs did not tile the span
        return False
    for tok, tb, ta in extra:
        _fill(marks, tb, ta, _KEEP if tok.type == "text" and tok.content else _DROP)
    return True


def _mark_autolink(marks: bytearray, src: str, b: int, a: int, extra: Any) -> bool:
    _fill(marks, b, a, _KEEP)
    marks[b] = marks[a - 1] = _DROP
    return True


def _mark_html(marks: bytearray, src: str, b: int, a: int, extra: Any) -> bool:
    _fill(marks, b, a, _DROP)
    if _BR.fullmatch(src, b, a):
        marks[b] = _BREAK
    return True


# How each recorded inline rule marks the characters it consumed; a rule not named here, or one whose
# marker returns False, consumed text (literal characters, unmatched markers): kept.
_MARKERS: dict[str, Callable[[bytearray, str, int, int, Any], bool]] = {
    "link": _mark_link,
    "image": _mark_image,
    "newline": _mark_newline,
    "escape": _mark_escape,
    "backticks": _mark_backticks,
    "emphasis": _mark_delimiters,
    "strikethrough": _mark_delimiters,
    "autolink": _mark_autolink,
    "html_inline": _mark_html,
}


def _finish(state: Any) -> None:
    """After emphasis pairing: mark every character of the inline source as kept, dropped, a line
    break or an entity; store the marks for the walk over block tokens."""
    src = state.src
    marks = bytearray(len(src))
    subs: dict[int, tuple[str, int]] = {}
    for name, b, a, extra in getattr(state, _RECORDS, ()):
        if name == "entity" and extra is not None:
            _fill(marks, b, a, _DROP)
            marks[b] = _SUB
            subs[b] = (extra, a)
        elif not (name in _MARKERS and _MARKERS[name](marks, src, b, a, extra)):
            _fill(marks, b, a, _KEEP)
    for m in _FOOTNOTE_REF.finditer(src):  # [^1] with its definition skipped
        if all(k in (0, _KEEP) for k in marks[m.start() : m.end()]):
            _fill(marks, m.start(), m.end(), _DROP)
    state.env[_KEY] = (marks, subs)  # an image's alt text finishes first: overwritten here


def _core_inline(state: Any) -> None:
    """markdown-it's core "inline" rule, keeping each inline token's marks in its meta."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            state.env.pop(_KEY, None)
            state.md.inline.parse(token.content, state.md, state.env, token.children)
            token.meta[_KEY] = state.env.pop(_KEY, None)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    ruler = md.inline.ruler
    for rule in list(ruler.__rules__):
        ruler.at(rule.name, _recording(rule.name, rule.fn))
    ruler.push("audiobook_literal", _recording("literal", _literal))
    md.inline.ruler2.before("fragments_join", "audiobook_spoken", _finish)
    md.core.ruler.at("inline", _core_inline)
    return md


# ---- from inline content back to the source ---------------------------------------------------------


class _Map:
    """Index in a block's content -> source offset, line by line (each content line is a suffix of
    its source line: container markers and indentation are what markdown-it took off the front)."""

    def __init__(self, content: str, body: list[Line], first: int, last: int = -1) -> None:
        self.starts: list[int] = []
        self.offsets: list[int] = []
        self.columns: list[int] = []
        self.texts: list[str] = []  # the source line of each span
        at = 0
        texts = content.split("\n")
        # Lines of only Unicode spaces (not blank to CommonMark) trimmed off the front.
        while first + len(texts) < last and not body[first].text.lstrip(" \t>").strip():
            first += 1
        self.first = first
        for i, text in enumerate(texts):
            line = body[min(first + i, len(body) - 1)]
            column = _suffix_at(line.text, text)
            self.starts.append(at)
            self.offsets.append(line.start + column)
            self.columns.append(column)
            self.texts.append(line.text)
            at += len(text) + 1

    def __call__(self, i: int) -> int:
        k = bisect.bisect_right(self.starts, i) - 1
        return self.offsets[k] + i - self.starts[k]

    def source(self, content: str, i: int, j: int) -> str:
        """content[i:j] as the source has it (markdown-it reads U+0000 as U+FFFD)."""
        k = bisect.bisect_right(self.starts, i) - 1
        column = self.columns[k] + i - self.starts[k]
        text = self.texts[k][column : column + j - i] if column >= 0 else ""
        return text if len(text) == j - i else content[i:j]


def _suffix_at(source_line: str, text: str) -> int:
    """Column of `source_line` where `text` (its content, perhaps trimmed) starts."""
    s, t = source_line.rstrip(), text.rstrip()
    if s.endswith(t):
        return len(s) - len(t)
    core = t.lstrip()  # spaces markdown-it made from a tab split by an indent
    if core and s.endswith(core):
        return len(s) - len(core) - (len(t) - len(core))
    found = s.rfind(t)  # a heading's title, before its closing hashes
    return found if found >= 0 else max(0, len(s) - len(t))


def _segments(content: str, marks: bytes | bytearray, subs: dict[int, tuple[str, int]], where: _Map) -> list[list[Seg]]:
    """The spoken content as lines of segments."""
    lines: list[list[Seg]] = [[]]
    dropped = False  # markup was just left out: the spaces around it are one space
    for run in re.finditer(rb"(.)\1*", bytes(marks), re.DOTALL):
        kind, b, a = run.group(1)[0], run.start(), run.end()
        if kind == _DROP:
            dropped = True
            continue
        if kind == _BREAK:
            lines.extend([] for _ in range(a - b))
            dropped = False
        elif kind == _SUB:
            for i in range(b, a):
                text, end = subs[i]
                lines[-1].append((text, where(i), where(i) + end - i))
            dropped = False
        else:
            for k, part in enumerate(content[b:a].split("\n")):
                if k:
                    lines.append([])
                    dropped = False
                if dropped and (not lines[-1] or lines[-1][-1][0][-1:].isspace()):
                    # not an indent, nor a second space: "![img](x) Text", "Ann <!-- x --> and"
                    trimmed = part.lstrip()
                    b += len(part) - len(trimmed)
                    part = trimmed
                if part:
                    dropped = False
                    lo, hi = b, b + len(part)
                    cuts = where.starts[bisect.bisect_right(where.starts, lo) : bisect.bisect_left(where.starts, hi)]
                    for x, y in zip([lo, *cuts], [*cuts, hi]):  # where the source skips a character
                        text = content[x:y]
                        if "\ufffd" in text:
                            text = where.source(content, x, y)
                        lines[-1].append((text, where(x), where(x) + y - x))
                b += len(part) + 1
    return lines


def _line(segs: list[Seg], start: int, kind: str = "md") -> Line:
    """Segments -> a Line with a piece wherever the source offsets jump."""
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    length = 0
    follows: int | None = None  # source offset that would continue the last piece
    end = start
    for text, s, e in segs:
        if not text:
            continue
        if s is not None and e is not None and pieces and s != follows and not text.strip(" \t"):
            s = e = None  # spaces between two left-out marks: as if made up
        if s is not None and e is not None:
            if s != follows:
                # Spaces just after left-out markup continue the piece before it: the offset of
                # the space is then just past the character before the markup, so a segment
                # ending there ends in the file where its last character does (not after `*`).
                spaces = len(text) - len(text.lstrip(" \t")) if pieces and e - s == len(text) else 0
                if spaces:
                    parts.append(text[:spaces])
                    length += spaces
                    text, s = text[spaces:], s + spaces
                pieces.append((length, s))
            follows = e if e - s == len(text) else None
            if text.strip(_BLANK):
                end = s + len(text.rstrip(_BLANK)) if e - s == len(text) else e
        else:
            follows = None
        parts.append(text)
        length += len(text)
    if pieces and pieces[0][0] == 0:
        start = pieces[0][1]
    return Line("".join(parts), start, tuple(pieces), end, kind)


# ---- the walk over blocks ---------------------------------------------------------------------------


def _prescan(texts: list[str]) -> tuple[set[int], set[int]]:
    """(scene-break lines, lines markdown-it must not see): bare `~~~` lines followed by a blank
    line are scene breaks; footnote definitions are skipped."""
    breaks: set[int] = set()
    hidden: set[int] = set()
    fence: tuple[str, int] | None = None
    i, n = 0, len(texts)
    while i < n:
        text = texts[i]
        if fence:
            m = _FENCE.match(text)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not m.group(2).strip():
                fence = None
            i += 1
            continue
        m = _FENCE.match(text)
        if m:
            mark, info = m.group(1), m.group(2)
            if mark[0] == "~" and not info.strip() and (i + 1 == n or not texts[i + 1].strip()):
                breaks.add(i)
                hidden.add(i)
            elif not (mark[0] == "`" and "`" in info):
                fence = (mark[0], len(mark))
            i += 1
            continue
        if _FOOTNOTE_DEF.match(text):
            hidden.add(i)
            i += 1
            while i < n:
                if not texts[i].strip():
                    k = i
                    while k < n and not texts[k].strip():
                        k += 1
                    if k < n and _INDENTED.match(texts[k]):
                        hidden.update(range(i, k))
                        i = k
                        continue
                    break
                if _FOOTNOTE_DEF.match(texts[i]):
                    break
                hidden.add(i)
                i += 1
            continue
        i += 1
    return breaks, hidden


def _plain_marks(content: str) -> bytearray:
    marks = bytearray([_KEEP]) * len(content)
    for i, ch in enumerate(content):
        if ch == "\n":
            marks[i] = _BREAK
    return marks


def _html_marks(content: str) -> tuple[bytearray, dict[int, tuple[str, int]]]:
    marks = _plain_marks(content)
    subs: dict[int, tuple[str, int]] = {}
    for m in _HTML_DROP.finditer(content):
        for i in range(m.start(), m.end()):
            if marks[i] != _BREAK:
                marks[i] = _DROP
    for m in _ENTITY.finditer(content):
        decoded = html.unescape(m.group(0))
        if decoded != m.group(0) and all(k == _KEEP for k in marks[m.start() : m.end()]):
            marks[m.start() : m.end()] = bytes([_DROP]) * (m.end() - m.start())
            marks[m.start()] = _SUB
            subs[m.start()] = (decoded, m.end())
    return marks, subs


def markdown_lines(body: list[Line]) -> list[Line]:
    """Markdown source lines -> spoken lines: text lines (kind "md"), headings of level 1-3
    (kind "heading"), scene breaks (kind "break"), and blank lines between blocks."""
    if not body:
        return []
    texts = [line.text for line in body]
    breaks, hidden = _prescan(texts)
    env: dict[str, Any] = {}
    tokens = _parser().parse("\n".join("" if i in hidden else t for i, t in enumerate(texts)), env)
    return _Walk(body, tokens, sorted(breaks)).run()


class _Walk:
    """One walk over the block tokens of a story, writing its spoken lines to `out`."""

    def __init__(self, body: list[Line], tokens: list[Token], breaks: list[int]) -> None:
        self.body = body
        self.tokens = tokens
        self.pending_breaks = breaks  # `~~~` scene breaks markdown-it did not see, in order
        self.ordinal_line = -1  # first line of an ordered-list item whose number is still to be read
        self.out: list[Line] = []

    def run(self) -> list[Line]:
        i = 0
        while i < len(self.tokens):
            tok = self.tokens[i]
            if tok.map:
                self.breaks_before(tok.map[0])
            i = self.step(i, tok) + 1
        self.breaks_before(len(self.body) + 1)
        return self.out

    def step(self, i: int, tok: Token) -> int:
        """Write what the token at `i` says; the index of the last token it took."""
        if tok.type == "list_item_open":
            self.ordinal_line = tok.map[0] if tok.markup in (".", ")") and tok.info and tok.map else -1
        elif tok.type == "paragraph_open":
            number = bool(tok.map and tok.map[0] == self.ordinal_line)
            self.ordinal_line = -1
            self.block(self.inline(self.tokens[i + 1], number))
            return i + 2  # its inline content and its close taken too
        elif tok.type == "heading_open":
            self.heading(tok, self.tokens[i + 1])
            return i + 2
        elif tok.type in ("code_block", "fence") and tok.map:
            first = tok.map[0] + (1 if tok.type == "fence" else 0)
            content = _without_last_newline(tok.content)
            self.block(self.plain(content, first, _plain_marks(content), {}))
        elif tok.type == "html_block" and tok.map:
            content = _without_last_newline(tok.content)
            self.block(self.plain(content, tok.map[0], *_html_marks(content)))
        elif tok.type == "hr" and tok.map:
            self.scene_break(tok.map[0])
        elif tok.type == "tr_open":
            self.block([_row(self.tokens, i, self.body)])
            while self.tokens[i].type != "tr_close":
                i += 1
        return i

    def breaks_before(self, line: int) -> None:
        while self.pending_breaks and self.pending_breaks[0] < line:
            self.scene_break(self.pending_breaks.pop(0))

    def heading(self, tok: Token, content: Token) -> None:
        level = int(tok.tag[1])
        lines = self.inline(content)
        title = " ".join(line.text.strip() for line in lines if line.text.strip())
        first = content.map[0] if content.map else 0
        if not title:
            self.scene_break(first)
        elif tok.markup == "-" and (len(lines) > 1 or len(title) > 100 or _PROSE_END.search(title)):
            self.block(lines)  # a paragraph above `---`: a scene break
            self.scene_break(tok.map[1] - 1 if tok.map else first)
        elif level <= 3:
            src = self.body[first]
            self.blank(src.start)
            self.out.append(Line(src.text, src.start, kind="heading", title=title, level=level))
            self.out.append(Line("", src.start))
        else:
            self.block(lines)

    def blank(self, at: int) -> None:
        if self.out and self.out[-1].text.strip():
            self.out.append(Line("", at))

    def scene_break(self, i: int) -> None:
        self.blank(self.body[i].start)
        self.out.append(Line(self.body[i].text, self.body[i].start, kind="break"))
        self.out.append(Line("", self.body[i].start))

    def block(self, lines: list[Line]) -> None:
        if any(line.text.strip() for line in lines):
            self.blank(lines[0].start)
            self.out.extend(lines)
            self.out.append(Line("", lines[-1].end))

    def inline(self, tok: Token, number: bool = False) -> list[Line]:
        marks, subs = tok.meta.get(_KEY) or (_plain_marks(tok.content), {})
        where = _Map(tok.content, self.body, *(tok.map or (0, -1)))
        lines = _segments(tok.content, marks, subs, where)
        # Put back what markdown-it took off the first line: an ordered-list number, or plain
        # indentation (a hint the paragraph splitter reads, as it does in plain text).
        src = self.body[where.first]
        column = max(where.columns[0], 0)
        head = src.text[:column]
        m = _ORDINAL.search(head) if number else None
        cut = m.start() if m else (0 if not head.strip() else column)
        if cut < column:
            lines[0].insert(0, (head[cut:], src.start + cut, src.start + column))
        return [_line(segs, src.start) for segs in lines]

    def plain(self, content: str, first: int, marks: bytearray, subs: dict[int, tuple[str, int]]) -> list[Line]:
        where = _Map(content, self.body, first)
        start = self.body[min(first, len(self.body) - 1)].start
        return [_line(segs, start) for segs in _segments(content, marks, subs, where)]


def _without_last_newline(content: str) -> str:
    return content[:-1] if content.endswith("\n") else content


def _row(tokens: list[Token], i: int, body: list[Line]) -> Line:
    """A table row: its cells' spoken text joined by ", "."""
    segs: list[Seg] = []
    cursor = 0
    start = 0
    while tokens[i].type != "tr_close":
        tok = tokens[i]
        i += 1
        if tok.type != "inline" or not tok.map or not tok.content:
            continue
        src = body[tok.map[0]]
        start = start or src.start
        where, cursor = _cell(tok.content, src, cursor)
        where.first = tok.map[0]
        marks, subs = tok.meta.get(_KEY) or (_plain_marks(tok.content), {})
        cell = [seg for line in _segments(tok.content, marks, subs, where) for seg in line + [(" ", None, None)]]
        while cell and not cell[-1][0].strip():
            cell.pop()
        if not cell:
            continue
        if segs:
            last = "".join(text for text, _, _ in segs)
            segs.append((" " if _CELL_END.search(last) else ", ", None, None))
        segs.extend(cell)
    return _line(segs, start)


def _cell(content: str, src: Line, cursor: int) -> tuple[_Map, int]:
    """Where a table cell's content lies in its row's source line; markdown-it reads `\\|` as `|`."""
    text = src.text
    column = text.find(content.replace("|", "\\|"), cursor)
    if column < 0:
        column = text.find(content, cursor)
    column = max(column, 0)
    where = _Map.__new__(_Map)
    where.starts, where.offsets, where.columns, where.texts = [0], [src.start + column], [column], [text]
    pos = column
    for i, ch in enumerate(content):
        if text[pos : pos + 1] != ch:
            pos += 1 if ch == "|" and text[pos : pos + 2] == "\\|" else 0
            where.starts.append(i)
            where.offsets.append(src.start + pos)
            where.columns.append(pos)
            where.texts.append(text)
        pos += 1
    return where, pos
