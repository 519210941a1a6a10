"""`audiobook batch`: many books on one pool of workers; a bad book is reported by name and the others
are done; the stories are found under folders; the summary table."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner

from audiobook.batch import BookResult, SharedExecutors, find_stories, summary_table
from audiobook.cli import cli
from audiobook.model import BuildReport

GOOD = {
    "kettle.md": (
        "Title: The Kettle\nAuthor: Batch Press\n\n## One\n\n"
        "The kettle began to sing on the stove.\n\n"
        "\u201cTea or coffee?\u201d asked Wren.\n\n\u201cTea, and plenty of it,\u201d said Aldo.\n"
    ),
    "lamp.txt": (
        "Title: A Lamp in the Window\nAuthor: Batch Press\n\nCHAPTER 1\n\n"
        "Someone had left a lamp burning in the window of the empty house.\n\n"
        "\u201cWho lit it?\u201d asked Juno, and nobody answered.\n"
    ),
}
BAD = "Title: Nothing Here\n\n## Only a heading\n"


@pytest.mark.integration
def test_a_bad_book_is_reported_by_name_and_the_others_are_done(tmp_path):
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    for name, text in GOOD.items():
        (shelf / name).write_text(text, encoding="utf-8")
    (shelf / "broken.md").write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(shelf), "-o", str(out), "-j", "2"])
    assert result.exit_code == 4, result.output  # the bad book's own exit code (errors.ExitCode.INPUT)
    assert "failed: broken.md: " in result.output and "no story to read" in result.output
    assert "2 of 3 books done, 1 failed" in result.output
    table = [line for line in result.output.splitlines() if line.startswith(("kettle.md", "lamp.txt", "broken.md"))]
    assert [line.split()[:2] for line in table] == [
        ["broken.md", "FAILED"],
        ["kettle.md", "done"],
        ["lamp.txt", "done"],
    ]
    for title in ("The Kettle", "A Lamp in the Window"):
        assert len(list((out / "Batch Press" / title).glob("*.mp3"))) == 1


@pytest.mark.integration
def test_batch_matches_generate_book_by_book(tmp_path):
    """Books rendered side by side on one shared pool come out as each rendered alone with --jobs 1."""
    for name, text in GOOD.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    stories = [str(tmp_path / name) for name in GOOD]
    batch = CliRunner().invoke(cli, ["batch", *stories, "-o", str(tmp_path / "b"), "-j", "2", "-q"])
    assert batch.exit_code == 0, batch.output
    for story in stories:
        alone = CliRunner().invoke(cli, ["generate", story, "-o", str(tmp_path / "g"), "-j", "1", "-q"])
        assert alone.exit_code == 0, alone.output
    made = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.mp3")}
    alone = {p.relative_to(tmp_path / "g"): p.read_bytes() for p in (tmp_path / "g").rglob("*.mp3")}
    assert len(made) == 2 and made == alone


def test_stories_are_found_under_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "two.md").write_text("x")
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / "a" / "voices.yaml").write_text("x")
    (tmp_path / "a" / ".hidden").mkdir()
    (tmp_path / "a" / ".hidden" / "no.md").write_text("x")
    (tmp_path / "a" / "out" / "Author" / "Title").mkdir(parents=True)
    (tmp_path / "a" / "out" / "Author" / "Title" / "index.html").write_text("x")  # a book made before
    (tmp_path / "b.epub").write_text("x")
    found = find_stories(
        [tmp_path / "a", tmp_path / "b.epub", tmp_path / "a" / "one.txt", "missing.md"], tmp_path / "a" / "out"
    )
    assert [p.name for p in found] == ["one.txt", "two.md", "b.epub", "missing.md"]


def test_summary_table():
    done = BuildReport(output_dir="out/A/T", chapters=3, audio_seconds=3725, synthesized=70, reused=5)
    table = summary_table([BookResult("x/first.md", done, seconds=8.04), BookResult("second.txt", error="bad")])
    lines = table.splitlines()
    assert lines[0].split() == ["book", "result", "chapters", "audio", "synthesized", "reused", "seconds"]
    assert lines[1].split() == ["first.md", "done", "3", "1:02:05", "70", "5", "8.0"]
    assert lines[2].split() == ["second.txt", "FAILED", "-", "-", "-", "-", "0.0"]
    assert lines[3:] == ["1 of 2 books done, 1 failed", "failed: second.txt: bad"]


def test_a_pool_not_safe_for_threads_is_lent_to_one_map_at_a_time(fake):
    """A local pool shared by books: a second book's map waits until the first's results are read, or
    closed half-read (a book that failed), and the shared executor is closed once, by the batch."""

    class Pool:
        closed = 0

        def map(self, units):
            return iter([[u] for u in units])

        def close(self):
            Pool.closed += 1

    class Start:
        def start(self, engine, cache_root, workers, engines):
            return Pool()

    shared = SharedExecutors(Start())
    one = shared.start(fake, None, 2, 1)
    assert shared.start(fake, None, 2, 1) is one  # one executor for every book
    first = one.map([1, 2])
    assert next(first) == [1]
    got: list[object] = []
    other = threading.Thread(target=lambda: got.extend(one.map([3])))
    other.start()
    other.join(0.2)
    assert other.is_alive() and not got  # held by the first map
    first.close()  # the first book stopped half-way
    other.join(5)
    assert got == [[3]]
    one.close()
    assert Pool.closed == 0
    shared.close()
    assert Pool.closed == 1
