"""pyttsx3's own platform driver (SAPI5 on Windows, NSSpeech on macOS, espeak elsewhere), guarded.

pyttsx3 2.99 loses audio and settings in known ways, each guarded here: a warm-up utterance after
init (the first runAndWait returns before its file is written), one file per runAndWait (several
queued keep only the last), a wait until the driver is idle before the next line, every line rendered
until two takes agree and checked against its text, and the driver's printing swallowed.

On espeak the driver runs libespeak-ng asynchronously: a rate, pitch or volume change is a command
queued behind the library's own thread, and runAndWait begins with a cancel that drops whatever is
still queued (the line is then spoken at the previous line's rate, or cut short). So every setting is
waited for (espeak_Synchronize) and read back before the line is spoken: a setting that did not take
is an error, never a line spoken at the wrong speed. Twice the work of one take: the price of never
losing audio on this fallback path (Linux uses the synchronous espeak engine instead).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any

from ..errors import EngineError, SynthesisError
from ..model import VoiceSpec
from . import espeak_voices
from .base import Audio, Engine, Palette, VoiceInfo
from .clips import read_clip
from .libespeak import bindings, load_library

# A clip shorter than this share of the time its words need at its rate was cut short.
_MIN_SHARE = 0.45
_RETRIES = 3


def expected_seconds(text: str, rate: int) -> float:
    """A low estimate of how long `text` takes at `rate` words per minute."""
    return len(text.split()) / max(rate, 1) * 60.0


def platform_voice(voice: Any) -> VoiceInfo:
    """A pyttsx3 Voice as the OS reports it, in the terms the caster reads: gender "female", "male" or
    "unknown" (NSSpeech says "VoiceGenderFemale", SAPI5 "Female", a voice may say nothing or "Neuter"),
    languages as lower-case tags with hyphens (NSSpeech says "en_US", SAPI5 "en-US", espeak b"\\x05en")."""
    gender = str(getattr(voice, "gender", None) or "").lower().removeprefix("voicegender")
    languages = []
    for raw in getattr(voice, "languages", None) or []:
        text = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw or "")
        tag = "".join(ch for ch in text if ch.isprintable()).strip().replace("_", "-").lower()
        if tag and not tag.startswith("unknown"):  # SAPI5's "Unknown Locale: 1234"
            languages.append(tag)
    return VoiceInfo(
        str(voice.id),
        str(getattr(voice, "name", None) or voice.id),
        gender if gender in ("female", "male") else "unknown",
        tuple(languages),
    )


class Pyttsx3Engine(Engine):
    """Any pyttsx3 driver, through save_to_file, with every known way of losing audio guarded."""

    name = "pyttsx3"

    def __init__(self, driver: str | None = None) -> None:
        try:
            import pyttsx3
        except ImportError as exc:
            raise EngineError("pyttsx3 is not installed: `pip install pyttsx3`") from exc
        if driver in (None, "espeak"):
            # The espeak driver needs the library loaded the same way the espeak engine loads it.
            try:
                load_library()
            except EngineError:
                if driver == "espeak":
                    raise
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine: Any = pyttsx3.init(driver) if driver else pyttsx3.init()
        except Exception as exc:
            raise EngineError(f"pyttsx3 could not start a speech driver here: {exc}") from exc
        from importlib.metadata import PackageNotFoundError, version

        try:
            self._pyttsx3_version = version("pyttsx3")
        except PackageNotFoundError:
            self._pyttsx3_version = "?"
        self._espeak_data = ""
        if self._on_espeak:
            self._espeak_data = load_library()
        self._tmp = Path(tempfile.mkdtemp(prefix="audiobook-pyttsx3-"))
        # Gone with the engine, or at the latest when the process exits (a pool worker's too).
        weakref.finalize(self, shutil.rmtree, self._tmp, ignore_errors=True)
        self._voices: list[VoiceInfo] | None = None
        self._get_parameter: Any = None
        self._render("warm up", None)  # the first runAndWait after init loses its file

    @property
    def version(self) -> str:
        return f"pyttsx3 {self._pyttsx3_version} {type(self._engine.proxy._driver).__module__}"

    @property
    def _on_espeak(self) -> bool:
        return type(self._engine.proxy._driver).__module__.endswith(".espeak")

    def voices(self) -> list[VoiceInfo]:
        if self._voices is None and self._on_espeak:
            self._voices = espeak_voices.list_voices(bindings(), self._espeak_data)
        if self._voices is None:
            self._voices = [platform_voice(v) for v in self._engine.getProperty("voices") or []]
        return self._voices

    def has_voice(self, voice_id: str) -> bool:
        if self._on_espeak:
            return espeak_voices.has_voice(self.voices(), voice_id)
        return super().has_voice(voice_id)

    def suggest(self, voice_id: str, n: int = 3) -> list[str]:
        if self._on_espeak:
            return espeak_voices.suggest(self.voices(), voice_id, n)
        return super().suggest(voice_id, n)

    def palette(self) -> Palette:
        if self._on_espeak:
            return espeak_voices.palette(self.voices())
        return super().palette()

    def _wait_idle(self) -> None:
        deadline = time.monotonic() + 5
        while self._engine.isBusy() and time.monotonic() < deadline:
            time.sleep(0.005)
        if not self._on_espeak:
            return
        es = bindings()
        while es.IsPlaying() and time.monotonic() < deadline:
            time.sleep(0.005)

    def _apply(self, voice: VoiceSpec) -> None:
        """Every setting of `voice`, in effect before the line is queued (on espeak: checked)."""
        e = self._engine
        e.setProperty("voice", voice.voice_id)
        e.setProperty("rate", voice.rate)
        e.setProperty("volume", voice.volume)
        with contextlib.suppress(Exception):
            e.setProperty("pitch", voice.pitch)
        if self._on_espeak:
            self._settle_espeak(voice)

    def _settle_espeak(self, voice: VoiceSpec) -> None:
        """Wait until libespeak-ng's thread has applied the queued settings, then read them back:
        runAndWait's opening cancel would otherwise drop any still queued."""
        import ctypes

        es = bindings()
        if self._get_parameter is None:
            proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)
            # pyttsx3 binds espeak_GetParameter without its `current` argument: bind it whole.
            self._get_parameter = proto(("espeak_GetParameter", es.dll))
        wanted = {
            es.RATE: int(voice.rate),
            es.PITCH: int(voice.pitch),
            es.VOLUME: int(round(voice.volume * 100, 2)),
        }
        for _ in range(2):
            es.Synchronize()
            wrong = {p: v for p, v in wanted.items() if self._get_parameter(p, 1) != v}
            if not wrong:
                return
            for p, v in wrong.items():  # set again, straight through the driver's bindings
                es.SetParameter(p, v, 0)
        names = {es.RATE: "rate", es.PITCH: "pitch", es.VOLUME: "volume"}
        raise SynthesisError(
            "pyttsx3's espeak driver did not apply " + ", ".join(f"{names[p]} {v}" for p, v in wrong.items())
        )

    def _render(self, text: str, voice: VoiceSpec | None) -> Audio:
        e = self._engine
        if voice is not None:
            self._apply(voice)
        fd, name = tempfile.mkstemp(suffix=".wav", dir=self._tmp)
        os.close(fd)
        os.unlink(name)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                e.save_to_file(text, name)
                e.runAndWait()
            self._wait_idle()
            deadline = time.monotonic() + 2
            while not os.path.exists(name) and time.monotonic() < deadline:
                time.sleep(0.01)
            if not os.path.exists(name):
                return Audio(b"", self.sample_rate)
            # NSSpeech writes AIFF whatever the name says, SAPI5 a WAV in the voice's own format.
            return read_clip(name, self.sample_rate)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)

    def synthesize(self, text: str, voice: VoiceSpec) -> Audio:
        # A clip cut short under load is shorter than its twin: render until two agree within 2%,
        # and keep the longest seen. (Keeping the longest would also keep a take spoken at a slower
        # rate left over from the line before: on espeak, `_apply` refuses to speak until every
        # setting is in effect, so no take can be one.)
        need = expected_seconds(text, voice.rate) * _MIN_SHARE
        takes: list[Audio] = []
        for _ in range(_RETRIES + 2):
            takes.append(self._render(text, voice))
            best = max(takes, key=lambda a: a.frames)
            agree = [a for a in takes if a.frames and abs(a.frames - best.frames) <= 0.02 * best.frames]
            if len(agree) >= 2 and best.seconds >= need:
                return best
        raise SynthesisError(
            f"pyttsx3 returned {best.seconds:.2f} s for a line that needs about {need / _MIN_SHARE:.1f} s "
            f"and no two of {len(takes)} tries agreed: {text[:60]!r}"
        )
