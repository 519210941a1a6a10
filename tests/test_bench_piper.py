"""bench/piper.py's arithmetic, on known cases (the benchmark itself is run by `make bench`, not here)."""

from __future__ import annotations

from bench.asr import reference_words, wer_counts
from bench.piper import split_parts


def test_word_errors_count_substitutions_deletions_and_insertions():
    ref = reference_words("The lamp was lit at 8, Mr. Quill said.")
    assert ref == ["the", "lamp", "was", "lit", "at", "eight", "mister", "quill", "said"]
    heard = ["the", "lamb", "was", "lit", "at", "eight", "mister", "quill", "quill", "said"]
    assert wer_counts(ref, heard) == (2, 9)  # lamp -> lamb, one quill too many
    assert wer_counts(ref, []) == (9, 9)
    assert wer_counts(ref, ref) == (0, 9)


def test_parts_keep_the_order_and_share_the_words():
    lines = [" ".join(["word"] * n) for n in (5, 1, 7, 3, 2, 6, 4, 4)]
    parts = split_parts(lines, 2)
    assert [line for part in parts for line in part] == lines
    sizes = [sum(len(line.split()) for line in part) for part in parts]
    assert len(parts) == 2 and abs(sizes[0] - sizes[1]) <= 7
    assert split_parts(lines[:1], 3) == [lines[:1]]
