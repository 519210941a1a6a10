"""libespeak-ng located and loaded, for both engines that speak with it (espeak, and pyttsx3's espeak driver).

The library is the system's if it has one, else the espeakng-loader wheel's. Both engines reach it through
pyttsx3's ctypes bindings (pyttsx3.drivers._espeak, a private module of pyttsx3): this module is the one
place that names them.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import EngineError

_lock = threading.Lock()
_data_dir: list[str] = []  # the folder found by the first load_library() of this process
_library: list[ctypes.CDLL] = []  # the library it loaded


def load_library() -> str:
    """Make libespeak-ng loadable, without initialising it, once per process. Returns the folder
    holding espeak-ng-data ("" for the system's default); EngineError if there is no library.

    On Linux the system's library is tried first, by its soname; else (and on macOS and Windows,
    always) the espeakng-loader wheel's, by its path."""
    with _lock:
        if _data_dir:
            return _data_dir[0]
        if "piper.espeakbridge" in sys.modules:  # piper's own libespeak-ng: both in one process crashed
            raise EngineError("espeak-ng cannot run in a process that loaded the piper engine")
        data_dir = ""
        try:
            if not sys.platform.startswith("linux"):
                raise OSError("the system's library is looked for on Linux only")
            _library.append(ctypes.CDLL("libespeak-ng.so.1", mode=ctypes.RTLD_GLOBAL))
        except OSError:
            try:
                import espeakng_loader
            except ImportError as exc:
                raise EngineError(
                    "espeak-ng is not installed: `pip install espeakng-loader` (or install espeak-ng)"
                ) from exc
            # Loaded globally: on Linux under its soname, so pyttsx3's bindings, which ask for
            # "libespeak-ng.so.1" by name, find it; elsewhere bindings() hands them this one.
            _library.append(ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL))
            data = espeakng_loader.get_data_path()
            os.environ.setdefault("ESPEAK_DATA_PATH", data)
            data_dir = str(Path(data).parent)
        _data_dir.append(data_dir)
        return data_dir


def bindings() -> ModuleType:
    """pyttsx3's ctypes bindings to libespeak-ng (not initialised here), the library loaded first;
    EngineError if they cannot load it."""
    load_library()
    try:
        with _lock:
            _bind_to(_library[0])
            from pyttsx3.drivers import _espeak
    except Exception as exc:  # pyttsx3 raises RuntimeError when it cannot load the library
        raise EngineError(f"cannot load libespeak-ng through pyttsx3: {exc}") from exc
    return _espeak


def _bind_to(library: ctypes.CDLL) -> None:
    """Have pyttsx3's bindings, when first imported, bind `library`: they look for the library only in
    a few fixed places (Homebrew's, Program Files), never in the wheel that load_library found."""
    if "pyttsx3.drivers._espeak" in sys.modules:
        return
    loader = ctypes.cdll
    real = loader.LoadLibrary
    loader.LoadLibrary = lambda name: library  # type: ignore[method-assign]
    try:
        import pyttsx3.drivers._espeak  # noqa: F401
    finally:
        loader.LoadLibrary = real  # type: ignore[method-assign]


def library_path() -> Path:
    """The file of the libespeak-ng this process loaded (load_library): the wheel's path, or on Linux the
    system's library found by its soname, read from the process's memory map."""
    load_library()
    name = _library[0]._name
    if os.path.isabs(name):
        return Path(name)
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:  # Linux: loaded by soname
        for line in maps:
            path = line.split(maxsplit=5)[-1].strip()
            if os.path.basename(path).startswith("libespeak-ng.so"):
                return Path(path)
    raise EngineError(f"cannot find the file of the loaded {name}")


def data_root(data_dir: str) -> Path | None:
    """The espeak-ng-data folder in use: under `data_dir` (from load_library), else the system's."""
    if data_dir:
        return Path(data_dir) / "espeak-ng-data"
    for base in (
        os.environ.get("ESPEAK_DATA_PATH"),
        "/usr/lib/x86_64-linux-gnu/espeak-ng-data",
        "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
        "/usr/share/espeak-ng-data",
        "/usr/local/share/espeak-ng-data",
    ):
        for root in (Path(base), Path(base) / "espeak-ng-data") if base else ():
            if (root / "voices").is_dir():
                return root
    return None


def rand_seed_function() -> Any:
    """espeak_ng_SetRandSeed of the loaded library, where it has it (espeak-ng 1.51 and later)."""
    load_library()
    try:
        fn = _library[0].espeak_ng_SetRandSeed
    except AttributeError:
        return None
    fn.argtypes = [ctypes.c_long]
    fn.restype = None
    return fn


_libc: list[ctypes.CDLL] = []


def reset_c_rand() -> None:
    """Some voices' noise (the breathy variants, "+Reed") comes from the C library's rand(), whose state
    is whatever this process (or one it was forked from: a Ray worker, a library) drew before. Reset it
    to the C library's own start, srand(1), before each line, so a line never depends on that. Windows'
    C runtime keeps one state per DLL, which nothing else in the process touches."""
    if os.name != "posix":
        return
    if not _libc:
        _libc.append(ctypes.CDLL(None))
    _libc[0].srand(1)
