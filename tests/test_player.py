"""The read-along player in a real browser: headless Chromium driven by Playwright (no browser download:
Debian's chromium, found on the PATH). Where there is none they skip, saying why; in CI (which
installs it) they fail."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from serving import serving

from audiobook.model import BookInfo, RenderOptions

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
if not CHROMIUM:
    _MISSING = "no Chromium on this machine: `apt-get install chromium` (.ci/run does it)"
    if os.environ.get("CI"):
        pytest.fail(_MISSING, pytrace=False)  # CI runs every test: the player is not left untested
    pytest.skip(_MISSING, allow_module_level=True)

ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--autoplay-policy=no-user-gesture-required",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--mute-audio",
]


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, example_render):
    _, book = example_render
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.goto((book / "index.html").as_uri())
    yield pg, book
    context.close()


def _manifest(book: Path):
    return json.loads((book / "book.json").read_text(encoding="utf-8"))


def test_page_lists_the_chapters_and_plays(page):
    pg, book = page
    titles = pg.locator("#chapters button").all_inner_texts()
    assert [t.split("\n")[0] for t in titles] == [c["title"] for c in _manifest(book)["chapters"]]
    assert pg.locator("#title").inner_text() == "The Lantern at Gull Point"
    pg.evaluate("player.audio.play()")
    pg.wait_for_function("player.audio.currentTime > 1.0", timeout=15000)
    pg.wait_for_function("player.current() !== null", timeout=5000)
    assert pg.locator("#transcript li.current").count() == 1


def test_seeking_highlights_the_line_under_the_playhead(page):
    pg, book = page
    chapter = _manifest(book)["chapters"][0]
    line = next(s for s in chapter["segments"] if s["speaker"] == "Mara")
    pg.evaluate(f"player.seek({line['start'] + 0.3})")
    pg.wait_for_function(f"Math.abs(player.audio.currentTime - {line['start'] + 0.3}) < 0.2", timeout=5000)
    current = pg.locator("#transcript li.current")
    assert current.count() == 1
    assert current.locator(".who").inner_text().lower() == "mara"
    assert line["text"] in current.locator(".text").inner_text()


def test_click_on_a_line_seeks_there_and_keys_play_and_pause(page):
    pg, book = page
    chapter = _manifest(book)["chapters"][0]
    shown = [s for s in chapter["segments"] if s["end"] > s["start"]]
    n = next(i for i, s in enumerate(shown) if s["speaker"] == "Tobias")
    pg.locator("#transcript li").nth(n).click()
    pg.wait_for_function(f"Math.abs(player.audio.currentTime - {shown[n]['start']}) < 0.5", timeout=5000)
    assert pg.locator("#transcript li.current .who").inner_text().lower() == "tobias"
    pg.wait_for_function("!player.audio.paused", timeout=5000)
    pg.locator("body").press("Space")
    pg.wait_for_function("player.audio.paused", timeout=5000)
    pg.locator("#chapters button").nth(2).click()
    assert pg.locator("#chapters button").nth(2).get_attribute("aria-current") == "true"
    if os.environ.get("AUDIOBOOK_SCREENSHOT"):
        pg.evaluate("player.load(0, false); player.seek(%f)" % (shown[n]["start"] + 0.2))
        pg.mouse.move(1190, 890)
        pg.wait_for_timeout(800)
        pg.evaluate("window.scrollTo(0, 0)")
        pg.screenshot(path=os.environ["AUDIOBOOK_SCREENSHOT"])


def test_serve_publishes_the_player_on_localhost(example_render):
    _, book = example_render
    root = book.parent.parent
    with serving(root) as (base, urls):
        assert len(urls) == 1 and urls[0].endswith("/index.html")
        with urllib.request.urlopen(urls[0], timeout=20) as r:
            assert '<script id="manifest"' in r.read().decode()


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    yield ctx
    ctx.close()


def test_over_serve_a_click_on_a_line_seeks_there_and_the_arrows_skip(context, example_render):
    _, book = example_render
    chapter = _manifest(book)["chapters"][0]
    shown = [s for s in chapter["segments"] if s["end"] > s["start"]]
    n = next(i for i, s in enumerate(shown) if s["speaker"] == "Tobias")
    with serving(book.parent.parent) as (_, urls):
        pg = context.new_page()
        pg.goto(urls[0])
        pg.wait_for_function(
            f"player.audio.seekable.length > 0 && player.audio.seekable.end(0) > {chapter['duration'] - 0.5}",
            timeout=20000,
        )
        pg.locator("#transcript li").nth(n).click()
        pg.wait_for_function(f"Math.abs(player.audio.currentTime - {shown[n]['start']}) < 0.5", timeout=20000)
        pg.wait_for_function(
            f"document.querySelector('#transcript li.current') === document.querySelectorAll('#transcript li')[{n}]",
            timeout=20000,
        )
        assert pg.locator("#transcript li.current .who").inner_text().lower() == "tobias"
        pg.locator("body").press("Space")
        pg.wait_for_function("player.audio.paused", timeout=20000)
        at = pg.evaluate("player.audio.currentTime")
        pg.locator("body").press("ArrowRight")
        pg.wait_for_function(f"Math.abs(player.audio.currentTime - {at + 5}) < 0.1", timeout=20000)
        pg.locator("body").press("ArrowLeft")
        pg.wait_for_function(f"Math.abs(player.audio.currentTime - {at}) < 0.1", timeout=20000)


ODD_TITLE = "100% Pure #1 & 'Co'? Zoë"
ODD_AUTHOR = "Ada Ångström & Co"
ODD_STORY = """## Issue #5: 50% & 'Why?'

Wren swept the step before the shop opened.

## Ünïcødé café #2 ?q=1&x

Wren shut the shop at noon.
"""
MARKUP = ["<!-- <script>", "</script>", "]]>", "&amp;", "\u2028"]
MARKUP_TITLE = "Tags </title> <!-- & ]]>"
MARKUP_STORY = """## The <!-- slate --> & </script>

The clerk chalked <!-- <script> on the slate, then </script> under it, and ]]> lower down.

"It says &amp; here," said Wren.

The note broke here\u2028and carried on.
"""


def _render(tmp_path_factory, name: str, story: str, title: str, author: str, suffix: str = ".md") -> tuple[Path, Path]:
    from audiobook.pipeline import generate

    work = tmp_path_factory.mktemp(name)
    (work / f"story{suffix}").write_text(story, encoding="utf-8")
    report = generate(
        work / f"story{suffix}", None, work / "out", RenderOptions(jobs=1), BookInfo(title=title, author=author)
    )
    return work / "out", Path(report.output_dir)


@pytest.fixture(scope="module")
def odd_render(tmp_path_factory):
    """A short book whose title, author and chapter titles hold # % ? ' & spaces and letters beyond ASCII."""
    root, book = _render(tmp_path_factory, "odd", ODD_STORY, ODD_TITLE, ODD_AUTHOR)
    assert "#" in book.name and "%" in book.name and "#" in _manifest(book)["chapters"][0]["file"]
    return root, book


@pytest.mark.parametrize("over", ["file", "serve"])
def test_a_book_with_odd_characters_in_its_titles_plays_every_chapter(context, odd_render, over):
    root, book = odd_render
    chapters = _manifest(book)["chapters"]
    with contextlib.ExitStack() as stack:
        if over == "file":
            url = (book / "index.html").as_uri()
        else:
            _, urls = stack.enter_context(serving(root))
            assert len(urls) == 1
            with urllib.request.urlopen(urls[0], timeout=20) as r:
                assert r.status == 200
            url = urls[0]
        pg = context.new_page()
        pg.goto(url)
        assert pg.title() == ODD_TITLE and pg.locator("#title").inner_text() == ODD_TITLE
        assert pg.locator("#byline").inner_text() == f"by {ODD_AUTHOR}"
        for i, ch in enumerate(chapters):
            pg.evaluate(f"player.load({i}, true)")
            pg.wait_for_function("player.audio.currentTime > 0.3 || player.audio.error !== null", timeout=20000)
            assert pg.evaluate("player.audio.error") is None
            src = pg.evaluate("decodeURIComponent(new URL(player.audio.src).pathname)")
            assert src.endswith("/" + ch["file"])


def test_story_text_that_looks_like_markup_is_shown_literally(context, tmp_path_factory):
    # Plain text, where markup is only text (a Markdown story's HTML comments are not read at all).
    _, book = _render(tmp_path_factory, "markup", MARKUP_STORY, MARKUP_TITLE, "Wren & <Co>", ".txt")
    pg = context.new_page()
    pg.goto((book / "index.html").as_uri())
    chapter = _manifest(book)["chapters"][0]
    expected = [
        s["text"] if s["kind"] != "dialogue" else f"\u201c{s['text']}\u201d"
        for s in chapter["segments"]
        if s["end"] > s["start"]
    ]
    pg.wait_for_function("document.querySelectorAll('#transcript .text').length > 0", timeout=20000)
    shown = pg.evaluate("[...document.querySelectorAll('#transcript .text')].map(e => e.textContent)")
    assert shown == expected
    for text in MARKUP:
        assert any(text in line for line in shown), text
    assert pg.title() == MARKUP_TITLE and pg.locator("#title").inner_text() == MARKUP_TITLE
    assert pg.locator("#byline").inner_text() == "by Wren & <Co>"
    assert pg.locator("#chapters button").first.inner_text().split("\n")[0] == chapter["title"]
    assert pg.locator("script").count() == 2  # the manifest and the player
