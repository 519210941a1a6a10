"""Orchestration and preflight checks: ingest -> parse -> cast -> synth -> assemble. No rules, no maths."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .assemble import BLOCK_DELAY_SAMPLES, OUTPUT_RATE, ChapterFile, webvtt, write_text_atomic
from .cast import Casting, cast_script, make_casting
from .config import VoicesConfig, load_config
from .engines import Engine, create_engine, resolve_engine_name
from . import scriptfile
from .errors import ConfigError, OutputError
from .ingest import load_book, read_source
from .model import BuildReport, CastScript, Script
from .parse import parse_book
from .synth import LineRenderer, Pronouncer, synthesize_lines

Progress = Callable[[int], None]
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


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


def prepare(source: str | Path, config_path: str | Path | None, engine: Engine | None = None) -> Prepared:
    """Read, parse and cast a story; fail on bad input before anything is written."""
    script = load_script(source)
    config, given = load_voices(config_path)
    engine = engine or create_engine(config.engine)
    check_voices(config, engine)
    casting = make_casting(script, config, resolve_engine_name(config.engine) if engine.name != "fake"
                           else "fake", engine.voices(), auto_all=not given)
    return Prepared(script, config, engine, casting, cast_script(script, casting, config))


def _check_output(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".audiobook-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write there ({exc.strerror}); choose another folder with -o") from exc


def render(prep: Prepared, out_root: str | Path, progress: Progress | None = None,
           source_name: str = "", cache_dir: str | Path | None = None, use_cache: bool = True) -> BuildReport:
    """Synthesize and assemble every chapter into `out_root/<Book Title>/`, reusing cached clips
    (by default under `out_root/.cache/`)."""
    started = time.monotonic()
    cast = prep.cast
    out_root = Path(out_root)
    if out_root.exists() and not out_root.is_dir():
        raise OutputError(f"{out_root}: is a file, not a folder; choose another folder with -o")
    _check_output(out_root)
    book_dir = out_root / safe_name(cast.title)
    _check_output(book_dir)

    report = BuildReport(output_dir=str(book_dir))
    cache_root = (Path(cache_dir) if cache_dir else out_root / ".cache") if use_cache else None
    pronounce = Pronouncer(prep.config.pronunciations) if prep.config.pronunciations else None
    renderer = LineRenderer(prep.engine, cache_root, pronounce)
    total = len(cast.chapters)
    manifest_chapters = []
    playlist = ["#EXTM3U"]
    engine = prep.engine
    delay = BLOCK_DELAY_SAMPLES / OUTPUT_RATE
    for ch in cast.chapters:
        width = max(2, len(str(total)))
        stem = f"{ch.index:0{width}d} - {safe_name(ch.title)}"
        mp3 = book_dir / f"{stem}.mp3"
        tags = {"title": ch.title, "album": cast.title, "artist": cast.author, "album_artist": cast.author,
                "track": f"{ch.index}/{total}", "genre": "Audiobook"}
        segments = []
        cues = []
        out = ChapterFile(mp3, tags)
        try:
            out.add(renderer.silence(cast.head_ms))
            for line, done in zip(ch.lines, synthesize_lines(renderer, ch.lines, progress)):
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
                report.encoded += done.encoded
                who = (seg.speaker or "Unknown") if seg.kind == "dialogue" else "Narrator"
                segments.append({
                    "kind": seg.kind, "speaker": seg.speaker, "role": line.role, "voice": line.voice.voice_id,
                    "rate": line.voice.rate, "pitch": line.voice.pitch, "volume": line.voice.volume,
                    "start": round(start, 3), "end": round(end, 3),
                    "source_start": seg.start, "source_end": seg.end, "rule": seg.rule,
                    "confidence": seg.confidence, "text": seg.text,
                })
                if end > start:
                    cues.append((start, end, who, seg.text))
            out.add(renderer.silence(cast.tail_ms))
            duration = out.seconds
            out.close()
        except BaseException:
            out.abort()
            raise
        vtt = mp3.with_suffix(".vtt")
        write_text_atomic(vtt, webvtt(cues))
        report.files.append(str(mp3))
        report.segments += len(ch.lines)
        report.audio_seconds += duration
        manifest_chapters.append({"index": ch.index, "title": ch.title, "file": mp3.name, "transcript": vtt.name,
                                  "duration": round(duration, 3), "segments": segments})
        playlist += [f"#EXTINF:{int(round(duration))},{cast.title} - {ch.title}", mp3.name]
    manifest = {
        "title": cast.title, "author": cast.author, "source": source_name,
        "engine": engine.version,
        "characters": [{"name": c.name, "aliases": list(c.aliases), "gender": c.gender, "age": c.age,
                        "lines": c.lines, "words": c.words,
                        "voice": (prep.casting.characters.get(c.name) or prep.casting.fallback).voice_id}
                       for c in prep.script.characters],
        "chapters": manifest_chapters,
    }
    write_text_atomic(book_dir / "book.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(book_dir / "playlist.m3u", "\n".join(playlist) + "\n")
    report.chapters = total
    report.wall_seconds = time.monotonic() - started
    return report


def generate(source: str | Path, config_path: str | Path | None, out_root: str | Path,
             progress: Progress | None = None, engine: Engine | None = None,
             on_start: Callable[[int], None] | None = None, cache_dir: str | Path | None = None,
             use_cache: bool = True) -> BuildReport:
    """The whole pipeline for one story file."""
    prep = prepare(source, config_path, engine)
    if on_start:
        on_start(sum(len(ch.lines) for ch in prep.cast.chapters))
    return render(prep, out_root, progress, source_name=os.path.basename(str(source)),
                  cache_dir=cache_dir, use_cache=use_cache)
