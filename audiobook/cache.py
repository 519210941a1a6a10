"""A content-addressed store of rendered lines: recast one voice, and only its lines are made again.

Each line is kept as it goes into the chapter file: its clip, levelled and encoded, with the pause
after it. The key covers everything that changes that: the text as spoken (after normalisation and
pronunciations), the engine's name and version, every voice setting, the pause, and how lines are
levelled and encoded. Synthesis is the cheap part (espeak-ng runs at about 1,000x realtime) and
encoding the dear one, so keeping the encoded line saves both. Writes are atomic (a temporary file
renamed into place), so a crash never leaves a half-written entry; an entry that is corrupt or
truncated reads as a miss and is removed, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError
from .files import TEMP_SUFFIX, atomic_write
from .model import VoiceSpec

_FIELDS = struct.Struct("<IIII")  # frames, speech samples, sample rate, payload length
_HEADER = struct.Struct("<8s16sI")  # magic, the fields, crc32 of key + fields + payload
FORMAT_VERSION = 2


def line_key(text: str, voice: VoiceSpec, engine_name: str, engine_version: str, pause_ms: int, encoding: str) -> str:
    """The identity of a rendered line: a hash of everything that changes how it sounds."""
    ident = [
        FORMAT_VERSION,
        engine_name,
        engine_version,
        voice.voice_id,
        voice.rate,
        voice.pitch,
        round(voice.volume, 4),
        pause_ms,
        encoding,
        text,
    ]
    return hashlib.sha256(json.dumps(ident, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Stored:
    """A cached line: its MP3 frames, how many, and how long its speech lasts."""

    mp3: bytes
    frames: int
    speech_samples: int
    sample_rate: int


def _checksum(key: str, fields: bytes, payload: bytes | memoryview) -> int:
    return zlib.crc32(payload, zlib.crc32(fields, zlib.crc32(key.encode("ascii"))))


class BlockCache:
    """Encoded lines under `root/ab/abcdef….block`: a header, then the MP3 frames. One checksum covers
    the entry's key, every header field and the frames, so an entry damaged anywhere (or stored under
    another key's name) is a miss. Safe for several processes at once: an entry appears whole, by
    rename, or not at all, and two writers of one key write the same bytes."""

    _MAGIC = b"ABBLOCK3"

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.block"

    def get(self, key: str) -> Stored | None:
        """The entry stored under `key`, or None (a damaged entry is removed and counts as a miss)."""
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                data = f.read()
                inode = os.fstat(f.fileno()).st_ino
        except OSError:
            return None
        if len(data) >= _HEADER.size:
            magic, fields, crc = _HEADER.unpack_from(data)
            payload = memoryview(data)[_HEADER.size :]
            frames, speech, rate, length = _FIELDS.unpack(fields)
            if magic == self._MAGIC and len(payload) == length and rate > 0 and _checksum(key, fields, payload) == crc:
                return Stored(bytes(payload), frames, speech, rate)
        try:
            if path.stat().st_ino == inode:  # not a good entry another writer has just put there
                path.unlink()
        except OSError:
            pass
        return None

    def put(self, key: str, entry: Stored) -> None:
        """Store an entry atomically; a cache that cannot be written costs only time later. Not synced
        to disk: after a power cut an entry is whole or fails its checksum, and a miss costs only time."""
        path = self._path(key)
        fields = _FIELDS.pack(entry.frames, entry.speech_samples, entry.sample_rate, len(entry.mp3))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(path, "wb", sync=False) as f:
                f.write(_HEADER.pack(self._MAGIC, fields, _checksum(key, fields, entry.mp3)))
                f.write(entry.mp3)
        except (OSError, OutputError):
            pass

    def remove_stale_temporaries(self, older_than_s: float = 3600) -> None:
        """Remove the temporary files of writers that were killed (SIGKILL, a power cut) long ago; a
        young one may belong to a render running now."""
        cutoff = time.time() - older_than_s
        try:
            folders = [d for d in self.root.iterdir() if d.is_dir()]
        except OSError:
            return
        for folder in folders:
            for tmp in folder.glob(f".*{TEMP_SUFFIX}"):
                try:
                    if tmp.stat().st_mtime < cutoff:
                        tmp.unlink()
                except OSError:
                    pass

    def __contains__(self, key: str) -> bool:
        return self._path(key).exists()
