"""A line spoken by a fresh copy of libespeak-ng, for where the espeak engine cannot fork a child per line
(Windows has no fork; AUDIOBOOK_NO_FORK takes that path on Linux too, to test it).

libespeak-ng keeps state between utterances in static variables that no call resets. A library loaded
anew starts with them as they were at load, so each line is spoken by a copy of the library loaded for
it and unloaded after: the same calls from the same state as the forked child makes (initialise, list
the voices, seed the noise, set the voice, speak), hence the same samples, whatever this process spoke
before. The copy is a file of its own (made once per process) so that it is a library of its own too:
loading the path already loaded (for the voice list) would hand back that library, state and all. On
Linux it is loaded with RTLD_DEEPBIND, or its calls into itself would reach the copy loaded globally.
Bindings are our own, made afresh for each load: pyttsx3's are bound to the first library for good.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..errors import EngineError, SynthesisError
from ..model import VoiceSpec
from .libespeak import library_path, reset_c_rand

# From espeak-ng's speak_lib.h.
_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EE_OK = 0
_SEED = 20261127  # the forked child's seed (espeak.py)
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

_lock = threading.Lock()
_copy: list[Path] = []


def _library_copy() -> Path:
    """This process's copy of the loaded libespeak-ng, in a folder removed when the process ends."""
    if not _copy:
        source = library_path()
        folder = Path(tempfile.mkdtemp(prefix="audiobook-espeak-"))
        atexit.register(shutil.rmtree, folder, True)
        target = folder / ("line-" + source.name)
        shutil.copyfile(source, target)
        _copy.append(target)
    return _copy[0]


def _open(path: Path) -> ctypes.CDLL:
    mode = ctypes.RTLD_LOCAL | getattr(os, "RTLD_DEEPBIND", 0)
    lib = ctypes.CDLL(str(path), mode=mode)
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_ListVoices.restype = ctypes.c_void_p
    lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
    lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int]
    lib.espeak_Synth.argtypes += [ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    return lib


def _close(lib: ctypes.CDLL) -> None:
    """Unload `lib`, so that the next load starts from the file's own state."""
    import _ctypes

    if sys.platform == "win32":  # pragma: no cover - Windows only
        _ctypes.FreeLibrary(lib._handle)
    else:
        _ctypes.dlclose(lib._handle)


def speak_fresh(data_dir: str, text: str, voice: VoiceSpec) -> bytes:
    """`text` in `voice` (mono 16-bit PCM at the library's rate), spoken by a fresh copy of the library.
    `data_dir`: the folder holding espeak-ng-data, as load_library returned it ("" for the system's)."""
    chunks: list[bytes] = []

    def collect(wav: Any, samples: int, events: Any) -> int:
        if samples > 0:
            chunks.append(ctypes.string_at(wav, samples * 2))
        return 0

    callback = _CALLBACK(collect)  # held until the library is unloaded
    with _lock:
        lib = _open(_library_copy())
        try:
            if lib.espeak_Initialize(_SYNCHRONOUS, 0, data_dir.encode() if data_dir else None, 0) <= 0:
                raise EngineError("espeak-ng failed to initialise; reinstall espeakng-loader")
            lib.espeak_ListVoices(None)  # as the engine does once, before it forks
            lib.espeak_SetSynthCallback(callback)
            if hasattr(lib, "espeak_ng_SetRandSeed"):
                lib.espeak_ng_SetRandSeed(ctypes.c_long(_SEED))
            reset_c_rand()  # the C library's rand(), which some voices' noise draws on
            if lib.espeak_SetVoiceByName(voice.voice_id.encode()) != _EE_OK:
                raise SynthesisError(f"espeak-ng has no voice {voice.voice_id!r}")
            for parameter, value in (
                (_RATE, int(voice.rate)),
                (_PITCH, int(voice.pitch)),
                (_RANGE, 50),
                (_VOLUME, int(round(voice.volume * 100))),
            ):
                lib.espeak_SetParameter(parameter, value, 0)
            data = text.encode()
            rc = lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            if rc != _EE_OK:
                raise SynthesisError(f"espeak-ng failed (code {rc}) on: {text[:60]!r}")
            lib.espeak_Terminate()
        finally:
            _close(lib)
    return b"".join(chunks)
