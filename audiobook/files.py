"""One way to write a file: under a temporary name unique to this writer, flushed to disk, then renamed
into place. A crash, a full disk or a second process writing the same folder never leaves a truncated
file under the final name, and never a temporary one behind (short of a power cut or SIGKILL, whose
leftovers the next run in that book folder removes: see `publish.clear_leftovers`).

OSErrors become OutputError here, with the folder named and the fix; a full disk says so.
"""

from __future__ import annotations

import errno
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import OutputError

TEMP_SUFFIX = ".part"
_NO_SPACE = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def temp_name(path: Path) -> str:
    """The prefix of this writer's temporary names for `path` (hidden, so players skip them)."""
    return f".{path.name}."


def is_full(exc: BaseException) -> bool:
    """Whether an error means the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in _NO_SPACE


TO_OUTPUT = "choose another folder with -o"


def output_error(path: Path, exc: OSError, needed: str = "", hint: str = TO_OUTPUT) -> OutputError:
    """The one line a user reads when `path` (a folder, or a file in one) cannot be written; `hint`
    is the fix to offer. A full disk names the folder, and the space needed when it is known."""
    if is_full(exc):
        folder = path if path.is_dir() else path.parent
        what = f"; about {needed} is needed" if needed else ""
        return OutputError(
            f"{folder}: no space left on the device{what}; free some space or "
            f"{hint} (lines already made are kept in the cache)"
        )
    return OutputError(f"{path}: cannot write ({exc.strerror or exc}); {hint}")


@contextmanager
def atomic_path(path: str | Path, hint: str = TO_OUTPUT, sync: bool = True) -> Iterator[Path]:
    """A unique temporary path beside `path` for the block to write (ffmpeg, say); when the block
    succeeds the file is synced to disk (unless not `sync`: for files whose readers check them, as
    the line cache does) and renamed to `path`, when it fails it is removed and an OSError is raised
    as OutputError."""
    path = Path(path)
    try:
        fd, name = tempfile.mkstemp(prefix=temp_name(path), suffix=TEMP_SUFFIX, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise output_error(path, exc, hint=hint) from exc
    tmp = Path(name)
    try:
        os.chmod(tmp, _MODE)  # mkstemp makes 0600; the user's umask decides, as for open()
        yield tmp
        if sync:
            with open(tmp, "rb+") as written:
                os.fsync(written.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise output_error(path, exc, hint=hint) from exc
        raise


@contextmanager
def atomic_write(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", hint: str = TO_OUTPUT, sync: bool = True
) -> Iterator[IO[Any]]:
    """A file opened for writing under a unique temporary name beside `path`, renamed to `path` when
    the block succeeds (see `atomic_path`). Text is written with the line ends it holds."""
    binary = "b" in mode
    with atomic_path(path, hint, sync) as tmp:
        with open(tmp, mode, encoding=None if binary else encoding, newline=None if binary else "") as f:
            yield f


def write_text(path: str | Path, text: str, hint: str = TO_OUTPUT) -> None:
    """A whole text file, atomically (UTF-8, line ends as given)."""
    with atomic_write(path, "w", hint=hint) as f:
        f.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    """A whole binary file, atomically."""
    with atomic_write(path, "wb") as f:
        f.write(data)


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back until the block is done, then delivered, for steps that must not
    stop half-way (Python runs signal handlers in the main thread only; elsewhere this does nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[signal.Signals] = []
    before = {
        sig: signal.signal(sig, lambda signum, frame: held.append(signal.Signals(signum)))
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        if held:
            handler = before[held[0]]
            if callable(handler):
                handler(held[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(held[0])
