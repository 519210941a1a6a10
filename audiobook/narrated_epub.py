"""The narrated EPUB: an EPUB 3 of the book's text with a media overlay per chapter, so that an e-reader
that plays media overlays (Thorium, Readest, Apple Books, BookFusion) reads the book aloud and
highlights each line as it is spoken.

One XHTML document per chapter: every spoken line (the announced title too) is an element with a stable
id (`seg-N`, N its index in the chapter's `segments` in book.json) and its speaker as a class, coloured by
the stylesheet (narration plain). One SMIL per chapter pairs each id with its clip in the chapter's audio.
The audio is the chapter MP3 re-encoded at the EPUB's bitrate, so every clip lies exactly where book.json
says: see `transcode`. Chapters are added as they are rendered (their audio re-encoded then); `write`
makes the package into one file of the staging folder, which is published with the rest of the book.
"""

from __future__ import annotations

import datetime
import errno
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

from .assemble import ChapterAudio
from .encode import FRAME_SAMPLES, OUTPUT_RATE, count_frames
from .epub_documents import EpubChapter, PackageInfo, package_files, speaker_classes
from .errors import OutputError
from .ffmpeg import ffmpeg_exe, ffmpeg_file
from .files import atomic_path
from .model import BookInfo, CastChapter, Script
from .narrated_source import is_epub3, write_narrated_source

EPUB_KBPS = 64
# ffmpeg's MP3 encoder (LAME) and decoder together put this many samples of silence before the first
# one: LAME's 576 and the decoder's 529 (measured: decoding a re-encoded chapter and correlating it with
# the chapter file finds it 1105 samples late). The decoded chapter is cut by as much before it is
# encoded again, so the EPUB's audio plays every line at the chapter file's times (and book.json's).
REENCODE_DELAY_SAMPLES = 1105


def transcode(src: Path, dst: Path, kbps: int = EPUB_KBPS) -> float:
    """The chapter MP3 `src` as a mono MP3 at `kbps` in `dst`, with no tags and no Xing header (as the
    chapter files are: every decoder plays it from the same first sample). Returns its length in
    seconds. The first REENCODE_DELAY_SAMPLES decoded samples are dropped: the encoder and decoder put
    them back, so the audio is where it was to the sample."""
    cut = f"atrim=start_sample={REENCODE_DELAY_SAMPLES},asetpts=N/SR/TB"
    cmd = [ffmpeg_exe(), "-v", "error", "-y", "-i", ffmpeg_file(src), "-map", "0:a", "-af", cut]
    cmd += ["-c:a", "libmp3lame", "-b:a", f"{kbps}k", "-ac", "1", "-ar", str(OUTPUT_RATE)]
    cmd += ["-write_xing", "0", "-id3v2_version", "0", "-map_metadata", "-1", "-f", "mp3", ffmpeg_file(dst)]
    done = subprocess.run(cmd, capture_output=True)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        if "No space left on device" in message:  # said by the render with the space needed
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        last = message.splitlines()[-1] if message else "no message"
        raise OutputError(f"{dst.name}: ffmpeg could not encode the EPUB's audio ({last})")
    return count_frames(dst.read_bytes()) * FRAME_SAMPLES / OUTPUT_RATE


class NarratedEpub:
    """The EPUB, gathered chapter by chapter (`add`) and written whole at the end (`write`)."""

    def __init__(
        self,
        work: Path,
        info: BookInfo,
        script: Script,
        cover: bytes | None,
        kbps: int = EPUB_KBPS,
        source: Path | None = None,
    ):
        self.work, self.info, self.cover, self.kbps = work, info, cover, kbps
        self.source = source if source is not None and is_epub3(source) else None  # narrated as it is
        self.language = script.language or "en"
        self.classes = speaker_classes(script)
        self.breaks = {ch.index: ch.scene_breaks for ch in script.chapters}
        self.chapters: list[EpubChapter] = []
        work.mkdir(parents=True, exist_ok=True)

    def add(self, ch: CastChapter, audio: ChapterAudio) -> None:
        """A finished chapter: its audio re-encoded at the EPUB's bitrate now, its text kept for `write`."""
        dst = self.work / f"chapter-{ch.index:03d}.mp3"
        duration = transcode(audio.path, dst, self.kbps)
        breaks = self.breaks.get(ch.index, frozenset())
        self.chapters.append(EpubChapter(ch.index, ch.title, ch.lines, tuple(audio.timings), dst, duration, breaks))

    def write(self, path: Path) -> Path:
        """The whole EPUB into `path` (written under a temporary name, then renamed); the work folder is
        removed after. When the story is an EPUB 3, the EPUB is the story's own, narrated (narrated_source.py),
        unless none of its lines can be found in its documents."""
        if self.source and write_narrated_source(self.source, path, self.chapters, self.classes, self.modified()):
            shutil.rmtree(self.work, ignore_errors=True)
            return path
        cover_href = "cover.jpg" if self.cover else "cover.svg"
        about = PackageInfo(self.identifier(), self.info, self.language, self.modified(), cover_href)
        files = package_files(about, self.chapters, self.classes, self.cover)
        with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            for name, data in files:
                z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
            for ch in self.chapters:
                z.write(ch.audio, f"EPUB/audio/{ch.name}.mp3", compress_type=zipfile.ZIP_STORED)
        shutil.rmtree(self.work, ignore_errors=True)
        return path

    def identifier(self) -> str:
        """The book's identifier: the same for the same title and author, run after run."""
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"audiobook:{self.info.title}\0{self.info.author}"))

    @staticmethod
    def modified() -> str:
        """dcterms:modified: now, in UTC, to the second."""
        return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
