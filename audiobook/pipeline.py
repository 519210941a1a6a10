"""The pipeline in order, and the checks before it: ingest -> parse -> cast (`prepare`), then for each
chapter synth -> assemble, and publish around it (`render`). Each stage lives in its own module; this
one only sequences them, so it holds no rules, no maths and no file formats."""

from __future__ import annotations

import functools
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import scriptfile
from .assemble import ChapterAudio, write_chapter, write_transcript
from .cache import BlockCache, is_url
from .cast import Casting, cast_script, language_mismatch, make_casting
from .config import VoicesConfig, load_config
from .engines import Engine, create_engine, engine_of, voice_label
from .errors import ConfigError, InputError, OutputError
from .files import TO_OUTPUT, is_full, output_error
from .ingest import load_book
from .lock import FolderLock
from .model import BookInfo, BuildReport, CastChapter, CastScript, ReadOptions, RenderOptions, Script
from .narrated_epub import NarratedEpub
from .parse import parse_book
from .publish import (
    BookFolder,
    BookWriter,
    Cover,
    book_about,
    book_folder,
    book_info,
    cover_from_bytes,
    estimated_size,
    load_cover,
)
from .speech import Pronouncer
from .synth import Executors, Synthesizer, make_jobs, silence_job

Progress = Callable[[int], None]


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
    source: str = ""  # the story file (a narrated EPUB of an EPUB is the story's own)

    @functools.cached_property
    def pronounce(self) -> Pronouncer | None:
        """voices.yaml's respellings, compiled once for the whole book."""
        return Pronouncer(self.config.pronunciations) if self.config.pronunciations else None


def load_voices(config_path: str | Path | None) -> tuple[VoicesConfig, bool]:
    """(config, whether one was given). No file means defaults and auto-casting."""
    if config_path is None:
        return VoicesConfig(), False
    return load_config(config_path), True


def check_voices(config: VoicesConfig, engine: Engine) -> None:
    """Every voice id in voices.yaml must exist in its engine (pyttsx3 ignores unknown ids silently)."""
    for key, entry in config.voice_entries():
        assert entry.voice is not None
        name, own = engine_of(entry.voice, engine.name)
        speaker = engine.engine_for(name)
        if not speaker.has_voice(own):
            close = [voice_label(name, c, engine.name) for c in speaker.suggest(own)]
            hint = (
                f"did you mean {', '.join(repr(c) for c in close)}?"
                if close
                else "run `audiobook voices` to list the ids"
            )
            raise ConfigError(f"{config.path}:{entry.line}: {key}.voice: unknown voice id {entry.voice!r}; {hint}")


def with_other_engines(engine: Engine, config: VoicesConfig, voices_dirs: Sequence[str | Path] = ()) -> Engine:
    """`engine`, or, when voices.yaml casts voices of other engines too, all of them (engines/mixed.py:
    each other engine runs in a process of its own)."""
    names = {engine_of(entry.voice, engine.name)[0] for _, entry in config.voice_entries() if entry.voice}
    others = sorted(names - {engine.name})
    if not others:
        return engine
    from .engines.mixed import MixedEngine, RemoteEngine

    started: dict[str, Engine] = {}
    try:
        for name in others:
            started[name] = RemoteEngine(name, voices_dirs)
        return MixedEngine(engine, started)
    except BaseException:
        for other in started.values():
            other.close()
        raise


def load_script(source: str | Path, notes: str = "skip") -> Script:
    """Parse a story (an EPUB's notes read as `notes` says), or read an edited script file and apply its
    speakers to the story it names, read as the script was (`script --notes` is recorded in it)."""
    if scriptfile.is_script_file(source):
        story, edits, written = scriptfile.read(source)
        if notes != "skip" and notes != written:
            raise InputError(
                f"{source}: was written without --notes {notes}; write it again with "
                f"`audiobook script {story} --notes {notes} --write {source}`"
            )
        return scriptfile.apply(parse_book(load_book(story, written)), edits, source)
    return parse_book(load_book(source, notes))


def prepare(
    source: str | Path,
    config_path: str | Path | None,
    engine: Engine | None = None,
    auto_all: bool | None = None,
    reading: ReadOptions | None = None,
    voices_dirs: Sequence[str | Path] = (),
) -> Prepared:
    """Read, parse and cast a story; fail on bad input before anything is written. Characters that
    voices.yaml does not list are auto-cast when there is no voices.yaml (or `auto_all`), else they
    take the fallback voice. `reading` says what of the book is spoken (chapter titles, notes);
    `voices_dirs` are folders of voice models the engine searches first (Piper)."""
    reading = reading or ReadOptions()
    script = load_script(source, reading.notes)
    config, given = load_voices(config_path)
    engine = engine or with_other_engines(create_engine(config.engine, voices_dirs), config, voices_dirs)
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
    if unlike := language_mismatch(script.language, casting.narrator.voice_id, engine.voices()):
        warnings.append(f"{Path(source).name}: {unlike}")
    return Prepared(
        script,
        config,
        engine,
        casting,
        cast_script(script, casting, config, reading.announce),
        warnings,
        absent,
        str(source),
    )


def check_output(out_dir: Path, what: str = TO_OUTPUT) -> None:
    """Create `out_dir` and prove a file can be written there (under a name no other run uses)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir, prefix=".audiobook-write-test-"):
            pass
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write there ({exc.strerror}); {what}") from exc


def output_root(out_root: str | Path) -> Path:
    """The -o folder, created and checked writable."""
    out = Path(out_root)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; {TO_OUTPUT}")
    check_output(out)
    return out


def cache_root(out_root: Path, cache_dir: str | Path | None, use_cache: bool) -> Path | str | None:
    """The line cache's folder (by default OUTPUT/.cache) or fsspec URL (`s3://bucket/prefix`: one cache
    for every node of a cluster), checked writable: a cache that cannot be written would make every
    later render start from nothing, silently."""
    if not use_cache:
        return None
    if cache_dir and is_url(cache_dir):
        remote = BlockCache(cache_dir)
        remote.check_writable()
        remote.remove_stale_temporaries()
        return str(cache_dir)
    root = Path(cache_dir) if cache_dir else out_root / ".cache"
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root}: is a file, not a folder; give --cache-dir a folder, or use --no-cache")
    check_output(root, "give --cache-dir a folder you can write, or use --no-cache")
    BlockCache(root).remove_stale_temporaries()
    return root


def render_chapter(
    prep: Prepared,
    synth: Synthesizer,
    ch: CastChapter,
    path: Path,
    report: BuildReport,
    progress: Progress | None = None,
    bitrate_kbps: int = 128,
    pauses_ms: tuple[int, int] | None = None,
) -> ChapterAudio:
    """One chapter's audio into `path`: its lines' blocks between the head's and the tail's pauses
    (the book's, unless `pauses_ms` gives others)."""
    engine = prep.engine
    head_ms, tail_ms = pauses_ms or (prep.cast.head_ms, prep.cast.tail_ms)
    lines = (
        [[silence_job(head_ms, engine, bitrate_kbps)]]
        + [make_jobs(line, engine, prep.pronounce, bitrate_kbps) for line in ch.lines]
        + [[silence_job(tail_ms, engine, bitrate_kbps)]]
    )
    return write_chapter(path, ch.lines, synth.line_blocks(lines), report, progress)


def render(
    prep: Prepared,
    out_root: str | Path,
    options: RenderOptions | None = None,
    info: BookInfo | None = None,
    progress: Progress | None = None,
    source_name: str = "",
    executors: Executors | None = None,
) -> BuildReport:
    """Synthesize and assemble every chapter into `out_root/<Author>/<Title>/`, reusing cached lines
    (by default under `out_root/.cache/`); then the manifest, playlist, read-along page and, when asked,
    the M4B. One run at a time per book folder; the folder changes only when the whole book is done.
    `executors` speak the lines (a Ray cluster), instead of `options.jobs` processes here."""
    started = time.monotonic()
    options = options or RenderOptions()
    info = book_info(info, prep.script, prep.engine.version)
    cover = load_cover(info.cover) if info.cover else _own_cover(prep.script)
    root = output_root(out_root)
    cache = cache_root(root, options.cache_dir, options.use_cache)
    book_dir = book_folder(root, info)
    check_output(book_dir)
    report = BuildReport(output_dir=str(book_dir), warnings=list(prep.warnings))
    try:
        with FolderLock(book_dir):
            folder = BookFolder(book_dir)
            try:
                staged = _Staged(folder, cache, options, info, cover, executors)
                _render_book(prep, staged, report, progress, source_name)
                report.files = [str(p) for p in folder.publish() if p.suffix in (".mp3", ".m4b", ".epub")]
            except BaseException:
                folder.discard()
                raise
    except OSError as exc:
        raise output_error(book_dir, exc, estimated_size(prep.cast, options)) from exc
    except OutputError as exc:
        if isinstance(exc.__cause__, OSError) and is_full(exc.__cause__):  # said again with the space needed
            raise output_error(book_dir, exc.__cause__, estimated_size(prep.cast, options)) from exc
        raise
    report.chapters = len(prep.cast.chapters)
    report.wall_seconds = time.monotonic() - started
    return report


def _own_cover(script: Script) -> Cover | None:
    """The story's own cover (an EPUB's), or None when it has none or it cannot be read: a book is
    still made without it."""
    if not script.cover:
        return None
    try:
        return cover_from_bytes(script.cover, "the book's own cover")
    except InputError:
        return None


@dataclass(frozen=True)
class _Staged:
    """Where and how a book is rendered: its folder, the cache, the options, tags and cover, and the
    executors that speak its lines (None: options.jobs processes on this machine)."""

    folder: BookFolder
    cache: Path | str | None
    options: RenderOptions
    info: BookInfo
    cover: Cover | None
    executors: Executors | None


def _render_book(
    prep: Prepared, staged: _Staged, report: BuildReport, progress: Progress | None, source_name: str
) -> None:
    """Every file of the book, into the folder's staging area: each chapter synthesized, joined and
    transcribed, then published around."""
    folder, options, info, cover = staged.folder, staged.options, staged.info, staged.cover
    spec = prep.casting.voice_of
    voices = [
        (c, voice_label(spec(c.name).engine, spec(c.name).voice_id, prep.engine.name)) for c in prep.script.characters
    ]
    about = book_about(info, source_name, prep.engine.version, voices, prep.script.language)
    epub = None
    if options.epub:
        jpeg = cover.jpeg if cover else None
        story = Path(prep.source) if prep.source and not scriptfile.is_script_file(prep.source) else None
        epub = NarratedEpub(folder.staging / ".epub-audio", info, prep.script, jpeg, options.epub_kbps, story)
    book = BookWriter(folder, info, cover, len(prep.cast.chapters), about, epub)
    try:
        with Synthesizer(prep.engine, staged.cache, options.jobs, staged.executors) as synth:
            for ch in prep.cast.chapters:
                mp3, vtt = book.chapter_files(ch)
                audio = render_chapter(prep, synth, ch, mp3, report, progress, options.bitrate_kbps)
                write_transcript(vtt, ch.lines, audio.timings)
                book.add(ch, audio, vtt)
        book.finish(m4b=options.m4b, mp3_kbps=options.bitrate_kbps)
    except BaseException:
        book.abort()
        raise


def generate(
    source: str | Path,
    config_path: str | Path | None,
    out_root: str | Path,
    options: RenderOptions | None = None,
    info: BookInfo | None = None,
    *,
    engine: Engine | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    reading: ReadOptions | None = None,
    voices_dirs: Sequence[str | Path] = (),
    executors: Executors | None = None,
) -> BuildReport:
    """The whole pipeline for one story file: read, parse and cast it, then render it with `options`
    (its lines spoken by `executors` when given: a Ray cluster).
    `info` gives the tags (title, author, narrator, year, cover) that the story's header should not
    decide; `reading` what of the book is spoken; `on_start` hears the number of lines before the first is
    spoken, `progress` each one done; `voices_dirs` are folders of voice models searched first."""
    prep = prepare(source, config_path, engine, reading=reading, voices_dirs=voices_dirs)
    try:
        if info and info.cover:
            load_cover(info.cover)  # a bad cover fails before anything is written
        if on_start:
            on_start(sum(len(ch.lines) for ch in prep.cast.chapters))
        return render(prep, out_root, options, info, progress, os.path.basename(str(source)), executors)
    finally:
        if engine is None:  # ours: a mixed cast's other engines run in processes of their own
            prep.engine.close()


__all__ = ["Prepared", "generate", "load_script", "prepare", "render"]
