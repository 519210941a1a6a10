"""An HTML book (a Project Gutenberg HTML file): read as an EPUB's document is, chapters from its
headings, Gutenberg's header, licence, contents, page numbers and notes not read."""

from __future__ import annotations

from click.testing import CliRunner

from audiobook.cli import cli
from audiobook.ingest import load_book
from audiobook.parse import parse_book

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>The Project Gutenberg eBook of The Salt Road, by Wren Calloway</title>
<meta name="dc.title" content="The Salt Road"><meta name="dc.creator" content="Calloway, Wren"></head>
<body><section class="pg-boilerplate pgheader" id="pg-header"><h2>The Project Gutenberg eBook of The Salt Road</h2>
<p>This ebook is for the use of anyone anywhere.</p><div id="pg-start-separator">
<span>*** START OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***</span></div></section>
<h1>THE SALT ROAD</h1><p>by Wren Calloway</p>
<h2>CONTENTS</h2><p><a href="#c1">CHAPTER I.</a></p><p><a href="#c2">CHAPTER II.</a></p>
<p><a href="#c3">CHAPTER III.</a></p>
<h2 id="c1">CHAPTER I.<br>THE COAST</h2><p>The carts left the coast at dawn.<span class="pagenum">
<a id="Page_2">[Pg 2]</a></span> &ldquo;We go south,&rdquo; said Mara.</p>
<h2 id="c2">CHAPTER II.</h2><p>The inn was full of drovers<a href="#fn1" class="fnanchor">[1]</a> that night.</p>
<div class="footnote"><p><a id="fn1" href="#r1" class="label">[1]</a> Drovers paid in salt.</p></div>
<h2 id="c3">CHAPTER III.</h2><p>Snow came early that year.</p>
<section class="pg-boilerplate pgfooter" id="pg-footer">
<span>*** END OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***</span>
<p>Updated editions will replace the previous one.</p>
</section></body></html>
"""


def test_a_gutenberg_html_book_reads_as_its_text(tmp_path):
    path = tmp_path / "pg-salt-road.html"
    path.write_text(PAGE, encoding="utf-8")
    book = load_book(path)
    assert (book.title, book.author, book.language) == ("The Salt Road", "Wren Calloway", "en")
    assert [ch.title for ch in book.chapters] == ["Chapter 1: The Coast", "Chapter 2", "Chapter 3"]
    segments = [s for ch in parse_book(book).chapters for s in ch.segments]
    text = " ".join(s.text for s in segments)
    assert text.startswith("The carts left the coast at dawn.")
    for unread in (
        "Gutenberg",
        "anyone anywhere",
        "START",
        "CONTENTS",
        "Pg",
        "[1]",
        "Drovers paid",
        "Updated",
        "by Wren",
    ):
        assert unread not in text, unread
    assert [(s.text, s.speaker) for s in segments if s.kind == "dialogue"] == [("We go south,", "Mara")]
    notes = [p.text for p in load_book(path, notes="chapter-end").chapters[1].paragraphs]
    assert notes[-1] == "Drovers paid in salt."


def test_script_of_an_html_book_on_the_command_line(tmp_path):
    path = tmp_path / "salt.htm"
    path.write_text(PAGE, encoding="utf-8")
    r = CliRunner().invoke(cli, ["script", str(path), "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    assert '"We go south,"' in r.stdout and "Gutenberg" not in r.stdout
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Only a menu</nav></body></html>", encoding="utf-8")
    r = CliRunner().invoke(cli, ["script", str(empty)])
    assert r.exit_code == 4 and r.output.count("Error:") == 1 and "no text to read" in r.output
