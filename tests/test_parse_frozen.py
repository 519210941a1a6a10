"""Frozen parser output: the net under any change to audiobook/parse/.

Two kinds of text are frozen:
- Ours, always checked: the example story, every story of tests/data/dialogue/, three synthetic
  novels (tests/novels.py, three seeds) and the commissioning story beside the repository
  (../shared/seed/, which CI has too).
- Real books: a few consecutive chapters of six Project Gutenberg books (curly and straight quotes,
  single-quote dialogue, first-person narrators, a children's book). Their texts came from public
  repositories through the workplace's fetch tool, whose terms keep fetched files out of this
  repository: they live in shared/parse-corpus/ beside it (its README.md names every source), or in
  the folder AUDIOBOOK_PARSE_CORPUS names. Where they are, they are checked too; where they are not,
  their frozen files wait (tests/data/parse/README.md).

For each text, tests/data/parse/<name>.jsonl holds what
`parse_book(load_book(path))` gave when it was frozen, as JSON lines: the source and its SHA-256;
each character (name, aliases, gender, age, lines, words); each chapter (index, segment count,
scene breaks); then every segment (chapter, paragraph, kind, start, end, speaker, rule, confidence
rounded to 4 places, and its text as a SHA-1 prefix with its length: the book's words are not
copied into this repository). A difference fails with a readable account of the first ones, the
text of each segment shown from the book.

After a change to the parser's output that is meant (and listed, with its reason, in the commit):

    AUDIOBOOK_FREEZE=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_parse_frozen.py
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from pathlib import Path

import pytest
from novels import novel

from audiobook.ingest import load_book
from audiobook.parse import parse_book

ROOT = Path(__file__).resolve().parent.parent
FROZEN = Path(__file__).parent / "data" / "parse"
CORPUS = Path(os.environ.get("AUDIOBOOK_PARSE_CORPUS") or ROOT.parent / "shared" / "parse-corpus")
SEED = ROOT.parent / "shared" / "seed" / "000_9e465333c74efe3c.txt"
FREEZE = os.environ.get("AUDIOBOOK_FREEZE") == "1"
SHOWN = 8  # differences printed before the rest are only counted


def _our_texts() -> dict[str, Path | tuple[str, str]]:
    """name -> a file of ours, or (file name, text) for a text made here."""
    texts: dict[str, Path | tuple[str, str]] = {"ours-example": ROOT / "examples" / "the-lantern-at-gull-point.md"}
    for path in sorted((Path(__file__).parent / "data" / "dialogue").glob("*.txt")):
        texts[f"ours-dialogue-{path.stem}"] = path
    for seed in (1, 7, 23):
        texts[f"ours-novel-{seed}"] = (f"novel-{seed}.md", novel(6_000, seed=seed))
    texts["ours-seed-story"] = SEED
    return texts


# Ours always; a real book wherever its text is (one there but not yet frozen fails until it is).
TEXTS: dict[str, Path | tuple[str, str]] = {**_our_texts(), **{p.stem: p for p in sorted(CORPUS.glob("*.txt"))}}


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _records(path: Path) -> tuple[list[dict], dict[str, str]]:
    """The parse of one book as JSON-ready records, and each segment digest's text (for the report)."""
    script = parse_book(load_book(path))
    records: list[dict] = [{"source": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}]
    for c in script.characters:
        records.append(
            {
                "character": c.name,
                "aliases": list(c.aliases),
                "gender": c.gender,
                "age": c.age,
                "lines": c.lines,
                "words": c.words,
            }
        )
    texts: dict[str, str] = {}
    for ch in script.chapters:
        records.append({"chapter": ch.index, "segments": len(ch.segments), "breaks": sorted(ch.scene_breaks)})
    for ch in script.chapters:
        for s in ch.segments:
            texts[_digest(s.text)] = s.text
            records.append(
                {
                    "chapter": ch.index,
                    "paragraph": s.paragraph,
                    "kind": s.kind,
                    "start": s.start,
                    "end": s.end,
                    "speaker": s.speaker,
                    "rule": s.rule,
                    "confidence": round(s.confidence, 4),
                    "text": _digest(s.text),
                    "chars": len(s.text),
                }
            )
    return records, texts


def _shown(line: str, source: str, texts: dict[str, str]) -> str:
    """A record line, with the words of a segment: the current text, or the book's text at its offsets."""
    record = json.loads(line)
    if "kind" not in record:
        return line
    words = texts.get(record["text"]) or source[record["start"] : record["end"]]
    words = " ".join(words.split())
    return f"{line}\n        {words[:150]!r}{'...' if len(words) > 150 else ''}"


def _lines(i: int, j: int) -> str:
    return f"lines {i + 1}-{j}" if j > i else f"none, after line {i}"


def _report(frozen: list[str], current: list[str], source: str, texts: dict[str, str]) -> str:
    """The first differences between the frozen lines and the current ones, readably."""
    out: list[str] = []
    changes = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, frozen, current, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        changes += 1
        if changes > SHOWN:
            continue
        out.append(f"@@ {tag}: frozen {_lines(i1, i2)}, current {_lines(j1, j2)}")
        out += [f"  - {_shown(line, source, texts)}" for line in frozen[i1:i2][:6]]
        out += [f"  + {_shown(line, source, texts)}" for line in current[j1:j2][:6]]
    if changes > SHOWN:
        out.append(f"... and {changes - SHOWN} more changed stretches")
    return "\n".join(out)


def _source(name: str, tmp_path: Path) -> Path:
    source = TEXTS[name]
    if isinstance(source, tuple):
        file_name, text = source
        path = tmp_path / file_name
        path.write_text(text, encoding="utf-8")
        return path
    assert source.exists(), f"{source} is missing (the seed story lies in ../shared/seed/ beside the repository)"
    return source


def test_every_frozen_file_is_checked_where_its_text_is():
    frozen = {p.stem for p in FROZEN.glob("*.jsonl")}
    assert {n for n in TEXTS if n.startswith("ours-")} <= frozen, "run with AUDIOBOOK_FREEZE=1 to freeze ours"
    assert {p.stem for p in FROZEN.glob("ours-*.jsonl")} <= set(TEXTS), "a frozen file of ours has no text"


@pytest.mark.parametrize("book", sorted(TEXTS))
def test_parse_output_is_frozen(book: str, tmp_path: Path) -> None:
    path = _source(book, tmp_path)
    records, texts = _records(path)
    current = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
    frozen_path = FROZEN / f"{book}.jsonl"
    if FREEZE:
        frozen_path.write_text("\n".join(current) + "\n", encoding="utf-8")
        return
    assert frozen_path.exists(), f"{path.name} has no frozen output: run with AUDIOBOOK_FREEZE=1"
    frozen = frozen_path.read_text(encoding="utf-8").splitlines()
    assert frozen[0] == current[0], f"{path} is not the text the output was frozen on: {frozen[0]} != {current[0]}"
    if frozen != current:
        source = path.read_text(encoding="utf-8")
        report = _report(frozen, current, source, texts)
        pytest.fail(f"parse of {path.name} differs from {frozen_path.name}:\n{report}", pytrace=False)
