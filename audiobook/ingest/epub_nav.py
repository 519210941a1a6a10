"""An EPUB's table of contents as a tree: the EPUB 3 navigation document's `toc` nav, else the
EPUB 2 NCX's navMap. Each entry: its label and where it points (a member path and a fragment)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .epub_html import epub_types, local_name, parse_document
from .epub_package import Item, Package, href_path, parse_xml


@dataclass
class Entry:
    """A table-of-contents entry: label, target document and fragment, and the entries under it."""

    label: str
    path: str
    fragment: str
    children: list[Entry] = field(default_factory=list)


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def read_toc(pkg: Package) -> list[Entry]:
    """The table of contents' top-level entries (empty when the book has none that can be read)."""
    if pkg.nav is not None and pkg.nav.path in set(pkg.zf.namelist()):
        entries = _nav_entries(pkg.nav, pkg.read(pkg.nav.path))
        if entries:
            return entries
    if pkg.ncx is not None and pkg.ncx.path in set(pkg.zf.namelist()):
        return _ncx_entries(pkg.ncx, pkg.read(pkg.ncx.path))
    return []


def _nav_entries(item: Item, data: bytes) -> list[Entry]:
    root = parse_document(data)
    if root is None:
        return []
    navs = [el for el in root.iter() if local_name(el) == "nav"]
    toc = next((n for n in navs if "toc" in epub_types(n)), navs[0] if navs else None)
    if toc is None:
        return []
    ol = next((el for el in toc.iter() if local_name(el) in ("ol", "ul")), None)
    return _nav_list(item, ol) if ol is not None else []


def _nav_list(item: Item, ol: etree._Element) -> list[Entry]:
    out: list[Entry] = []
    for li in ol:
        if local_name(li) != "li":
            continue
        link = next((c for c in li if local_name(c) in ("a", "span")), None)
        sub = next((c for c in li if local_name(c) in ("ol", "ul")), None)
        children = _nav_list(item, sub) if sub is not None else []
        href = link.get("href") if link is not None else None
        if link is not None and href:
            path = href_path(item.path, href)
            out.append(Entry(_text(link), path, href.split("#", 1)[1] if "#" in href else "", children))
        else:
            out.extend(children)  # a heading with no link of its own: its entries stand alone
    return out


def _ncx_entries(item: Item, data: bytes) -> list[Entry]:
    root = parse_xml(data)
    nav_map = None if root is None else next((el for el in root.iter() if local_name(el) == "navmap"), None)
    return _ncx_points(item, nav_map) if nav_map is not None else []


def _ncx_points(item: Item, parent: etree._Element) -> list[Entry]:
    out: list[Entry] = []
    for point in parent:
        if local_name(point) != "navpoint":
            continue
        label_el = next((el for el in point.iter() if local_name(el) == "text"), None)
        content = next((el for el in point if local_name(el) == "content"), None)
        src = content.get("src") if content is not None else None
        children = _ncx_points(item, point)
        if src:
            path = href_path(item.path, src)
            label = _text(label_el) if label_el is not None else ""
            out.append(Entry(label, path, src.split("#", 1)[1] if "#" in src else "", children))
        else:
            out.extend(children)
    return out
