"""The read-along player in a real browser: headless Chromium driven by Playwright (no browser download:
Debian's chromium, found on the PATH). Skips, saying why, where there is none; CI installs it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
if not CHROMIUM:
    pytest.skip("no Chromium on this machine: `apt-get install chromium` (.ci/run does it)", allow_module_level=True)

ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--mute-audio"]


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_publishes_the_player_on_localhost(example_render):
    _, book = example_render
    root = book.parent.parent
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "audiobook", "serve", str(root), "--port", str(port)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout
        assert proc.stdout.readline().startswith(f"Serving {root} at http://127.0.0.1:{port}/")
        url = proc.stdout.readline().strip()
        assert url.endswith("/index.html")
        for _ in range(50):
            try:
                page = urllib.request.urlopen(url, timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert '<script id="manifest"' in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)
