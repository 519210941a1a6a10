"""Where a segment of an EPUB's text lies in its own XHTML, and an element with an id put around it there:
what a narrated copy of the reader's own EPUB needs (narrated_source.py).

Each spine document is read again as the ingest reads it (`ingest.epub_html`'s walker, unchanged), but
every piece of text the walker gathers remembers the element and the slot (its text or its tail) it came
from. Each block's text, as the ingest made it (whitespace folded, emphasis marked with `*`), is then
aligned character by character with those pieces, so an offset in the book's source text becomes a place
in the document tree. A segment is wrapped in a `<span>` there; when it starts in one element and ends in
another (a quote that ends inside `<em>`), the span grows to the whole elements, never splitting one.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .ingest.epub import FlatBook, flatten_documents
from .ingest.epub_html import (
    EMPHASIS_CLOSE,
    EMPHASIS_OPEN,
    INVISIBLE,
    LINE_BREAK,
    BlockWalker,
    Document,
    local_name,
    parse_document,
)
from .ingest.epub_package import Package

XHTML = "http://www.w3.org/1999/xhtml"
_MARKS = frozenset({LINE_BREAK, EMPHASIS_OPEN, EMPHASIS_CLOSE})


class _Piece(str):
    """A piece of gathered text, with the element whose text or tail it is."""

    owner: Any
    slot: str  # "text" or "tail"


def _piece(text: str, owner: Any, slot: str) -> _Piece:
    p = _Piece(text)
    p.owner, p.slot = owner, slot
    return p


@dataclass(frozen=True)
class Place:
    """A point in the tree: `offset` characters into `owner`'s text or tail."""

    owner: Any
    slot: str
    offset: int


class _Gathered(list[Any]):
    """The walker's buffer: the text of the element being entered is recorded with its element."""

    def __init__(self, walker: _TrackingWalker):
        super().__init__()
        self.walker = walker

    def append(self, item: Any) -> None:
        entering = self.walker.entering
        if type(item) is str and entering is not None and item == entering.text:
            item = _piece(item, entering, "text")
            self.walker.entering = None
        super().append(item)


class _TrackingWalker(BlockWalker):
    """The ingest's walker, each block's characters mapped back to places in the tree."""

    def __init__(self, doc: Document):
        super().__init__(doc)
        self.entering: Any = None
        self.buf = _Gathered(self)
        self.places: list[list[Place | None] | None] = []  # per block: a place per character

    def walk(self, el: Any) -> None:
        tag = local_name(el)
        if tag and not self._skipped(el, tag):
            self._enter(el, tag)
        if el.tail:
            self.buf.append(_piece(el.tail, el, "tail"))

    def _enter(self, el: Any, tag: str) -> None:
        self.entering = el
        super()._enter(el, tag)

    def flush(self) -> None:
        raw = [
            (ch, Place(p.owner, p.slot, k) if isinstance(p, _Piece) else None)
            for p in self.buf
            for k, ch in enumerate(p)
        ]
        before = len(self.doc.blocks)
        super().flush()
        at = 0
        for block in self.doc.blocks[before:]:
            mapped, at = align(block.text, raw, at)
            self.places.append(mapped)


def _skippable(ch: str) -> bool:
    return ch in _MARKS or bool(INVISIBLE.match(ch))


def align(text: str, raw: list[tuple[str, Place | None]], at: int) -> tuple[list[Place | None] | None, int]:
    """Each character of a block's `text` as a place among the gathered characters `raw`, from `at`;
    None for a character the ingest added (an emphasis mark, a folded space). (None, at) when the text
    cannot be found there."""
    out: list[Place | None] = []
    j, n = at, len(raw)
    for c in text:
        while j < n and raw[j][0] != c and (raw[j][0].isspace() or _skippable(raw[j][0])):
            j += 1
        if j < n and raw[j][0] == c:
            out.append(raw[j][1])
            j += 1
        elif c in " *":
            out.append(None)
        else:
            return None, at
    return out, j


@dataclass
class Located:
    """A book's blocks as the ingest reads them, with the tree of each spine document they came from."""

    flat: FlatBook
    trees: dict[str, Any] = field(default_factory=dict)  # document path -> its root
    places: list[list[Place | None] | None] = field(default_factory=list)  # per block of `flat`

    def block_at(self, offset: int) -> int:
        """The block the source text's `offset` lies in."""
        return max(0, bisect_right(self.flat.starts, offset) - 1)

    def document_of(self, block: int) -> str:
        return next(path for path, lo, hi in self.flat.docs if lo <= block < hi)


def locate(pkg: Package) -> Located:
    """Read the book's spine as the ingest does (`ingest.epub._flatten`), keeping the trees and places."""
    skipped = pkg.nav.path if pkg.nav is not None else None
    documents: list[Document] = []
    trees: dict[str, Any] = {}
    places: list[list[Place | None] | None] = []
    for item in pkg.spine:
        if item.path == skipped:
            continue
        doc = Document(item.path)
        root = parse_document(pkg.read(item.path))
        if root is not None:
            walker = _TrackingWalker(doc)
            walker.walk(next((el for el in root.iter() if local_name(el) == "body"), root))
            walker.flush()
            trees[item.path] = root
            xhtml = local_name(root) == "html" and XHTML in str(root.tag)  # not a page read as HTML
            places += walker.places if xhtml else [None] * len(doc.blocks)
        documents.append(doc)
    flat = flatten_documents(documents)
    # A block the book's reading changed (a contents list emptied, a licence cut) has no places.
    usable = [p if p is not None and len(p) == len(b.text) else None for p, b in zip(places, flat.blocks)]
    return Located(flat, trees, usable)


@dataclass(frozen=True)
class Span:
    """Where a segment lies: its document, its first and last characters, and where in the book it
    begins (block, offset) to order the segments of a document."""

    document: str
    first: Place
    last: Place
    at: tuple[int, int]


def places_of(located: Located, start: int, end: int) -> Span | None:
    """Where the source text [start, end) lies (up to the end of the block it starts in), when that block
    can be found in its tree."""
    if end <= start:
        return None
    b = located.block_at(start)
    places = located.places[b] if b < len(located.places) else None
    lo = start - located.flat.starts[b]
    if places is None:
        return None
    # A quote of several paragraphs is marked in its first: a span cannot hold paragraphs.
    inside = [p for p in places[lo : min(end - located.flat.starts[b], len(places))] if p is not None]
    if not inside:
        return None
    return Span(located.document_of(b), inside[0], inside[-1], (b, lo))


def whole_block(located: Located, block: int) -> Span | None:
    """A whole block's places (a chapter's heading, where its announced title is shown)."""
    start = located.flat.starts[block]
    return places_of(located, start, start + len(located.flat.blocks[block].text))


def _slot_text(p: Place) -> str:
    return (p.owner.text if p.slot == "text" else p.owner.tail) or ""


def _container(p: Place) -> Any:
    """The element whose content holds the place: the owner of a text, the parent of a tail's owner."""
    return p.owner if p.slot == "text" else p.owner.getparent()


def _lift(p: Place, to: Any, end: bool) -> Place:
    """A place inside a descendant of `to`, moved out to `to`'s own content: before the child of `to`
    that holds it (a start), or after it (an end)."""
    child = _container(p)
    if child is to:
        return p
    while child.getparent() is not to:
        child = child.getparent()
    if end:
        return Place(child, "tail", 0)
    prev = child.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None:
        return Place(to, "text", len(to.text or ""))
    return Place(prev, "tail", len(prev.tail or ""))


def _common(a: Any, b: Any) -> Any:
    """The nearest element holding both. By identity, with every proxy held: lxml's element proxies
    are made afresh when none is alive, so an `id()` of one let go may be another's."""
    chain = [a, *a.iterancestors()]
    while not any(b is x for x in chain):
        b = b.getparent()
    return b


def wrap(first: Place, last: Place, ident: str, classes: str, ours: set[str]) -> bool:
    """Put a span with `ident` and `classes` around the text from `first` to `last` (both included),
    grown to whole elements when they lie in different ones. False, changing nothing, when that span
    would take in one made before (`ours`: their ids, to which `ident` is added). Wrap a document's
    segments last first: the places of those before stay true."""
    end = Place(last.owner, last.slot, last.offset + 1)
    span = etree.Element(f"{{{XHTML}}}span")
    span.set("id", ident)
    span.set("class", classes)
    if first.owner is end.owner and first.slot == end.slot:
        ours.add(ident)
        return _wrap_within(first, end, span)
    box = _common(_container(first), _container(end))
    start, end = _lift(first, box, False), _lift(end, box, True)
    lo = 0 if start.slot == "text" else box.index(start.owner) + 1
    hi = box.index(end.owner)
    moved = list(box[lo : hi + 1])
    if any(x.get("id") in ours for m in moved for x in m.iter() if isinstance(x.tag, str)):
        return False
    text = _slot_text(start)
    inside = text[start.offset :]
    if start.slot == "text":
        box.text = text[: start.offset]
    else:
        start.owner.tail = text[: start.offset]
    span.text = inside
    tail = moved[-1].tail or ""
    for m in moved:
        span.append(m)
    moved[-1].tail, span.tail = tail[: end.offset] or None, tail[end.offset :] or None
    box.insert(lo, span)
    ours.add(ident)
    return True


def _wrap_within(first: Place, end: Place, span: Any) -> bool:
    """A span around part of one text or tail."""
    text = _slot_text(first)
    span.text, span.tail = text[first.offset : end.offset], text[end.offset :] or None
    if first.slot == "text":
        first.owner.text = text[: first.offset] or None
        first.owner.insert(0, span)
    else:
        first.owner.tail = text[: first.offset] or None
        parent = first.owner.getparent()
        parent.insert(parent.index(first.owner) + 1, span)
    return True
