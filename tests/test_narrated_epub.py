"""The narrated EPUB (`generate --format epub`): valid by epubcheck, every line of every chapter in its
media overlay at book.json's times, the audio inside playing each line at those times, and each speaker's
lines in their colour in a real browser.

The example and the seed story are rendered again with an EPUB, reusing the line cache of the session's
renders (so only the chapters are joined and the EPUB's audio encoded); a Markdown story of the test's own
(emphasis, scene breaks, a name in two speakers' mouths) is rendered afresh."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import _once
from paths import EXAMPLE, EXAMPLE_INFO, VOICES

from audiobook.epub_documents import COLOURS, EpubChapter, chapter_body, clock, speaker_classes
from audiobook.model import CastLine, Character, Script, Segment, VoiceSpec

EPUBCHECK = shutil.which("epubcheck")
JAVA = shutil.which("java")

MARKDOWN = """# The Quiet Harbour

Author: A. Tester

## One

The *tide* was out when Ada came down the **steps**. "Is the boat *ready*?" she asked.

"Nearly," said Tom. "Give me a _minute_ & some rope <now>."

* * *

Later, the harbour was still, and the gulls slept on the wall.

## Two

"Home," said Ada. "We are home at last."

***

Tom laughed. "At last," he said.
"""


# ---- an EPUB of our own, narrated as it is ----------------------------------------------------------


def png(w=8, h=8, rgb=(200, 80, 40)) -> bytes:
    """A small PNG of one colour."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def page(title, body):
    """A chapter's XHTML around `body`, with the book's stylesheet."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        'lang="en" xml:lang="en">\n'
        f'<head><title>{title}</title><link rel="stylesheet" type="text/css" href="css/book.css"/></head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


ONE = page(
    "The Ferry",
    """<section epub:type="chapter" id="one">
<h1 class="chapter-title">Chapter One: The Ferry</h1>
<p class="first">The ferry left at <em>exactly</em> six, and Nell stood at the rail with her collar up.<a
 epub:type="noteref" href="#n1" id="r1">1</a></p>
<p>"Is it always this cold?" asked Nell.</p>
<p>"Only in <i>winter</i>," said Abel, "and in spring, and in the autumn too."</p>
<figure><img src="images/gull.png" alt="A gull on a post"/></figure>
<hr class="break"/>
<p>By noon the island was a grey line on the water, and the gulls had found them.</p>
<aside epub:type="footnote" id="n1"><p>The six o'clock ferry was the last of the season.</p></aside>
</section>""",
)
TWO = page(
    "The Island",
    """<section epub:type="chapter" id="two">
<h1>Chapter Two: The Island</h1>
<p>"We are here," said Abel. He lifted the bags down &amp; set them on the quay.</p>
<p>Nell laughed. "At <span class="smallcaps">last</span>," she said.</p>
</section>""",
)
NAV = page(
    "Contents",
    """<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>
<li><a href="one.xhtml">Chapter One: The Ferry</a></li>
<li><a href="two.xhtml">Chapter Two: The Island</a></li></ol></nav>""",
)
CSS = """body { font-family: serif; }
.chapter-title { color: #224466; }
p.first { text-indent: 0; }
.smallcaps { font-variant: small-caps; }
hr.break { width: 20%; }
"""
OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">urn:uuid:0f6a8a52-5b0e-4d4c-9d5e-2b9d5c1e7a10</dc:identifier>
<dc:title>The Grey Crossing</dc:title><dc:creator>Ivo Marsh</dc:creator><dc:language>en</dc:language>
<meta property="dcterms:modified">2020-01-01T00:00:00Z</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="css" href="css/book.css" media-type="text/css"/>
<item id="cover" href="images/cover.png" media-type="image/png" properties="cover-image"/>
<item id="gull" href="images/gull.png" media-type="image/png"/>
<item id="one" href="one.xhtml" media-type="application/xhtml+xml"/>
<item id="two" href="two.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine><itemref idref="one"/><itemref idref="two"/></spine>
</package>
"""


CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n'
)


def write_story_epub(path: Path, one: str = ONE, two: str = TWO) -> Path:
    """An EPUB 3 of our own, valid by epubcheck: two chapters with emphasis, a footnote, an image, a
    stylesheet and a scene break (or the chapters' documents given)."""
    files = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": OPF,
        "OEBPS/nav.xhtml": NAV,
        "OEBPS/css/book.css": CSS,
        "OEBPS/images/cover.png": png(16, 24, (30, 60, 90)),
        "OEBPS/images/gull.png": png(),
        "OEBPS/one.xhtml": one,
        "OEBPS/two.xhtml": two,
    }
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for n, d in files.items():
            z.writestr(n, d, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _render_epub(source: Path, voices: Path | None, out: Path, cache: Path | None, info=None):
    from audiobook.model import RenderOptions
    from audiobook.pipeline import generate

    options = RenderOptions(jobs=2, epub=True, cache_dir=str(cache) if cache else None)
    return generate(source, voices, out, options, info)


def _book(report) -> tuple[Path, Path]:
    """(the book folder, its EPUB)."""
    book = Path(report.output_dir)
    [epub] = [Path(f) for f in report.files if f.endswith(".epub")]
    return book, epub


@pytest.fixture(scope="module")
def example_epub(tmp_path_factory, example_render):
    cache = Path(example_render[0].output_dir).parents[1] / ".cache"
    report = _once(
        tmp_path_factory,
        "epub-example",
        lambda out: _render_epub(EXAMPLE, VOICES, out, cache, EXAMPLE_INFO),
    )
    return _book(report)


@pytest.fixture(scope="module")
def seed_epub(tmp_path_factory, seed_render, seed_path):
    cache = Path(seed_render[0].output_dir).parents[1] / ".cache"
    report = _once(tmp_path_factory, "epub-seed", lambda out: _render_epub(seed_path, None, out, cache))
    return _book(report)


@pytest.fixture(scope="module")
def markdown_epub(tmp_path_factory):
    def make(out: Path):
        out.mkdir(parents=True, exist_ok=True)
        story = out / "quiet-harbour.md"
        story.write_text(MARKDOWN, encoding="utf-8")
        return _render_epub(story, None, out / "books", None)

    return _book(_once(tmp_path_factory, "epub-markdown", make))


@pytest.fixture(scope="module")
def source_epub(tmp_path_factory):
    def make(out: Path):
        out.mkdir(parents=True, exist_ok=True)
        return _render_epub(write_story_epub(out / "grey.epub"), None, out / "books", None)

    book, epub = _book(_once(tmp_path_factory, "epub-source", make))
    return book, epub, Path(book).parents[2] / "grey.epub"


BOOKS = ["example_epub", "seed_epub", "markdown_epub", "source_epub"]


def _epubcheck(epub: Path) -> str:
    if not (EPUBCHECK and JAVA):
        message = "no epubcheck on this machine: `apt-get install epubcheck` (.ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # Debian's epubcheck is the jar itself: run it by java (C1 alone: half the start-up time; a deep stack:
    # its check of the reading order recurses once per overlay reference, and overflows on a long book).
    cmd = [JAVA, "-Xss64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", EPUBCHECK, str(epub)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return done.stdout + done.stderr


@pytest.mark.integration
@pytest.mark.parametrize("name", BOOKS)
def test_epubcheck_finds_no_error_and_no_warning(name, request):
    epub = request.getfixturevalue(name)[1]
    said = _epubcheck(epub)
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in said, said
    assert "No errors or warnings detected." in said, said


def _parse_clock(value: str) -> float:
    h, m, s = value.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def _documents(epub: Path):
    """(package document, {name: bytes}) of an EPUB."""
    with zipfile.ZipFile(epub) as z:
        names = z.namelist()
        assert names[0] == "mimetype" and z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        return {n: z.read(n) for n in names}


@pytest.mark.integration
@pytest.mark.parametrize("name", BOOKS[:3])
def test_every_line_is_in_its_overlay_at_book_json_times(name, request):
    from lxml import etree

    book, epub = request.getfixturevalue(name)
    files = _documents(epub)
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    ns = {"s": "http://www.w3.org/ns/SMIL", "h": "http://www.w3.org/1999/xhtml"}
    titles = 0
    for k, chapter in enumerate(manifest["chapters"], 1):
        smil = etree.fromstring(files[f"EPUB/chapter-{k:03d}.smil"])
        page = etree.fromstring(files[f"EPUB/chapter-{k:03d}.xhtml"])
        pars = smil.findall(".//s:par", ns)
        spoken = [(i, s) for i, s in enumerate(chapter["segments"]) if s["end"] > s["start"]]
        assert len(pars) == len(spoken)
        for par, (i, seg) in zip(pars, spoken):
            text, audio = par.find("s:text", ns), par.find("s:audio", ns)
            doc, _, ident = text.get("src").partition("#")
            assert doc == f"chapter-{k:03d}.xhtml" and ident == f"seg-{i}"
            assert audio.get("src") == f"audio/chapter-{k:03d}.mp3"
            assert abs(_parse_clock(audio.get("clipBegin")) - seg["start"]) <= 0.001
            assert abs(_parse_clock(audio.get("clipEnd")) - seg["end"]) <= 0.001
            [element] = page.xpath("//*[@id=$i]", i=ident)
            assert "".join(element.itertext()) == seg["text"]
            titles += seg["rule"] == "title"
    assert titles == sum(1 for c in manifest["chapters"] if c["segments"] and c["segments"][0]["rule"] == "title") > 0


def _lag_samples(a, b, at: int, span: int, most: int) -> int:
    """How many samples later `b` plays what `a` plays over [at, at + span) (by cross-correlation)."""
    import numpy as np

    x = a[at : at + span]
    y = b[at - most : at + span + most]
    n = 1 << (len(y) + len(x)).bit_length()
    c = np.fft.irfft(np.fft.rfft(y, n) * np.conj(np.fft.rfft(x, n)), n)[: 2 * most + 1]
    return int(np.argmax(c)) - most


@pytest.mark.integration
def test_the_epub_audio_plays_each_line_where_the_chapter_file_does(example_epub, tmp_path):
    """The EPUB's audio, re-encoded at 64 kbit/s, is where the chapter file's is (to a millisecond), at
    its start, its middle and its end; the package's durations are its own."""
    import numpy as np

    from audiobook.ffmpeg import decode_pcm

    book, epub = example_epub
    files = _documents(epub)
    opf = files["EPUB/package.opf"].decode()
    total = 0.0
    for k, chapter in enumerate(json.loads((book / "book.json").read_text(encoding="utf-8"))["chapters"], 1):
        inside = tmp_path / f"{k}.mp3"
        inside.write_bytes(files[f"EPUB/audio/chapter-{k:03d}.mp3"])
        a = np.frombuffer(decode_pcm(book / chapter["file"]), dtype="<i2").astype(np.float64)
        b = np.frombuffer(decode_pcm(inside), dtype="<i2").astype(np.float64)
        assert len(b) >= len(a)
        for seg in chapter["segments"][1], chapter["segments"][len(chapter["segments"]) // 2], chapter["segments"][-1]:
            at = int(seg["start"] * 44100)
            assert abs(_lag_samples(a, b, at, int((seg["end"] - seg["start"]) * 44100), 2000)) <= 44
        seconds = len(b) / 44100
        assert f'refines="#mo-{k}">{clock(seconds)}</meta>' in opf
        total += round(seconds, 3)
    assert f'<meta property="media:duration">{clock(total)}</meta>' in opf


@pytest.mark.integration
def test_the_book_folder_lists_the_epub_beside_the_chapter_files(markdown_epub):
    book, epub = markdown_epub
    assert epub.parent == book and epub.name == "The Quiet Harbour.epub"
    assert epub.name in (book / ".audiobook-files").read_text(encoding="utf-8")
    assert not [p for p in book.iterdir() if p.name.startswith(".staging-")]
    files = _documents(epub)
    one = files["EPUB/chapter-001.xhtml"].decode()
    assert one.count('<hr class="scene-break"/>') == 1 and "&amp; some rope" in one
    assert "cover.svg" in files["EPUB/package.opf"].decode() and "EPUB/cover.svg" in files


def _unmarked(data: bytes) -> bytes:
    """A narrated document as it was: our spans unwrapped and our stylesheet's link taken out (C14N)."""
    from lxml import etree

    root = etree.fromstring(data)
    for link in root.xpath("//h:link[contains(@href, 'audiobook/')]", namespaces=XNS):
        link.getparent().remove(link)
    for span in root.xpath("//h:span[starts-with(@id, 'ab-')]", namespaces=XNS):
        parent, at = span.getparent(), span.getparent().index(span)
        children, text, tail = list(span), span.text or "", span.tail or ""
        parent.remove(span)
        for k, child in enumerate(children):
            parent.insert(at + k, child)
        for piece, end in ((text, at), (tail, at + len(children))):
            if end == 0:
                parent.text = (parent.text or "") + piece
            else:
                parent[end - 1].tail = (parent[end - 1].tail or "") + piece
    return etree.tostring(root, method="c14n")


XNS = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.mark.integration
def test_an_epub_comes_out_as_itself_narrated(source_epub):
    """Images, styles, navigation and the footnote survive byte for byte; the chapters' documents are
    the same trees once our spans and link are taken out."""
    from lxml import etree

    _, epub, story = source_epub
    before, after = _documents(story), _documents(epub)
    changed = {"OEBPS/content.opf", "OEBPS/one.xhtml", "OEBPS/two.xhtml"}
    for name, data in before.items():
        if name not in changed:
            assert after[name] == data, name
    for name in ("OEBPS/one.xhtml", "OEBPS/two.xhtml"):
        assert b'class="dialogue speaker-' in after[name]
        assert _unmarked(after[name]) == etree.tostring(etree.fromstring(before[name]), method="c14n")
    assert b'<aside epub:type="footnote" id="n1"><p>The six' in after["OEBPS/one.xhtml"]
    added = sorted(set(after) - set(before))
    assert added == [
        f"OEBPS/audiobook/{n}"
        for n in ("chapter-001.mp3", "chapter-002.mp3", "overlay-001.smil", "overlay-002.smil", "overlay.css")
    ]


@pytest.mark.integration
def test_every_line_of_an_epub_is_in_its_overlay_at_book_json_times(source_epub):
    from lxml import etree

    book, epub, _ = source_epub
    files = _documents(epub)
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    ns = {"s": "http://www.w3.org/ns/SMIL"}
    seen = set()
    for n, page in ((1, "one.xhtml"), (2, "two.xhtml")):
        tree = etree.fromstring(files[f"OEBPS/{page}"])
        for par in etree.fromstring(files[f"OEBPS/audiobook/overlay-{n:03d}.smil"]).findall(".//s:par", ns):
            doc, _, ident = par.find("s:text", ns).get("src").partition("#")
            assert doc == f"../{page}"
            _, k, i = ident.split("-")
            seg = manifest["chapters"][int(k) - 1]["segments"][int(i)]
            audio = par.find("s:audio", ns)
            assert audio.get("src") == f"chapter-{int(k):03d}.mp3"
            assert abs(_parse_clock(audio.get("clipBegin")) - seg["start"]) <= 0.001
            assert abs(_parse_clock(audio.get("clipEnd")) - seg["end"]) <= 0.001
            [element] = tree.xpath("//*[@id=$i]", i=ident)
            shown = "".join(element.itertext()).strip('"\u201c\u201d')
            spoken = seg["text"].replace("*", "")
            if seg["rule"] == "title":  # shown on the book's own heading, as the book writes it
                assert element.getparent().tag.endswith("}h1") and shown.startswith("Chapter")
            else:
                assert shown == spoken
            seen.add((int(k), int(i)))
    every = {
        (c["index"], i) for c in manifest["chapters"] for i, s in enumerate(c["segments"]) if s["end"] > s["start"]
    }
    assert seen == every


# ---- in a browser ----------------------------------------------------------------------------------


@pytest.mark.integration
def test_each_speaker_reads_in_their_colour_in_a_browser(example_epub, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from test_player import ARGS, CHROMIUM

    _, epub = example_epub
    with zipfile.ZipFile(epub) as z:
        z.extractall(tmp_path)
    css = (tmp_path / "EPUB" / "style.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"\.dialogue\.(speaker-[a-z0-9-]+) \{ color: (#[0-9a-f]{6}); \}", css))
    assert len(colours) >= 3
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto((tmp_path / "EPUB" / "chapter-001.xhtml").as_uri())
        lines = page.evaluate(
            """() => [...document.querySelectorAll('[id^="seg-"]')].map(e => ({
                   classes: [...e.classList], colour: getComputedStyle(e).color,
                   body: getComputedStyle(document.body).color}))"""
        )
        browser.close()
    speakers = {c for line in lines for c in line["classes"] if c.startswith("speaker-")}
    assert len(speakers) >= 2
    for line in lines:
        [who] = [c for c in line["classes"] if c.startswith("speaker-")] or ["narration"]
        if who == "narration":
            assert "narration" in line["classes"] and line["colour"] == line["body"]
        else:
            assert "dialogue" in line["classes"] and line["colour"] == _rgb(colours[who])


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


# ---- the documents, without audio ------------------------------------------------------------------


def _line(kind, text, speaker=None, paragraph=0, rule=""):
    seg = Segment(kind, text, speaker, 0, 0, paragraph=paragraph, rule=rule)
    return CastLine(seg, VoiceSpec("fake", "v"), "narrator", 0)


def test_a_chapter_is_paragraphs_of_lines_with_quotes_outside_them():
    from audiobook.assemble import Timing

    lines = (
        _line("narration", "Chapter One", paragraph=-1, rule="title"),
        _line("dialogue", "Come in,", "Mara", 0),
        _line("narration", "said Mara.", None, 0),
        _line("dialogue", "Who & why?", None, 1),
        _line("narration", "Later.", None, 2),
    )
    ch = EpubChapter(
        1, "Chapter One", lines, tuple(Timing(i, i + 0.5) for i in range(5)), Path("x"), 5.0, frozenset({2})
    )
    script = Script("T", "A", (), (Character("Mara", lines=1),))
    body = chapter_body(ch, speaker_classes(script))
    assert '<h1><span id="seg-0" class="narration title">Chapter One</span></h1>' in body
    assert (
        '<p>\u201c<span id="seg-1" class="dialogue speaker-mara">Come in,</span>\u201d '
        '<span id="seg-2" class="narration">said Mara.</span></p>'
    ) in body
    assert '<span id="seg-3" class="dialogue unknown">Who &amp; why?</span>' in body
    assert body.index('<hr class="scene-break"/>') < body.index("Later.")


def test_speaker_classes_are_unique_and_coloured_by_lines_spoken():
    script = Script(
        "T", "A", (), (Character("Ann Lee", lines=2), Character("ann-lee", lines=5), Character("Nobody", lines=0))
    )
    classes = speaker_classes(script)
    assert classes == {"ann-lee": ("speaker-ann-lee", COLOURS[0]), "Ann Lee": ("speaker-ann-lee-2", COLOURS[1])}


def test_clock_values_are_to_the_millisecond():
    assert clock(0) == "0:00:00.000"
    assert clock(3723.4567) == "1:02:03.457"


# ---- an EPUB's own markup, without audio ---------------------------------------------------------


def _marked(tmp_path, one: str):
    """The lines of a story EPUB whose first chapter is `one`, found and marked in its documents
    (placeholder clips: a line a second): (the first chapter's tree, the targets, their chapters)."""
    from audiobook.assemble import Timing
    from audiobook.cast import title_segment
    from audiobook.ingest import load_book
    from audiobook.ingest.epub_package import open_package
    from audiobook.narrated_source import cover_gaps, mark, targets
    from audiobook.parse import parse_book
    from audiobook.source_marks import locate

    path = write_story_epub(tmp_path / "story.epub", one=one)
    script = parse_book(load_book(path))
    chapters = []
    for ch in script.chapters:
        lines = tuple(_line_of(s) for s in ([title_segment(ch)] if title_segment(ch) else []) + list(ch.segments))
        timings = tuple(Timing(i, i + 0.5) for i in range(len(lines)))
        chapters.append(EpubChapter(ch.index, ch.title, lines, timings, Path("x"), 1.0, ch.scene_breaks))
    pkg = open_package(path)
    located = locate(pkg)
    pkg.zf.close()
    marked = cover_gaps(chapters, mark(located, targets(located, chapters, speaker_classes(script))))
    return located.trees["OEBPS/one.xhtml"], marked, chapters


def _line_of(seg: Segment) -> CastLine:
    return CastLine(seg, VoiceSpec("fake", "v"), "narrator", 0)


def _text(tree, ident: str) -> str:
    [element] = tree.xpath("//*[@id=$i]", i=ident)
    return "".join(element.itertext())


def test_every_line_of_the_story_epub_is_found_in_its_own_markup(tmp_path):
    tree, marked, chapters = _marked(tmp_path, ONE)
    assert len(marked) == sum(len(c.lines) for c in chapters)
    for t in marked:
        if t.chapter.index == 1 and t.chapter.lines[int(t.ident.rsplit("-", 1)[1])].segment.rule != "title":
            seg = t.chapter.lines[int(t.ident.rsplit("-", 1)[1])].segment
            assert _text(tree, t.ident).strip('"') == seg.text.replace("*", "")
    assert _text(tree, "ab-1-4") == '"Only in winter,"'  # the quote's <i> kept inside the span
    assert tree.xpath("//*[@id='ab-1-4']/*[local-name()='i']")[0].text == "winter"


def test_a_quote_of_two_paragraphs_is_marked_in_the_first_and_heard_whole(tmp_path):
    one = page(
        "One",
        """<section epub:type="chapter" id="one"><h1>Chapter One: Fog</h1>
<p>"The crossing takes an hour," said Abel. "Sometimes two.</p>
<p>"In fog it takes all day, and the gulls go quiet."</p>
<p>Nell said nothing.</p></section>""",
    )
    tree, marked, _ = _marked(tmp_path, one)
    two_paragraphs = next(t for t in marked if _text(tree, t.ident) == '"Sometimes two.')
    after = next(t for t in marked if _text(tree, t.ident) == "Nell said nothing.")
    assert two_paragraphs.end < after.start


def test_a_line_that_cannot_be_marked_is_heard_in_the_clip_before_it():
    from audiobook.assemble import Timing
    from audiobook.narrated_source import Target, cover_gaps
    from audiobook.source_marks import Place, Span

    lines = tuple(_line_of(Segment("narration", f"line {i}", None, 0, 0)) for i in range(4))
    ch = EpubChapter(1, "One", lines, tuple(Timing(i, i + 0.5) for i in range(4)), Path("x"), 4.0, frozenset())
    span = Span("one.xhtml", Place(None, "text", 0), Place(None, "text", 0), (0, 0))
    marked = [Target(span, f"ab-1-{i}", "narration", ch, i, i + 0.5) for i in (1, 2)]
    covered = cover_gaps([ch], marked)
    assert [(t.ident, t.start, t.end) for t in covered] == [("ab-1-1", 0, 1.5), ("ab-1-2", 2, 3.5)]
