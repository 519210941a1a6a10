"""Auditions: a short MP3 of one voice on its character's first lines (or given words), or of every
cast voice on one sentence, rendered as a chapter is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import InputError
from .files import atomic_path
from .model import BuildReport, CastChapter, CastLine, Kind, RenderOptions, Segment
from .pipeline import Prepared, cache_root, check_output, output_root, render_chapter
from .publish import safe_name, tag_mp3
from .synth import Synthesizer

PREVIEW_SENTENCE = "The lantern on the point burned all night, and every ship came safely home."


def _find_role(prep: Prepared, who: str) -> tuple[str, Any]:
    """(canonical name, voice) for a character named by any of their names, or the narrator."""
    wanted = who.strip().lower()
    if wanted in ("narrator", "the narrator"):
        return "narrator", prep.casting.narrator
    for c in prep.script.characters:
        names = {c.name.lower(), *(a.lower() for a in c.aliases), prep.casting.roles.get(c.name, "").lower()}
        if wanted in names:
            return c.name, prep.casting.voice_of(c.name)
    for entry in prep.config.characters:
        if wanted in {entry.name.lower(), *(a.lower() for a in entry.aliases)}:
            return entry.name, entry.voice.spec(prep.engine.name, prep.casting.fallback)
    speakers = [c.name for c in prep.script.characters if c.lines]
    raise InputError(
        f"no character {who!r} in this story; its speakers are: {', '.join(speakers) or 'none'} (or 'narrator')"
    )


def preview(
    prep: Prepared,
    out_root: str | Path,
    who: str | None,
    text: str | None = None,
    count: int = 3,
    options: RenderOptions | None = None,
) -> tuple[Path, BuildReport]:
    """A short MP3 auditioning one voice (its first `count` lines, or `text`), or every cast voice
    saying the same sentence when `who` is None."""
    options = options or RenderOptions()
    root = output_root(out_root)
    folder = root / ".previews"
    check_output(folder)
    pause = prep.config.pauses.paragraph
    lines: list[CastLine] = []

    def line(spoken: str, voice: Any, role: str, speaker: str | None) -> CastLine:
        kind: Kind = "narration" if speaker is None else "dialogue"
        return CastLine(Segment(kind, spoken, speaker, 0, 0), voice, role, pause)

    if who is None:
        sentence = text or PREVIEW_SENTENCE
        lines.append(line(f"The narrator. {sentence}", prep.casting.narrator, "narrator", None))
        for c in prep.script.characters:
            if c.name in prep.casting.characters:
                lines.append(line(f"{c.name}. {sentence}", prep.casting.characters[c.name], c.name, c.name))
        name = "all-voices"
    else:
        name, voice = _find_role(prep, who)
        if text:
            lines.append(line(text, voice, name, None if name == "narrator" else name))
        else:
            said = [
                s
                for ch in prep.script.chapters
                for s in ch.segments
                if (s.kind == "narration" if name == "narrator" else s.speaker == name)
            ][:count]
            lines += [CastLine(s, voice, name, pause) for s in said]
        if not lines:
            raise InputError(f"{name!r} has no lines in this story; give one with --text")
    report = BuildReport(output_dir=str(folder))
    path = folder / f"{safe_name(name)}.mp3"
    chapter = CastChapter(1, f"Preview: {name}", tuple(lines))
    tags = {"title": chapter.title, "album": prep.cast.title, "genre": "Audiobook"}
    with Synthesizer(prep.engine, cache_root(root, options.cache_dir, options.use_cache)) as synth:
        with atomic_path(path) as tmp:
            render_chapter(prep, synth, chapter, tmp, report, pauses_ms=(300, 500))
            tag_mp3(tmp, tags, None)
    return path, report
