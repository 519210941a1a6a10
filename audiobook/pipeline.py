"""Orchestration and preflight checks: ingest -> parse -> cast -> synth -> assemble. No rules, no maths."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import scriptfile
from .assemble import ChapterAudio, write_chapter, write_transcript
from .cache import BlockCache
from .cast import Casting, cast_script, make_casting
from .config import VoicesConfig, load_config
from .engines import Engine, create_engine
from .errors import ConfigError, InputError, OutputError
from .files import atomic_path, is_full, output_error, write_text
from .ingest import load_book
from .lock import FolderLock
from .model import BookInfo, BuildReport, CastChapter, CastLine, CastScript, RenderOptions, Script, Segment
from .parse import parse_book
from .publish import (
    BookFolder,
    Cover,
    ManifestWriter,
    chapter_entry,
    load_cover,
    one_line,
    safe_name,
    tag_mp3,
    write_cover,
    write_m4b,
    write_player,
)
from .synth import Pronouncer, Renderer, make_jobs, silence_job

Progress = Callable[[int], None]
PREVIEW_SENTENCE = "The lantern on the point burned all night, and every ship came safely home."


@dataclass
class Prepared:
    """Everything decided before the first sample: what `generate` will render."""

    script: Script
    config: VoicesConfig
    engine: Engine
    casting: Casting
    cast: CastScript
    warnings: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # in voices.yaml, never speaking in the story


def load_voices(config_path: str | Path | None) -> tuple[VoicesConfig, bool]:
    """(config, whether one was given). No file means defaults and auto-casting."""
    if config_path is None:
        return VoicesConfig(), False
    return load_config(config_path), True


def check_voices(config: VoicesConfig, engine: Engine) -> None:
    """Every voice id in voices.yaml must exist in this engine: pyttsx3 ignores unknown ids silently."""
    for key, entry in config.voice_entries():
        assert entry.voice is not None
        if not engine.has_voice(entry.voice):
            close = engine.suggest(entry.voice)
            hint = (
                f"did you mean {', '.join(repr(c) for c in close)}?"
                if close
                else "run `audiobook voices` to list the ids"
            )
            raise ConfigError(f"{config.path}:{entry.line}: {key}.voice: unknown voice id {entry.voice!r}; {hint}")


def load_script(source: str | Path) -> Script:
    """Parse a story, or read an edited script file and apply its speakers to the story it names."""
    if scriptfile.is_script_file(source):
        story, edits = scriptfile.read(source)
        return scriptfile.apply(parse_book(load_book(story)), edits, source)
    return parse_book(load_book(source))


def prepare(
    source: str | Path, config_path: str | Path | None, engine: Engine | None = None, auto_all: bool | None = None
) -> Prepared:
    """Read, parse and cast a story; fail on bad input before anything is written. Characters that
    voices.yaml does not list are auto-cast when there is no voices.yaml (or `auto_all`), else they
    take the fallback voice."""
    script = load_script(source)
    config, given = load_voices(config_path)
    engine = engine or create_engine(config.engine)
    check_voices(config, engine)
    casting = make_casting(
        script, config, engine.name, engine.palette(), auto_all=not given if auto_all is None else auto_all
    )
    speaking = {casting.roles[c.name] for c in script.characters if c.lines and c.name in casting.roles}
    absent = [c.name for c in config.characters if c.name not in speaking]
    warnings = [
        f"{config.path}: characters.{name} never speaks in {Path(source).name}; check the name or its aliases"
        for name in absent
    ]
    return Prepared(script, config, engine, casting, cast_script(script, casting, config), warnings, absent)


def _check_output(out_dir: Path, what: str = "choose another folder with -o") -> None:
    """Create `out_dir` and prove a file can be written there (under a name no other run uses)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir, prefix=".audiobook-write-test-"):
            pass
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write there ({exc.strerror}); {what}") from exc


def _output_root(out_root: str | Path) -> Path:
    out = Path(out_root)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; choose another folder with -o")
    _check_output(out)
    return out


def _cache_root(out_root: Path, cache_dir: str | Path | None, use_cache: bool) -> Path | None:
    """The line cache's folder (by default OUTPUT/.cache), checked writable: a cache that cannot be
    written would make every later render start from nothing, silently."""
    if not use_cache:
        return None
    root = Path(cache_dir) if cache_dir else out_root / ".cache"
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root}: is a file, not a folder; give --cache-dir a folder, or use --no-cache")
    _check_output(root, "give --cache-dir a folder you can write, or use --no-cache")
    BlockCache(root).remove_stale_temporaries()
    return root


def _render_chapter(
    prep: Prepared,
    renderer: Renderer,
    ch: CastChapter,
    path: Path,
    head_ms: int,
    tail_ms: int,
    report: BuildReport,
    progress: Progress | None = None,
    bitrate_kbps: int = 128,
) -> ChapterAudio:
    """One chapter's audio into `path`: its lines' blocks between the head's and the tail's pauses."""
    engine = prep.engine
    pronounce = Pronouncer(prep.config.pronunciations) if prep.config.pronunciations else None
    lines = (
        [[silence_job(head_ms, engine, bitrate_kbps)]]
        + [make_jobs(line, engine, pronounce, bitrate_kbps) for line in ch.lines]
        + [[silence_job(tail_ms, engine, bitrate_kbps)]]
    )
    audio = write_chapter(path, ch.lines, renderer.render_lines(lines), report, progress)
    report.segments += len(ch.lines)
    report.audio_seconds += audio.duration
    return audio


def book_info(
    prep: Prepared,
    title: str | None = None,
    author: str | None = None,
    narrator: str | None = None,
    year: str | None = None,
    cover: str | None = None,
) -> BookInfo:
    """Tags for the book: options first, then the story's own header, then defaults."""
    import datetime

    return BookInfo(
        title=title or prep.cast.title,
        author=author or prep.cast.author,
        narrator=narrator or prep.script.narrator or f"audiobook text-to-speech ({prep.engine.version})",
        year=year or prep.script.year or str(datetime.date.today().year),
        cover=cover or "",
    )


def render(
    prep: Prepared,
    out_root: str | Path,
    progress: Progress | None = None,
    source_name: str = "",
    options: RenderOptions | None = None,
    info: BookInfo | None = None,
) -> BuildReport:
    """Synthesize and assemble every chapter into `out_root/<Author>/<Title>/`, reusing cached lines
    (by default under `out_root/.cache/`); then the manifest, playlist, read-along page and, when asked,
    the M4B. One run at a time per book folder; the folder changes only when the whole book is done."""
    started = time.monotonic()
    options = options or RenderOptions()
    info = info or book_info(prep)
    cover = load_cover(info.cover) if info.cover else None
    root = _output_root(out_root)
    cache = _cache_root(root, options.cache_dir, options.use_cache)
    book_dir = root / safe_name(info.author) / safe_name(info.title)
    _check_output(book_dir)
    report = BuildReport(output_dir=str(book_dir), warnings=list(prep.warnings))
    try:
        with FolderLock(book_dir):
            folder = BookFolder(book_dir)
            try:
                _render_book(prep, folder, cache, options, info, cover, report, progress, source_name)
                report.files = [str(p) for p in folder.publish() if p.suffix in (".mp3", ".m4b")]
            except BaseException:
                folder.discard()
                raise
    except OSError as exc:
        raise output_error(book_dir, exc, _size(estimate_bytes(prep.cast, options))) from exc
    except OutputError as exc:
        if isinstance(exc.__cause__, OSError) and is_full(exc.__cause__):  # said again with the space needed
            raise output_error(book_dir, exc.__cause__, _size(estimate_bytes(prep.cast, options))) from exc
        raise
    report.chapters = len(prep.cast.chapters)
    report.wall_seconds = time.monotonic() - started
    return report


def _render_book(
    prep: Prepared,
    folder: BookFolder,
    cache: Path | None,
    options: RenderOptions,
    info: BookInfo,
    cover: Cover | None,
    report: BuildReport,
    progress: Progress | None,
    source_name: str,
) -> None:
    """Every file of the book, into the folder's staging area."""
    cast = prep.cast
    total = len(cast.chapters)
    width = max(2, len(str(total)))
    playlist = ["#EXTM3U"]
    book_tags = {
        "album": info.title,
        "artist": info.author,
        "album_artist": info.author,
        "composer": info.narrator,
        "genre": "Audiobook",
        "year": info.year,
    }
    manifest = ManifestWriter(
        folder.file("book.json"),
        {
            "title": info.title,
            "author": info.author,
            "narrator": info.narrator,
            "year": info.year,
            "source": source_name,
            "engine": prep.engine.version,
            "characters": [
                {
                    "name": c.name,
                    "aliases": list(c.aliases),
                    "gender": c.gender,
                    "age": c.age,
                    "lines": c.lines,
                    "words": c.words,
                    "voice": (prep.casting.characters.get(c.name) or prep.casting.fallback).voice_id,
                }
                for c in prep.script.characters
            ],
        },
    )
    chapters = []
    try:
        with Renderer(prep.engine, cache, options.jobs) as renderer:
            for ch in cast.chapters:
                name = f"{ch.index:0{width}d} - {safe_name(ch.title)}"
                audio = _render_chapter(
                    prep,
                    renderer,
                    ch,
                    folder.file(f"{name}.mp3"),
                    cast.head_ms,
                    cast.tail_ms,
                    report,
                    progress,
                    options.bitrate_kbps,
                )
                tag_mp3(audio.path, {**book_tags, "title": ch.title, "track": f"{ch.index}/{total}"}, cover)
                write_transcript(folder.file(f"{name}.vtt"), ch.lines, audio.timings)
                manifest.add(chapter_entry(ch, audio, f"{name}.vtt"))
                chapters.append({"title": ch.title, "file": audio.path.name, "duration": round(audio.duration, 3)})
                playlist += [
                    f"#EXTINF:{int(round(audio.duration))},{one_line(f'{info.title} - {ch.title}')}",
                    audio.path.name,
                ]
        manifest.close()
    except BaseException:
        manifest.abort()
        raise
    write_text(folder.file("playlist.m3u"), "\n".join(playlist) + "\n")
    if cover:
        folder.keep(write_cover(folder.staging, cover))
    folder.keep(write_player(folder.staging, info.title))
    if options.m4b:
        folder.keep(write_m4b(folder.staging, chapters, book_tags, cover, 128 if options.bitrate_kbps >= 192 else 96))


def estimate_bytes(cast: CastScript, options: RenderOptions) -> int:
    """Roughly what a render writes: the chapter files (about 15 characters of text a second of
    speech, plus pauses), as much again for the line cache, and the M4B."""
    chars = sum(len(line.segment.text) for ch in cast.chapters for line in ch.lines)
    pauses = sum(line.pause_after_ms for ch in cast.chapters for line in ch.lines) / 1000
    seconds = chars / 15 + pauses
    mp3 = seconds * options.bitrate_kbps * 125
    return int(mp3 * (2 if options.use_cache else 1) + (seconds * 8000 if options.m4b else 0))


def _size(n: int) -> str:
    return f"{max(1, round(n / 1e6))} MB" if n < 1e9 else f"{n / 1e9:.1f} GB"


def generate(
    source: str | Path,
    config_path: str | Path | None,
    out_root: str | Path,
    progress: Progress | None = None,
    engine: Engine | None = None,
    on_start: Callable[[int], None] | None = None,
    options: RenderOptions | None = None,
    info: dict[str, str | None] | None = None,
    **option: Any,
) -> BuildReport:
    """The whole pipeline for one story file. `info` overrides tags (title, author, narrator, year,
    cover); keyword options (jobs, cache_dir, use_cache, bitrate_kbps, m4b) override `options`."""
    prep = prepare(source, config_path, engine)
    options = replace(options or RenderOptions(), **option)
    details = book_info(prep, **(info or {}))
    if details.cover:
        load_cover(details.cover)  # a bad cover fails before anything is written
    if on_start:
        on_start(sum(len(ch.lines) for ch in prep.cast.chapters))
    return render(prep, out_root, progress, os.path.basename(str(source)), options, details)


@dataclass
class CastPlan:
    """What `audiobook cast` shows and writes: the voices `generate` would use, as it would use them."""

    # (character, voice, origin). origin: "voices.yaml" (cast there); "fallback" (voices.yaml does not
    # list them: `generate` reads their lines with the fallback voice); "auto" (there is no voices.yaml:
    # `generate` auto-casts everyone, with this voice); "added" (just written into voices.yaml).
    rows: list[tuple[Any, Any, str]]
    narrator: Any
    fallback: Any
    absent: list[str]  # cast in voices.yaml, but not speaking in the story
    added: list[str] = field(default_factory=list)
    exists: bool = True  # voices.yaml existed before this run


def plan_cast(source: str | Path, config_path: str | Path, write: bool = False, required: bool = False) -> CastPlan:
    """The cast `generate` would use with `config_path` (with no such file: auto-cast), row by row;
    with `write`, voices.yaml is created or the characters it lacks are added with a voice of their
    own, nothing else touched, and the rows show the file as written. `required`: the file was named
    by the user, so (without `write`) its absence is an error, as it is for `generate`."""
    exists = Path(config_path).exists()
    prep = prepare(source, config_path if exists or (required and not write) else None)  # as `generate` does
    speaking = [c for c in prep.script.characters if c.lines]
    known = {c.name for c in speaking if exists and c.name in prep.casting.roles}
    casting, added = prep.casting, []
    if write:
        from .config import write_cast

        proposal = make_casting(prep.script, prep.config, prep.engine.name, prep.engine.palette(), auto_all=True)
        additions = [
            (
                c.name,
                tuple(a for a in c.aliases if a != c.name),
                proposal.characters[c.name],
                f"{c.lines} line{'s' * (c.lines != 1)}, {c.gender}, {c.age}",
            )
            for c in speaking
            if c.name not in known
        ]
        added = write_cast(config_path, additions, proposal.narrator, proposal.fallback)
        config = load_config(config_path)  # the file as written, read as `generate` will read it
        check_voices(config, prep.engine)
        casting = make_casting(prep.script, config, prep.engine.name, prep.engine.palette(), auto_all=False)

    def origin(name: str) -> str:
        if name in known:
            return "voices.yaml"
        if name in added:
            return "added"
        return "fallback" if exists or write else "auto"

    rows = [(c, casting.characters.get(c.name, casting.fallback), origin(c.name)) for c in speaking]
    return CastPlan(rows, casting.narrator, casting.fallback, prep.absent, added, exists)


def _find_role(prep: Prepared, who: str) -> tuple[str, Any]:
    """(canonical name, voice) for a character named by any of their names, or the narrator."""
    wanted = who.strip().lower()
    if wanted in ("narrator", "the narrator"):
        return "narrator", prep.casting.narrator
    for c in prep.script.characters:
        names = {c.name.lower(), *(a.lower() for a in c.aliases), prep.casting.roles.get(c.name, "").lower()}
        if wanted in names:
            return c.name, prep.casting.characters.get(c.name, prep.casting.fallback)
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
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
) -> tuple[Path, BuildReport]:
    """A short MP3 auditioning one voice (its first `count` lines, or `text`), or every cast voice
    saying the same sentence when `who` is None."""
    root = _output_root(out_root)
    folder = root / ".previews"
    _check_output(folder)
    pause = prep.config.pauses.paragraph
    lines: list[CastLine] = []

    def line(spoken: str, voice: Any, role: str, speaker: str | None) -> CastLine:
        kind = "narration" if speaker is None else "dialogue"
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
    with Renderer(prep.engine, _cache_root(root, cache_dir, use_cache)) as renderer:
        with atomic_path(path) as tmp:
            _render_chapter(prep, renderer, chapter, tmp, 300, 500, report)
            tag_mp3(tmp, tags, None)
    return path, report


__all__ = ["Prepared", "generate", "load_script", "prepare", "preview", "render", "safe_name"]
