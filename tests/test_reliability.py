"""Nothing a user does loses their book: two runs at once, a full disk, Ctrl-C, a damaged cache, a
renamed chapter, an apostrophe in a path. Each test drives the real command or pipeline."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from audio_tools import decode
from fake_engine import FakeEngine

from audiobook.cache import BlockCache, Stored
from audiobook.errors import OutputError
from audiobook.ffmpeg import ffmpeg_exe
from audiobook.files import TEMP_SUFFIX, temp_name
from audiobook.lock import FolderLock
from audiobook.model import BookInfo, RenderOptions
from audiobook.pipeline import generate

STORY = """Title: The Ferry Clock
Author: Test Writer

## The Captain's Log

The ferry left the quay at nine, as it had every morning for forty years.

"We are late," said Hester, and she tapped the glass of the clock.

"The clock is fast," said Amos. "It has been fast since the storm."

Hester did not answer. She watched the gulls follow the wake.

## Issue #5: 100% Fog

Fog came in over the water before noon, thick and grey and quiet.

"Slow her down," said Hester. "We will not see the buoys."

"I see them," said Amos. "I always see them."
"""


def _story(folder: Path, text: str = STORY, name: str = "ferry.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _as_from_a_terminal() -> None:
    """Ctrl-C answered as in a terminal: a test runner's worker (pytest-xdist's) may ignore SIGINT, and
    a child inherits that, as a program started in the background by a shell does."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cli(*args: str, cwd: Path | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "audiobook", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_from_a_terminal,
        **kw,
    )


def _visible(book: Path) -> list[str]:
    return sorted(p.name for p in book.iterdir() if not p.name.startswith("."))


def _check_book(book: Path) -> None:
    """Every file the manifest names is there, whole, and plays as long as the manifest says."""
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    named = {"book.json", "index.html", "playlist.m3u"}
    for ch in manifest["chapters"]:
        named |= {ch["file"], ch["transcript"]}
        seconds = len(decode(book / ch["file"])) / 44100
        assert seconds == pytest.approx(ch["duration"], abs=0.06), ch["file"]
        assert (book / ch["transcript"]).read_text(encoding="utf-8").startswith("WEBVTT")
    assert _visible(book) == sorted(named)
    page = (book / "index.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>")
    assert not list(book.glob(".staging-*")) and not list(book.glob(".*.part"))


# ---- two runs at once -------------------------------------------------------------------------------


@pytest.mark.integration
def test_a_second_run_into_a_locked_book_folder_refuses(tmp_path):
    story = _story(tmp_path)
    book = tmp_path / "out" / "Test Writer" / "The Ferry Clock"
    book.mkdir(parents=True)
    with FolderLock(book):
        with pytest.raises(OutputError, match="another audiobook run .* is writing this book"):
            generate(story, None, tmp_path / "out", engine=FakeEngine())
    generate(story, None, tmp_path / "out", engine=FakeEngine())  # released: the next run works
    _check_book(book)


@pytest.mark.integration
@pytest.mark.parametrize("cache", ["cache", "no-cache"])
def test_concurrent_renders_into_one_folder_never_mix(tmp_path, cache):
    """Two `generate` runs into one folder (and one cache), started together, three times over:
    each run either writes a whole, valid book or refuses with one line."""
    story = _story(tmp_path)
    out = tmp_path / "out"
    book = out / "Test Writer" / "The Ferry Clock"
    extra = ["--no-cache"] if cache == "no-cache" else []
    outcomes = []
    for _ in range(3):
        runs = [_cli("generate", str(story), "-o", str(out), "-q", "-j", "1", *extra) for _ in range(2)]
        for run in runs:
            _, err = run.communicate(timeout=300)
            if run.returncode == 0:
                assert err.strip() == ""
                outcomes.append("wrote")
            else:
                assert run.returncode == 7, err
                lines = err.strip().splitlines()
                assert len(lines) == 1 and "another audiobook run" in lines[0], err
                outcomes.append("refused")
        _check_book(book)
    assert "wrote" in outcomes


def test_the_line_cache_takes_concurrent_writers(tmp_path):
    """Processes writing and reading the same keys at once: a read gives a whole entry or nothing."""
    script = f"""
import sys
from audiobook.cache import BlockCache, Stored
cache = BlockCache({str(tmp_path / "cache")!r})
bad = 0
for i in range(300):
    key = f"{{i % 7:02d}}" + "ab" * 31
    payload = bytes([i % 7]) * (1000 + (i % 7) * 400)
    cache.put(key, Stored(payload, i % 7 + 1, 10, 22050))
    got = cache.get(f"{{(i + 3) % 7:02d}}" + "ab" * 31)
    if got is not None and got.mp3 != bytes([(i + 3) % 7]) * (1000 + ((i + 3) % 7) * 400):
        bad += 1
sys.exit(1 if bad else 0)
"""
    procs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    cache = BlockCache(tmp_path / "cache")
    for k in range(7):
        assert cache.get(f"{k:02d}" + "ab" * 31) is not None


# ---- the cache verifies the whole entry ---------------------------------------------------------------


def test_a_damaged_cache_header_is_a_miss(tmp_path):
    cache = BlockCache(tmp_path)
    key = "cd" * 32
    cache.put(key, Stored(b"\xff\xfb" + bytes(400), 3, 1000, 22050))
    path = next(tmp_path.rglob("*.block"))
    data = bytearray(path.read_bytes())
    frames_at = 8  # after the 8-byte magic: the frame count
    data[frames_at] ^= 0x01
    path.write_bytes(bytes(data))
    assert cache.get(key) is None
    assert not path.exists()  # removed: the line is made again


def test_an_entry_under_another_keys_name_is_a_miss(tmp_path):
    cache = BlockCache(tmp_path)
    cache.put("ab" * 32, Stored(b"\xff\xfb" + bytes(400), 3, 1000, 22050))
    other = tmp_path / "ef" / f"{'ef' * 32}.block"
    other.parent.mkdir()
    other.write_bytes(next(tmp_path.rglob("*.block")).read_bytes())
    assert cache.get("ef" * 32) is None


# ---- stale files ---------------------------------------------------------------------------------------


@pytest.mark.integration
def test_the_folder_holds_exactly_what_the_last_run_made(tmp_path):
    """A renamed chapter, a cover and an M4B no longer asked for: the old files go; a file of the
    user's stays."""
    story = _story(tmp_path)
    cover = tmp_path / "cover.png"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=navy:s=64x64", "-frames:v", "1", str(cover)],
        check=True,
    )
    out = tmp_path / "out"
    report = generate(story, None, out, RenderOptions(m4b=True), BookInfo(cover=str(cover)), engine=FakeEngine())
    book = Path(report.output_dir)
    assert {"cover.jpg", "book.m4b", "01 - The Captain's Log.mp3"} <= set(_visible(book))
    (book / "my notes.txt").write_text("mine", encoding="utf-8")
    story.write_text(STORY.replace("## The Captain's Log", "## The Harbour Master"), encoding="utf-8")
    generate(story, None, out, engine=FakeEngine())
    names = _visible(book)
    assert "01 - The Harbour Master.mp3" in names and "01 - The Harbour Master.vtt" in names
    assert not [n for n in names if "Captain" in n]
    assert "cover.jpg" not in names and "book.m4b" not in names
    assert "my notes.txt" in names
    (book / "my notes.txt").unlink()
    _check_book(book)
    # A file of ours that the user has since replaced is theirs: it stays.
    generate(story, None, out, None, BookInfo(cover=str(cover)), engine=FakeEngine())
    (book / "cover.jpg").write_bytes(b"the user's own picture")
    generate(story, None, out, engine=FakeEngine())
    assert (book / "cover.jpg").read_bytes() == b"the user's own picture"


def test_a_failed_run_leaves_the_previous_book_as_it_was(tmp_path, monkeypatch):
    story = _story(tmp_path)
    out = tmp_path / "out"
    book = Path(generate(story, None, out, engine=FakeEngine()).output_dir)
    before = {p.name: p.read_bytes() for p in book.iterdir() if p.is_file() and not p.name.startswith(".")}
    story.write_text(STORY.replace("forty years", "fifty years"), encoding="utf-8")

    import audiobook.pipeline as pipeline

    real = pipeline.write_transcript
    calls = []

    def failing(*args, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real(*args, **kw)

    monkeypatch.setattr(pipeline, "write_transcript", failing)
    with pytest.raises(OutputError):
        generate(story, None, out, engine=FakeEngine())
    after = {p.name: p.read_bytes() for p in book.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert after == before
    assert not list(book.glob(".staging-*"))


# ---- M4B with any path and title ----------------------------------------------------------------------


@pytest.mark.integration
def test_m4b_with_a_relative_output_and_apostrophes(tmp_path):
    story = _story(tmp_path)
    run = _cli(
        "generate",
        story.name,
        "-o",
        "output/",
        "--format",
        "m4b",
        "--author",
        "Flann O'Brien",
        "-q",
        "-j",
        "1",
        cwd=tmp_path,
    )
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    book = tmp_path / "output" / "Flann O'Brien" / "The Ferry Clock"
    meta = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(book / "book.m4b"), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "title=The Captain's Log" in meta and "title=Issue \\#5: 100% Fog" in meta
    assert "artist=Flann O'Brien" in meta
    audio = decode(book / "book.m4b")
    chapters = json.loads((book / "book.json").read_text(encoding="utf-8"))["chapters"]
    assert len(audio) / 44100 == pytest.approx(sum(c["duration"] for c in chapters), abs=0.2)
    peak_db = 20 * __import__("math").log10(float(abs(audio).max()))
    assert peak_db <= -3.0, f"the M4B peaks at {peak_db:.2f} dBFS"


# ---- a full disk ------------------------------------------------------------------------------------


@pytest.fixture()
def small_disk(tmp_path):
    """A 3 MB file system (tmpfs, as root); where mounting is not allowed, writes fail with ENOSPC."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3M", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.integration
def test_a_full_disk_is_one_line_and_leaves_nothing_half_written(tmp_path, small_disk):
    story = _long_story(tmp_path)  # about 30 minutes of audio: 30 MB
    run = _cli("generate", str(story), "-o", str(small_disk), "-j", "1", "-q")
    _, err = run.communicate(timeout=300)
    assert run.returncode == 7, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert "no space left" in lines[0] and "MB is needed" in lines[0] and str(small_disk) in lines[0]
    assert "Traceback" not in err
    leftovers = [p for p in small_disk.rglob("*") if p.name.endswith(".part") or p.name.startswith(".staging-")]
    assert leftovers == []
    book = small_disk / "Test Writer" / "The Long Night"
    assert not book.exists() or _visible(book) == []  # nothing published from a run that failed
    assert list((small_disk / ".cache").rglob("*.block"))  # what was finished is kept


# ---- Ctrl-C and SIGTERM ------------------------------------------------------------------------------


def _long_story(tmp_path: Path) -> Path:
    paragraphs = [
        f'"Line {i} of the long night," said {"Hester" if i % 2 else "Amos"}, '
        f"and the ferry rolled on through the dark water for a while longer."
        for i in range(400)
    ]
    return _story(
        tmp_path, "Title: The Long Night\nAuthor: Test Writer\n\n" + "\n\n".join(paragraphs) + "\n", "night.md"
    )


@pytest.mark.integration
@pytest.mark.parametrize(
    "sig,code,word,times",
    [
        (signal.SIGINT, 130, "interrupted", 1),
        (signal.SIGINT, 130, "interrupted", 2),
        (signal.SIGTERM, 143, "terminated", 1),
    ],
)
def test_an_interrupted_render_says_one_line_and_keeps_its_cache(tmp_path, sig, code, word, times):
    story = _long_story(tmp_path)
    out = tmp_path / "out"
    run = _cli("generate", str(story), "-o", str(out), "-j", "2", "-q", start_new_session=True)
    cache = out / ".cache"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(cache.rglob("*.block"))) < 20:
        time.sleep(0.05)
    assert run.poll() is None, "the render finished before it could be interrupted"
    for _ in range(times):  # an impatient user presses Ctrl-C twice
        if sig == signal.SIGINT:
            os.killpg(run.pid, sig)  # Ctrl-C: the terminal signals the whole process group
        else:
            run.send_signal(sig)  # kill PID: the main process alone
        time.sleep(0.1)
    _, err = run.communicate(timeout=60)
    assert run.returncode == code, err
    assert err.strip().splitlines() == [f"Error: {word}; what was finished is kept in the cache"], err
    entries = list(cache.rglob("*.block"))
    blocks = BlockCache(cache)
    assert entries and all(blocks.get(p.stem) is not None for p in entries)
    book = out / "Test Writer" / "The Long Night"
    assert not book.exists() or _visible(book) == []


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _render_with_workers(tmp_path: Path, out: Path) -> tuple[subprocess.Popen, list[int], list[int]]:
    """A `-j 2` render under way, with (its forkserver, its two workers) once they have made lines (no
    forkserver when the workers are spawned)."""
    run = _cli("generate", str(_long_story(tmp_path)), "-o", str(out), "-j", "2", "-q", start_new_session=True)
    deadline = time.monotonic() + 120
    server: list[int] = []
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        if len(list((out / ".cache").rglob("*.block"))) >= 10:
            children = {c: Path(f"/proc/{c}/cmdline").read_text() for c in _children(run.pid)}
            server = [c for c, line in children.items() if "forkserver" in line]
            workers = [w for s in server for w in _children(s)]
            if not server:  # spawned workers (AUDIOBOOK_NO_FORK=1, as on Windows): the render's children
                workers = [c for c, line in children.items() if "spawn_main" in line]
        time.sleep(0.05)
    assert len(workers) == 2 and run.poll() is None, "no workers found while the render ran"
    return run, server, workers


@pytest.mark.integration
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
def test_a_worker_killed_mid_render_ends_the_run_with_one_line(tmp_path):
    """A worker killed by the system (the OOM killer, say) must not leave the render waiting for ever."""
    out = tmp_path / "out"
    run, _, workers = _render_with_workers(tmp_path, out)
    os.kill(workers[0], signal.SIGKILL)
    try:
        _, err = run.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
        pytest.fail("the render hung after its worker died")
    assert run.returncode == 6, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "worker process died" in lines[0], err
    assert BlockCache(out / ".cache").get(next((out / ".cache").rglob("*.block")).stem) is not None


# ---- more of the same kinds, found while fixing the above ---------------------------------------


@pytest.mark.integration
def test_a_cover_whose_name_looks_like_an_ffmpeg_protocol_is_read_as_a_file(tmp_path, monkeypatch):
    from audiobook.publish import load_cover

    monkeypatch.chdir(tmp_path)
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=32x32",
            "-frames:v",
            "1",
            "-f",
            "image2",
            "-c:v",
            "png",
            "file:cache:art.png",
        ],
        check=True,
    )
    assert Path("cache:art.png").is_file() and not Path("art.png").exists()
    assert load_cover("cache:art.png").jpeg[:3] == b"\xff\xd8\xff"  # ffmpeg's cache: protocol is not asked


def test_a_title_with_a_line_break_cannot_add_a_playlist_entry(tmp_path):
    story = _story(tmp_path)
    report = generate(
        story, None, tmp_path / "out", None, BookInfo(title="Night\nevil.mp3", author="A\r\nB"), engine=FakeEngine()
    )
    book = Path(report.output_dir)
    lines = (book / "playlist.m3u").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 2 * 2 and not [n for n in lines if n == "evil.mp3"]
    assert all(n.startswith("#EXT") or n.endswith(".mp3") for n in lines)


def test_windows_device_names_are_not_used_as_folder_names():
    from audiobook.publish import safe_name

    assert [safe_name(n) for n in ("CON", "nul", "Com1", "LPT9.txt", "Connor", "Auxiliary")] == [
        "CON (book)",
        "nul (book)",
        "Com1 (book)",
        "LPT9.txt (book)",
        "Connor",
        "Auxiliary",
    ]


def test_a_speaker_name_is_escaped_in_the_transcript():
    from audiobook.assemble import webvtt

    vtt = webvtt([(0.0, 1.0, "Tom & <Jerry>", "Run --> now & <b>")])
    assert "<v Tom &amp; &lt;Jerry&gt;>Run --&gt; now &amp; &lt;b&gt;" in vtt


def test_script_write_refuses_to_overwrite_the_story(tmp_path):
    from click.testing import CliRunner

    from audiobook.cli import cli

    story = _story(tmp_path)
    before = story.read_bytes()
    r = CliRunner().invoke(cli, ["script", str(story), "--write", str(story)])
    assert r.exit_code == 2 and "is the story itself" in r.output
    assert story.read_bytes() == before
    r = CliRunner().invoke(cli, ["cast", str(story), "-c", str(story), "--write"])
    assert r.exit_code == 2 and "is the story itself" in r.output
    assert story.read_bytes() == before


def test_temporary_files_of_killed_cache_writers_are_removed_when_old(tmp_path):
    story = _story(tmp_path)
    out = tmp_path / "out"
    # Named as the cache's writers name them (files.atomic_path), beside an old entry that must stay.
    old = out / ".cache" / "ab" / f"{temp_name(Path('ab12.block'))}killed{TEMP_SUFFIX}"
    young = out / ".cache" / "cd" / f"{temp_name(Path('cd34.block'))}running{TEMP_SUFFIX}"
    entry = out / ".cache" / "ab" / "ab56.block"
    for f in (old, young, entry):
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"half")
    for f in (old, entry):
        os.utime(f, (time.time() - 86400, time.time() - 86400))
    generate(story, None, out, engine=FakeEngine())
    assert not old.exists() and young.exists() and entry.exists()


def test_an_unwritable_cache_dir_is_one_line_not_a_silent_miss(tmp_path):
    from click.testing import CliRunner

    from audiobook.cli import cli

    story = _story(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    r = CliRunner().invoke(
        cli, ["generate", str(story), "-o", str(tmp_path / "out"), "--cache-dir", str(blocker / "cache"), "-j", "1"]
    )
    assert r.exit_code == 7, r.output
    assert r.output.strip().splitlines()[-1].startswith(f"Error: {blocker / 'cache'}: cannot write there")
    assert "--no-cache" in r.output


def test_an_interrupt_while_publishing_waits_until_the_book_is_whole(tmp_path, monkeypatch):
    import audiobook.publish as publish

    story = _story(tmp_path)
    out = tmp_path / "out"
    book = Path(generate(story, None, out, engine=FakeEngine()).output_dir)
    story.write_text(STORY.replace("forty years", "fifty long years"), encoding="utf-8")
    real = os.replace
    moved = []

    def replace(src, dst):
        if Path(dst).parent == book:  # a staged file moving into place
            moved.append(dst)
            if len(moved) == 2:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between two of those renames
        return real(src, dst)

    monkeypatch.setattr(publish.os, "replace", replace)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (see _cli)
    try:
        with pytest.raises(KeyboardInterrupt):
            generate(story, None, out, engine=FakeEngine())
    finally:
        signal.signal(signal.SIGINT, before)
    monkeypatch.undo()
    assert len(moved) > 2
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    assert "fifty long years" in json.dumps(manifest)  # the new book, all of it
    _check_book(book)


@pytest.mark.integration
def test_long_titles_in_any_script_fit_the_file_system(tmp_path):
    title = "\u6c34" * 300
    story = _story(
        tmp_path,
        STORY.replace("## The Captain's Log", "## Stars " + "\U0001f600" * 60).replace(
            "Title: The Ferry Clock", f"Title: {title}"
        ),
    )
    report = generate(story, None, tmp_path / "out", engine=FakeEngine())
    book = Path(report.output_dir)
    assert all(len(p.name.encode()) <= 170 for p in [book, *book.iterdir()])
    assert json.loads((book / "book.json").read_text(encoding="utf-8"))["title"] == title
    _check_book(book)


@pytest.mark.integration
def test_a_full_disk_while_writing_the_m4b_is_the_full_disk_line(tmp_path, small_disk):
    from audiobook.publish import write_m4b

    book = Path(generate(_story(tmp_path), None, tmp_path / "out", engine=FakeEngine()).output_dir)
    manifest = json.loads((book / "book.json").read_text(encoding="utf-8"))
    for ch in manifest["chapters"]:
        (small_disk / ch["file"]).write_bytes((book / ch["file"]).read_bytes())
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * max(0, free - 8192))
    with pytest.raises(OutputError, match="no space left on the device"):
        write_m4b(small_disk, manifest["chapters"], {"album": "x"}, None)
    assert sorted(p.name for p in small_disk.iterdir()) == sorted(
        [c["file"] for c in manifest["chapters"]] + ["filler"]
    )


@pytest.mark.integration
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
def test_workers_do_not_outlive_a_killed_render(tmp_path):
    run, server, workers = _render_with_workers(tmp_path, tmp_path / "out")
    run.kill()  # kill -9: no clean-up runs in the main process
    run.wait()  # (a shell reaps it at once too)
    helpers = workers + server
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in helpers):
        time.sleep(0.2)
    alive = [p for p in helpers if Path(f"/proc/{p}").exists()]
    for p in alive:
        os.kill(p, signal.SIGKILL)
    run.communicate()
    assert alive == [], "processes left running after the render was killed"


def test_a_worker_that_cannot_start_its_engine_says_why(tmp_path):
    """An engine known only in this process (registered, as the tests' fake one is) cannot be built in a
    worker: the run stops with the reason, not with "a worker died while speaking"."""
    from audiobook.errors import EngineError
    from audiobook.model import RenderOptions

    story = _story(tmp_path)
    with pytest.raises(EngineError) as err:
        generate(story, None, tmp_path / "out", RenderOptions(jobs=2, use_cache=False), engine=FakeEngine())
    assert "could not start the 'fake' engine: unknown engine 'fake'" in str(err.value)
    assert "died" not in str(err.value)
