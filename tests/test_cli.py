"""The command line: every bad input gives one `Error:` line, a non-zero exit, no traceback, no output."""

from __future__ import annotations

import json
import os
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
    assert "gmw/en-us+f3" in line      # the closest real id is suggested
    _nothing_written(tmp_path / "out")


def test_unwritable_output_folder(tmp_path, story):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = run("generate", str(story), "-o", str(blocker / "out"))
    _one_error_line(r, "cannot write there", "choose another folder with -o")
    assert r.exit_code == ExitCode.OUTPUT
    r = run("generate", str(story), "-o", str(blocker))
    _one_error_line(r, "is a file, not a folder")


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root writes through read-only permissions; the a-file-in-the-way case covers this")
def test_read_only_output_folder(tmp_path, story):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    r = run("generate", str(story), "-o", str(ro))
    _one_error_line(r, "cannot write there")


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
        assert row["text"] in source[row["start"]:row["end"]]
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
    for cmd in ([], ["generate"], ["script"], ["voices"]):
        r = run(*cmd, "--help")
        assert r.exit_code == 0 and "Usage:" in r.output
