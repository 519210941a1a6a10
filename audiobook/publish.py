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

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, OutputError
from .ffmpeg import ffmpeg_exe


@dataclass(frozen=True)
class Cover:
    """An image to embed: its bytes as JPEG."""

    jpeg: bytes


def load_cover(path: str | Path) -> Cover:
    """Read a JPEG or PNG cover (a PNG is converted to JPEG); InputError naming the fix otherwise."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such image; give --cover a .jpg or .png file")
    data = p.read_bytes()
    if data[:3] == b"\xff\xd8\xff":
        return Cover(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        out = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(p), "-frames:v", "1", "-f", "image2",
                              "-c:v", "mjpeg", "-q:v", "2", "-"], capture_output=True)
        if out.returncode == 0 and out.stdout[:3] == b"\xff\xd8\xff":
            return Cover(out.stdout)
        raise InputError(f"{p}: this PNG could not be read; save the cover as JPEG")
    raise InputError(f"{p}: not a JPEG or PNG image; give --cover a .jpg or .png file")


def tag_mp3(path: Path, tags: dict[str, str], cover: Cover | None) -> None:
    """ID3v2.3 tags in place: title, album, artist, album artist, composer, track, genre, year, cover."""
    from mutagen.id3 import APIC, ID3, TALB, TCOM, TCON, TDRC, TIT2, TPE1, TPE2, TRCK

    frames = {"title": TIT2, "album": TALB, "artist": TPE1, "album_artist": TPE2, "composer": TCOM,
              "track": TRCK, "genre": TCON, "year": TDRC}
    tag = ID3()
    for key, value in tags.items():
        if key in frames and value:
            tag.add(frames[key](encoding=3, text=[value]))
    if cover:
        tag.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=cover.jpeg))
    tag.save(path, v2_version=3)


def write_m4b(book_dir: Path, chapters: list[dict[str, Any]], tags: dict[str, str], cover: Cover | None,
              bitrate_kbps: int = 64) -> Path:
    """One M4B of the whole book, with a chapter marker per chapter (at the same times as the
    chapter files) and the cover; written under a temporary name, then renamed."""
    out = book_dir / "book.m4b"
    tmp = book_dir / "book.m4b.part"
    with tempfile.TemporaryDirectory() as work:
        listing = Path(work) / "chapters.txt"
        listing.write_text("".join(f"file '{(book_dir / c['file']).as_posix()}'\n" for c in chapters),
                           encoding="utf-8")
        meta = [";FFMETADATA1"]
        for key, value in (("title", tags.get("album", "")), ("album", tags.get("album", "")),
                           ("artist", tags.get("artist", "")), ("album_artist", tags.get("artist", "")),
                           ("composer", tags.get("composer", "")), ("genre", "Audiobook"),
                           ("date", tags.get("year", ""))):
            if value:
                meta.append(f"{key}={_escape(value)}")
        at = 0
        for c in chapters:
            end = at + int(round(c["duration"] * 1000))
            meta += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={at}", f"END={end}", f"title={_escape(c['title'])}"]
            at = end
        metafile = Path(work) / "meta.txt"
        metafile.write_text("\n".join(meta) + "\n", encoding="utf-8")
        cmd = [ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
               "-i", str(metafile)]
        maps = ["-map", "0:a"]
        if cover:
            art = Path(work) / "cover.jpg"
            art.write_bytes(cover.jpeg)
            cmd += ["-i", str(art)]
            maps += ["-map", "2:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
        cmd += [*maps, "-map_metadata", "1", "-map_chapters", "1", "-c:a", "aac", "-b:a", f"{bitrate_kbps}k",
                "-ar", "44100", "-ac", "1", "-movflags", "+faststart", "-f", "mp4", str(tmp)]
        done = subprocess.run(cmd, capture_output=True)
    if done.returncode != 0:
        tmp.unlink(missing_ok=True)
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise OutputError(f"{out}: ffmpeg could not write the M4B ({message[-1] if message else 'no message'})")
    os.replace(tmp, out)
    return out


def _escape(value: str) -> str:
    """ffmetadata escaping: = ; # \\ and newlines."""
    for ch in "\\=;#\n":
        value = value.replace(ch, "\\" + ch)
    return value


def write_cover(book_dir: Path, cover: Cover) -> None:
    """cover.jpg beside the files, for players that look for it."""
    tmp = book_dir / "cover.jpg.part"
    tmp.write_bytes(cover.jpeg)
    os.replace(tmp, book_dir / "cover.jpg")


def write_player(book_dir: Path, title: str) -> Path:
    """index.html: the read-along player, with the manifest inside so it works from the file system.
    The manifest is copied in piece by piece, never parsed or held whole: a long book's is large."""
    from .player import PAGE

    head, tail = PAGE.replace("__TITLE__", _html(title)).split("__MANIFEST__")
    tmp = book_dir / "index.html.part"
    with open(book_dir / "book.json", encoding="utf-8") as src, open(tmp, "w", encoding="utf-8") as out:
        out.write(head)
        carry = ""
        while chunk := src.read(1 << 16):
            text = carry + chunk
            # "</" would end the <script> element early; a split pair is carried to the next chunk.
            cut = len(text) - 1 if text.endswith("<") else len(text)
            out.write(text[:cut].replace("</", "<\\/"))
            carry = text[cut:]
        out.write(carry + tail)
    os.replace(tmp, book_dir / "index.html")
    return book_dir / "index.html"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
