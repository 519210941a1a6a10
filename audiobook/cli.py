"""Command line: options -> core call -> report -> exit code. The only module that imports click."""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .engines import ENGINE_NAMES
from .errors import AudiobookError, ExitCode

if TYPE_CHECKING:
    from .model import BuildReport, Chapter, Script, Segment


@dataclass
class Settings:
    """What the group's own options set for every command: kept in the click context (`ctx.obj`)."""

    debug: bool = False


def _debug(ctx: click.Context) -> bool:
    return isinstance(ctx.obj, Settings) and ctx.obj.debug


def voices_yaml(source: str, config: str | None) -> Path:
    """The voices.yaml of STORY, one rule for every command: -c when given, else voices.yaml in the
    folder of STORY (which need not exist yet: `cast --write` creates it there)."""
    if config and _same_file(config, source):
        raise click.BadParameter(f"{config} is the story itself; give the voices.yaml", param_hint="-c")
    return Path(config) if config else Path(source).parent / "voices.yaml"


def _same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file (a typo that would write over the user's story)."""
    return Path(a).resolve() == Path(b).resolve()


def _config_to_read(source: str, config: str | None) -> str | None:
    """The voices.yaml to read for STORY, or None (no file beside it: every character is auto-cast).
    A -c file that is missing is still returned: reading it says so."""
    path = voices_yaml(source, config)
    return str(path) if config or path.is_file() else None


def config_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """-c/--config, spelled and resolved (`voices_yaml`) the same way by every command."""
    return click.option(
        "-c",
        "--config",
        "config",
        type=click.Path(path_type=str),
        default=None,
        metavar="VOICES.YAML",
        help=f"{help} (default: voices.yaml beside STORY).",
    )


def output_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """-o/--output, the folder every command that writes audio writes under."""
    return click.option(
        "-o",
        "--output",
        "output",
        type=click.Path(path_type=str),
        default="output",
        show_default=True,
        metavar="FOLDER",
        help=help,
    )


notes_option = click.option(
    "--notes",
    type=click.Choice(["skip", "chapter-end"]),
    default="skip",
    show_default=True,
    help="An EPUB's footnotes and endnotes: not read, or read at the end of the chapter that refers to them.",
)


preset_option = click.option(
    "--preset",
    type=click.Choice(["standard", "acx"]),
    default="standard",
    show_default=True,
    help="acx: 192 kbit/s CBR MP3 at 44.1 kHz (the levels meet ACX's checks either way).",
)
announce_option = click.option(
    "--no-announce",
    is_flag=True,
    help="Do not read each chapter's title at its start (the narrator reads it by default).",
)


def jobs_option(alone: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """-j/--jobs, for the commands that render: `alone` says what --jobs 1 does there."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help=f"Worker processes (default: all cores; 1 {alone}). With --executor ray: Ray workers "
        "(default: one per CPU of the cluster).",
    )


def _render_options(jobs: int | None, cache_dir: str | None, no_cache: bool, preset: str, **more: Any) -> Any:
    """The RenderOptions that --jobs, --cache-dir, --no-cache and --preset (and `more`) say."""
    from .model import RenderOptions

    return RenderOptions(
        jobs=jobs or os.cpu_count() or 1,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        bitrate_kbps=192 if preset == "acx" else 128,
        **more,
    )


def _reading(no_announce: bool, notes: str) -> Any:
    """The ReadOptions that --no-announce and --notes say."""
    from .model import ReadOptions

    return ReadOptions(announce=not no_announce, notes="chapter-end" if notes == "chapter-end" else "skip")


def voices_dir_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--voices-dir: a folder of voice models (Piper's NAME.onnx with NAME.onnx.json), searched first."""
    return click.option(
        "--voices-dir",
        "voices_dirs",
        multiple=True,
        type=click.Path(file_okay=False, path_type=str),
        help="A folder of Piper voices (NAME.onnx + NAME.onnx.json), searched before $AUDIOBOOK_VOICES_DIR "
        "and the user's voices folder; may be given more than once.",
    )(command)


def cache_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--cache-dir and --no-cache, for every command that synthesizes."""
    command = click.option("--no-cache", is_flag=True, help="Synthesize every line afresh; read and write no cache.")(
        command
    )
    return click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        help="Where synthesized clips are kept for re-use (default: OUTPUT/.cache).",
    )(command)


def executor_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--executor and --address: where lines are spoken (worker processes here, or a Ray cluster)."""
    command = click.option(
        "--address",
        default=None,
        metavar="HOST:PORT",
        help="With --executor ray: the cluster to join, as `ray start --head` printed it (e.g. head:6379; "
        "default: $RAY_ADDRESS, else a Ray started on this machine for the run).",
    )(command)
    return click.option(
        "--executor",
        type=click.Choice(["local", "ray"]),
        default="local",
        show_default=True,
        help="local: worker processes on this machine. ray: Ray actors on a cluster (pip install "
        "'audiobook[ray]'); give every node the same --cache-dir (a shared folder or an s3:// URL).",
    )(command)


def _executors(executor: str, address: str | None, jobs: int | None) -> Any:
    """A context that yields the executors to speak with: None (worker processes here, as --jobs
    says) or a Ray cluster's (RayExecutors: --jobs actors, or one per CPU of the cluster)."""
    import contextlib

    if executor != "ray":
        if address:
            raise click.BadParameter("--address is for --executor ray", param_hint="--address")
        return contextlib.nullcontext(None)
    from .ray_executor import RayExecutors

    return RayExecutors(address, jobs)


def _year(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--year as a tag player apps read: YYYY or YYYY-MM-DD."""
    import datetime
    import re

    if value is None:
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"[0-9]{4}", value) or (
            re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) and datetime.date.fromisoformat(value)
        ):
            return value
    except ValueError:
        pass
    raise click.BadParameter(f"{value!r} is not a year; give YYYY or YYYY-MM-DD (e.g. 2024 or 2024-03-15)")


def duration(seconds: float) -> str:
    """A length as a person reads it: "12 s", "4 min 05 s", "11 h 8 min"."""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    hours, minutes = divmod(int(round(whole / 60)), 60)
    return f"{hours} h {minutes} min"


def _ignore_interrupts() -> None:
    """Once the render has stopped and cleaned up, an impatient second Ctrl-C must not cut short its
    one-line goodbye and exit code (nor kill the interpreter as it exits)."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


class _Group(click.Group):
    """Turns every failure into one `Error: ...` line and its exit code; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except AudiobookError as exc:
            if _debug(ctx):
                traceback.print_exc()
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(int(exc.exit_code))
        except Terminated:
            _ignore_interrupts()
            click.echo("Error: terminated; what was finished is kept in the cache", err=True)
            ctx.exit(143)
        except KeyboardInterrupt:
            _ignore_interrupts()
            click.echo("Error: interrupted; what was finished is kept in the cache", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `audiobook script … | head`: the reader left; not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # a bug: one line, the traceback with --debug
            if _debug(ctx):
                traceback.print_exc()
            click.echo(
                f"Error: unexpected {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", err=True
            )
            ctx.exit(int(ExitCode.FAILURE))


@click.group(name="audiobook", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.version_option(package_name="audiobook")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn a story (.txt, .md, .epub or .html) into a multi-voice audiobook: one MP3 per chapter.

    STORY is a story file, or a script that `audiobook script --write` made of one and you edited."""
    ctx.obj = Settings(debug=debug)


@cli.command(short_help="Render STORY into an audiobook folder.")
@click.argument("source", metavar="STORY", type=click.Path(dir_okay=True, path_type=str))
@config_option("voices.yaml casting the narrator and characters; with none, every character is auto-cast")
@output_option("Folder to write `<Author>/<Title>/` into.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@cache_options
@jobs_option("renders in this process")
@executor_options
@click.option(
    "--title",
    default=None,
    help="Book title (default: the story's Title: header, front matter or lone # title, else the file name).",
)
@click.option("--author", default=None, help="Author (default: the story's Author: header).")
@click.option("--narrator", default=None, help="Narrator credit, written as the composer tag.")
@click.option(
    "--year",
    default=None,
    callback=_year,
    metavar="YYYY[-MM-DD]",
    help="Year tag (default: the story's Year: or Date: header, else this year).",
)
@click.option(
    "--cover",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="A JPEG or PNG cover: embedded in every file and saved as cover.jpg.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mp3", "m4b", "epub"]),
    default=("mp3",),
    multiple=True,
    show_default=True,
    help="m4b: also one M4B (AAC) of the whole book with chapter markers. epub: also an EPUB 3 of the text "
    "that reads itself aloud, highlighting each line (media overlays). Repeat for both.",
)
@click.option(
    "--epub-bitrate",
    type=click.Choice(["32", "40", "48", "56", "64", "80", "96", "112", "128"]),
    default="64",
    show_default=True,
    metavar="KBPS",
    help="Bitrate of the EPUB's audio (mono MP3), in kbit/s: 32, 40, 48, 56, 64, 80, 96, 112 or 128.",
)
@preset_option
@announce_option
@notes_option
@voices_dir_option
def generate(
    source: str,
    config: str | None,
    output: str,
    quiet: bool,
    cache_dir: str | None,
    no_cache: bool,
    jobs: int | None,
    executor: str,
    address: str | None,
    title: str | None,
    author: str | None,
    narrator: str | None,
    year: str | None,
    cover: str | None,
    fmt: tuple[str, ...],
    epub_bitrate: str,
    preset: str,
    no_announce: bool,
    notes: str,
    voices_dirs: tuple[str, ...],
) -> None:
    """Render STORY to chapter MP3s with transcripts, a manifest and a playlist."""
    from .model import BookInfo
    from .pipeline import generate as run

    options = _render_options(
        jobs, cache_dir, no_cache, preset, m4b="m4b" in fmt, epub="epub" in fmt, epub_kbps=int(epub_bitrate)
    )
    info = BookInfo(title or "", author or "", narrator or "", year or "", cover or "")
    reading = _reading(no_announce, notes)
    then = "Every line is spoken; encoding the M4B (a few minutes for a novel)..." if "m4b" in fmt else ""
    with (
        _executors(executor, address, jobs) as executors,
        ProgressBar(show=not quiet and sys.stderr.isatty(), then=then) as bar,
    ):
        report = run(
            source,
            _config_to_read(source, config),
            output,
            options,
            info,
            progress=bar.update,
            on_start=bar.start,
            reading=reading,
            voices_dirs=voices_dirs,
            executors=executors,
        )
    _say_report(report, quiet)


def _say_report(report: BuildReport, quiet: bool) -> None:
    """A render's warnings, summary and failed lines (exit code SYNTHESIS when any failed)."""
    for w in report.warnings:
        click.echo(f"Warning: {w}", err=True)
    if not quiet:
        click.echo(_summary(report), err=True)
    if report.failed:
        for f in report.failed:
            click.echo(f"Error: line not synthesized: {f}", err=True)
        sys.exit(ExitCode.SYNTHESIS)


@cli.command(short_help="Render many stories in one run, on one pool or cluster.")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(path_type=str))
@config_option("One voices.yaml for every story; without it each story reads the voices.yaml beside it")
@output_option("Folder to write every book's `<Author>/<Title>/` into.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary table (no line per book as it ends).")
@cache_options
@jobs_option("renders one book at a time in this process")
@executor_options
@click.option(
    "--books-at-once",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Books rendered side by side on the shared workers (so none idles while a book is finished).",
)
@preset_option
@announce_option
@notes_option
@voices_dir_option
def batch(
    paths: tuple[str, ...],
    config: str | None,
    output: str,
    quiet: bool,
    cache_dir: str | None,
    no_cache: bool,
    jobs: int | None,
    executor: str,
    address: str | None,
    books_at_once: int,
    preset: str,
    no_announce: bool,
    notes: str,
    voices_dirs: tuple[str, ...],
) -> None:
    """Render every story in PATH... (files, or every .txt, .md, .epub and .html under a folder) into
    OUTPUT, sharing one pool of workers (or one Ray cluster) and one line cache. A book that fails is
    reported by name and the others go on; a summary table ends the run (on stdout), and the exit code
    is the first failed book's when any failed."""
    from .batch import Batch, book_line, find_stories, render_books, summary_table

    stories = find_stories(paths, output)
    if not stories:
        raise click.BadParameter("no story file (.txt, .md, .epub, .html) there", param_hint="PATH...")
    options = _render_options(jobs, cache_dir, no_cache, preset)
    reading = _reading(no_announce, notes)
    plan = Batch(output, options, lambda story: _config_to_read(story, config), reading, voices_dirs)
    say = None if quiet else (lambda result: click.echo(book_line(result), err=True))
    with _executors(executor, address, jobs) as executors:
        results = render_books(stories, plan, executors, books_at_once, say)
    click.echo(summary_table(results))
    failed = [r for r in results if not r.ok]
    if failed:
        sys.exit(failed[0].exit_code)


class ProgressBar:
    """The line-by-line progress of a render on stderr, when `show`; opened when the number of lines
    is known (`start`), closed however the render ends."""

    def __init__(self, show: bool, then: str = "") -> None:
        self.show = show
        self.then = then  # said when every line is done and work goes on (the M4B's encoding)
        self._bar: Any = None
        self._left = 0

    def __enter__(self) -> ProgressBar:
        return self

    def start(self, total: int) -> None:
        if self.show:
            self._bar = click.progressbar(length=total, label="Rendering", file=sys.stderr, show_pos=True)
            self._bar.__enter__()
            self._left = total

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)
            self._left -= n
            if self._left <= 0 and self.then:
                self._bar.__exit__(None, None, None)
                self._bar = None
                click.echo(self.then, err=True)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def _summary(report: BuildReport) -> str:
    """What a render did, in one line."""
    took = f"{report.wall_seconds:.1f} s" if report.wall_seconds < 60 else duration(report.wall_seconds)
    books = [Path(f).name for f in report.files if f.endswith((".m4b", ".epub"))]
    return (
        f"Wrote {report.chapters} chapter{'s' * (report.chapters != 1)}"
        + "".join(f" and {name}" for name in books)
        + f" to {report.output_dir}: "
        f"{duration(report.audio_seconds)} of audio; {report.segments} segment{'s' * (report.segments != 1)}: "
        f"{report.synthesized} synthesized, {report.reused} reused from the cache; in {took}."
    )


@cli.command(short_help="Show or write the voice of every character.")
@click.argument("source", metavar="STORY", type=click.Path(path_type=str))
@config_option("The voices.yaml to read and, with --write, to create or extend")
@click.option(
    "--write",
    is_flag=True,
    help="Create voices.yaml, or add the characters it lacks; "
    "what is there already (settings, comments, order) is kept.",
)
@voices_dir_option
def cast(source: str, config: str | None, write: bool, voices_dirs: tuple[str, ...]) -> None:
    """Show the voice `generate` gives every character who speaks in STORY; with --write, give the
    ones voices.yaml lacks a distinct voice of their own in it."""
    from .cast_plan import plan_cast
    from .engines import voice_label

    path = voices_yaml(source, config)
    plan = plan_cast(source, path, write=write, required=config is not None, voices_dirs=voices_dirs)
    origins = {
        "voices.yaml": "voices.yaml",
        "added": "added",
        "fallback": "fallback (add with --write)",
        "auto": "auto-cast (keep with --write)",
        "narrator": 'the narrator\'s voice ("I")',
    }
    rows = [("narrator", "", "", "", "", plan.narrator, "")] + [
        (c.name, str(c.lines), str(c.words), c.gender, c.age, v, origins[origin]) for c, v, origin in plan.rows
    ]
    width = max(len(r[0]) for r in rows)
    ids = {r[5]: voice_label(r[5].engine, r[5].voice_id, plan.engine) for r in rows}
    vw = max(len(i) for i in ids.values())
    click.echo(
        f"{'CHARACTER':<{width}}  {'LINES':>5}  {'WORDS':>6}  {'GENDER':<7}  {'AGE':<7}  "
        f"{'VOICE':<{vw}}  RATE  PITCH  FROM"
    )
    for name, lines, words, gender, age, v, origin in rows:
        click.echo(
            f"{name:<{width}}  {lines:>5}  {words:>6}  {gender:<7}  {age:<7}  {ids[v]:<{vw}}  "
            f"{v.rate:>4}  {v.pitch:>5}  {origin}"
        )
    for name in plan.absent:
        click.echo(f"Note: {name} is in {path} but does not speak in {source}; kept as it is.", err=True)
    if write:
        what = f"added {', '.join(plan.added)}" if plan.added else "nothing to add"
        click.echo(f"Wrote {path}: {what}.", err=True)
    elif not plan.exists:
        click.echo(
            f"Note: there is no {path}: `generate` auto-casts every character as above; --write keeps this cast there.",
            err=True,
        )


@cli.command(short_help="Audition a voice as a short MP3.")
@click.argument("story", type=click.Path(path_type=str))
@click.argument("character", required=False)
@config_option("voices.yaml casting the narrator and characters")
@output_option("Folder whose `.previews/` receives the MP3.")
@cache_options
@click.option("--text", default=None, help="Say this instead of the character's own first lines.")
@click.option(
    "--lines",
    "count",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="How many of the character's lines to render.",
)
@click.option("--play", is_flag=True, help="Play the preview with an audio player found on this machine.")
@voices_dir_option
def preview(
    story: str,
    character: str | None,
    config: str | None,
    output: str,
    cache_dir: str | None,
    no_cache: bool,
    text: str | None,
    count: int,
    play: bool,
    voices_dirs: tuple[str, ...],
) -> None:
    """Audition CHARACTER's voice (or "narrator") on their first lines in STORY, as a short MP3; with
    no CHARACTER, every cast voice on one sentence. Prints the MP3's path."""
    from click.core import ParameterSource

    from .model import RenderOptions
    from .pipeline import prepare
    from .preview import preview as run

    ctx = click.get_current_context()
    if character and not Path(story).exists() and Path(character).is_file():
        raise click.UsageError(f"the story comes first: `audiobook preview {character} {story}`")
    if text is not None and not text.strip():
        raise click.BadParameter("give the words to say, or leave --text out", param_hint="'--text'")
    if ctx.get_parameter_source("count") == ParameterSource.COMMANDLINE and (text is not None or character is None):
        why = "--text" if text is not None else "every voice (no CHARACTER)"
        raise click.UsageError(f"--lines picks the character's own lines; it cannot go with {why}")
    prep = prepare(story, _config_to_read(story, config), voices_dirs=voices_dirs)
    options = RenderOptions(cache_dir=cache_dir, use_cache=not no_cache)
    path, _ = run(prep, output, character, text, count, options)
    click.echo(str(path))
    if play:
        _play(path)


def _play(path: Path) -> None:
    import shutil
    import subprocess

    for cmd in (
        ["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"],
        ["mpv", "--no-video"],
        ["mplayer"],
        ["afplay"],
        ["cvlc", "--play-and-exit"],
        ["xdg-open"],
        ["open"],
    ):
        if shutil.which(cmd[0]):
            subprocess.run([*cmd, str(Path(path).resolve())], check=False)  # never taken for an option
            return
    click.echo("Warning: no audio player found here (ffplay, mpv, afplay, vlc); open the file above.", err=True)


@cli.command(short_help="Check finished MP3s against ACX's levels.")
@click.argument("paths", nargs=-1, metavar="[OUTPUT]...", type=click.Path(path_type=str))
def check(paths: tuple[str, ...]) -> None:
    """Measure every MP3 and M4B under each OUTPUT (a book folder, an output folder, or files; default:
    output) as ACX checks a submission: loudness (RMS from -23 to -18 dB), peaks (-3 dB at most),
    noise floor (-60 dB at most), and room tone at the head and tail. One row per file; exit 8 when
    one fails."""
    from .check import check_paths

    report = check_paths(paths or ("output",))
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(ExitCode.CHECK)


@cli.command(short_help="Serve the read-along players on localhost.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=str), default="output")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(folder: str, port: int) -> None:
    """Serve FOLDER's read-along players on localhost, for browsers that block pages opened from disk."""
    from .serve import serve as run

    run(folder, port, click.echo)


UNSURE_BELOW = 0.7


@cli.command(short_help="Show who speaks every line of STORY.")
@click.argument("source", metavar="STORY", type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="text: one reviewable line per segment; jsonl: one JSON object per segment.",
)
@click.option(
    "--unsure",
    is_flag=True,
    help=f"Only the dialogue whose speaker is unknown or chosen with confidence under {UNSURE_BELOW}, "
    "the least sure first.",
)
@click.option("--stats", is_flag=True, help="A summary per character: lines, words, gender, age, aliases.")
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Write an editable script (a speaker in front of every line) that `generate` accepts.",
)
@notes_option
def script(source: str, fmt: str, unsure: bool, stats: bool, write_to: str | None, notes: str) -> None:
    """Show every segment of STORY with its speaker and the rule that chose it."""
    from . import scriptfile
    from .files import write_text
    from .pipeline import load_script

    parsed = load_script(source, notes)
    if write_to:
        # A script of a script names the story itself: that is what its offsets and text refer to.
        story = Path(source)
        if scriptfile.is_script_file(source):
            story, _, notes = scriptfile.read(source)  # and read as that script was
        if _same_file(write_to, story):
            raise click.BadParameter(
                f"{write_to} is the story itself; write the script to another file", param_hint="--write"
            )
        write_text(
            write_to,
            scriptfile.render(parsed, _relative_source(str(story), write_to), notes) + "\n",
            "choose another path for --write",
        )
        click.echo(f"Wrote {write_to}: edit a speaker, then `audiobook generate {write_to}`.", err=True)
        return
    if stats:
        _print_stats(parsed)
        return
    color = fmt == "text" and sys.stdout.isatty()
    if unsure:  # the least sure first: the lines worth a look before a render
        doubtful = [(ch, seg) for ch in parsed.chapters for seg in ch.segments if _doubtful(seg)]
        doubtful.sort(key=lambda cs: (cs[1].confidence if cs[1].speaker else -1.0, cs[0].index, cs[1].start))
        for ch, seg in doubtful:
            _print_segment(ch, seg, fmt, color, unsure=True)
        return
    for ch in parsed.chapters:
        if fmt == "text":
            click.echo(click.style(f"== {ch.title} ==", bold=True) if color else f"== {ch.title} ==")
        for seg in ch.segments:
            _print_segment(ch, seg, fmt, color, unsure=False)


def _doubtful(seg: Segment) -> bool:
    """Dialogue whose speaker is unknown or was chosen with little confidence."""
    return seg.kind == "dialogue" and (not seg.speaker or seg.confidence < UNSURE_BELOW)


def _print_segment(ch: Chapter, seg: Segment, fmt: str, color: bool, unsure: bool) -> None:
    if fmt == "jsonl":
        record = {
            "chapter": ch.index,
            "kind": seg.kind,
            "speaker": seg.speaker,
            "start": seg.start,
            "end": seg.end,
            "text": seg.text,
            "rule": seg.rule,
            "confidence": seg.confidence,
        }
        click.echo(json.dumps(record, ensure_ascii=False))
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


def _print_stats(parsed: Script) -> None:
    rows = [c for c in parsed.characters if c.lines]
    width = max((len(c.name) for c in rows), default=9)
    click.echo(f"{'CHARACTER':<{width}}  {'LINES':>5}  {'WORDS':>6}  {'GENDER':<7}  {'AGE':<7}  ALIASES")
    for c in rows:
        click.echo(f"{c.name:<{width}}  {c.lines:>5}  {c.words:>6}  {c.gender:<7}  {c.age:<7}  {', '.join(c.aliases)}")
    unknown = sum(1 for ch in parsed.chapters for s in ch.segments if s.kind == "dialogue" and not s.speaker)
    total = sum(1 for ch in parsed.chapters for s in ch.segments if s.kind == "dialogue")
    click.echo(
        f"\n{total} lines of dialogue, {unknown} with no speaker found; "
        f"{sum(1 for c in parsed.characters if not c.lines)} more characters named who never speak."
    )


@cli.command(short_help="List the engine's voice ids; fetch Piper voices.")
@click.option("--lang", default=None, help="Only voices whose language starts with this (e.g. en).")
@click.option(
    "--engine",
    "engine_name",
    type=click.Choice(ENGINE_NAMES),
    default="auto",
    show_default=True,
    help="The engine whose voices to list (auto: this platform's).",
)
@click.option(
    "--download",
    "downloads",
    multiple=True,
    metavar="NAME",
    help="Fetch the Piper voice NAME (e.g. en_US-lessac-medium; list at "
    "https://rhasspy.github.io/piper-samples/) into the first --voices-dir, else the user's voices folder.",
)
@voices_dir_option
def voices(lang: str | None, engine_name: str, downloads: tuple[str, ...], voices_dirs: tuple[str, ...]) -> None:
    """List the voice ids this machine's engine offers (and their +variants); with --download, first
    fetch Piper voices (this needs the internet, once)."""
    from .engines import create_engine

    if downloads:
        from .engines.piper_voices import download, user_voices_dir

        folder = Path(voices_dirs[0]) if voices_dirs else user_voices_dir()
        for name in downloads:
            click.echo(f"Downloaded {download(name, folder)}", err=True)
        engine_name = "piper"
    engine = create_engine(engine_name, voices_dirs)
    rows = [
        v
        for v in engine.voices()
        if v.kind == "voice" and (not lang or any(x.lower().startswith(lang.lower()) for x in v.languages))
    ]
    variants = [v for v in engine.voices() if v.kind == "variant"]
    width = max((len(v.id) for v in rows), default=2)
    click.echo(f"{'ID':<{width}}  {'GENDER':<7}  {'LANGUAGE':<16}  NAME")
    for v in rows:
        click.echo(f"{v.id:<{width}}  {v.gender:<7}  {','.join(v.languages):<16}  {v.name}")
    models = getattr(engine, "models", None)  # an engine whose voices are model files (Piper)
    if models:
        _print_models(models(), {v.id for v in rows})
    if variants:
        example = (rows[0].id if rows else "gmw/en-us") + variants[0].id
        click.echo(f"\nVariants: append one to any id above, e.g. {example}")
        for v in variants:
            click.echo(f"  {v.id:<16} {v.gender:<8} {v.name}")
    click.echo(f"\n{len(rows)} voices, {len(variants)} variants ({_short(engine.version)})")


def _print_models(models: list[Any], shown: set[str]) -> None:
    """Piper's models: what each is, where it was found and under what licence."""
    click.echo(f"\n{'MODEL':<28}  {'QUALITY':<7}  {'SPEAKERS':>8}  {'RATE':>5}  {'LICENCE':<10}  FOUND IN")
    for m in models:
        if m.id in shown:
            click.echo(f"{m.id:<28}  {m.quality:<7}  {m.speakers:>8}  {m.sample_rate:>5}  {m.licence:<10}  {m.source}")


def _short(version: str) -> str:
    """An engine's version line without the file hashes that make it unreadable."""
    return re.sub(r" sha256:[0-9a-f]{64}", "", version)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs (workers stopped, nothing half-written)."""


def _terminated(signum: int, frame: Any) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `audiobook` command."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    cli.main(args=argv, prog_name="audiobook")
