"""Publish: what players need around the chapter files. Tags and covers, one M4B with chapter markers,
and the read-along page.

Audiobookshelf, Apple Books, Smart AudioBook Player and VLC read the following:
- `Author/Title/` folders;
- zero-padded track numbers and TRCK n/N;
- album = title, artist and album artist = author, composer = narrator;
- an embedded cover and a cover.jpg beside the files;
- M4B chapters.
"""

from __future__ import annotations

import datetime
import errno
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .assemble import ChapterAudio
from .errors import InputError, OutputError
from .ffmpeg import ffmpeg_exe, ffmpeg_file
from .files import TEMP_SUFFIX, atomic_path, atomic_write, deferred_interrupts, write_bytes, write_text
from .model import BookInfo, CastChapter, CastScript, Character, RenderOptions, Script

if TYPE_CHECKING:
    from .narrated_epub import NarratedEpub


@dataclass(frozen=True)
class Cover:
    """An image to embed: its bytes as JPEG."""

    jpeg: bytes


def load_cover(path: str | Path) -> Cover:
    """Read a JPEG or PNG cover (a PNG is converted to JPEG); InputError naming the fix otherwise."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such image; give --cover a .jpg or .png file")
    return cover_from_bytes(p.read_bytes(), str(p))


def cover_from_bytes(data: bytes, name: str) -> Cover:
    """A cover from a JPEG's or PNG's bytes (a PNG is converted to JPEG; an EPUB's own cover comes so);
    `name` says where they came from in an InputError."""
    if data[:3] == b"\xff\xd8\xff":
        return Cover(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        out = subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-f", "png_pipe", "-i", "pipe:0"]
            + ["-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", "-q:v", "2", "-"],
            input=data,
            capture_output=True,
        )
        if out.returncode == 0 and out.stdout[:3] == b"\xff\xd8\xff":
            return Cover(out.stdout)
        raise InputError(f"{name}: this PNG could not be read; save the cover as JPEG")
    raise InputError(f"{name}: not a JPEG or PNG image; give --cover a .jpg or .png file")


def tag_mp3(path: Path, tags: dict[str, str], cover: Cover | None) -> None:
    """ID3v2.3 tags in place: title, album, artist, album artist, composer, track, genre, year, cover."""
    from mutagen.id3 import APIC, ID3, TALB, TCOM, TCON, TDRC, TIT2, TPE1, TPE2, TRCK

    frames = {
        "title": TIT2,
        "album": TALB,
        "artist": TPE1,
        "album_artist": TPE2,
        "composer": TCOM,
        "track": TRCK,
        "genre": TCON,
        "year": TDRC,
    }
    tag = ID3()
    for key, value in tags.items():
        if key in frames and value:
            tag.add(frames[key](encoding=3, text=[value]))
    if cover:
        tag.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=cover.jpeg))
    tag.save(path, v2_version=3)


def write_m4b(
    book_dir: Path, chapters: list[dict[str, Any]], tags: dict[str, str], cover: Cover | None, bitrate_kbps: int = 96
) -> Path:
    """One M4B of the whole book, with a chapter marker per chapter (at the same times as the
    chapter files) and the cover. Any path and title the file system accepts works: the chapter files
    are named to ffmpeg by absolute path, quoted in its concat syntax."""
    out = book_dir / "book.m4b"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        listing = work / "chapters.txt"
        listing.write_text(
            "".join(f"file {_concat_quote(ffmpeg_file(book_dir / c['file']))}\n" for c in chapters), encoding="utf-8"
        )
        metafile = work / "meta.txt"
        metafile.write_text(_m4b_metadata(chapters, tags), encoding="utf-8")
        cmd = [ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(metafile)]
        maps = ["-map", "0:a"]
        if cover:
            art = work / "cover.jpg"
            art.write_bytes(cover.jpeg)
            cmd += ["-i", str(art)]
            maps += ["-map", "2:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
        # AAC overshoots the MP3s' peaks (measured on the example: 3 dB at 64 kbit/s, 0.4 dB at 96): at
        # 96 kbit/s or more, behind a limiter at -4 dBFS, the M4B's peaks stay under ACX's -3 dBFS.
        # ffmpeg's fast AAC coder: on the example, 3.2 s where the default (twoloop) takes 14.3 s, at
        # 36 dB signal-to-noise against the source where twoloop gives 26 (docs/output.md, M4B).
        aac = ["-af", M4B_LIMITER, "-c:a", "aac", "-aac_coder", "fast", "-b:a", f"{bitrate_kbps}k"]
        aac += ["-ar", "44100", "-ac", "1"]
        mp4 = ["-movflags", "+faststart", "-f", "mp4"]
        _run_ffmpeg([*cmd, *maps, "-map_metadata", "1", "-map_chapters", "1", *aac, *mp4], out)
    return out


def _m4b_metadata(chapters: list[dict[str, Any]], tags: dict[str, str]) -> str:
    """The book's tags and chapter markers in ffmpeg's metadata format (times in milliseconds)."""
    meta = [";FFMETADATA1"]
    for key, value in (
        ("title", tags.get("album", "")),
        ("album", tags.get("album", "")),
        ("artist", tags.get("artist", "")),
        ("album_artist", tags.get("artist", "")),
        ("composer", tags.get("composer", "")),
        ("genre", "Audiobook"),
        ("date", tags.get("year", "")),
    ):
        if value:
            meta.append(f"{key}={_escape(value)}")
    at = 0
    for c in chapters:
        end = at + int(round(c["duration"] * 1000))
        meta += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={at}", f"END={end}", f"title={_escape(c['title'])}"]
        at = end
    return "\n".join(meta) + "\n"


def _run_ffmpeg(cmd: list[str], out: Path) -> None:
    """Run ffmpeg writing `out` atomically; a full disk as an OSError (the caller names the folder),
    any other failure as one OutputError line."""
    with atomic_path(out) as tmp:
        done = subprocess.run([*cmd, ffmpeg_file(tmp)], capture_output=True)
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip()
            if "No space left on device" in message:
                raise OSError(errno.ENOSPC, "No space left on device", str(out))
            last = message.splitlines()[-1] if message else "no message"
            raise OutputError(f"{out.name}: ffmpeg could not write the M4B ({last})")


M4B_LIMITER = "alimiter=limit=0.63:level=disabled"


def _concat_quote(path: str) -> str:
    """A path in ffmpeg's concat syntax: in single quotes, each ' written as '\\''."""
    return "'" + path.replace("'", "'\\''") + "'"


def one_line(text: str) -> str:
    """Text for a one-line field (a playlist entry, a metadata value): line breaks and other control
    characters become spaces, so a title given as `--title "A<newline>B"` cannot add a line."""
    return " ".join(_CONTROL.sub(" ", text).split())


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _escape(value: str) -> str:
    """ffmetadata escaping: = ; # \\ (control characters folded first)."""
    value = one_line(value)
    for ch in "\\=;#":
        value = value.replace(ch, "\\" + ch)
    return value


def write_cover(book_dir: Path, cover: Cover) -> Path:
    """cover.jpg beside the files, for players that look for it."""
    write_bytes(book_dir / "cover.jpg", cover.jpeg)
    return book_dir / "cover.jpg"


def write_player(book_dir: Path, title: str) -> Path:
    """index.html: the read-along player, with the manifest inside so it works from the file system.
    The manifest is copied in piece by piece, never parsed or held whole: a long book's is large."""
    from .player import PAGE

    head, tail = PAGE.replace("__TITLE__", _html(title)).split("__MANIFEST__")
    with open(book_dir / "book.json", encoding="utf-8") as src, atomic_write(book_dir / "index.html", "w") as out:
        out.write(head)
        while chunk := src.read(1 << 16):
            out.write(chunk.translate(_SCRIPT_SAFE))
        out.write(tail)
    return book_dir / "index.html"


# In JSON these characters occur only inside strings, where \uXXXX means the same; escaped, no text
# can end the <script> element ("</script>"), open a comment ("<!--") or a CDATA section, and U+2028
# and U+2029 cannot break older JavaScript parsers. One character each: a chunk boundary splits nothing.
_SCRIPT_SAFE = str.maketrans({c: f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"})


def _html(text: str) -> str:
    """Text for HTML content or a quoted attribute value."""
    return html.escape(text, quote=True)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?", re.IGNORECASE)


def safe_name(text: str, limit: int = 80, limit_bytes: int = 160) -> str:
    """A file or folder name that every file system accepts (Windows' reserved device names too): at
    most `limit` characters and `limit_bytes` bytes of UTF-8, for file systems count a name's bytes
    (255 at most) and a temporary name adds a few to it."""
    name = re.sub(r"\s*:\s*", " - ", text)
    name = re.sub(r"\s+", " ", _UNSAFE.sub("-", name)).strip(" .-") or "Untitled"
    name = name[:limit]
    while len(name.encode("utf-8")) > limit_bytes:
        name = name[:-1]
    name = name.rstrip(" .-") or "Untitled"
    return f"{name} (book)" if _RESERVED.fullmatch(name) else name


STAGING_PREFIX = ".staging-"
LISTING = ".audiobook-files"  # what the last run published here: the next one removes what it drops


class BookFolder:
    """A book's folder, replaced as a whole. A run writes every file into a staging folder inside it;
    `publish` moves them into place (the manifest last) and removes the files the previous run wrote
    that this one did not (a renamed chapter, a cover or M4B no longer asked for), never a file we did
    not write. A run that fails leaves the previous book exactly as it was.

    Only one run may use a folder at a time: hold its `FolderLock` (lock.py) around all of this."""

    def __init__(self, folder: Path):
        self.folder = folder
        clear_leftovers(folder)
        self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        self.names: list[str] = []

    def file(self, name: str) -> Path:
        """Where this run writes `name`, until it is published."""
        if name not in self.names:
            self.names.append(name)
        return self.staging / name

    def keep(self, path: Path) -> None:
        """Publish `path` too: a file that a writer named itself in the staging folder."""
        self.file(path.name)

    def publish(self) -> list[Path]:
        """Move every file into place, the manifest last; returns their final paths. Nothing is written
        here, only renamed and removed, and Ctrl-C waits until it is done: a book is never left half
        switched by anything short of SIGKILL or a power cut (which the next run repairs)."""
        previous = self._listing()
        listing = {n: self._identity(self.staging / n) for n in self.names}
        write_text(self.staging / LISTING, "".join(f"{n}\t{size}\t{mtime}\n" for n, (size, mtime) in listing.items()))
        order = sorted(self.names, key=lambda n: n == "book.json") + [LISTING]
        with deferred_interrupts():
            for name in order:
                os.replace(self.staging / name, self.folder / name)
            for name, identity in previous.items():
                path = self.folder / name
                # Only a file of ours, as we left it: one the user has since replaced is theirs.
                if name not in listing and self._identity(path) == identity:
                    path.unlink(missing_ok=True)
        self.discard()
        return [self.folder / n for n in self.names]

    def discard(self) -> None:
        """Remove the staging folder and all it holds."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def _listing(self) -> dict[str, tuple[int, int]]:
        """The files the previous run published, each with its size and modification time then (plain
        names only: nothing outside this folder)."""
        try:
            rows = (self.folder / LISTING).read_text(encoding="utf-8").splitlines()
        except OSError:
            return {}
        found = {}
        for row in rows:
            name, _, rest = row.partition("\t")
            size, _, mtime = rest.partition("\t")
            if name and name == Path(name).name and not name.startswith(".") and size.isdigit() and mtime.isdigit():
                found[name] = (int(size), int(mtime))
        return found

    @staticmethod
    def _identity(path: Path) -> tuple[int, int]:
        try:
            st = path.stat()
        except OSError:
            return (-1, -1)
        return (st.st_size, st.st_mtime_ns)


def clear_leftovers(folder: Path) -> None:
    """Remove what a killed run left in `folder` (its staging folder, a temporary file). Only while
    holding the folder's lock: no other run is at work there then."""
    for stale in folder.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in folder.glob(f".*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def book_info(given: BookInfo | None, script: Script, engine_version: str) -> BookInfo:
    """The book's tags: what was given, then the story's own header, then defaults (the narrator
    credit names the engine; the year is this one)."""
    given = given or BookInfo()
    return BookInfo(
        title=given.title or script.title,
        author=given.author or script.author,
        narrator=given.narrator or script.narrator or f"audiobook text-to-speech ({engine_version})",
        year=given.year or script.year or str(datetime.date.today().year),
        cover=given.cover,
    )


def book_folder(root: Path, info: BookInfo) -> Path:
    """Where a book goes under the output folder: `Author/Title/`, as audiobook players expect."""
    return root / safe_name(info.author) / safe_name(info.title)


def chapter_stem(index: int, total: int, title: str) -> str:
    """A chapter's file name before its extension: its number, zero-padded so that files sort in
    reading order, then its title."""
    return f"{index:0{max(2, len(str(total)))}d} - {safe_name(title)}"


class BookWriter:
    """What goes around the chapter files, written as each chapter is finished (its tags, manifest
    entry and playlist line) and at the end (the playlist, the cover, the read-along page and, when
    asked, the M4B and the narrated EPUB), all into the folder's staging area."""

    def __init__(
        self,
        folder: BookFolder,
        info: BookInfo,
        cover: Cover | None,
        total: int,
        about: dict[str, Any],
        epub: NarratedEpub | None = None,
    ) -> None:
        self.folder, self.info, self.cover, self.total, self.epub = folder, info, cover, total, epub
        self.tags = {
            "album": info.title,
            "artist": info.author,
            "album_artist": info.author,
            "composer": info.narrator,
            "genre": "Audiobook",
            "year": info.year,
        }
        self.manifest = ManifestWriter(folder.file("book.json"), about)
        self.playlist = ["#EXTM3U"]
        self.chapters: list[dict[str, Any]] = []

    def chapter_files(self, ch: CastChapter) -> tuple[Path, Path]:
        """Where chapter `ch`'s MP3 and WebVTT transcript are written."""
        stem = chapter_stem(ch.index, self.total, ch.title)
        return self.folder.file(f"{stem}.mp3"), self.folder.file(f"{stem}.vtt")

    def add(self, ch: CastChapter, audio: ChapterAudio, transcript: Path) -> None:
        """A finished chapter: its file tagged, its entry in the manifest and the playlist."""
        tag_mp3(audio.path, {**self.tags, "title": ch.title, "track": f"{ch.index}/{self.total}"}, self.cover)
        self.manifest.add(chapter_entry(ch, audio, transcript.name))
        self.chapters.append({"title": ch.title, "file": audio.path.name, "duration": round(audio.duration, 3)})
        entry = one_line(f"{self.info.title} - {ch.title}")
        self.playlist += [f"#EXTINF:{int(round(audio.duration))},{entry}", audio.path.name]
        if self.epub:
            self.epub.add(ch, audio)

    def finish(self, m4b: bool, mp3_kbps: int) -> None:
        """Every chapter is in: close the manifest, then the book's other files (the M4B when asked,
        at 96 kbit/s, or 128 when the MP3s are at ACX's 192)."""
        self.manifest.close()
        staging = self.folder.staging
        write_text(self.folder.file("playlist.m3u"), "\n".join(self.playlist) + "\n")
        if self.cover:
            self.folder.keep(write_cover(staging, self.cover))
        self.folder.keep(write_player(staging, self.info.title))
        if m4b:
            aac_kbps = 128 if mp3_kbps >= 192 else 96
            self.folder.keep(write_m4b(staging, self.chapters, self.tags, self.cover, aac_kbps))
        if self.epub:
            self.folder.keep(self.epub.write(staging / f"{safe_name(self.info.title)}.epub"))

    def abort(self) -> None:
        """Stop writing (the staging folder is discarded by the caller)."""
        self.manifest.abort()


def book_about(
    info: BookInfo, source: str, engine: str, cast: list[tuple[Character, str]], language: str = ""
) -> dict[str, Any]:
    """The head of book.json: the book's details (its language when the source names one, as an EPUB
    does) and every character with the voice id they speak in."""
    return {
        "title": info.title,
        "author": info.author,
        "narrator": info.narrator,
        "year": info.year,
        **({"language": language} if language else {}),
        "source": source,
        "engine": engine,
        "characters": [
            {
                "name": c.name,
                "aliases": list(c.aliases),
                "gender": c.gender,
                "age": c.age,
                "lines": c.lines,
                "words": c.words,
                "voice": voice,
            }
            for c, voice in cast
        ],
    }


class ManifestWriter:
    """book.json written chapter by chapter, so a long book's manifest is never all in memory. The
    file is made of whole JSON values: the head's members, then each chapter as it is added."""

    def __init__(self, path: Path, head: dict[str, Any]):
        self.path = path
        self._f = open(path, "w", encoding="utf-8")
        members = [f"  {json.dumps(k)}: {_indented(v, 2)}" for k, v in head.items()]
        self._f.write("{\n" + "".join(m + ",\n" for m in members) + '  "chapters": [')
        self._first = True

    def add(self, chapter: dict[str, Any]) -> None:
        """Append one chapter's entry."""
        self._f.write(("\n    " if self._first else ",\n    ") + _indented(chapter, 4))
        self._first = False

    def close(self) -> None:
        """Finish the file and flush it to disk."""
        self._f.write("\n  ]\n}\n")
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()

    def abort(self) -> None:
        """Stop writing (the staging folder is discarded with it)."""
        self._f.close()


def _indented(value: Any, by: int) -> str:
    """`value` as JSON indented by two spaces a level, its first line at the caller's column and the
    rest `by` spaces in: what `json.dumps(whole, indent=2)` writes for a member `by` spaces deep."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * by)


def chapter_entry(ch: CastChapter, audio: ChapterAudio, transcript: str) -> dict[str, Any]:
    """A chapter's entry in book.json: its file, transcript, length, and every line with its times."""
    segments = []
    for line, t in zip(ch.lines, audio.timings):
        seg = line.segment
        segments.append(
            {
                "kind": seg.kind,
                "speaker": seg.speaker,
                "role": line.role,
                "voice": line.voice.voice_id,
                "rate": line.voice.rate,
                "pitch": line.voice.pitch,
                "volume": line.voice.volume,
                "start": round(t.start, 3),
                "end": round(t.end, 3),
                "source_start": seg.start,
                "source_end": seg.end,
                "rule": seg.rule,
                "confidence": seg.confidence,
                "text": seg.text,
            }
        )
    return {
        "index": ch.index,
        "title": ch.title,
        "file": audio.path.name,
        "transcript": transcript,
        "duration": round(audio.duration, 3),
        "segments": segments,
    }


def estimate_bytes(cast: CastScript, options: RenderOptions) -> int:
    """Roughly what a render writes: the chapter files (about 15 characters of text a second of
    speech, plus pauses), as much again for the line cache, and the M4B."""
    chars = sum(len(line.segment.text) for ch in cast.chapters for line in ch.lines)
    pauses = sum(line.pause_after_ms for ch in cast.chapters for line in ch.lines) / 1000
    seconds = chars / 15 + pauses
    mp3 = seconds * options.bitrate_kbps * 125
    epub = seconds * options.epub_kbps * 125 if options.epub else 0
    return int(mp3 * (2 if options.use_cache else 1) + (seconds * 8000 if options.m4b else 0) + epub)


def estimated_size(cast: CastScript, options: RenderOptions) -> str:
    """`estimate_bytes` as a person reads it: "40 MB", "1.2 GB"."""
    n = estimate_bytes(cast, options)
    return f"{max(1, round(n / 1e6))} MB" if n < 1e9 else f"{n / 1e9:.1f} GB"
