"""tools/cli_reference.py: docs/cli.md is every command's --help, and --check catches a stale page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from audiobook.cli import cli

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "cli_reference.py"
PAGE = ROOT / "docs" / "cli.md"


def run_tool(*args: str, columns: str = "80") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": columns}
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, cwd=ROOT, env=env)


def test_committed_page_is_current() -> None:
    done = run_tool("--check")
    assert done.returncode == 0, done.stderr


def test_page_does_not_depend_on_the_terminal() -> None:
    assert run_tool("--check", columns="40").returncode == 0
    assert run_tool("--check", columns="200").returncode == 0


def test_a_stale_page_fails_with_the_fix(tmp_path: Path) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(PAGE.read_text(encoding="utf-8").replace("Show this message and exit.", "Show help.", 1))
    done = run_tool("--check", str(stale))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "python tools/cli_reference.py" in lines[0], done.stderr

    assert run_tool("--check", str(tmp_path / "missing.md")).returncode == 1

    assert run_tool(str(stale)).returncode == 0  # rewritten: now current
    assert run_tool("--check", str(stale)).returncode == 0
    assert stale.read_text(encoding="utf-8") == PAGE.read_text(encoding="utf-8")


def test_every_command_is_on_the_page_as_its_help_prints() -> None:
    """What a user sees in a terminal 80 columns wide (CliRunner forces its own width, so the real
    command is run)."""
    page = PAGE.read_text(encoding="utf-8")
    for name in ["", *cli.list_commands(click.Context(cli))]:
        args = [name, "--help"] if name else ["--help"]
        shown = subprocess.run(
            [sys.executable, "-m", "audiobook", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "80"},
        )
        assert shown.returncode == 0, shown.stderr
        heading = f"## audiobook {name}".rstrip()
        assert f"{heading}\n\n```text\n{shown.stdout.rstrip()}\n```\n" in page, name
