"""audiobook: offline multi-voice audiobooks from plain text and Markdown."""

from importlib import metadata as _metadata

from .errors import AudiobookError
from .ingest import load_book
from .parse import parse_book
from .pipeline import generate, prepare, render

__all__ = ["AudiobookError", "generate", "load_book", "parse_book", "prepare", "render"]
try:  # the version is stated once, in pyproject.toml, and read from the installed package's metadata
    __version__ = _metadata.version("audiobook")
except _metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
