"""EPUB 2 and 3 in: chapters from the nav, the NCX, anchors or headings; metadata and cover; what is
skipped (notes, boilerplate, contents) never reaches a segment; bad EPUBs give one Error: line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from epub_builder import JPEG, Toc, page, write_epub
from fake_engine import FakeEngine

from audiobook.cli import cli
from audiobook.errors import ExitCode, InputError
from audiobook.ingest import epub_package, load_book
from audiobook.ingest.epub import epub_source
from audiobook.parse import parse_book
from audiobook.pipeline import generate, load_script

CH1 = (
    "<h2>Chapter 1</h2>\n<p>Mara walked&nbsp;down to the <i>old</i> harbour before dawn.</p>\n"
    "<p>\u201cYou are late,\u201d said Oskar Bell.<br/>He was mending a net.</p>\n"
)
CH2 = "<h2>Chapter 2</h2>\n<p>The boats came in under a grey sky.</p>\n<hr/>\n<p>By noon the quay was empty.</p>\n"


def _texts(book) -> list[str]:
    return [p.text for ch in book.chapters for p in ch.paragraphs]


def _segments(path, notes="skip") -> list[str]:
    return [s.text for ch in parse_book(load_book(path, notes)).chapters for s in ch.segments]


def test_epub3_with_nav_chapters_metadata_cover(tmp_path):
    docs = [
        ("cover.xhtml", page('<section epub:type="cover"><img src="images/cover.jpg" alt="A ship at sea"/></section>')),
        ("title.xhtml", page('<section epub:type="titlepage"><h1>The Salt Road</h1><p>Wren Calloway</p></section>')),
        ("c1.xhtml", page(CH1)),
        ("c2.xhtml", page(CH2)),
        ("colophon.xhtml", page('<section epub:type="colophon"><p>Set in a typeface we like.</p></section>')),
    ]
    toc = [Toc("Title Page", "title.xhtml"), Toc("Chapter 1", "c1.xhtml"), Toc("Chapter 2: Grey Sky", "c2.xhtml")]
    book = load_book(write_epub(tmp_path / "b.epub", docs, toc, cover=JPEG))
    assert (book.title, book.author, book.language, book.year) == ("The Salt Road", "Wren Calloway", "en", "1911")
    assert book.cover == JPEG
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2: Grey Sky"]
    assert _texts(book) == [
        "Mara walked down to the *old* harbour before dawn.",
        "\u201cYou are late,\u201d said Oskar Bell. He was mending a net.",
        "The boats came in under a grey sky.",
        "By noon the quay was empty.",
    ]
    assert [p.scene_break_before for p in book.chapters[1].paragraphs] == [False, True]
    script = parse_book(book)
    assert script.cover == JPEG and script.language == "en"
    assert not any("ship at sea" in t or "typeface" in t for t in _segments(tmp_path / "b.epub"))


def test_epub2_with_ncx_and_meta_cover(tmp_path):
    docs = [("c1.xhtml", page(CH1)), ("c2.xhtml", page(CH2)), ("extra.xhtml", page("<p>An aside out of order.</p>"))]
    toc = [Toc("One", "c1.xhtml"), Toc("Two", "c2.xhtml")]
    path = write_epub(tmp_path / "b.epub", docs, toc, version=2, cover=JPEG, non_linear=("extra.xhtml",))
    book = load_book(path)
    assert [ch.title for ch in book.chapters] == ["One", "Two"]
    assert book.cover == JPEG
    assert "An aside out of order." not in _texts(book)


def test_chapters_split_at_anchors_in_one_file(tmp_path):
    body = (
        '<h1 id="intro">Before the Storm</h1><p>The lamps were lit early that night.</p>'
        '<h1 id="c2">The Storm</h1><p>Rain hammered the slate roofs.</p>'
        '<div id="c3"><h1>After</h1><p>Morning found the lane full of branches.</p></div>'
    )
    toc = [Toc("Before the Storm", "all.xhtml#intro"), Toc("The Storm", "all.xhtml#c2"), Toc("After", "all.xhtml#c3")]
    book = load_book(write_epub(tmp_path / "b.epub", [("all.xhtml", page(body))], toc))
    assert [(ch.title, [p.text for p in ch.paragraphs]) for ch in book.chapters] == [
        ("Before the Storm", ["The lamps were lit early that night."]),
        ("The Storm", ["Rain hammered the slate roofs."]),
        ("After", ["Morning found the lane full of branches."]),
    ]


def test_book_split_by_size_gives_chapters_from_headings(tmp_path):
    prose = "<p>" + "The tide went out and came back again. " * 12 + "</p>"
    part1 = f"<h2>Chapter 1</h2>{prose}<p>Chapter 2</p>{prose}"  # a heading as a plain paragraph
    part2 = f"{prose}<h2>Chapter 3: The Lighthouse</h2>{prose}"  # begins in the middle of chapter 2
    part3 = f"<h3>Chapter 4</h3>{prose}<h2>Chapter 5</h2>{prose}"
    docs = [("p1.xhtml", page(part1)), ("p2.xhtml", page(part2)), ("p3.xhtml", page(part3))]
    book = load_book(write_epub(tmp_path / "b.epub", docs, [Toc("Start", "p1.xhtml")], version=2))
    assert [ch.title for ch in book.chapters] == [
        "Chapter 1",
        "Chapter 2",
        "Chapter 3: The Lighthouse",
        "Chapter 4",
        "Chapter 5",
    ]
    assert [len(ch.paragraphs) for ch in book.chapters] == [1, 2, 1, 1, 1]


def test_nested_nav_parts_name_repeating_chapters(tmp_path):
    docs = [
        (f"c{i}.xhtml", page(f"<h2>Chapter {1 + i % 2}</h2><p>Scene number {i} of the book.</p>")) for i in range(4)
    ]
    toc = [
        Toc("Part One", "c0.xhtml", [Toc("Chapter 1", "c0.xhtml"), Toc("Chapter 2", "c1.xhtml")]),
        Toc("Part Two", "c2.xhtml", [Toc("Chapter 1", "c2.xhtml"), Toc("Chapter 2", "c3.xhtml")]),
    ]
    book = load_book(write_epub(tmp_path / "b.epub", docs, toc))
    assert [ch.title for ch in book.chapters] == [
        "Part 1, Chapter 1",
        "Part 1, Chapter 2",
        "Part 2, Chapter 1",
        "Part 2, Chapter 2",
    ]


def test_nested_nav_part_page_joins_first_chapter(tmp_path):
    docs = [
        ("p1.xhtml", page("<h1>Part One</h1>")),
        ("a.xhtml", page("<h2>The Well</h2><p>They drew water at the well.</p>")),
        ("b.xhtml", page("<h2>The Mill</h2><p>The mill wheel turned slowly.</p>")),
    ]
    toc = [Toc("Part One", "p1.xhtml", [Toc("The Well", "a.xhtml"), Toc("The Mill", "b.xhtml")])]
    book = load_book(write_epub(tmp_path / "b.epub", docs, toc))
    assert [ch.title for ch in book.chapters] == ["Part 1, The Well", "Part 1, The Mill"]  # as in a text file


NOTES_CH1 = (
    "<h2>Chapter 1</h2>"
    '<p>The ship was a brigantine.<a epub:type="noteref" href="notes.xhtml#n1">1</a> It sailed at six.</p>'
    '<p>Oskar knew the captain.<sup><a href="#f2">2</a></sup></p>'
    '<aside epub:type="footnote" id="f2"><p>They had sailed together twice.</p></aside>'
    '<p>Then came page forty.<span epub:type="pagebreak" id="p40" title="40">40</span></p>'
)
NOTES_FILE = (
    '<section epub:type="endnotes"><h2>Notes</h2><ol>'
    '<li id="n1" epub:type="endnote"><p>A two-masted vessel. '
    '<a epub:type="backlink" href="c1.xhtml">\u21a9</a></p></li>'
    '<li id="n9" epub:type="endnote"><p>A note nobody cites.</p></li></ol></section>'
)


@pytest.fixture()
def noted(tmp_path) -> Path:
    docs = [("c1.xhtml", page(NOTES_CH1)), ("c2.xhtml", page(CH2)), ("notes.xhtml", page(NOTES_FILE))]
    return write_epub(tmp_path / "n.epub", docs, [Toc("Chapter 1", "c1.xhtml"), Toc("Chapter 2", "c2.xhtml")])


def test_notes_skipped_with_their_marks(noted):
    segs = _segments(noted)
    joined = " ".join(segs)
    assert "The ship was a brigantine. It sailed at six." in joined
    assert "Oskar knew the captain." in segs
    for unread in ("two-masted", "sailed together", "nobody cites", "Notes", "40", "1", "2", "\u21a9"):
        assert not any(unread in s.split() or unread in s and len(unread) > 2 for s in segs), unread
    assert [ch.title for ch in load_book(noted).chapters] == ["Chapter 1", "Chapter 2"]


def test_notes_read_at_chapter_end(noted):
    book = load_book(noted, notes="chapter-end")
    assert [p.text for p in book.chapters[0].paragraphs][-2:] == [
        "A two-masted vessel.",
        "They had sailed together twice.",
    ]
    assert "A note nobody cites." not in _texts(book)
    assert len(book.chapters) == 2


def test_gutenberg_boilerplate_licence_and_contents_not_read(tmp_path):
    head = (
        '<section class="pg-boilerplate pgheader" id="pg-header"><h2>The Free eBook of The Salt Road</h2>'
        "<p>Use it anywhere at no cost.</p><div><span>*** START OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***</span>"
        "</div></section><h1>The Salt Road</h1><p>by Wren Calloway</p><h2>Contents</h2>"
        + "".join(f'<p><a href="c.xhtml#ch{i}" class="pginternal">CHAPTER {i}</a></p>' for i in (1, 2, 3))
    )
    body = "".join(
        f'<h2 id="ch{i}">CHAPTER {i}</h2><p>' + f"Day {i} on the salt road was long and dry. " * 20 + "</p>"
        for i in (1, 2, 3)
    )
    foot = (
        '<section class="pg-boilerplate pgfooter" id="pg-footer"><p>*** END OF THE PROJECT GUTENBERG EBOOK ***</p>'
        "<p>Updated editions will replace the previous one.</p></section>"
    )
    licence = "<p>*** END OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***</p><p>START: FULL LICENSE terms follow.</p>"
    docs = [("h.xhtml", page(head)), ("c.xhtml", page(body + foot)), ("l.xhtml", page(licence))]
    toc = [Toc("The Free eBook of The Salt Road", "h.xhtml"), Toc("Contents", "h.xhtml")]
    toc += [Toc(f"CHAPTER {i}", f"c.xhtml#ch{i}") for i in (1, 2, 3)]
    book = load_book(write_epub(tmp_path / "g.epub", docs, toc))
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    text = " ".join(_segments(tmp_path / "g.epub"))
    for unread in ("Free eBook", "no cost", "START OF", "Wren Calloway", "Contents", "END OF", "LICENSE", "Updated"):
        assert unread not in text


def test_malformed_xhtml_with_entities_reads(tmp_path):
    broken = (
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<h2>Chapter 1</h2><p>Fog&nbsp;lay&mdash;thick &amp; cold&hellip;<p>A second <b>unclosed paragraph"
        "<p>Caf&eacute; lights&nbsp;glowed.</div></body>"
    )
    book = load_book(write_epub(tmp_path / "m.epub", [("c.xhtml", broken)], [Toc("Chapter 1", "c.xhtml")]))
    assert _texts(book) == [
        "Fog lay\u2014thick & cold\u2026",
        "A second unclosed paragraph",
        "Caf\u00e9 lights glowed.",
    ]


def test_emphasis_marks_only_whole_words(tmp_path):
    body = "<p>It was <em>very</em> late, un<i>believ</i>ably so, <i> she said </i>.</p>"
    book = load_book(write_epub(tmp_path / "e.epub", [("c.xhtml", page(body))], [Toc("One", "c.xhtml")]))
    assert _texts(book) == ["It was *very* late, unbelievably so, *she said* ."]


def test_offsets_find_every_segment_in_the_source_text(noted):
    source = epub_source(noted)
    for notes in ("skip", "chapter-end"):
        segs = [s for ch in parse_book(load_book(noted, notes)).chapters for s in ch.segments]
        assert segs and all(source[s.start : s.end] == s.text for s in segs if s.kind == "narration")
        assert len({(s.start, s.end) for s in segs}) == len(segs)


def test_script_file_round_trip_and_jsonl(tmp_path):
    docs = [("c1.xhtml", page(CH1)), ("c2.xhtml", page(CH2))]
    epub = write_epub(
        tmp_path / "b.epub", docs, [Toc("Chapter 1", "c1.xhtml"), Toc("Chapter 2", "c2.xhtml")], cover=JPEG
    )
    r = CliRunner().invoke(cli, ["script", str(epub), "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    source = epub_source(epub)
    assert rows and all(row["text"] in source[row["start"] : row["end"] + 1] for row in rows)
    script = tmp_path / "b.script"
    r = CliRunner().invoke(cli, ["script", str(epub), "--write", str(script)])
    assert r.exit_code == 0, r.output
    text = script.read_text(encoding="utf-8")
    assert "| You are late," in text
    assert "Oskar Bell | You are late," in text
    script.write_text(text.replace("Oskar Bell | You are late,", "Mara | You are late,"), encoding="utf-8")
    edited = [s for ch in load_script(script).chapters for s in ch.segments if s.text == "You are late,"]
    assert [(s.speaker, s.rule) for s in edited] == [("Mara", "edited")]
    report = generate(script, None, tmp_path / "out", engine=FakeEngine())
    out = Path(report.output_dir)
    assert out.parts[-2:] == ("Wren Calloway", "The Salt Road")
    assert (out / "cover.jpg").read_bytes() == JPEG  # the EPUB's own cover, no --cover given
    manifest = json.loads((out / "book.json").read_text())
    assert [c["title"] for c in manifest["chapters"]] == ["Chapter 1", "Chapter 2"]


# ---- bad EPUBs ---------------------------------------------------------------------------------------


def _good_docs():
    return [("c1.xhtml", page(CH1))], [Toc("Chapter 1", "c1.xhtml")]


def _not_zip(tmp_path):
    p = tmp_path / "b.epub"
    p.write_bytes(b"This is not a zip at all, only some words.\n")
    return p


def _drm(tmp_path):
    enc = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        '<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        '<enc:CipherData><enc:CipherReference URI="OEBPS/c1.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>'
    )
    return write_epub(tmp_path / "b.epub", *_good_docs(), extra={"META-INF/encryption.xml": enc})


def _no_container(tmp_path):
    return write_epub(tmp_path / "b.epub", *_good_docs(), leave_out=("META-INF/container.xml", "OEBPS/content.opf"))


def _no_opf(tmp_path):
    return write_epub(tmp_path / "b.epub", *_good_docs(), leave_out=("OEBPS/content.opf",))


def _missing_item(tmp_path):
    return write_epub(tmp_path / "b.epub", *_good_docs(), leave_out=("OEBPS/c1.xhtml",))


def _empty(tmp_path):
    docs = [
        ("c.xhtml", page('<section epub:type="titlepage"><h1>Only a title</h1></section><img src="x.png" alt="x"/>'))
    ]
    return write_epub(tmp_path / "b.epub", docs, [Toc("Title", "c.xhtml")])


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_not_zip, "not a zip"),
        (_drm, "DRM"),
        (_no_container, "container.xml"),
        (_no_opf, "content.opf is missing"),
        (_missing_item, "c1.xhtml is in the reading order but missing"),
        (_empty, "no text to read"),
    ],
)
def test_bad_epub_one_error_line_exit_4_nothing_written(tmp_path, make, says):
    path = make(tmp_path)
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["generate", str(path), "-o", str(out)])
    assert r.exit_code == ExitCode.INPUT, r.output
    assert "Traceback" not in r.output
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "b.epub" in lines[0] and says in lines[0], lines
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def test_font_obfuscation_is_not_drm(tmp_path):
    enc = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        '<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
        '<enc:CipherData><enc:CipherReference URI="OEBPS/fonts/a.otf"/></enc:CipherData>'
        "</enc:EncryptedData></encryption>"
    )
    book = load_book(write_epub(tmp_path / "b.epub", *_good_docs(), extra={"META-INF/encryption.xml": enc}))
    assert book.chapters[0].title == "Chapter 1"


def test_zip_member_too_large_is_refused(tmp_path, monkeypatch):
    path = write_epub(tmp_path / "b.epub", *_good_docs())
    monkeypatch.setattr(epub_package, "MAX_MEMBER", 200)
    with pytest.raises(InputError, match="too large"):
        load_book(path)


def test_zip_with_epub_mimetype_is_read_whatever_its_name(tmp_path):
    path = write_epub(tmp_path / "b.epub", *_good_docs())
    renamed = path.rename(tmp_path / "book.zip")
    assert zipfile.is_zipfile(renamed)
    assert load_book(renamed).chapters[0].title == "Chapter 1"


@pytest.mark.integration
def test_a_png_cover_in_the_epub_becomes_the_books_jpeg(tmp_path):
    import subprocess

    from audiobook.ffmpeg import ffmpeg_exe

    png = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=navy:s=64x64"]
        + ["-frames:v", "1", "-f", "image2", "-c:v", "png", "-"],
        check=True,
        capture_output=True,
    ).stdout
    # The builder writes a JPEG cover: swap in the PNG's bytes and media type.
    epub2 = write_epub(tmp_path / "c.epub", *_good_docs(), cover=JPEG)
    with zipfile.ZipFile(epub2) as src, zipfile.ZipFile(tmp_path / "p.epub", "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "OEBPS/images/cover.jpg":
                data = png
            elif item.filename == "OEBPS/content.opf":
                data = data.replace(b'media-type="image/jpeg"', b'media-type="image/png"')
            dst.writestr(item, data)
    assert load_book(tmp_path / "p.epub").cover == png
    report = generate(tmp_path / "p.epub", None, tmp_path / "out", engine=FakeEngine())
    assert (Path(report.output_dir) / "cover.jpg").read_bytes()[:3] == b"\xff\xd8\xff"


def test_notes_option_on_the_command_line_and_in_the_script_file(noted, tmp_path):
    """`--notes chapter-end` reads an EPUB's notes at their chapter's end, in `script` and `generate`
    alike; a script written so records it, and a script file is always read as it was written."""
    runner = CliRunner()
    plain = runner.invoke(cli, ["script", str(noted), "--format", "jsonl"])
    noted_rows = runner.invoke(cli, ["script", str(noted), "--format", "jsonl", "--notes", "chapter-end"])
    assert plain.exit_code == noted_rows.exit_code == 0, plain.output + noted_rows.output
    assert "two-masted" not in plain.stdout and "A two-masted vessel." in noted_rows.stdout
    script = tmp_path / "n.script"
    r = runner.invoke(cli, ["script", str(noted), "--notes", "chapter-end", "--write", str(script)])
    assert r.exit_code == 0, r.output
    assert "# notes: chapter-end" in script.read_text(encoding="utf-8").splitlines()[:3]
    # Read back as written, with or without the option: every note line is there, none is missing.
    for notes in ("skip", "chapter-end"):
        texts = [s.text for ch in load_script(script, notes).chapters for s in ch.segments]
        assert "A two-masted vessel." in texts
    again = tmp_path / "again.script"
    r = runner.invoke(cli, ["script", str(script), "--write", str(again)])
    assert r.exit_code == 0 and "# notes: chapter-end" in again.read_text(encoding="utf-8")
    # A script written without notes cannot be read with them: it has no lines for them.
    bare = tmp_path / "bare.script"
    assert runner.invoke(cli, ["script", str(noted), "--write", str(bare)]).exit_code == 0
    r = runner.invoke(cli, ["script", str(bare), "--notes", "chapter-end"])
    assert r.exit_code == ExitCode.INPUT and r.output.count("Error:") == 1 and "--notes chapter-end" in r.output
    assert "Traceback" not in r.output


def test_titles_from_the_table_of_contents_are_written_as_a_text_files_headings(tmp_path):
    """Digits for a label's number and title case for capitals, as in a text file; what the listener
    hears announced and sees in a player."""
    labels = ["CHAPTER I. A COLD START", "II: The Long Road.", "Chapter Three", "An Interlude at Sea..."]
    docs = [(f"c{i}.xhtml", page(f"<p>Words of part {i} go here.</p>")) for i in range(len(labels))]
    toc = [Toc(label, f"c{i}.xhtml") for i, label in enumerate(labels)]
    book = load_book(write_epub(tmp_path / "t.epub", docs, toc))
    assert [ch.title for ch in book.chapters] == [
        "Chapter 1: A Cold Start",
        "Chapter 2: The Long Road",
        "Chapter 3",
        "An Interlude at Sea...",
    ]


def test_a_book_in_another_language_than_the_narrators_voice_is_warned_of(tmp_path):
    """An EPUB says its language; an English narrator for a French book is warned of, naming the fix."""
    from audiobook.pipeline import prepare

    docs = [("c1.xhtml", page(CH1))]
    french = write_epub(tmp_path / "fr.epub", docs, [Toc("Chapter 1", "c1.xhtml")], language="fr")
    english = write_epub(tmp_path / "en.epub", docs, [Toc("Chapter 1", "c1.xhtml")], language="en-GB")
    [warning] = [w for w in prepare(french, None, engine=FakeEngine()).warnings if "language" in w or "'fr'" in w]
    assert warning.startswith("fr.epub: the book is in 'fr'") and "audiobook voices --lang fr" in warning
    assert not [w for w in prepare(english, None, engine=FakeEngine()).warnings if "'en-GB'" in w]


CONVERTED = (
    '<h2>Chapter 1</h2><p>The tide turned<a href="notes.xhtml#fn1" class="calibre5">[1]</a> at noon, and the'
    ' gulls<a href="notes.xhtml#fn2"><sup class="calibre6">2</sup></a> rose.<span class="pagenum">'
    '<a id="Page_13">[Pg 13]</a></span> Boats came home<a href="notes.xhtml#fn3">*</a> by dusk.</p>'
    "<p>See <a href='c2.xhtml'>3</a> for the rest.</p>"
)
CONVERTED_NOTES = (
    '<h2>Notes</h2><p id="fn1">[1] The spring tide.</p><p id="fn2">2. Herring gulls.</p>'  # a plain file of notes
    '<p id="fn3">Or so they said.</p>'
)


def test_notes_that_no_markup_names_and_page_numbers_are_not_read(tmp_path):
    """A converted book's notes (a plain notes file, marks as [1], a raised number or *, no epub:type)
    and Gutenberg's page numbers: neither marks, bodies nor page numbers reach a segment."""
    docs = [("c1.xhtml", page(CONVERTED)), ("c2.xhtml", page(CH2)), ("notes.xhtml", page(CONVERTED_NOTES))]
    epub = write_epub(tmp_path / "c.epub", docs, [Toc("Chapter 1", "c1.xhtml"), Toc("Chapter 2", "c2.xhtml")])
    segs = _segments(epub)
    assert segs[:2] == ["The tide turned at noon, and the gulls rose. Boats came home by dusk.", "See 3 for the rest."]
    text = " ".join(segs)
    for unread in ("[1]", "spring tide", "Herring", "Or so they said", "Pg", "13"):
        assert unread not in text, unread
    read_at_end = [p.text for p in load_book(epub, notes="chapter-end").chapters[0].paragraphs][-3:]
    assert read_at_end == ["The spring tide.", "Herring gulls.", "Or so they said."]  # without their marks


def test_two_line_breaks_end_a_paragraph_and_a_heading_line_before_them_is_a_heading(tmp_path):
    """A book made of <div>s and <br/>s (no <p>, no <h2>): "Chapter 1<br/><br/>..." is a chapter's
    heading and its paragraphs; one <br/> is a space."""
    docs = [
        (f"c{i}.xhtml", page(f"<div>Chapter {i}<br/><br/>On day {i} the carts left.<br/>They went south."
                             f"<br/> <br/>Night fell on day {i}.</div>"))
        for i in (1, 2, 3)
    ]  # fmt: skip
    book = load_book(write_epub(tmp_path / "br.epub", docs, None))
    assert [ch.title for ch in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert [p.text for p in book.chapters[1].paragraphs] == [
        "On day 2 the carts left. They went south.",
        "Night fell on day 2.",
    ]


def test_line_numbers_annotations_and_bare_numeral_titles(tmp_path):
    """A poem's margin numbers and a transcriber's annotation are not read; a title that is only a
    numeral ("II") is a chapter's number."""
    body = (
        '<p>The road ran on past the mill,<span class="lnum">10</span></p>'
        "<aside epub:type=\"annotation\"><p>Transcriber's Note: the original reads 'mil'.</p></aside>"
        "<p>And the river under it.</p>"
    )
    book = load_book(write_epub(tmp_path / "p.epub", [("c.xhtml", page(body))], [Toc("II", "c.xhtml")]))
    assert [ch.title for ch in book.chapters] == ["Chapter 2"]
    assert _texts(book) == ["The road ran on past the mill,", "And the river under it."]


def test_entries_under_one_in_a_long_document_are_its_chapters(tmp_path):
    """A section's stories all in one file, each an anchor under the section's entry: chapters when the
    file is longer than any chapter is; in a short file they are a chapter's sections."""
    story = "<p>" + "The carts went on along the salt road all day. " * 400 + "</p>"  # 4,000 words
    body = "<h1>Fairy Stories</h1>" + "".join(f'<h2 id="s{i}">Story {i}</h2>{story}' for i in (1, 2, 3))
    toc = [Toc("Fairy Stories", "s.xhtml", [Toc(f"Story {i}", f"s.xhtml#s{i}") for i in (1, 2, 3)])]
    book = load_book(write_epub(tmp_path / "long.epub", [("s.xhtml", page(body))], toc))
    assert [ch.title for ch in book.chapters] == ["Story 1", "Story 2", "Story 3"]
    short = body.replace(story, "<p>The carts went on.</p>")
    book = load_book(write_epub(tmp_path / "short.epub", [("s.xhtml", page(short))], toc))
    assert [ch.title for ch in book.chapters] == ["Fairy Stories"]


def test_a_short_note_of_the_authors_before_the_first_chapter_is_read(tmp_path):
    """Short front matter is not read (a title page, a publisher's lines), but a titled piece of the
    author's with a sentence of prose in it is (Twain's "Notice")."""
    docs = [
        ("t.xhtml", page("<p><i>With Drawings by the Author</i></p><p>London: Harrow &amp; Lane, 12 Salt Street</p>")),
        ("n.xhtml", page("<p>Readers who look for a lesson in this account of the salt road will be sent home "
                         "without their supper, by order of the author.</p>")),
        ("c1.xhtml", page(CH1)),
    ]  # fmt: skip
    toc = [Toc("Title", "t.xhtml"), Toc("Notice", "n.xhtml"), Toc("Chapter 1", "c1.xhtml")]
    book = load_book(write_epub(tmp_path / "n.epub", docs, toc))
    assert [ch.title for ch in book.chapters] == ["Notice", "Chapter 1"]
    assert "Drawings" not in " ".join(_texts(book)) and "Harrow" not in " ".join(_texts(book))


def test_an_older_gutenberg_banner_and_licence_in_one_block_are_not_read(tmp_path):
    """Older Gutenberg books set the banner, the start marker and the first lines in one <pre>, and the
    end marker before the licence in another: only the book between the markers is read."""
    head = (
        "<pre>The Project Gutenberg EBook of The Salt Road, by Wren Calloway\nThis eBook is for the use of anyone"
        " anywhere at no cost.\n\n*** START OF THIS PROJECT GUTENBERG EBOOK THE SALT ROAD ***\n\nProduced by a"
        " volunteer.</pre><h2>Chapter 1</h2><p>The carts left the coast at dawn.</p>"
        "<pre>The carts came home at dusk.\n\n*** END OF THIS PROJECT GUTENBERG EBOOK THE SALT ROAD ***\n\n"
        "Updated editions will replace the previous one.</pre><p>Section 1. General Terms of Use.</p>"
    )
    book = load_book(write_epub(tmp_path / "old.epub", [("c.xhtml", page(head))], [Toc("Chapter 1", "c.xhtml")]))
    text = " ".join(_texts(book))
    assert "The carts left the coast at dawn." in text and "The carts came home at dusk." in text
    for unread in (
        "anyone anywhere",
        "START OF",
        "END OF",
        "Updated editions",
        "General Terms",
        "EBook of",
        "Produced",
    ):
        assert unread not in text, unread
