"""The editable script: every segment on a line with its speaker in front, for the user to correct.

    # audiobook script v1
    # source: story.md
    ## 1 Chapter One: The Harbor
    [120:152] Pip | One hundred and twelve,
    [153:190] narrator | said Pip, as he reached the top.

`audiobook script STORY --write story.script` writes it; `audiobook generate story.script` renders
the story with the speakers as edited. The text after `|` must still match the story: a script
whose text no longer matches its source is refused, naming the line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .errors import InputError
from .model import Character, Script, Segment, speech_counts

MAGIC = "# audiobook script v1"
NARRATOR = "narrator"
UNKNOWN = "?"
_LINE = re.compile(r"^\[(\d+):(\d+)\] (.+?) \| (.*)$")
_SPACE = re.compile(r"\s+")


def is_script_file(path: str | Path) -> bool:
    """Whether `path` is an editable script rather than a story."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.readline().rstrip("\r\n") == MAGIC
    except (OSError, UnicodeDecodeError):
        return False


def render(script: Script, source: str | Path, notes: str = "skip") -> str:
    """The editable text of a parsed script (read with `notes`, for an EPUB: which lines there are)."""
    out = [
        MAGIC,
        f"{_SOURCE}{source}",
        *([f"{_NOTES}{notes}"] if notes != "skip" else []),
        "# Edit the name before | to change who says a line: a character, 'narrator', or '?'.",
        "# Leave the text after | as it is. Lines starting with # are comments.",
        "",
    ]
    for ch in script.chapters:
        out.append(f"## {ch.index} {ch.title}")
        for seg in ch.segments:
            who = NARRATOR if seg.kind == "narration" else (seg.speaker or UNKNOWN)
            out.append(f"[{seg.start}:{seg.end}] {who} | {_one_line(seg.text)}")
        out.append("")
    return "\n".join(out)


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


_SOURCE = "# source: "
# How the story was read, when not the default: `--notes chapter-end` gives an EPUB lines of its notes.
_NOTES = "# notes: "
NOTES_MODES = ("skip", "chapter-end")


def _story_path(script: Path, named: str) -> Path:
    """The story a script's `# source:` line names: relative to the script's folder when it is there."""
    raw = Path(named.strip())
    return raw if raw.is_absolute() else (script.parent / raw if (script.parent / raw).exists() else raw)


def story_of(path: str | Path) -> Path:
    """The story a script file belongs to (from its `# source:` line), without reading the rest."""
    p = Path(path)
    with open(p, encoding="utf-8") as f:
        for line in f:
            if line.startswith(_SOURCE):
                return _story_path(p, line.rstrip("\r\n")[len(_SOURCE) :])
    raise InputError(f"{p}: has no '# source:' line naming the story it belongs to")


def read(path: str | Path) -> tuple[Path, dict[tuple[int, int], tuple[str, str, int]], str]:
    """(source path, {(start, end): (speaker, text, line number)}, notes mode) from a script file."""
    p = Path(path)
    lines = p.read_text(encoding="utf-8").splitlines()
    source: Path | None = None
    notes = "skip"
    edits: dict[tuple[int, int], tuple[str, str, int]] = {}
    for n, line in enumerate(lines, 1):
        if line.startswith(_SOURCE) and source is None:
            source = _story_path(p, line[len(_SOURCE) :])
            continue
        if line.startswith(_NOTES):
            notes = line[len(_NOTES) :].strip()
            if notes not in NOTES_MODES:
                raise InputError(f"{p}:{n}: notes must be one of {', '.join(NOTES_MODES)}; write the script again")
            continue
        if not line.strip() or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            raise InputError(f"{p}:{n}: not a script line; expected '[start:end] speaker | text'")
        edits[(int(m.group(1)), int(m.group(2)))] = (m.group(3).strip(), m.group(4), n)
    if source is None:
        raise InputError(f"{p}: has no '# source:' line naming the story it belongs to")
    return source, edits, notes


_QUOTE_MARKS = re.compile(r"[\"\u201c\u201d\u00ab\u00bb\u201e]|(?<!\w)['\u2018\u2019]|['\u2018\u2019](?!\w)")


def _comparable(text: str) -> str:
    """Text as it must match: quote marks and spacing aside (a speech over two paragraphs reopens)."""
    return _SPACE.sub(" ", _QUOTE_MARKS.sub("", text)).strip()


def apply(script: Script, edits: dict[tuple[int, int], tuple[str, str, int]], path: str | Path) -> Script:
    """The parsed story with the speakers the user wrote; refuse text that no longer matches.
    A speaker is matched without regard to case against 'narrator', '?', the story's characters and
    their aliases ("pip" is Pip); any other name is a new character, spelled as first written."""
    seen: set[tuple[int, int]] = set()
    new_names: dict[str, Character] = {}
    names: dict[str, str] = {}
    for c in script.characters:  # aliases first, so a character's own name wins
        for alias in c.aliases:
            names.setdefault(alias.casefold(), c.name)
    names.update({c.name.casefold(): c.name for c in script.characters})
    names.update({NARRATOR: NARRATOR, UNKNOWN: UNKNOWN})
    known = {c.name for c in script.characters}
    chapters = []
    for ch in script.chapters:
        segs = []
        for seg in ch.segments:
            key = (seg.start, seg.end)
            if key not in edits:
                raise InputError(
                    f"{path}: has no line for offsets {seg.start}-{seg.end} of the story "
                    f"({_one_line(seg.text)[:40]!r}); the story changed: write the script again"
                )
            written, text, n = edits[key]
            who = names.setdefault(written.casefold(), written)  # a new name: this spelling from now on
            seen.add(key)
            # `seg` is parsed from the story as it is now: a story edited since the script was written
            # shows here (or as offsets with no line). The source slice itself may hold markup that is
            # not spoken (a Markdown link), so it is the spoken text that must match.
            if _comparable(text) != _comparable(seg.text):
                raise InputError(
                    f"{path}:{n}: the text no longer matches the story at {seg.start}-{seg.end}; "
                    "change only the speaker, or write the script again"
                )
            segs.append(_recast(seg, who))
            if who not in (NARRATOR, UNKNOWN) and who not in known:
                new_names.setdefault(who, Character(name=who))
        chapters.append(replace(ch, segments=tuple(segs)))
    extra = sorted(set(edits) - seen)
    if extra:
        _, _, n = edits[extra[0]]
        raise InputError(
            f"{path}:{n}: no such segment in the story (offsets {extra[0][0]}-{extra[0][1]}); write the script again"
        )
    lines, words = speech_counts(chapters)
    characters = tuple(
        replace(c, lines=lines.get(c.name, 0), words=words.get(c.name, 0))
        for c in script.characters + tuple(new_names.values())
    )
    return replace(script, chapters=tuple(chapters), characters=characters)


def _recast(seg: Segment, who: str) -> Segment:
    """A segment spoken by `who` as the user wrote it."""
    if seg.kind == "narration" and who == NARRATOR:
        return seg
    if seg.kind == "dialogue" and (who == seg.speaker or (who == UNKNOWN and seg.speaker is None)):
        return seg
    if who == NARRATOR:
        return replace(seg, kind="narration", speaker=None, rule="edited", confidence=1.0)
    return replace(seg, kind="dialogue", speaker=None if who == UNKNOWN else who, rule="edited", confidence=1.0)
