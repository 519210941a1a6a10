"""Content-addressed stores of synthesized clips and encoded blocks: recast one voice, redo only its lines.

A clip's key covers everything that changes its sound: the text as spoken (after normalisation and
pronunciations), the engine's name and version, and every voice setting. A block's key adds its level,
its pause and how it is encoded. Writes are atomic (a temporary file renamed into place), so a crash
never leaves a half-written entry; an entry that is corrupt or truncated reads as a miss and is
removed, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import zlib
from pathlib import Path

from .engines.base import Audio
from .model import VoiceSpec

_HEADER = struct.Struct("<8sIII")     # magic, a number (sample rate or frames), payload length, crc32
FORMAT_VERSION = 1


def clip_key(text: str, voice: VoiceSpec, engine_name: str, engine_version: str) -> str:
    """The identity of a clip: a hash of everything that changes how it sounds."""
    ident = [FORMAT_VERSION, engine_name, engine_version, voice.voice_id, voice.rate, voice.pitch,
             round(voice.volume, 4), text]
    return hashlib.sha256(json.dumps(ident, ensure_ascii=False).encode("utf-8")).hexdigest()


class _Store:
    """Files under `root/ab/abcdef….<suffix>`: a header with a checksum, then the payload."""

    magic: bytes
    suffix: str

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.{self.suffix}"

    def _get(self, key: str) -> tuple[int, bytes] | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) >= _HEADER.size:
            magic, number, length, crc = _HEADER.unpack_from(data)
            payload = data[_HEADER.size:]
            if magic == self.magic and len(payload) == length and zlib.crc32(payload) == crc:
                return number, payload
        try:
            path.unlink()           # damaged: a miss, and gone
        except OSError:
            pass
        return None

    def _put(self, key: str, number: int, payload: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_HEADER.pack(self.magic, number, len(payload), zlib.crc32(payload)))
                    f.write(payload)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass                    # a cache that cannot be written costs only time later

    def __contains__(self, key: str) -> bool:
        return self._path(key).exists()


class ClipCache(_Store):
    """Synthesized clips (PCM)."""

    magic = b"ABCLIP1\x00"
    suffix = "clip"

    def get(self, key: str) -> Audio | None:
        """The clip stored under `key`, or None."""
        got = self._get(key)
        return Audio(got[1], got[0]) if got and got[0] > 0 else None

    def put(self, key: str, audio: Audio) -> None:
        """Store a clip."""
        self._put(key, audio.sample_rate, audio.pcm)


class BlockCache(_Store):
    """Encoded blocks (MP3 frames) and their frame counts."""

    magic = b"ABBLOCK1"
    suffix = "mp3"

    def get(self, key: str) -> tuple[int, bytes] | None:
        """(frames, mp3 bytes) stored under `key`, or None."""
        return self._get(key)

    def put(self, key: str, frames: int, mp3: bytes) -> None:
        """Store a block."""
        self._put(key, frames, mp3)


def caches(root: str | Path) -> tuple[ClipCache, BlockCache]:
    """The two stores under one cache folder."""
    return ClipCache(Path(root) / "clips"), BlockCache(Path(root) / "blocks")
