"""A content-addressed store of rendered lines: recast one voice, and only its lines are made again.

Each line is kept as it goes into the chapter file: its clip, levelled and encoded, with the pause
after it. The key covers everything that changes that: the text as spoken (after normalisation and
pronunciations), the engine's name and version, every voice setting, the pause, and how lines are
levelled and encoded. Synthesis is the cheap part (espeak-ng runs at about 1,000x realtime) and
encoding the dear one, so keeping the encoded line saves both. Writes are atomic (a temporary file
renamed into place), so a crash never leaves a half-written entry; an entry that is corrupt or
truncated reads as a miss and is removed, never a crash.

The cache may also live on any file system fsspec reaches (`s3://bucket/prefix`, `memory://`,
`file://`), so that the nodes of a cluster share one: the same entries, written by temporary file and
rename where that file system renames atomically, else written whole and read back to verify.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import time
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


_MAGIC = b"ABBLOCK3"


def _entry_bytes(key: str, entry: Stored) -> bytes:
    """An entry as it is stored: the header (with the checksum), then the MP3 frames."""
    fields = _FIELDS.pack(entry.frames, entry.speech_samples, entry.sample_rate, len(entry.mp3))
    return _HEADER.pack(_MAGIC, fields, _checksum(key, fields, entry.mp3)) + entry.mp3


def _entry_of(key: str, data: bytes) -> Stored | None:
    """The entry `data` holds, or None when it is damaged, truncated or another key's."""
    if len(data) < _HEADER.size:
        return None
    magic, fields, crc = _HEADER.unpack_from(data)
    payload = memoryview(data)[_HEADER.size :]
    frames, speech, rate, length = _FIELDS.unpack(fields)
    if magic == _MAGIC and len(payload) == length and rate > 0 and _checksum(key, fields, payload) == crc:
        return Stored(bytes(payload), frames, speech, rate)
    return None


def is_url(root: str | Path) -> bool:
    """Whether a cache location is an fsspec URL (`s3://...`, `memory://...`) rather than a path."""
    return isinstance(root, str) and "://" in root


class BlockCache:
    """Encoded lines under `root/ab/abcdef….block`: a header, then the MP3 frames. One checksum covers
    the entry's key, every header field and the frames, so an entry damaged anywhere (or stored under
    another key's name) is a miss. Safe for several processes at once: an entry appears whole, by
    rename, or not at all, and two writers of one key write the same bytes. `root` is a folder, or an
    fsspec URL (RemoteStore holds the entries then; a folder keeps this class's own code path)."""

    _MAGIC = _MAGIC

    def __init__(self, root: str | Path):
        self.remote = RemoteStore(str(root)) if is_url(root) else None
        self.root = Path(root) if self.remote is None else Path()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.block"

    def get(self, key: str) -> Stored | None:
        """The entry stored under `key`, or None (a damaged entry is removed and counts as a miss)."""
        if self.remote is not None:
            return self.remote.get(key)
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                data = f.read()
                inode = os.fstat(f.fileno()).st_ino
        except OSError:
            return None
        entry = _entry_of(key, data)
        if entry is not None:
            return entry
        try:
            if path.stat().st_ino == inode:  # not a good entry another writer has just put there
                path.unlink()
        except OSError:
            pass
        return None

    def put(self, key: str, entry: Stored) -> None:
        """Store an entry atomically; a cache that cannot be written costs only time later. Not synced
        to disk: after a power cut an entry is whole or fails its checksum, and a miss costs only time."""
        if self.remote is not None:
            return self.remote.put(key, entry)
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
        if self.remote is not None:
            return self.remote.remove_stale_temporaries(older_than_s)
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
        if self.remote is not None:
            return key in self.remote
        return self._path(key).exists()

    def check_writable(self) -> None:
        """Prove an entry can be written here (a cache that cannot be written would make every later
        render start from nothing, silently): OutputError when it cannot."""
        if self.remote is not None:
            self.remote.check_writable()


# File systems whose rename is atomic and cheap: an entry is written under a temporary name, then
# renamed. On the others (object stores: S3, GCS, Azure) a rename is a copy, but an object appears
# whole when its upload ends; there an entry is written in place, then read back and checked.
_RENAMING = {"file", "local"}


def _fsspec() -> Any:
    try:
        import fsspec
    except ImportError as exc:
        raise OutputError(
            "a --cache-dir URL needs fsspec, which is not installed here: pip install 'audiobook[ray]' "
            "(and the file system's own package, e.g. s3fs for s3://)"
        ) from exc
    return fsspec


class RemoteStore:
    """BlockCache's entries on an fsspec file system, under the same names and in the same format as
    in a folder. Every failure to read or write is a miss, as in a folder."""

    def __init__(self, url: str):
        try:
            self.fs, self.root = _fsspec().core.url_to_fs(url)
        except (ImportError, ValueError) as exc:  # an unknown protocol, or its package missing
            raise OutputError(
                f"{url}: cannot use it as a cache: {exc}; give --cache-dir a folder or another URL"
            ) from exc
        self.url = url
        protocol = self.fs.protocol
        self.renames = bool(({protocol} if isinstance(protocol, str) else set(protocol)) & _RENAMING)

    def _path(self, key: str) -> str:
        return f"{self.root.rstrip('/')}/{key[:2]}/{key}.block"

    def get(self, key: str) -> Stored | None:
        path = self._path(key)
        try:
            data = self.fs.cat_file(path)
        except Exception:  # missing, unreachable: a miss
            return None
        entry = _entry_of(key, bytes(data))
        if entry is None:
            self._remove(path)
        return entry

    def put(self, key: str, entry: Stored) -> None:
        path = self._path(key)
        data = _entry_bytes(key, entry)
        try:
            if self.renames:
                folder = path.rsplit("/", 1)[0]
                self.fs.makedirs(folder, exist_ok=True)
                tmp = f"{folder}/.{key}.{uuid.uuid4().hex}{TEMP_SUFFIX}"
                self.fs.pipe_file(tmp, data)
                self.fs.mv(tmp, path)
            else:
                self.fs.pipe_file(path, data)
                if bytes(self.fs.cat_file(path)) != data:  # another writer's entry is the same bytes
                    self._remove(path)
        except Exception:  # a cache that cannot be written costs only time later
            pass

    def _remove(self, path: str) -> None:
        try:
            self.fs.rm(path)
        except Exception:
            pass

    def __contains__(self, key: str) -> bool:
        try:
            return bool(self.fs.exists(self._path(key)))
        except Exception:
            return False

    def check_writable(self) -> None:
        probe = f"{self.root.rstrip('/')}/.audiobook-write-test-{uuid.uuid4().hex}"
        try:
            self.fs.makedirs(self.root, exist_ok=True)
            self.fs.pipe_file(probe, b"")
            self.fs.rm(probe)
        except Exception as exc:
            raise OutputError(
                f"{self.url}: cannot write there ({exc}); give --cache-dir a place you can write, or use --no-cache"
            ) from exc

    def remove_stale_temporaries(self, older_than_s: float = 3600) -> None:
        """As a folder's: only file systems that rename leave temporaries."""
        if not self.renames:
            return
        cutoff = time.time() - older_than_s
        try:
            found = self.fs.glob(f"{self.root.rstrip('/')}/*/.*{TEMP_SUFFIX}")
        except Exception:
            return
        for tmp in found:
            try:
                if self.fs.modified(tmp).timestamp() < cutoff:
                    self.fs.rm(tmp)
            except Exception:
                pass
