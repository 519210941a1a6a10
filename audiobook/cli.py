"""Command line: options -> core call -> report -> exit code. The only module that imports click."""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from .errors import AudiobookError, ExitCode

_DEBUG = {"on": False}


def _default_config(source: str) -> str | None:
    """voices.yaml beside the story, when there is one."""
    beside = Path(source).parent / "voices.yaml"
    return str(beside) if beside.is_file() else None


class _Group(click.Group):
    """Turns every failure into one `Error: ...` line and its exit code; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except AudiobookError as exc:
            if _DEBUG["on"]:
                traceback.print_exc()
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:   # `audiobook script … | head`: the reader left; not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # a bug: one line, the traceback with --debug
            if _DEBUG["on"]:
                traceback.print_exc()
            click.echo(f"Error: unexpected {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
                       err=True)
            ctx.exit(int(ExitCode.FAILURE))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.version_option(package_name="audiobook")
def cli(debug: bool) -> None:
    """Turn a story (.txt or .md) into a multi-voice audiobook: one MP3 per chapter."""
    _DEBUG["on"] = debug


@cli.command()
@click.argument("source", type=click.Path(dir_okay=True, path_type=str))
@click.option("-c", "--config", "config", type=click.Path(path_type=str), default=None,
              help="voices.yaml casting the narrator and characters (default: one beside SOURCE; "
                   "none means every character is auto-cast).")
@click.option("-o", "--output", "output", type=click.Path(path_type=str), default="output",
              show_default=True, help="Folder to write `<Book Title>/` into.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str), default=None,
              help="Where synthesized clips are kept for re-use (default: OUTPUT/.cache).")
@click.option("--no-cache", is_flag=True, help="Synthesize every line afresh; read and write no cache.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores; 1 renders in this process).")
@click.option("--title", default=None, help="Book title (default: the story's Title: header or file name).")
@click.option("--author", default=None, help="Author (default: the story's Author: header).")
@click.option("--narrator", default=None, help="Narrator credit, written as the composer tag.")
@click.option("--year", default=None, help="Year tag (default: the story's Year: header, else this year).")
@click.option("--cover", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="A JPEG or PNG cover: embedded in every file and saved as cover.jpg.")
@click.option("--format", "fmt", type=click.Choice(["mp3", "m4b"]), default="mp3", show_default=True,
              help="m4b: also one M4B (AAC) of the whole book with chapter markers.")
@click.option("--preset", type=click.Choice(["standard", "acx"]), default="standard", show_default=True,
              help="acx: 192 kbit/s CBR MP3 at 44.1 kHz (the levels meet ACX's checks either way).")
def generate(source: str, config: str | None, output: str, quiet: bool, cache_dir: str | None,
             no_cache: bool, jobs: int | None, title: str | None, author: str | None, narrator: str | None,
             year: str | None, cover: str | None, fmt: str, preset: str) -> None:
    """Render SOURCE to chapter MP3s with transcripts, a manifest and a playlist."""
    from .pipeline import generate as run

    bar: Any = None
    show_bar = not quiet and sys.stderr.isatty()

    def on_start(total: int) -> None:
        nonlocal bar
        if show_bar:
            bar = click.progressbar(length=total, label="Rendering", file=sys.stderr, show_pos=True)
            bar.__enter__()

    def progress(n: int) -> None:
        if bar is not None:
            bar.update(n)

    try:
        report = run(source, config or _default_config(source), output, progress=progress, on_start=on_start,
                     info={"title": title, "author": author, "narrator": narrator, "year": year, "cover": cover},
                     cache_dir=cache_dir, use_cache=not no_cache, jobs=jobs or os.cpu_count() or 1,
                     bitrate_kbps=192 if preset == "acx" else 128, m4b=fmt == "m4b")
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for w in report.warnings:
        click.echo(f"Warning: {w}", err=True)
    if not quiet:
        minutes, seconds = divmod(int(round(report.audio_seconds)), 60)
        click.echo(
            f"Wrote {report.chapters} chapter{'s' * (report.chapters != 1)} to {report.output_dir}: "
            f"{minutes} min {seconds:02d} s of audio; {report.segments} segments: {report.synthesized} "
            f"synthesized, {report.reused} reused from the cache; in {report.wall_seconds:.1f} s.", err=True)
    if report.failed:
        for f in report.failed:
            click.echo(f"Error: line not synthesized: {f}", err=True)
        sys.exit(ExitCode.SYNTHESIS)


@cli.command()
@click.argument("source", type=click.Path(path_type=str))
@click.option("-c", "--config", "config", type=click.Path(dir_okay=False, path_type=str), default="voices.yaml",
              show_default=True, help="The voices.yaml to read and, with --write, to create or extend.")
@click.option("--write", is_flag=True, help="Create voices.yaml, or add the characters it lacks; "
              "what is there already (settings, comments, order) is kept.")
def cast(source: str, config: str, write: bool) -> None:
    """Propose a cast for SOURCE: a distinct voice for every character who speaks."""
    from .pipeline import plan_cast

    plan = plan_cast(source, config, write=write)
    rows = [("narrator", "", "", "", "", plan.narrator, "")] + [
        (c.name, str(c.lines), str(c.words), c.gender, c.age, v, "voices.yaml" if known else "new")
        for c, v, known in plan.rows]
    width = max(len(r[0]) for r in rows)
    vw = max(len(r[5].voice_id) for r in rows)
    click.echo(f"{'CHARACTER':<{width}}  {'LINES':>5}  {'WORDS':>6}  {'GENDER':<7}  {'AGE':<7}  "
               f"{'VOICE':<{vw}}  RATE  PITCH  FROM")
    for name, lines, words, gender, age, v, origin in rows:
        click.echo(f"{name:<{width}}  {lines:>5}  {words:>6}  {gender:<7}  {age:<7}  {v.voice_id:<{vw}}  "
                   f"{v.rate:>4}  {v.pitch:>5}  {origin}")
    for name in plan.absent:
        click.echo(f"Note: {name} is in {config} but does not speak in {source}; kept as it is.", err=True)
    if write:
        what = f"added {', '.join(plan.added)}" if plan.added else "nothing to add"
        click.echo(f"Wrote {config}: {what}.", err=True)


@cli.command()
@click.argument("names", nargs=-1, required=True, metavar="[CHARACTER] SOURCE")
@click.option("-c", "--config", "config", type=click.Path(path_type=str), default=None,
              help="voices.yaml (default: one beside SOURCE).")
@click.option("--text", default=None, help="Say this instead of the character's own first lines.")
@click.option("--lines", "count", default=3, show_default=True, help="How many of their lines to render.")
@click.option("--all", "everyone", is_flag=True, help="Every cast voice on the same sentence, in one file.")
@click.option("--play", is_flag=True, help="Play the preview with an audio player found on this machine.")
@click.option("-o", "--output", "output", type=click.Path(path_type=str), default="output", show_default=True)
def preview(names: tuple[str, ...], config: str | None, text: str | None, count: int,
            everyone: bool, play: bool, output: str) -> None:
    """Audition CHARACTER's voice (or "narrator") on their first lines in SOURCE, as a short MP3;
    with --all, every cast voice on one sentence."""
    from .errors import InputError
    from .pipeline import prepare, preview as run

    if len(names) > 2 or (len(names) == 1 and not everyone):
        raise InputError("give CHARACTER and SOURCE (`audiobook preview Leo story.md`), "
                         "or --all and SOURCE")
    character, source = (None, names[-1]) if len(names) == 1 else names
    prep = prepare(source, config or _default_config(source))
    path, _ = run(prep, output, None if everyone else character, text, count)
    click.echo(str(path))
    if play:
        _play(path)


def _play(path: Path) -> None:
    import shutil
    import subprocess

    for cmd in (["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"], ["mpv", "--no-video"], ["mplayer"],
                ["afplay"], ["cvlc", "--play-and-exit"], ["xdg-open"], ["open"]):
        if shutil.which(cmd[0]):
            subprocess.run([*cmd, str(path)], check=False)
            return
    click.echo("Warning: no audio player found here (ffplay, mpv, afplay, vlc); open the file above.", err=True)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=str), default="output")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(folder: str, port: int) -> None:
    """Serve FOLDER's read-along players on localhost, for browsers that block pages opened from disk."""
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=folder)
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None  # type: ignore[method-assign]
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        from .errors import OutputError

        raise OutputError(f"port {port} on 127.0.0.1: {exc.strerror}; choose another with --port") from exc
    pages = sorted(Path(folder).glob("*/*/index.html"))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    click.echo(f"Serving {folder} at {base}")
    for page in pages:
        click.echo(f"  {base}{page.relative_to(folder).as_posix().replace(' ', '%20')}")
    click.echo("Press Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


UNSURE_BELOW = 0.7


@cli.command()
@click.argument("source", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: one reviewable line per segment; jsonl: one JSON object per segment.")
@click.option("--unsure", is_flag=True,
              help=f"Only the dialogue whose speaker is unknown or chosen with confidence under {UNSURE_BELOW}.")
@click.option("--stats", is_flag=True, help="A summary per character: lines, words, gender, age, aliases.")
@click.option("--write", "write_to", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Write an editable script (a speaker in front of every line) that `generate` accepts.")
def script(source: str, fmt: str, unsure: bool, stats: bool, write_to: str | None) -> None:
    """Show every segment of SOURCE with its speaker and the rule that chose it."""
    from . import scriptfile
    from .assemble import write_text_atomic
    from .pipeline import load_script

    parsed = load_script(source)
    if write_to:
        write_text_atomic(Path(write_to), scriptfile.render(parsed, _relative_source(source, write_to)) + "\n")
        click.echo(f"Wrote {write_to}: edit a speaker, then `audiobook generate {write_to}`.", err=True)
        return
    if stats:
        _print_stats(parsed)
        return
    color = fmt == "text" and sys.stdout.isatty()
    for ch in parsed.chapters:
        if fmt == "text" and not unsure:
            click.echo(click.style(f"== {ch.title} ==", bold=True) if color else f"== {ch.title} ==")
        for seg in ch.segments:
            if unsure and (seg.kind != "dialogue" or (seg.speaker and seg.confidence >= UNSURE_BELOW)):
                continue
            if fmt == "jsonl":
                click.echo(json.dumps({
                    "chapter": ch.index, "kind": seg.kind, "speaker": seg.speaker, "start": seg.start,
                    "end": seg.end, "text": seg.text, "rule": seg.rule, "confidence": seg.confidence,
                }, ensure_ascii=False))
            elif seg.kind == "narration":
                line = f"    {seg.text}"
                click.echo(click.style(line, dim=True) if color else line)
            else:
                who = seg.speaker or "?"
                where = f"  [{seg.rule} {seg.confidence:.2f}]" if seg.rule else ""
                if unsure:
                    where += f"  (offset {seg.start}, {ch.title})"
                click.echo(f"{who}: \u201c{seg.text}\u201d{click.style(where, dim=True) if color else where}")


def _relative_source(source: str, script_path: str) -> str:
    """The story's path as the script file should name it: relative to the script when possible."""
    try:
        return os.path.relpath(Path(source).resolve(), Path(script_path).resolve().parent)
    except ValueError:
        return str(Path(source).resolve())


def _print_stats(parsed: Any) -> None:
    rows = [c for c in parsed.characters if c.lines]
    width = max((len(c.name) for c in rows), default=9)
    click.echo(f"{'CHARACTER':<{width}}  {'LINES':>5}  {'WORDS':>6}  {'GENDER':<7}  {'AGE':<7}  ALIASES")
    for c in rows:
        click.echo(f"{c.name:<{width}}  {c.lines:>5}  {c.words:>6}  {c.gender:<7}  {c.age:<7}  {', '.join(c.aliases)}")
    unknown = sum(1 for ch in parsed.chapters for s in ch.segments if s.kind == "dialogue" and not s.speaker)
    total = sum(1 for ch in parsed.chapters for s in ch.segments if s.kind == "dialogue")
    click.echo(f"\n{total} lines of dialogue, {unknown} with no speaker found; "
               f"{sum(1 for c in parsed.characters if not c.lines)} more characters named who never speak.")


@cli.command()
@click.option("--lang", default=None, help="Only voices whose language starts with this (e.g. en).")
@click.option("--engine", "engine_name", default="auto", show_default=True, help="auto, espeak or pyttsx3.")
def voices(lang: str | None, engine_name: str) -> None:
    """List the voice ids this machine's engine offers (and espeak-ng's +variants)."""
    from .engines import create_engine

    engine = create_engine(engine_name)
    rows = [v for v in engine.voices() if v.kind == "voice"
            and (not lang or any(x.lower().startswith(lang.lower()) for x in v.languages))]
    variants = [v for v in engine.voices() if v.kind == "variant"]
    width = max((len(v.id) for v in rows), default=2)
    click.echo(f"{'ID':<{width}}  {'GENDER':<7}  {'LANGUAGE':<16}  NAME")
    for v in rows:
        click.echo(f"{v.id:<{width}}  {v.gender:<7}  {','.join(v.languages):<16}  {v.name}")
    if variants:
        click.echo(f"\nVariants: append one to any id above, e.g. {rows[0].id if rows else 'gmw/en-us'}+f2")
        for v in variants:
            click.echo(f"  {v.id:<16} {v.gender:<8} {v.name}")
    click.echo(f"\n{len(rows)} voices, {len(variants)} variants ({engine.version})")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `audiobook` command."""
    cli.main(args=argv, prog_name="audiobook")
