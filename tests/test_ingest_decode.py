"""Encodings a story may come in: UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32 with one.
Offsets count characters of the decoded text, the mark kept as U+FEFF at offset 0."""

from __future__ import annotations

import codecs

import pytest

from audiobook.errors import InputError
from audiobook.ingest import decode, load_book

TEXT = "Chapter 1\r\n\r\nThe tide came in over the \u00e9cluse, \u201cquietly\u201d.\n"


@pytest.mark.parametrize(
    "bom,encoding",
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_every_marked_encoding_decodes_to_the_same_text(bom, encoding):
    assert decode(bom + TEXT.encode(encoding), "s.txt") == "\ufeff" + TEXT  # line ends untouched


def test_plain_utf8_is_unchanged():
    assert decode(TEXT.encode("utf-8"), "s.txt") == TEXT


def test_a_utf16_story_loads_with_the_offsets_of_its_decoded_text(tmp_path):
    p = tmp_path / "wide.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))
    book = load_book(p)
    para = book.chapters[0].paragraphs[0]
    decoded = "\ufeff" + TEXT
    assert decoded[para.start : para.end] == para.text == "The tide came in over the \u00e9cluse, \u201cquietly\u201d."


def test_utf16_without_a_mark_says_so(tmp_path):
    with pytest.raises(InputError, match=r"s\.txt: looks like UTF-16 without a byte-order mark"):
        decode(TEXT.encode("utf-16-le"), "s.txt")


def test_a_broken_utf16_story_names_the_line():
    data = codecs.BOM_UTF16_LE + "one\ntwo\nthree ".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le")
    with pytest.raises(InputError, match=r"s\.txt:3: not valid UTF-16 \(byte 0x00 at offset 30\)"):
        decode(data, "s.txt")


def test_binary_is_still_binary():
    with pytest.raises(InputError, match="looks like a binary file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "cover.txt")
    with pytest.raises(InputError, match="looks like a binary file"):
        decode(codecs.BOM_UTF16_LE + "A\x00B".encode("utf-16-le"), "odd.txt")  # a NUL is no text
