"""Parser goldens: each tests/data/dialogue/<case>.txt against <case>.expected, found by glob.

An expected line is `Speaker | spoken text` per dialogue segment in order (`?` for no speaker).
A speaker matches when the expected name is the character's canonical name, one of its aliases, or
the words of one ("Ada" for "Ada Bright"), as the corpus scorer counts them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.ingest import load_book
from audiobook.parse import parse_book

CASES = sorted((Path(__file__).parent / "data" / "dialogue").glob("*.txt"))


def _expected(case: Path) -> list[tuple[str, str]]:
    lines = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    return [tuple(part.strip() for part in line.split("|", 1)) for line in lines if line.strip()]  # type: ignore[misc]


def _same(want: str, names: set[str]) -> bool:
    words = set(want.split())
    return want in names or any(words <= set(n.split()) for n in names)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_dialogue_case(case: Path) -> None:
    script = parse_book(load_book(case))
    names = {c.name: {c.name, *c.aliases} for c in script.characters}
    got = [(s.speaker, s.text) for ch in script.chapters for s in ch.segments if s.kind == "dialogue"]
    want = _expected(case)
    assert [t for _, t in got] == [t for _, t in want], "quotes found differ"
    for (speaker, text), (want_speaker, _) in zip(got, want):
        if want_speaker == "?":
            assert speaker is None, f"{text!r}: expected no speaker, got {speaker!r}"
        else:
            assert speaker is not None and _same(want_speaker, names[speaker]), (
                f"{text!r}: expected {want_speaker!r}, got {speaker!r} (aliases {names.get(speaker)})"
            )


def test_cases_exist() -> None:
    assert len(CASES) >= 10
    for case in CASES:
        assert case.with_suffix(".expected").exists(), f"{case.name} has no .expected file"


def test_example_story_matches_its_answer_key() -> None:
    """examples/EXPECTED.md lists every quote's speaker; a speech over two paragraphs is one segment."""
    import re

    root = Path(__file__).resolve().parent.parent
    key = [
        m.group(1)
        for m in re.finditer(
            r"^\d+\. ([^:]+):", (root / "examples" / "EXPECTED.md").read_text(encoding="utf-8"), re.MULTILINE
        )
    ]
    assert len(key) == 32
    del key[20]  # entries 20 and 21 are the two paragraphs of one speech
    script = parse_book(load_book(root / "examples" / "the-lantern-at-gull-point.md"))
    names = {c.name: {c.name, *c.aliases} for c in script.characters}
    got = [s.speaker for ch in script.chapters for s in ch.segments if s.kind == "dialogue"]
    assert len(got) == len(key)
    for i, (speaker, want) in enumerate(zip(got, key), 1):
        assert speaker is not None and _same(want.replace("Dr. Rhys Okafor", "Okafor"), names[speaker]), (
            f"quote {i}: expected {want}, got {speaker}"
        )
