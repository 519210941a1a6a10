"""The command line: every bad input gives one `Error:` line, a non-zero exit, no traceback, no output."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.cli import cli
from audiobook.errors import ExitCode

STORY = "Chapter 1\n\n\u201cHello,\u201d said Nora Vance. \u201cIs it raining?\u201d\n\nIt was.\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _one_error_line(result, *fragments: str) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


@pytest.fixture()
def story(tmp_path) -> Path:
    p = tmp_path / "story.txt"
    p.write_text(STORY, encoding="utf-8")
    return p


def _nothing_written(out: Path) -> None:
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*")), list(out.rglob("*"))


def test_missing_file(tmp_path):
    r = run("generate", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"))
    _one_error_line(r, "nope.txt", "no such file")
    assert r.exit_code == ExitCode.INPUT
    _nothing_written(tmp_path / "out")


def test_directory(tmp_path):
    r = run("generate", str(tmp_path), "-o", str(tmp_path / "out"))
    _one_error_line(r, "is a directory")
    _nothing_written(tmp_path / "out")


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_text("\n\n")
    r = run("generate", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out"))
    _one_error_line(r, "empty.txt", "is empty")
    _nothing_written(tmp_path / "out")


def test_binary_file(tmp_path):
    (tmp_path / "cover.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    r = run("generate", str(tmp_path / "cover.txt"), "-o", str(tmp_path / "out"))
    _one_error_line(r, "cover.txt", "binary")
    _nothing_written(tmp_path / "out")


def test_invalid_utf8(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Chapter 1\n\nCaf\u00e9 noir.\n".encode("latin-1"))
    r = run("generate", str(tmp_path / "latin1.txt"), "-o", str(tmp_path / "out"))
    _one_error_line(r, "latin1.txt:3:", "not valid UTF-8", "save the file as UTF-8")
    _nothing_written(tmp_path / "out")


def test_malformed_voices_yaml(tmp_path, story):
    cfg = tmp_path / "voices.yaml"
    cfg.write_text("narrator:\n  voice: gmw/en-us\n  rate: [170\n")
    r = run("generate", str(story), "-c", str(cfg), "-o", str(tmp_path / "out"))
    _one_error_line(r, "voices.yaml:", "malformed YAML")
    assert r.exit_code == ExitCode.CONFIG
    _nothing_written(tmp_path / "out")


def test_unknown_voice_id(tmp_path, story):
    cfg = tmp_path / "voices.yaml"
    cfg.write_text("narrator:\n  voice: gmw/en-us\ncharacters:\n  Nora Vance:\n    voice: gmw/en-us+F3\n")
    r = run("generate", str(story), "-c", str(cfg), "-o", str(tmp_path / "out"))
    line = _one_error_line(r, "voices.yaml:5:", "characters.Nora Vance.voice", "unknown voice id 'gmw/en-us+F3'")
    assert "gmw/en-us+f3" in line  # the closest real id is suggested
    _nothing_written(tmp_path / "out")


def test_unwritable_output_folder(tmp_path, story):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = run("generate", str(story), "-o", str(blocker / "out"))
    _one_error_line(r, "cannot write there", "choose another folder with -o")
    assert r.exit_code == ExitCode.OUTPUT
    r = run("generate", str(story), "-o", str(blocker))
    _one_error_line(r, "is a file, not a folder")


@pytest.fixture()
def read_only(tmp_path):
    """A folder nobody may write into: read-only permissions, or, for root (whom permissions do not
    stop), an empty file system mounted read-only."""
    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() != 0:
        ro.chmod(0o555)
        yield ro
        ro.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)], capture_output=True)
    assert mounted.returncode == 0, mounted.stderr.decode()
    try:
        yield ro
    finally:
        subprocess.run(["umount", "-l", str(ro)], check=False)


def test_read_only_output_folder(read_only, story):
    r = run("generate", str(story), "-o", str(read_only))
    _one_error_line(r, "cannot write there")
    assert r.exit_code == ExitCode.OUTPUT
    _nothing_written(read_only)


def test_debug_shows_the_traceback(tmp_path):
    r = run("--debug", "generate", str(tmp_path / "nope.txt"))
    assert r.exit_code == ExitCode.INPUT
    assert "Traceback" in r.stderr and "Error: " in r.stderr


def test_script_jsonl_offsets_point_at_the_quotes(story):
    r = run("script", str(story), "--format", "jsonl")
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    source = story.read_text(encoding="utf-8")
    dialogue = [row for row in rows if row["kind"] == "dialogue"]
    assert [row["speaker"] for row in dialogue] == ["Nora Vance", "Nora Vance"]
    for row in dialogue:
        assert source[row["start"]] == "\u201c" and source[row["end"] - 1] == "\u201d"
        assert row["text"] in source[row["start"] : row["end"]]
        assert set(row) >= {"chapter", "kind", "speaker", "start", "end", "text", "rule"}


def test_script_text_is_reviewable(story):
    r = run("script", str(story))
    assert r.exit_code == 0
    assert "Nora Vance: \u201cHello,\u201d" in r.stdout
    assert "    It was." in r.stdout


def test_voices_lists_ids_and_variants():
    r = run("voices", "--lang", "en")
    assert r.exit_code == 0
    assert "gmw/en-us" in r.stdout and "+f2" in r.stdout


def test_help_for_every_command():
    from audiobook.cli import cli

    assert {"generate", "cast", "preview", "script", "voices", "serve", "check"} <= set(cli.commands)
    for cmd in ([], *([name] for name in cli.commands)):
        r = run(*cmd, "--help")
        assert r.exit_code == 0 and r.output.startswith(f"Usage: audiobook {' '.join(cmd)}".rstrip()), r.output
        assert "Error" not in r.output


# --- issue 9, item 14 -------------------------------------------------------------------------------


def _usage_error(result, option: str, *fragments: str) -> str:
    """Exit 2 (click's usage error), no traceback, one `Error:` line that names the option."""
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.stderr
    for f in (option, *fragments):
        assert f in errors[0], errors[0]
    return errors[0]


def test_script_write_where_it_cannot_is_one_error_line_and_exit_7(tmp_path, story):
    r = run("script", str(story), "--write", str(tmp_path / "missing" / "x.script"))
    line = _one_error_line(r, "missing/x.script: cannot write", "choose another path for --write")
    assert r.exit_code == ExitCode.OUTPUT and "unexpected" not in line
    (tmp_path / "a-file").write_text("in the way")
    r = run("script", str(story), "--write", str(tmp_path / "a-file" / "x.script"))
    _one_error_line(r, "a-file/x.script: cannot write")
    assert r.exit_code == ExitCode.OUTPUT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "story.txt"]  # nothing left behind


@pytest.mark.parametrize(
    "args,option,fragment",
    [
        (["Nora Vance", "--lines", "-1"], "--lines", "-1 is not in the range x>=1"),
        (["Nora Vance", "--lines", "0"], "--lines", "0 is not in the range x>=1"),
        (["Nora Vance", "--text", ""], "--text", "give the words to say"),
        (["--text", "  "], "--text", "give the words to say"),
        (["Nora Vance", "--lines", "2", "--text", "Good evening."], "--lines", "cannot go with --text"),
        (["--lines", "2"], "--lines", "cannot go with every voice"),
        (["Nora Vance", "Leo"], "unexpected extra argument", "Leo"),
    ],
)
def test_preview_options_are_checked(tmp_path, story, args, option, fragment):
    r = run("preview", str(story), *args, "-o", str(tmp_path / "out"))
    _usage_error(r, option, fragment)
    _nothing_written(tmp_path / "out")


@pytest.mark.parametrize("year", ["next spring", "24", "2024-13-01", "2023-02-29", "20245"])
def test_year_must_be_a_year(tmp_path, story, year):
    r = run("generate", str(story), "--year", year, "-o", str(tmp_path / "out"))
    _usage_error(r, "--year", repr(year), "YYYY or YYYY-MM-DD")
    _nothing_written(tmp_path / "out")


def _fake_generate(monkeypatch, seconds: float = 0.0, wall: float = 1.0, files: tuple[str, ...] = ()) -> dict:
    """pipeline.generate replaced: records its arguments, renders nothing (the CLI's logic only)."""
    from audiobook import pipeline
    from audiobook.model import BuildReport

    seen: dict = {}

    def fake(source, config_path, out_root, options, info, **kw):
        seen.update(kw, source=source, config=config_path, options=options, info=info)
        return BuildReport(
            chapters=12,
            segments=3456,
            synthesized=3000,
            reused=456,
            audio_seconds=seconds,
            wall_seconds=wall,
            output_dir=str(out_root),
            files=list(files),
        )

    monkeypatch.setattr(pipeline, "generate", fake)
    return seen


@pytest.mark.parametrize("year", ["2024", "1887", "2024-03-15"])
def test_a_year_or_a_date_is_taken(monkeypatch, tmp_path, story, year):
    seen = _fake_generate(monkeypatch)
    r = run("generate", str(story), "--year", year, "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    assert seen["info"].year == year


def test_voices_engine_is_a_choice():
    r = run("voices", "--engine", "bogus")
    _usage_error(r, "--engine", "'bogus' is not one of", "'auto'", "'espeak'", "'pyttsx3'")


@pytest.mark.parametrize(
    "seconds,text",
    [
        (0.2, "0 s"),
        (12.4, "12 s"),
        (59.6, "1 min 00 s"),
        (245, "4 min 05 s"),
        (3599.4, "59 min 59 s"),
        (3600, "1 h 0 min"),
        (40068, "11 h 8 min"),
        (90000, "25 h 0 min"),
    ],
)
def test_durations_read_as_a_person_says_them(seconds, text):
    from audiobook.cli import duration

    assert duration(seconds) == text


def test_summary_says_hours_and_minutes(monkeypatch, tmp_path, story):
    _fake_generate(monkeypatch, seconds=667 * 60 + 48, wall=4812.3)
    r = run("generate", str(story), "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    assert (
        ": 11 h 8 min of audio; 3456 segments: 3000 synthesized, 456 reused from the cache; in 1 h 20 min." in r.stderr
    )
    assert "667 min" not in r.stderr
    assert "Wrote 12 chapters to " in r.stderr


def test_summary_names_the_m4b(monkeypatch, tmp_path, story):
    _fake_generate(monkeypatch, files=("out/A/B/01 - One.mp3", "out/A/B/The Book.m4b"))
    r = run("generate", str(story), "-o", str(tmp_path / "out"), "--format", "m4b")
    assert r.exit_code == 0, r.output
    assert "Wrote 12 chapters and The Book.m4b to " in r.stderr


@pytest.mark.parametrize(
    "encoding,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf")]
)
def test_a_story_with_a_byte_order_mark_is_read(tmp_path, story, encoding, bom):
    """UTF-16 (and UTF-8 with a mark) is text, not "binary"; offsets count characters of the decoded text."""
    text = story.read_text(encoding="utf-8")
    marked = tmp_path / "marked.txt"
    marked.write_bytes(bom + text.encode(encoding))
    r = run("script", str(marked), "--format", "jsonl")
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    plain = [json.loads(line) for line in run("script", str(story), "--format", "jsonl").stdout.splitlines()]
    decoded = "\ufeff" + text  # the mark is kept as U+FEFF at offset 0
    assert [(x["speaker"], x["text"]) for x in rows] == [(x["speaker"], x["text"]) for x in plain]
    for row in rows:
        assert row["text"] in decoded[row["start"] : row["end"]]
    assert [x["start"] for x in rows] == [x["start"] + 1 for x in plain]


def test_the_version_is_the_one_pyproject_states():
    import re

    from paths import ROOT

    import audiobook

    stated = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert stated and audiobook.__version__ == stated.group(1)
    r = run("--version")
    assert r.exit_code == 0 and r.output == f"audiobook, version {stated.group(1)}\n"


def test_preview_with_the_character_first_says_the_story_comes_first(tmp_path, story):
    r = run("preview", "Nora Vance", str(story), "-o", str(tmp_path / "out"))
    _usage_error(r, "the story comes first", f"audiobook preview {story} Nora Vance")
    _nothing_written(tmp_path / "out")


def test_the_progress_bar_says_what_comes_after_the_last_line(capsys):
    """With --format m4b the M4B's encoding follows the last line, minutes for a novel: said, not silent."""
    from audiobook.cli import ProgressBar

    with ProgressBar(show=True, then="Encoding the M4B...") as bar:
        bar.start(3)
        bar.update(2)
        assert "Encoding" not in capsys.readouterr().err
        bar.update(1)
    assert capsys.readouterr().err.rstrip().endswith("Encoding the M4B...")
    with ProgressBar(show=True) as bar:  # nothing to say after the lines: nothing said
        bar.start(1)
        bar.update(1)
    assert "Encoding" not in capsys.readouterr().err
