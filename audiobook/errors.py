"""Errors the user sees as one `Error: ...` line, and the exit codes they map to.

Core code raises these and never prints or exits; `cli.py` alone turns them into output.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes, one per class of failure."""

    OK = 0
    FAILURE = 1  # an unexpected error (a bug): shown with --debug
    USAGE = 2  # click's own code for bad options
    SYNTHESIS = 3  # some lines could not be synthesized; the rest was written
    INPUT = 4  # the story file cannot be read or understood
    CONFIG = 5  # voices.yaml is wrong
    ENGINE = 6  # the speech engine cannot run here
    OUTPUT = 7  # the output folder cannot be written
    CHECK = 8  # `audiobook check`: a file fails one of ACX's checks


class AudiobookError(Exception):
    """Base of every error that is the user's to fix; its message names the place and the fix."""

    exit_code: ExitCode = ExitCode.FAILURE


class InputError(AudiobookError):
    """The story file is missing, unreadable, empty or not text."""

    exit_code = ExitCode.INPUT


class ConfigError(AudiobookError):
    """voices.yaml is malformed or names something that does not exist."""

    exit_code = ExitCode.CONFIG


class EngineError(AudiobookError):
    """The speech engine cannot start on this machine."""

    exit_code = ExitCode.ENGINE


class SynthesisError(AudiobookError):
    """One line could not be synthesized (recorded; the run goes on)."""

    exit_code = ExitCode.SYNTHESIS


class OutputError(AudiobookError):
    """The output folder or a file in it cannot be written."""

    exit_code = ExitCode.OUTPUT
