"""One writer per book folder. A second `generate` into a folder that a run is writing refuses at once
with one line (rather than waiting an unknown time, or mixing two runs' files). The lock is the
operating system's (flock on POSIX, a byte-range lock on Windows): it is released when the process
ends, however it ends, so a killed run never leaves a folder locked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from .errors import OutputError

LOCK_NAME = ".audiobook.lock"


class FolderLock:
    """An exclusive, non-blocking lock on `folder` for as long as the `with` block runs."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(
                f"{self.folder}: cannot write there ({exc.strerror}); choose another folder with -o"
            ) from exc
        if not _try_lock(fd):
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (process {holder})" if holder else ""
            raise OutputError(
                f"{self.folder}: another audiobook run{who} is writing this book; wait for it "
                "to finish, or choose another folder with -o"
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 32).decode(errors="replace").strip()
    except OSError:
        return ""


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
