"""Markdown read aloud: what is spoken of links, images, code, HTML, lists, headings and emphasis,
with every spoken character still pointing at its own character in the file."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.ingest import load_book, read_source
from audiobook.ingest.text import read_text
from audiobook.parse import parse_book


def _md(tmp_path, text: str, name: str = "story.md", newline: str = "\n"):
    p = tmp_path / name
    p.write_bytes(text.replace("\n", newline).encode("utf-8"))
    book, source = load_book(p), read_source(p)
    _assert_exact(book, source)
    return book, source


def _texts(book) -> list[str]:
    return [p.text for ch in book.chapters for p in ch.paragraphs]


def _assert_exact(book, source: str, synthetic: str = "") -> None:
    """Every character of a paragraph taken from the file maps back onto itself; the joining spaces
    between lines (and `synthetic`, a table's cell commas) are the only characters made up, and a
    decoded entity (`&amp;` read "&") maps to its `&`."""
    for ch in book.chapters:
        for p in ch.paragraphs:
            offsets = [p.source_offset(i) for i in range(len(p.text))]
            for i, c in enumerate(p.text):
                if not c.isspace() and c not in synthetic:
                    assert source[offsets[i]] in (c, "&"), (p.text, i, source[offsets[i] - 5 : offsets[i] + 5])
            real = [o for o, c in zip(offsets, p.text) if not c.isspace() and c not in synthetic]
            assert real == sorted(real) and len(set(real)) == len(real), p.text
            assert p.start == offsets[0]
            entity = source[offsets[-1]] == "&" and source[p.end - 1] == ";"
            assert p.end == offsets[-1] + 1 or entity, p.text


def test_link_reads_its_text_never_its_address(tmp_path):
    text = (
        'Wen checked [the tide tables](https://example.org/tides/2031/harbour?view=full "Tides") '
        "before she rowed out.\n\n"
        "Ines marked [the safe channel][chart] in red.\n\n"
        "[chart]: https://example.org/charts/channel-7\n"
    )
    book, source = _md(tmp_path, text)
    assert _texts(book) == ["Wen checked the tide tables before she rowed out.", "Ines marked the safe channel in red."]
    assert not any("example.org" in t or "http" in t or "](" in t for t in _texts(book))
    first = book.chapters[0].paragraphs[0]
    i = first.text.index("the tide tables")
    assert source[first.source_offset(i) :].startswith("the tide tables](https://")
    # A .txt file is not Markdown: read as written.
    plain = tmp_path / "story.txt"
    plain.write_text(text, encoding="utf-8")
    assert _texts(load_book(plain))[0].startswith("Wen checked [the tide tables](https://example.org/")


def test_image_is_skipped_alt_text_included(tmp_path):
    text = "![A gull on a post](pictures/gull.jpg)\n\nThe boat ![a red hull](boat.png) drifted in.\n"
    book, _ = _md(tmp_path, text)
    assert _texts(book) == ["The boat drifted in."]
    assert not any("gull" in t or "hull" in t for t in _texts(book))


def test_inline_code_is_read_without_backticks(tmp_path):
    book, source = _md(tmp_path, "The sign said `KEEP OUT` in chalk, and ``the `old` key`` hung below.\n")
    assert _texts(book) == ["The sign said KEEP OUT in chalk, and the `old` key hung below."]
    p = book.chapters[0].paragraphs[0]
    assert source[p.source_offset(p.text.index("KEEP"))] == "K"


def test_html_tags_and_comments_are_dropped(tmp_path):
    text = (
        "Ask <em>Ines</em> at the quay.<!-- TODO: is it Ines or Ina? --> She knows.\n\n"
        "<!--\nA whole block\nthe listener never hears.\n-->\n\n"
        '<div class="note">\nThe <b>ferry</b> runs at noon &amp; at six.\n</div>\n'
    )
    book, source = _md(tmp_path, text)
    assert _texts(book) == ["Ask Ines at the quay. She knows.", "The ferry runs at noon & at six."]
    assert not any("<" in t or "TODO" in t or "listener" in t for t in _texts(book))


def test_list_and_quote_markers_are_not_spoken(tmp_path):
    text = (
        "Before the storm:\n\n"
        "- Trim the wick.\n"
        "- Polish the *brass*.\n"
        "* Wind the clock.\n"
        "+ Bar the door.\n\n"
        "> \u201cStay inside,\u201d said Ines.\n"
        "> \u201cI will,\u201d said Wen.\n"
    )
    book, _ = _md(tmp_path, text)
    assert _texts(book) == [
        "Before the storm:",
        "Trim the wick.",
        "Polish the brass.",
        "Wind the clock.",
        "Bar the door.",
        "\u201cStay inside,\u201d said Ines. \u201cI will,\u201d said Wen.",
    ]


def test_ordered_list_numbers_are_spoken(tmp_path):
    # A number is content ("1984. The year..." is an ordered list item to CommonMark).
    book, _ = _md(tmp_path, "1. Light the lamp.\n2. Wind the clock.\n\n1987. The year the light failed.\n")
    assert _texts(book) == ["1. Light the lamp.", "2. Wind the clock.", "1987. The year the light failed."]


def test_deep_headings_are_read_as_narration_without_hashes(tmp_path):
    text = (
        "## Chapter 1\n\nThe lamp was lit.\n\n"
        "#### The lamp room\n\nIt smelled of oil.\n\n"
        "###### Notes ######\n\nNone.\n\n"
        "### Chapter 2\n\nDawn.\n"
    )
    book, _ = _md(tmp_path, text)
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2"]
    assert _texts(book) == ["The lamp was lit.", "The lamp room", "It smelled of oil.", "Notes", "None.", "Dawn."]


def test_emphasis_markers_are_not_spoken(tmp_path):
    text = (
        "*Slowly*, the **great** lens _turned_ and __stopped__; ~~never~~ once more.\n"
        "Five * three is fifteen, and a \\*starred\\* word stays.\n"
    )
    book, _ = _md(tmp_path, text)
    assert _texts(book) == [
        "Slowly, the great lens turned and stopped; never once more. "
        "Five * three is fifteen, and a *starred* word stays."
    ]


def test_heading_titles_lose_their_markup(tmp_path):
    book, _ = _md(tmp_path, "# The *Quay*\n\n## Chapter 1: [Fog](https://example.org) ##\n\nGrey.\n")
    assert book.title == "The Quay"
    assert [c.title for c in book.chapters] == ["Chapter 1: Fog"]


def test_code_blocks_are_read_plainly(tmp_path):
    text = (
        "The note on the door:\n\n"
        "```\nGone to the point.\nBack by six.\n```\n\n"
        "    Indented, as a verse\n    is sometimes set.\n"
    )
    book, _ = _md(tmp_path, text)
    assert _texts(book) == [
        "The note on the door:",
        "Gone to the point. Back by six.",
        "Indented, as a verse is sometimes set.",
    ]


def test_table_rows_are_read_cell_by_cell(tmp_path):
    text = "| Day | Wind |\n|-----|------|\n| Monday | *calm* |\n| Tuesday | a gale. |\n"
    p = tmp_path / "log.md"
    p.write_text(text, encoding="utf-8")
    book, source = load_book(p), read_source(p)
    _assert_exact(book, source, synthetic=",")
    assert _texts(book) == ["Day, Wind", "Monday, calm", "Tuesday, a gale."]


def test_footnotes_are_skipped(tmp_path):
    text = (
        "The light was first lit in spring.[^1] It never failed.\n\n"
        "[^1]: Records differ on the year.\n    Some say it was later.\n\n"
        "The end.\n"
    )
    book, _ = _md(tmp_path, text)
    assert _texts(book) == ["The light was first lit in spring. It never failed.", "The end."]


@pytest.mark.parametrize("mark", ["* * *", "***", "---", "- - -", "~~~", "#", "\u00a7"])
def test_markdown_scene_breaks(tmp_path, mark):
    book, _ = _md(tmp_path, f"The *lamp* went out.\n\n{mark}\n\nMorning **came**.\n")
    paras = book.chapters[0].paragraphs
    assert [p.text for p in paras] == ["The lamp went out.", "Morning came."]
    assert [p.scene_break_before for p in paras] == [False, True]


def test_dashes_under_a_sentence_are_a_scene_break_not_a_heading(tmp_path):
    text = "## Chapter 1\n\nThe lamp went out.\n---\n\nMorning came.\n\nThe Tower\n---------\n\nStone.\n"
    book, _ = _md(tmp_path, text)
    assert [c.title for c in book.chapters] == ["Chapter 1", "The Tower"]
    assert [(p.text, p.scene_break_before) for p in book.chapters[0].paragraphs] == [
        ("The lamp went out.", False),
        ("Morning came.", True),
    ]


def test_bom_crlf_and_markup_offsets(tmp_path):
    text = "\ufeff## Chapter 1\n\n*\u201cCome in,\u201d* said [Ines](https://example.org/ines),\nopening the `door`.\n"
    book, source = _md(tmp_path, text, newline="\r\n")
    p = book.chapters[0].paragraphs[0]
    assert p.text == "\u201cCome in,\u201d said Ines, opening the door."
    assert source[p.source_offset(p.text.index("opening"))] == "o"
    # The parser's segments land on the quote marks and words in the file.
    script = parse_book(book)
    dialogue = [s for s in script.chapters[0].segments if s.kind == "dialogue"]
    assert [source[s.start : s.end] for s in dialogue] == ["\u201cCome in,\u201d"]
    narration = [s for s in script.chapters[0].segments if s.kind == "narration"]
    assert source[narration[0].start :].startswith("said [Ines]")
    assert source[: narration[-1].end].endswith("opening the `door`.")


# ---- offsets on any mix of Markdown ------------------------------------------------------------------

INLINE = st.sampled_from(
    [
        "the lamp",
        "Ines",
        "Wen",
        "said Ines.",
        "\u201cCome here,\u201d",
        '"Wait,"',
        "she whispered",
        "it\u2019s",
        '[the channel](https://u.example/chan "t")',
        "[Ines][ref]",
        "![a gull](https://u.example/g.png)",
        "*slowly*",
        "**bold**",
        "_quiet_",
        "__loud__",
        "~~gone~~",
        "`lamp --on`",
        "``double tick``",
        "lamp<!-- note -->",
        "<em>dark</em>",
        "<b>tide</b>",
        "A&amp;B",
        "&mdash;",
        "5 * 3",
        "\\*star\\*",
        "x[^1]",
        "caf\u00e9",
        "\u2014",
        "...",
        "!",
        "Chapter 2",
        "1984.",
    ]
)
BLOCK_START = st.sampled_from(["", "", "", "- ", "* ", "1. ", "> ", "#### ", "## ", "   "])
SEPARATOR = st.sampled_from([" ", " ", " ", "\n", "\n\n"])


@st.composite
def markdown_story(draw) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        parts.append(draw(BLOCK_START))
        for k in range(draw(st.integers(1, 8))):
            if k:
                parts.append(draw(SEPARATOR))
            parts.append(draw(INLINE))
        parts.append(draw(st.sampled_from(["\n\n", "\n", "\n\n* * *\n\n", "\n\n[ref]: https://u.example/r\n\n"])))
    text = "".join(parts)
    return draw(st.sampled_from(["", "\ufeff"])) + text.replace("\n", draw(st.sampled_from(["\n", "\r\n"])))


SOUP = st.sampled_from(
    [
        *"[]()*_`<>!\\&#-+~|:^\"'\t ",
        "\n",
        "\n\n",
        "\r\n",
        "  \n",
        "    ",
        "1. ",
        "- ",
        "> ",
        "## ",
        "#### ",
        "https://u.example",
        "lamp",
        "Wen",
        "\u201c",
        "\u201d",
        "&amp;",
        "<!--",
        "-->",
        "<b>",
        "</b>",
        "```",
        "~~~",
        "---",
        "***",
        "| a | b |\n|---|---|\n",
        "[^1]",
        "[^1]: ",
        "[r]: /u\n",
        "\ufeff",
        "\u00e9",
        "\u00a0",
        "==",
    ]
)


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        markdown_story().map(lambda text: (True, text)),  # well-formed markup
        st.lists(SOUP, max_size=60).map(lambda parts: (False, "".join(parts))),  # any mix of marks
        st.text(max_size=300).map(lambda text: (False, text)),
    )
)
def test_offsets_exact_on_mixed_markdown(case: tuple[bool, str]) -> None:
    well_formed, text = case
    book = read_text(text, "story.md", "story")
    _assert_exact(book, text, synthetic="" if well_formed else ",")
    if well_formed:
        for t in (p.text for ch in book.chapters for p in ch.paragraphs):
            assert "u.example" not in t and "](" not in t and "`" not in t and "<" not in t and "gull" not in t, t
            assert "**" not in t and "__" not in t and "~~" not in t and "[^" not in t and not t.startswith("#"), t
    last = 0
    for ch in parse_book(book).chapters:
        for seg in ch.segments:
            assert last <= seg.start <= seg.end <= len(text)
            last = seg.end
