"""libespeak-ng driven synchronously through pyttsx3's own ctypes bindings (the default engine wherever
espeakng-loader has a wheel: Linux x86-64, macOS, 64-bit Windows; docs/platforms.md).

pyttsx3's espeak *driver* loses audio (the first runAndWait returns before its file is written;
a busy CPU truncates clips; a property change can be undone by its end-of-loop cancel). The same
library in AUDIO_OUTPUT_SYNCHRONOUS mode returns only when every sample has been handed over, so a
clip is complete by construction. Voice ids are pyttsx3's: "gmw/en-us", with an optional "+variant".
"""

from __future__ import annotations

import ctypes
import os
import threading
from types import ModuleType
from typing import Any

from ..errors import EngineError, SynthesisError
from ..model import VoiceSpec
from ..workers import fork_allowed
from . import espeak_voices
from .base import Audio, Engine, Palette, VoiceInfo
from .libespeak import bindings, load_library, rand_seed_function, reset_c_rand

_lock = threading.Lock()
_state: dict[str, Any] = {}
_seed: Any = None


def _load() -> tuple[ModuleType, str, int]:
    """Load and initialise libespeak-ng in synchronous mode, once per process."""
    data_dir = load_library()
    with _lock:
        if "module" in _state:
            return _state["module"], data_dir, _state["rate"]
        es = bindings()
        rate = es.Initialize(es.AUDIO_OUTPUT_SYNCHRONOUS, 0, data_dir.encode() if data_dir else None, 0)
        if rate <= 0:
            raise EngineError("espeak-ng failed to initialise; reinstall espeakng-loader")
        _state.update(module=es, rate=rate)
        global _seed
        _seed = rand_seed_function()
        return es, data_dir, rate


class EspeakEngine(Engine):
    """espeak-ng in synchronous mode: complete clips, about 0.3 ms overhead per call."""

    name = "espeak"

    def __init__(self) -> None:
        self._es, self._data_dir, self.sample_rate = _load()
        self._chunks: list[bytes] = []
        # Keep a reference: ctypes callbacks must outlive every call into the library.
        self._es.SetSynthCallback(self._collect)
        self._voices: list[VoiceInfo] | None = None
        # Listing voices changes what the library does next (measured: a +f2 line's samples differ
        # after it), so every process lists them once, here: the state lines are forked from is one.
        self.voices()

    def _collect(self, wav: Any, numsamples: int, events: Any) -> int:
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0

    @property
    def version(self) -> str:
        info = self._es.Info(None)
        return f"espeak-ng {info.decode() if info else '?'}"

    def voices(self) -> list[VoiceInfo]:
        if self._voices is None:
            self._voices = espeak_voices.list_voices(self._es, self._data_dir)
        return self._voices

    def has_voice(self, voice_id: str) -> bool:
        return espeak_voices.has_voice(self.voices(), voice_id)

    def suggest(self, voice_id: str, n: int = 3) -> list[str]:
        return espeak_voices.suggest(self.voices(), voice_id, n)

    def palette(self) -> Palette:
        return espeak_voices.palette(self.voices())

    def synthesize(self, text: str, voice: VoiceSpec) -> Audio:
        """A line's audio, the same whatever this process spoke before.

        libespeak-ng keeps state from one utterance to the next that no call resets (the pitch flutter's
        phase, a static inside its wave generator, among others; measured: a line's length moves by up
        to 1% with what came before, even across espeak_Terminate/Initialize), and seeds its noise from
        the clock. So each line is spoken in a child forked from this process, which never speaks
        itself, with the noise seed fixed: every line starts from the same state, the output depends on
        the line alone, and `--jobs 2` renders exactly what `--jobs 1` does. About 4 ms a line. Where
        fork is missing (Windows) or turned off (AUDIOBOOK_NO_FORK), each line is spoken by a fresh copy
        of the library instead (fresh_line.py): the same samples, at about the fork's cost.
        """
        if not fork_allowed():
            from .fresh_line import speak_fresh

            return Audio(speak_fresh(self._data_dir, text, voice), self.sample_rate)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: speak, hand the samples over, go
            status = 1
            try:
                os.close(read_end)
                try:
                    payload = b"A" + self._speak(text, voice).pcm
                except SynthesisError as exc:
                    payload = b"E" + str(exc).encode()
                with os.fdopen(write_end, "wb") as out:
                    out.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as got:
            payload = got.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not payload:
            raise SynthesisError(f"the espeak-ng process for this line died (status {status}): {text[:60]!r}")
        if payload[:1] == b"E":
            raise SynthesisError(payload[1:].decode(errors="replace"))
        return Audio(payload[1:], self.sample_rate)

    def _speak(self, text: str, voice: VoiceSpec) -> Audio:
        es = self._es
        # The library has one callback for the process: another engine made here since (a test's, a
        # preview's) took it over, and this one would collect nothing.
        es.SetSynthCallback(self._collect)
        if _seed is not None:
            _seed(20261127)  # espeak-ng seeds its noise from the clock at start-up: fix it per line
        reset_c_rand()
        # Every setting, every time: nothing leaks from the previous line.
        if es.SetVoiceByName(voice.voice_id.encode()) != es.EE_OK:
            raise SynthesisError(f"espeak-ng has no voice {voice.voice_id!r}")
        es.SetParameter(es.RATE, int(voice.rate), 0)
        es.SetParameter(es.PITCH, int(voice.pitch), 0)
        es.SetParameter(es.RANGE, 50, 0)
        es.SetParameter(es.VOLUME, int(round(voice.volume * 100)), 0)
        self._chunks = []
        rc = es.Synth(text, flags=es.CHARS_UTF8)
        if rc != es.EE_OK:
            raise SynthesisError(f"espeak-ng failed (code {rc}) on: {text[:60]!r}")
        pcm = b"".join(self._chunks)
        self._chunks = []
        return Audio(pcm, self.sample_rate)
