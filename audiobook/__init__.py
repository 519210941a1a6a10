"""audiobook: offline multi-voice audiobooks from plain text and Markdown."""

from .errors import AudiobookError
from .ingest import load_book
from .parse import parse_book
from .pipeline import generate, prepare, render

__all__ = ["AudiobookError", "generate", "load_book", "parse_book", "prepare", "render"]
__version__ = "0.1.0"
