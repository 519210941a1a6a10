"""audiobook: offline multi-voice audiobooks from plain text and Markdown."""

from .errors import AudiobookError
from .ingest import load_book
from .parse import parse_book
from .pipeline import generate, prepare, render

__all__ = ["AudiobookError", "generate", "load_book", "parse_book", "prepare", "render"]


def __getattr__(name: str) -> str:
    """`audiobook.__version__`: stated once, in pyproject.toml, and read from the installed package's
    metadata when asked (importing importlib.metadata at every start would cost each command 50 ms)."""
    if name != "__version__":
        raise AttributeError(f"module 'audiobook' has no attribute {name!r}")
    from importlib import metadata

    try:
        return metadata.version("audiobook")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"
