"""One XHTML document of an EPUB -> blocks: the paragraphs and headings a listener hears, in order.

Markup is read with lxml, recovering from errors; HTML's named entities (`&nbsp;`) are understood even
in XML. A block element (p, div, h1-h6, li, blockquote, pre, ...) is a block; inline text is joined
with whitespace folded, `<br/>` is a space, an image's alt text is not read. Italic and emphasis
(`<i>`, `<em>`) are kept as `*...*`, the mark plain text uses for emphasis (`speech.speakable` drops
it for the engine). `<hr/>` is a scene break.

Skipped by their semantics (`epub:type`, a DPUB-ARIA `doc-*` role, and Project Gutenberg's ids and
classes): the table of contents, landmarks, page lists, page-break markers, index, bibliography,
title and copyright pages, colophon, cover, Gutenberg's header and footer. Note bodies (footnotes,
endnotes) are kept aside as blocks marked with their note, and note reference marks are not read: the
block keeps where they pointed, so a note can be read at its chapter's end.
"""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from .epub_package import href_path, parse_xml

OPS = "http://www.idpf.org/2007/ops"

_DROP_TYPES = frozenset(
    "toc landmarks page-list loi lot lov loa index bibliography copyright-page cover titlepage halftitlepage "
    "imprint colophon pagebreak backlink seriespage other-credits".split()
)
_NOTE_TYPES = frozenset("footnote footnotes endnote endnotes rearnote rearnotes note notes annotation".split())
_NOTE_CLASSES = frozenset("footnote footnotes endnote endnotes".split())
_REF_CLASSES = frozenset("fnanchor noteref footnote-ref footnoteref footnote-link note-ref".split())
_GUTENBERG = frozenset("pg-boilerplate pg-header pg-footer pgheader pgfooter pg-machine-header".split())
# A printed page's number kept in the text ("[Pg 13]" in Gutenberg's HTML), a poem's line number in
# the margin ("Son of man,20"): never read.
_PAGE_CLASSES = frozenset("pagenum pageno page-number pagenumber page-num lnum linenum line-number linenumber".split())
_UNREAD_TAGS = frozenset("head script style title svg math img audio video object iframe template nav".split())
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li blockquote pre dt dd td th caption figcaption section article aside header "
    "footer main body ul ol dl table tr tbody thead tfoot figure address hgroup center".split()
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_EM_TAGS = frozenset({"em", "i"})
_NOTE_MARK_TEXT = re.compile(r"^[\[(]?(?:\d{1,3}|[a-z]|[ivx]{1,4}|[*\u2020\u2021\u00a7])[\])]?$", re.IGNORECASE)
_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_SPACE = re.compile(r"\s+")
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# A line break as found; two in a row (spaces between) end a paragraph, one is a space.
LINE_BREAK = "\x1e"
_PARAGRAPH_BREAK = re.compile(f"{LINE_BREAK}[ \t\r\n]*{LINE_BREAK}[{LINE_BREAK} \t\r\n]*")
# Emphasis as found (open/close sentinels), then as written: marks only on whole words.
EMPHASIS_OPEN, EMPHASIS_CLOSE = "\x0e", "\x0f"
_EM_SPAN = re.compile(f"{EMPHASIS_OPEN}([^{EMPHASIS_OPEN}{EMPHASIS_CLOSE}]*){EMPHASIS_CLOSE}")


@dataclass
class Block:
    """A paragraph or heading of a document, as read."""

    text: str
    heading: int = 0  # 1-6 for h1-h6 (and a title in an <hgroup>); 0 for a paragraph
    scene_break: bool = False  # an <hr/> (or a skipped break) before it
    note: str = ""  # "file#id" of the note this block is the body of; "" for the book's text
    refs: list[str] = field(default_factory=list)  # "file#id" of the notes its marks point at
    link: bool = False  # all its words are a link's (a line of a contents list)


@dataclass
class Document:
    """A spine document's blocks, where its ids are, and which ids lie inside which note."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # id -> index of the block it starts
    note_of: dict[str, str] = field(default_factory=dict)  # "file#id" inside a note -> the note's key


def _html_entities(data: bytes) -> bytes:
    """HTML's named entities as numeric references, which XML knows without a DTD."""

    def sub(m: re.Match[bytes]) -> bytes:
        name = m.group(1)
        if name in _XML_ENTITIES:
            return m.group(0)
        char = html.entities.html5.get(name.decode("ascii") + ";")
        return "".join(f"&#{ord(c)};" for c in char).encode("ascii") if char else m.group(0)

    return _ENTITY.sub(sub, data)


def parse_document(data: bytes, html: bool = False) -> etree._Element | None:
    """The document's root: as XML (recovering), else (or when `html`: a web page, not XHTML) as HTML."""
    root = None if html else parse_xml(_html_entities(data))
    if root is None or local_name(root) not in ("html", "body"):
        try:
            root = lxml_html.document_fromstring(data)
        except (etree.ParserError, ValueError):
            return None
    return root


def local_name(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def epub_types(el: etree._Element) -> set[str]:
    """epub:type values and DPUB-ARIA roles (without `doc-`)."""
    raw = (el.get(f"{{{OPS}}}type") or el.get("epub:type") or "").split()
    roles = [r[4:] for r in (el.get("role") or "").split() if r.startswith("doc-")]
    return {t.rsplit(":", 1)[-1].lower() for t in raw} | set(roles)


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").lower().split())


def _is_noteref(el: etree._Element, tag: str, types: set[str]) -> bool:
    if "noteref" in types or _classes(el) & _REF_CLASSES:
        return True
    if tag not in ("a", "sup"):
        return False
    text = "".join(el.itertext()).strip()
    if not _NOTE_MARK_TEXT.match(text):
        return False
    links = [el] if tag == "a" else [a for a in el.iter() if local_name(a) == "a"]
    linked = any("#" in (a.get("href") or "") for a in links)
    in_sup = tag == "sup" or any(local_name(s) == "sup" for s in el.iter()) or local_name(el.getparent()) == "sup"
    # A bracketed number or a note's sign, linked, is a mark even on the line ("turned<a>[1]</a>"); a
    # plain linked number is one only raised (a link "3" in prose may be a chapter's number).
    return linked and (in_sup or not text[:1].isalnum())


class BlockWalker:
    """Depth-first over the body, gathering inline text into blocks."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.buf: list[str] = []
        self.refs: list[str] = []
        self.heading = 0
        self.em = 0
        self.note = ""
        self.scene_break = False
        self.linked: list[str] = []

    def key(self, ident: str) -> str:
        return f"{self.doc.path}#{ident}"

    def flush(self) -> None:
        # Two line breaks in a row end a paragraph, as they do on the page ("Chapter 1<br/><br/>It was").
        parts = [t for raw in _PARAGRAPH_BREAK.split("".join(self.buf)) if (t := _finish(raw))]
        for text in parts:
            link = len(parts) == 1 and _letters(" ".join(self.linked)) == _letters(text)
            self.doc.blocks.append(Block(text, self.heading, self.scene_break, self.note, self.refs, link))
            self.scene_break = False
            self.refs = []
        self.buf.clear()
        self.linked.clear()

    def mark_id(self, el: etree._Element) -> None:
        ident = el.get("id") or el.get("name") if local_name(el) == "a" else el.get("id")
        if ident:
            self.doc.ids.setdefault(ident, len(self.doc.blocks))
            if self.note:
                self.doc.note_of[self.key(ident)] = self.note

    def walk(self, el: etree._Element) -> None:
        tag = local_name(el)
        if tag and not self._skipped(el, tag):
            self._enter(el, tag)
        if el.tail:
            self.buf.append(el.tail)

    def _skipped(self, el: etree._Element, tag: str) -> bool:
        """Handles (by not reading) what is not read; True when `el` was skipped."""
        types = epub_types(el)
        classes = _classes(el)
        if tag in _UNREAD_TAGS or types & _DROP_TYPES or ({el.get("id", "")} | classes) & _GUTENBERG:
            if "pagebreak" not in types and tag in _BLOCK_TAGS:
                self.flush()
            return True
        if classes & _PAGE_CLASSES or "doc-pagebreak" in (el.get("role") or "").split():
            self.mark_id(el)
            return True
        if tag == "br":
            self.buf.append(LINE_BREAK)  # a space, unless another follows it
            return True
        if tag == "hr":
            self.flush()
            self.scene_break = bool(self.doc.blocks)
            return True
        if not self.note and _is_noteref(el, tag, types):
            links = [el] if tag == "a" else [a for a in el.iter() if local_name(a) == "a"]
            self.refs.extend(self._target(a.get("href") or "") for a in links if "#" in (a.get("href") or ""))
            return True
        return False

    def _target(self, href: str) -> str:
        path = href_path(self.doc.path, href) if not href.startswith("#") else self.doc.path
        return f"{path}#{href.split('#', 1)[1]}"

    def _enter(self, el: etree._Element, tag: str) -> None:
        opens_note = bool(epub_types(el) & _NOTE_TYPES or _classes(el) & _NOTE_CLASSES)
        block = tag in _BLOCK_TAGS or tag in _HEADINGS or opens_note
        outer_note, outer_heading = self.note, self.heading
        if block:
            self.flush()
            if opens_note or (self.note and el.get("id")):
                ident = el.get("id") or next((d.get("id") for d in el.iter() if d.get("id")), "") or f"@{id(el)}"
                self.note = self.key(ident)
            if tag in _HEADINGS:
                self.heading = _HEADINGS[tag]
            elif tag == "hgroup":
                self.heading = min(
                    (_HEADINGS[local_name(h)] for h in el.iter() if local_name(h) in _HEADINGS), default=2
                )
        self.mark_id(el)
        emphasis = tag in _EM_TAGS
        if emphasis:
            self.em += 1
            if self.em == 1:
                self.buf.append(EMPHASIS_OPEN)
        linked = len(self.buf) if tag == "a" and el.get("href") else -1
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
        if linked >= 0:
            self.linked.append("".join(self.buf[linked:]))
        if emphasis:
            self.em -= 1
            if self.em == 0:
                self.buf.append(EMPHASIS_CLOSE)
        if block:
            self.flush()
            self.note, self.heading = outer_note, outer_heading


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum()).lower()


def _finish(raw: str) -> str:
    """A block's text: whitespace folded, emphasis marked `*...*` on whole words, else unmarked."""
    text = _SPACE.sub(" ", INVISIBLE.sub("", raw)).strip()

    def mark(m: re.Match[str]) -> str:
        inner = m.group(1)
        core = inner.strip()
        before, after = m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
        whole_words = not (before.isalnum() or after.isalnum())
        if not core or "*" in core or not any(c.isalnum() for c in core) or not whole_words:
            return inner
        lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
        return f"{lead}*{core}*{trail}"

    text = _EM_SPAN.sub(mark, text)
    text = text.replace(EMPHASIS_OPEN, "").replace(EMPHASIS_CLOSE, "")
    return _SPACE.sub(" ", text).strip()


def read_document(path: str, data: bytes, html: bool = False) -> Document:
    """A spine document's blocks (see the module's docstring for what is read); `html` for a web page."""
    doc = Document(path)
    root = parse_document(data, html)
    if root is None:
        return doc
    body = next((el for el in root.iter() if local_name(el) == "body"), root)
    walker = BlockWalker(doc)
    walker.walk(body)
    walker.flush()
    return doc
