"""An EPUB's package: the zip checked (not DRM-locked, no huge members), its container, and the OPF's
metadata, manifest, spine and cover. No XHTML is read here (that is `epub_html.py`).

Every failure is an InputError naming the file and the fix: not a zip, encrypted content (DRM), no
container or OPF, a spine item missing from the zip, a member too large to be a book's text.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import InputError

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
XMLENC = "http://www.w3.org/2001/04/xmlenc#"
# Font obfuscation (IDPF's and Adobe's) scrambles embedded fonts only: it is not DRM, the text is plain.
FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
TEXT_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})
COVER_TYPES = frozenset({"image/jpeg", "image/png"})

# Guards against a zip bomb: no member of a book is this large once inflated, nor the whole text.
MAX_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 512 * 1024 * 1024
MAX_MEMBERS = 50_000

_YEAR = re.compile(r"\b(\d{4})\b")


@dataclass(frozen=True)
class Item:
    """A manifest item: its path inside the zip, media type and properties."""

    id: str
    path: str
    media_type: str
    properties: frozenset[str] = frozenset()


@dataclass
class Package:
    """What the OPF says, with the zip to read the items from."""

    path: Path
    zf: zipfile.ZipFile
    title: str = ""
    author: str = ""
    language: str = ""
    year: str = ""
    spine: list[Item] = field(default_factory=list)  # linear text documents in reading order
    nav: Item | None = None  # the EPUB 3 navigation document
    ncx: Item | None = None  # the EPUB 2 NCX
    cover: bytes = b""
    _read: int = 0

    def read(self, member: str) -> bytes:
        """A member's bytes, inflated at most MAX_MEMBER (and MAX_TOTAL over the whole book)."""
        try:
            info = self.zf.getinfo(member)
        except KeyError:
            raise InputError(
                f"{self.path}: {member} is listed in the book but missing from the zip; {_REMAKE}"
            ) from None
        with self.zf.open(info) as f:
            data = f.read(MAX_MEMBER + 1)
        self._read += len(data)
        if len(data) > MAX_MEMBER or self._read > MAX_TOTAL:
            raise InputError(f"{self.path}: {member} is too large to be a book's text (a zip bomb?); {_REMAKE}")
        return data


_REMAKE = "the EPUB is damaged: download or export it again"


def parse_xml(data: bytes) -> etree._Element | None:
    """An XML document's root, recovering from errors; no DTD, entity expansion or network."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None


def href_path(base: str, href: str) -> str:
    """A relative href (URL-encoded, maybe with a fragment) as a member path, from the member `base`."""
    part = urlsplit(href).path
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(part))).lstrip("/")


def open_package(path: Path) -> Package:
    """The zip opened and checked, the OPF read."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: not an EPUB (not a zip archive); give a .epub, .txt or .md file") from exc
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > 4 * MAX_TOTAL:
        raise InputError(f"{path}: too many or too large members to be a book (a zip bomb?); {_REMAKE}")
    pkg = Package(path, zf)
    _refuse_drm(pkg)
    opf = opf_path(pkg)
    _read_opf(pkg, opf)
    return pkg


def _refuse_drm(pkg: Package) -> None:
    """InputError when META-INF/encryption.xml encrypts anything but fonts (font obfuscation is not DRM)."""
    names = set(pkg.zf.namelist())
    if "META-INF/encryption.xml" not in names:
        return
    root = parse_xml(pkg.read("META-INF/encryption.xml"))
    methods = [] if root is None else root.iter(f"{{{XMLENC}}}EncryptionMethod")
    locked = [m.get("Algorithm", "") for m in methods if m.get("Algorithm", "") not in FONT_OBFUSCATION]
    if locked or root is None:
        raise InputError(
            f"{pkg.path}: is DRM-protected (its content is encrypted); only DRM-free EPUBs can be read: "
            "use a DRM-free copy (Project Gutenberg, Standard Ebooks, or your shop's DRM-free download)"
        )


def opf_path(pkg: Package) -> str:
    names = set(pkg.zf.namelist())
    if "META-INF/container.xml" not in names:
        opfs = sorted(n for n in names if n.lower().endswith(".opf"))
        if len(opfs) == 1:  # a container lost, the package still there
            return opfs[0]
        raise InputError(f"{pkg.path}: has no META-INF/container.xml, so no book inside can be found; {_REMAKE}")
    root = parse_xml(pkg.read("META-INF/container.xml"))
    rootfile = None if root is None else root.find(f".//{{{CONTAINER}}}rootfile")
    if rootfile is None:
        rootfile = None if root is None else next((e for e in root.iter() if local_name(e) == "rootfile"), None)
    full = rootfile.get("full-path") if rootfile is not None else None
    if not full:
        raise InputError(f"{pkg.path}: META-INF/container.xml names no package (.opf) file; {_REMAKE}")
    if full not in names:
        raise InputError(f"{pkg.path}: its package file {full} is missing from the zip; {_REMAKE}")
    return full


def local_name(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _read_opf(pkg: Package, opf: str) -> None:
    root = parse_xml(pkg.read(opf))
    if root is None or local_name(root) != "package":
        raise InputError(f"{pkg.path}: {opf} is not a readable package file; {_REMAKE}")
    _metadata(pkg, root)
    items: dict[str, Item] = {}
    for el in root.iter(f"{{{OPF}}}item"):
        if el.get("id") and el.get("href"):
            props = frozenset((el.get("properties") or "").split())
            items[el.get("id", "")] = Item(
                el.get("id", ""), href_path(opf, el.get("href", "")), el.get("media-type", ""), props
            )
    pkg.nav = next((i for i in items.values() if "nav" in i.properties), None)
    spine_el = root.find(f"{{{OPF}}}spine")
    toc = spine_el.get("toc") if spine_el is not None else None
    pkg.ncx = items.get(toc or "") or next(
        (i for i in items.values() if i.media_type == "application/x-dtbncx+xml"), None
    )
    names = set(pkg.zf.namelist())
    for ref in spine_el.iter(f"{{{OPF}}}itemref") if spine_el is not None else ():
        item = items.get(ref.get("idref", ""))
        if item is None or ref.get("linear", "yes") == "no" or item.media_type not in TEXT_TYPES:
            continue
        if item.path not in names:
            raise InputError(f"{pkg.path}: {item.path} is in the reading order but missing from the zip; {_REMAKE}")
        pkg.spine.append(item)
    pkg.cover = _cover(pkg, root, items)


def _metadata(pkg: Package, root: etree._Element) -> None:
    meta = root.find(f"{{{OPF}}}metadata")
    if meta is None:
        return

    def first(name: str) -> str:
        for el in meta.iter(f"{{{DC}}}{name}"):
            text = " ".join("".join(el.itertext()).split())
            if text:
                return text
        return ""

    pkg.title, pkg.language = first("title"), first("language")
    authors = [
        " ".join("".join(el.itertext()).split())
        for el in meta.iter(f"{{{DC}}}creator")
        if (el.get(f"{{{OPF}}}role") or "aut") == "aut"
    ]
    pkg.author = next((a for a in authors if a), "") or first("creator")
    year = _YEAR.search(first("date"))
    pkg.year = year.group(1) if year else ""


def _cover(pkg: Package, root: etree._Element, items: dict[str, Item]) -> bytes:
    """The cover image's bytes (JPEG or PNG): EPUB 3's cover-image property, else EPUB 2's <meta name="cover">."""
    item = next((i for i in items.values() if "cover-image" in i.properties), None)
    if item is None:
        for el in root.iter(f"{{{OPF}}}meta"):
            if el.get("name") == "cover":
                ref = el.get("content", "")
                item = items.get(ref) or next((i for i in items.values() if i.path.endswith(ref) and ref), None)
                break
    if item is None or item.media_type not in COVER_TYPES or item.path not in set(pkg.zf.namelist()):
        return b""
    data = pkg.read(item.path)
    return data if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" else b""
