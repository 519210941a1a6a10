"""Orchestration and preflight checks: ingest -> parse -> cast -> synth -> assemble. No rules, no maths."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from . import scriptfile
from .assemble import BLOCK_DELAY_SAMPLES, OUTPUT_RATE, ChapterFile, webvtt, write_text_atomic
from .cast import Casting, cast_script, make_casting
from .config import VoicesConfig, load_config
from .engines import Engine, create_engine
from .errors import ConfigError, InputError, OutputError
from .ingest import load_book, read_source
from .model import BookInfo, BuildReport, CastChapter, CastLine, CastScript, RenderOptions, Script, Segment
from .publish import Cover, load_cover, write_cover, write_m4b, write_player
from .parse import parse_book
from .synth import Pronouncer, Renderer, make_job, silence_job

Progress = Callable[[int], None]
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
PREVIEW_SENTENCE = "The lantern on the point burned all night, and every ship came safely home."


def safe_name(text: str, limit: int = 80) -> str:
    """A file or folder name that every file system accepts."""
    name = re.sub(r"\s*:\s*", " - ", text)
    name = re.sub(r"\s+", " ", _UNSAFE.sub("-", name)).strip(" .-") or "Untitled"
    return name[:limit].rstrip(" .-")


@dataclass
class Prepared:
    """Everything decided before the first sample: what `generate` will render."""

    script: Script
    config: VoicesConfig
    engine: Engine
    casting: Casting
    cast: CastScript
    warnings: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)     # in voices.yaml, never speaking in the story


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
            hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else \
                "run `audiobook voices` to list the ids"
            raise ConfigError(f"{config.path}:{entry.line}: {key}.voice: unknown voice id {entry.voice!r}; {hint}")


def load_script(source: str | Path) -> Script:
    """Parse a story, or read an edited script file and apply its speakers to the story it names."""
    if scriptfile.is_script_file(source):
        story, edits = scriptfile.read(source)
        return scriptfile.apply(parse_book(load_book(story)), edits, source, read_source(story))
    return parse_book(load_book(source))


def prepare(source: str | Path, config_path: str | Path | None, engine: Engine | None = None,
            auto_all: bool | None = None) -> Prepared:
    """Read, parse and cast a story; fail on bad input before anything is written. Characters that
    voices.yaml does not list are auto-cast when there is no voices.yaml (or `auto_all`), else they
    take the fallback voice."""
    script = load_script(source)
    config, given = load_voices(config_path)
    engine = engine or create_engine(config.engine)
    check_voices(config, engine)
    casting = make_casting(script, config, engine.name, engine.voices(),
                           auto_all=not given if auto_all is None else auto_all)
    speaking = {casting.roles[c.name] for c in script.characters if c.lines and c.name in casting.roles}
    absent = [c.name for c in config.characters if c.name not in speaking]
    warnings = [f"{config.path}: characters.{name} never speaks in {Path(source).name}; "
                "check the name or its aliases" for name in absent]
    return Prepared(script, config, engine, casting, cast_script(script, casting, config), warnings, absent)


def _check_output(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".audiobook-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write there ({exc.strerror}); choose another folder with -o") from exc


def _output_root(out_root: str | Path) -> Path:
    out = Path(out_root)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; choose another folder with -o")
    _check_output(out)
    return out


def _cache_root(out_root: Path, cache_dir: str | Path | None, use_cache: bool) -> Path | None:
    return (Path(cache_dir) if cache_dir else out_root / ".cache") if use_cache else None


def _write_chapter(prep: Prepared, renderer: Renderer, ch: CastChapter, path: Path, tags: dict[str, str],
                   head_ms: int, tail_ms: int, report: BuildReport, progress: Progress | None,
                   cover: Cover | None = None, bitrate_kbps: int = 128) -> dict[str, Any]:
    """One chapter file and its transcript; returns its manifest entry."""
    engine = prep.engine
    pronounce = Pronouncer(prep.config.pronunciations) if prep.config.pronunciations else None
    jobs = [silence_job(head_ms, engine, bitrate_kbps)] + \
        [make_job(line, engine, pronounce, bitrate_kbps) for line in ch.lines] + \
        [silence_job(tail_ms, engine, bitrate_kbps)]
    delay = BLOCK_DELAY_SAMPLES / OUTPUT_RATE
    segments, cues = [], []
    out = ChapterFile(path, tags, cover)
    try:
        results = renderer.render(jobs)
        out.add(next(results).block)
        for line, done in zip(ch.lines, results):
            seg = line.segment
            at = out.add(done.block)
            start, end = at + delay, at + delay + done.speech_seconds
            if done.failed:
                report.failed.append(done.failed)
                end = start
            elif done.synthesized:
                report.synthesized += 1
            else:
                report.reused += 1
            if progress:
                progress(1)
            segments.append({
                "kind": seg.kind, "speaker": seg.speaker, "role": line.role, "voice": line.voice.voice_id,
                "rate": line.voice.rate, "pitch": line.voice.pitch, "volume": line.voice.volume,
                "start": round(start, 3), "end": round(end, 3),
                "source_start": seg.start, "source_end": seg.end, "rule": seg.rule,
                "confidence": seg.confidence, "text": seg.text,
            })
            if end > start:
                who = (seg.speaker or "Unknown") if seg.kind == "dialogue" else "Narrator"
                cues.append((start, end, who, seg.text))
        out.add(next(results).block)
        duration = out.seconds
        out.close()
    except BaseException:
        out.abort()
        raise
    vtt = path.with_suffix(".vtt")
    write_text_atomic(vtt, webvtt(cues))
    report.files.append(str(path))
    report.segments += len(ch.lines)
    report.audio_seconds += duration
    return {"index": ch.index, "title": ch.title, "file": path.name, "transcript": vtt.name,
            "duration": round(duration, 3), "segments": segments}


def book_info(prep: Prepared, title: str | None = None, author: str | None = None, narrator: str | None = None,
              year: str | None = None, cover: str | None = None) -> BookInfo:
    """Tags for the book: options first, then the story's own header, then defaults."""
    import datetime

    return BookInfo(
        title=title or prep.cast.title,
        author=author or prep.cast.author,
        narrator=narrator or prep.script.narrator or f"audiobook text-to-speech ({prep.engine.version})",
        year=year or prep.script.year or str(datetime.date.today().year),
        cover=cover or "",
    )


def render(prep: Prepared, out_root: str | Path, progress: Progress | None = None, source_name: str = "",
           options: RenderOptions | None = None, info: BookInfo | None = None) -> BuildReport:
    """Synthesize and assemble every chapter into `out_root/<Author>/<Title>/`, reusing cached lines
    (by default under `out_root/.cache/`); then the manifest, playlist, read-along page and, when asked,
    the M4B."""
    started = time.monotonic()
    options = options or RenderOptions()
    info = info or book_info(prep)
    cover = load_cover(info.cover) if info.cover else None
    cast = prep.cast
    root = _output_root(out_root)
    book_dir = root / safe_name(info.author) / safe_name(info.title)
    _check_output(book_dir)
    for stale in book_dir.glob("*.part"):       # left by a render that was killed
        stale.unlink(missing_ok=True)
    report = BuildReport(output_dir=str(book_dir), warnings=list(prep.warnings))
    total = len(cast.chapters)
    width = max(2, len(str(total)))
    playlist = ["#EXTM3U"]
    book_tags = {"album": info.title, "artist": info.author, "album_artist": info.author,
                 "composer": info.narrator, "genre": "Audiobook", "year": info.year}
    manifest = ManifestWriter(book_dir / "book.json", {
        "title": info.title, "author": info.author, "narrator": info.narrator, "year": info.year,
        "source": source_name, "engine": prep.engine.version,
        "characters": [{"name": c.name, "aliases": list(c.aliases), "gender": c.gender, "age": c.age,
                        "lines": c.lines, "words": c.words,
                        "voice": (prep.casting.characters.get(c.name) or prep.casting.fallback).voice_id}
                       for c in prep.script.characters]})
    chapters = []
    try:
        cache = _cache_root(root, options.cache_dir, options.use_cache)
        with Renderer(prep.engine, cache, options.jobs) as renderer:
            for ch in cast.chapters:
                path = book_dir / f"{ch.index:0{width}d} - {safe_name(ch.title)}.mp3"
                tags = {**book_tags, "title": ch.title, "track": f"{ch.index}/{total}"}
                entry = _write_chapter(prep, renderer, ch, path, tags, cast.head_ms, cast.tail_ms, report,
                                       progress, cover, options.bitrate_kbps)
                manifest.add(entry)
                chapters.append({k: entry[k] for k in ("title", "file", "duration")})
                playlist += [f"#EXTINF:{int(round(entry['duration']))},{info.title} - {ch.title}", path.name]
        manifest.close()
    except BaseException:
        manifest.abort()
        raise
    write_text_atomic(book_dir / "playlist.m3u", "\n".join(playlist) + "\n")
    if cover:
        write_cover(book_dir, cover)
    write_player(book_dir, info.title)
    if options.m4b:
        report.files.append(str(write_m4b(book_dir, chapters, book_tags, cover,
                                          96 if options.bitrate_kbps >= 192 else 64)))
    report.chapters = total
    report.wall_seconds = time.monotonic() - started
    return report


class ManifestWriter:
    """book.json written chapter by chapter, so a long book's manifest is never all in memory."""

    def __init__(self, path: Path, head: dict[str, Any]):
        self.path = path
        self._tmp = path.with_name(path.name + ".part")
        self._f = open(self._tmp, "w", encoding="utf-8")
        text = json.dumps({**head, "chapters": []}, indent=2, ensure_ascii=False)
        self._f.write(text[:text.rindex("[")] + "[")
        self._first = True

    def add(self, chapter: dict[str, Any]) -> None:
        """Append one chapter's entry."""
        body = json.dumps(chapter, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        self._f.write(("\n    " if self._first else ",\n    ") + body)
        self._first = False

    def close(self) -> None:
        """Finish and rename into place."""
        self._f.write("\n  ]\n}\n")
        self._f.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        """Leave nothing behind."""
        self._f.close()
        self._tmp.unlink(missing_ok=True)


def generate(source: str | Path, config_path: str | Path | None, out_root: str | Path,
             progress: Progress | None = None, engine: Engine | None = None,
             on_start: Callable[[int], None] | None = None, options: RenderOptions | None = None,
             info: dict[str, str | None] | None = None, **option: Any) -> BuildReport:
    """The whole pipeline for one story file. `info` overrides tags (title, author, narrator, year,
    cover); keyword options (jobs, cache_dir, use_cache, bitrate_kbps, m4b) override `options`."""
    prep = prepare(source, config_path, engine)
    options = replace(options or RenderOptions(), **option)
    details = book_info(prep, **(info or {}))
    if details.cover:
        load_cover(details.cover)                   # a bad cover fails before anything is written
    if on_start:
        on_start(sum(len(ch.lines) for ch in prep.cast.chapters))
    return render(prep, out_root, progress, os.path.basename(str(source)), options, details)


@dataclass
class CastPlan:
    """What `audiobook cast` shows and writes."""

    rows: list[tuple[Any, Any, bool]]          # (character, voice, already in voices.yaml)
    narrator: Any
    fallback: Any
    absent: list[str]                          # cast in voices.yaml, but not speaking in the story
    added: list[str] = field(default_factory=list)


def plan_cast(source: str | Path, config_path: str | Path, write: bool = False) -> CastPlan:
    """The cast of a story: what voices.yaml says, and a proposal for everyone it does not list;
    with `write`, voices.yaml is created or the newcomers are added to it, nothing else touched."""
    exists = Path(config_path).exists()
    prep = prepare(source, config_path if exists else None, auto_all=True)
    in_file = {e.name for e in prep.config.characters}
    rows = [(c, prep.casting.characters.get(c.name, prep.casting.fallback), prep.casting.roles.get(c.name) in in_file)
            for c in prep.script.characters if c.lines]
    plan = CastPlan(rows, prep.casting.narrator, prep.casting.fallback, prep.absent)
    if write:
        from .config import write_cast

        additions = [(c.name, tuple(a for a in c.aliases if a != c.name), voice,
                      f"{c.lines} line{'s' * (c.lines != 1)}, {c.gender}, {c.age}")
                     for c, voice, known in rows if not known]
        plan.added = write_cast(config_path, additions, prep.casting.narrator, prep.casting.fallback)
    return plan


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
    raise InputError(f"no character {who!r} in this story; its speakers are: {', '.join(speakers) or 'none'} "
                     "(or 'narrator')")


def preview(prep: Prepared, out_root: str | Path, who: str | None, text: str | None = None,
            count: int = 3, cache_dir: str | Path | None = None, use_cache: bool = True) -> tuple[Path, BuildReport]:
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
            said = [s for ch in prep.script.chapters for s in ch.segments
                    if (s.kind == "narration" if name == "narrator" else s.speaker == name)][:count]
            lines += [CastLine(s, voice, name, pause) for s in said]
        if not lines:
            raise InputError(f"{name!r} has no lines in this story; give one with --text")
    report = BuildReport(output_dir=str(folder))
    path = folder / f"{safe_name(name)}.mp3"
    chapter = CastChapter(1, f"Preview: {name}", tuple(lines))
    tags = {"title": chapter.title, "album": prep.cast.title, "genre": "Audiobook"}
    with Renderer(prep.engine, _cache_root(root, cache_dir, use_cache)) as renderer:
        _write_chapter(prep, renderer, chapter, path, tags, 300, 500, report, None)
    return path, report


__all__ = ["Prepared", "generate", "load_script", "prepare", "preview", "render", "safe_name"]
