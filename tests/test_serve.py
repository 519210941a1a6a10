"""`audiobook serve`: byte ranges (what lets a browser seek in the player's audio) and page URLs that
answer whatever the book's title holds. Through the real command, run as a subprocess on a free port
of 127.0.0.1 and stopped at the end; and `audiobook.serve` called directly."""

from __future__ import annotations

import http.client
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from serving import serving

DATA = bytes(range(256)) * 40  # 10,240 bytes, every offset recognisable
SIZE = len(DATA)
ODD_AUTHOR = "Zoë Ångström & Co"
ODD_TITLE = "100% Pure #1 & 'Friends' ü"  # what `safe_name` keeps of such a title: # % & ' spaces


def _get(base: str, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
    try:
        conn.request(method, path, headers=headers)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("served")
    (root / "chapter.mp3").write_bytes(DATA)
    (root / "empty.bin").write_bytes(b"")
    book = root / ODD_AUTHOR / ODD_TITLE
    book.mkdir(parents=True)
    (book / "index.html").write_text("<!doctype html><title>odd</title>", encoding="utf-8")
    (book / "01 - Issue #5 - 50% off.mp3").write_bytes(DATA[:300])
    return root


@pytest.fixture(scope="module")
def served(folder):
    with serving(folder) as (base, urls):
        yield base, urls


def test_a_whole_file_says_it_takes_ranges(served):
    base, _ = served
    status, head, body = _get(base, "/chapter.mp3")
    assert (status, body) == (200, DATA)
    assert head["accept-ranges"] == "bytes" and head["content-length"] == str(SIZE)
    assert head["content-type"] == "audio/mpeg"


@pytest.mark.parametrize(
    "spec, first, last",
    [
        ("bytes=100-199", 100, 199),
        ("bytes=0-0", 0, 0),
        ("bytes=100-", 100, SIZE - 1),  # open: to the end
        ("bytes=-500", SIZE - 500, SIZE - 1),  # suffix: the last 500 bytes
        ("bytes=-99999", 0, SIZE - 1),  # a suffix longer than the file: all of it
        ("bytes=9000-99999", 9000, SIZE - 1),  # a last byte past the end: up to the end
        ("bytes=0-", 0, SIZE - 1),  # what a browser asks first for media
    ],
)
def test_a_byte_range_is_answered_with_206(served, spec, first, last):
    base, _ = served
    status, head, body = _get(base, "/chapter.mp3", Range=spec)
    assert status == 206
    assert head["content-range"] == f"bytes {first}-{last}/{SIZE}"
    assert head["content-length"] == str(last - first + 1)
    assert head["accept-ranges"] == "bytes"
    assert body == DATA[first : last + 1]


@pytest.mark.parametrize("spec", ["bytes=10240-", "bytes=20000-30000", "bytes=-0"])
def test_a_range_outside_the_file_is_416(served, spec):
    base, _ = served
    status, head, body = _get(base, "/chapter.mp3", Range=spec)
    assert status == 416
    assert head["content-range"] == f"bytes */{SIZE}"
    assert body == b""


@pytest.mark.parametrize("spec", ["bytes=0-1,5-6", "items=0-10", "bytes=abc", "bytes=50-10", "bytes=-"])
def test_a_range_it_does_not_take_gets_the_whole_file(served, spec):
    base, _ = served
    status, head, body = _get(base, "/chapter.mp3", Range=spec)
    assert (status, body, head["content-length"]) == (200, DATA, str(SIZE))
    assert head["accept-ranges"] == "bytes"


def test_head_and_if_range(served):
    base, _ = served
    status, head, body = _get(base, "/chapter.mp3", "HEAD", Range="bytes=-500")
    assert (status, head["content-length"], body) == (206, "500", b"")
    assert head["content-range"] == f"bytes {SIZE - 500}-{SIZE - 1}/{SIZE}"
    modified = _get(base, "/chapter.mp3", "HEAD")[1]["last-modified"]
    assert _get(base, "/chapter.mp3", Range="bytes=5-9", **{"If-Range": modified})[:3:2] == (206, DATA[5:10])
    stale = "Thu, 01 Jan 2004 00:00:00 GMT"  # the file changed since: all of it
    assert _get(base, "/chapter.mp3", Range="bytes=5-9", **{"If-Range": stale})[:3:2] == (200, DATA)


def test_an_empty_file_and_folders_still_work(served):
    base, _ = served
    status, head, body = _get(base, "/empty.bin", Range="bytes=0-")
    assert (status, head["content-length"], head["accept-ranges"], body) == (200, "0", "bytes", b"")
    assert _get(base, "/nothing.mp3")[0] == 404
    author = urllib.parse.quote(ODD_AUTHOR)
    status, head, _ = _get(base, f"/{author}")
    assert status == 301 and head["location"].endswith(f"/{author}/")
    assert _get(base, f"/{author}/")[0] == 200  # the listing


def test_the_printed_urls_answer_whatever_the_title_holds(served, folder):
    base, urls = served
    assert urls == [base + urllib.parse.quote(f"{ODD_AUTHOR}/{ODD_TITLE}/index.html")]
    with urllib.request.urlopen(urls[0], timeout=20) as r:
        assert (r.status, r.read()) == (200, (folder / ODD_AUTHOR / ODD_TITLE / "index.html").read_bytes())
    chapter = urls[0].rsplit("/", 1)[0] + "/" + urllib.parse.quote("01 - Issue #5 - 50% off.mp3")
    with urllib.request.urlopen(urllib.request.Request(chapter, headers={"Range": "bytes=-10"}), timeout=20) as r:
        assert (r.status, r.read()) == (206, DATA[290:300])


def test_parse_range_and_the_server_in_a_thread(folder):
    from audiobook.serve import parse_range, running

    assert parse_range("bytes=-500", 1000) == range(500, 1000)
    assert parse_range("bytes=100-", 1000) == range(100, 1000)
    assert parse_range("bytes=1000-", 1000) == range(0)
    assert parse_range("bytes=0-", 0) is None
    with running(folder) as server:
        assert server.base.startswith("http://127.0.0.1:") and server.server_address[0] == "127.0.0.1"
        assert _get(server.base, "/chapter.mp3", Range="bytes=-500")[0] == 206
        assert len(server.pages()) == 1
    with pytest.raises(OSError):  # stopped and closed
        _get(server.base, "/chapter.mp3")


def test_a_port_in_use_is_one_line_naming_the_fix(folder):
    from audiobook.errors import OutputError
    from audiobook.serve import running

    with running(folder) as server:
        with pytest.raises(OutputError, match="choose another with --port"):
            with running(folder, server.server_address[1]):
                pass


def test_hidden_files_are_not_served(tmp_path):
    """The line cache, the lock and the listing are ours: a listener's browser never sees them."""
    import urllib.error

    from audiobook.serve import running

    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.block").write_bytes(b"frames")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / ".audiobook-files").write_text("a\n", encoding="utf-8")
    (tmp_path / "book" / "a.mp3").write_bytes(b"mp3")
    with running(tmp_path) as server:
        for hidden in (".cache/", ".cache/x.block", "book/.audiobook-files", "book/%2Eaudiobook-files"):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(server.base + hidden, timeout=10)
            assert err.value.code == 404, hidden
        with urllib.request.urlopen(server.base + "book/a.mp3", timeout=10) as r:
            assert r.read() == b"mp3"
        (tmp_path / "book" / "<b>&.mp3").write_bytes(b"odd")
        for folder, shown, hidden in (("", "book/", ".cache"), ("book/", "a.mp3", ".audiobook-files")):
            with urllib.request.urlopen(server.base + folder, timeout=10) as r:
                listing = r.read().decode("utf-8")
            assert f'href="{shown}"' in listing and hidden not in listing, listing
        assert "&lt;b&gt;&amp;.mp3" in listing and 'href="%3Cb%3E%26.mp3"' in listing
