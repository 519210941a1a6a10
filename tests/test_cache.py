"""The clip and block caches: exact reuse, damaged entries are misses, pronunciations key only their lines."""

from __future__ import annotations

from fake_engine import FakeEngine

from audiobook.cache import BlockCache, Stored, line_key
from audiobook.model import RenderOptions, VoiceSpec
from audiobook.pipeline import generate
from audiobook.speech import Pronouncer

STORY = (
    "Chapter 1\n\nNora Vance opened the gate. \u201cThe okapi is loose,\u201d she said.\n\n"
    "Felix Vance laughed. \u201cAn okapi? Here?\u201d\n\n\u201cNo, the goat.\u201d\n"
)


def test_roundtrip_and_damage(tmp_path):
    store = BlockCache(tmp_path)
    entry = Stored(b"\xff\xfb" * 300, 3, 22050, 22050)
    key = line_key("hello", VoiceSpec("fake", "fake/mid"), "fake", "1", 250, "enc")
    assert store.get(key) is None
    store.put(key, entry)
    assert store.get(key) == entry
    path = next(tmp_path.rglob("*.block"))
    path.write_bytes(path.read_bytes()[:-7])  # truncated
    assert store.get(key) is None and not path.exists()
    store.put(key, entry)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # corrupted
    path.write_bytes(bytes(data))
    assert store.get(key) is None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")  # empty
    assert store.get(key) is None


def test_key_covers_every_setting():
    base = VoiceSpec("espeak", "gmw/en-us", 170, 50, 1.0)

    def key(text="Hi.", voice=base, engine="espeak", version="1.52", pause=250, enc="e1"):
        return line_key(text, voice, engine, version, pause, enc)

    keys = {
        key(voice=v)
        for v in (
            base,
            VoiceSpec("espeak", "gmw/en-us+f2", 170, 50, 1.0),
            VoiceSpec("espeak", "gmw/en-us", 171, 50, 1.0),
            VoiceSpec("espeak", "gmw/en-us", 170, 51, 1.0),
            VoiceSpec("espeak", "gmw/en-us", 170, 50, 0.9),
        )
    }
    keys |= {key(text="Hi!"), key(version="1.53"), key(engine="pyttsx3"), key(pause=251), key(enc="e2")}
    assert len(keys) == 10


def test_pronunciations_whole_words_and_case():
    say = Pronouncer({"okapi": "oh-KAH-pee", "May": "Mae"})
    assert say("The Okapi and the okapis.") == "The oh-KAH-pee and the okapis."
    assert say("May we? In May.") == "Mae we? In Mae."
    assert say("you may") == "you may"


def _render(tmp_path, config_text: str | None):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    cfg = None
    if config_text is not None:
        cfg = tmp_path / "voices.yaml"
        cfg.write_text(config_text, encoding="utf-8")
    return generate(story, cfg, tmp_path / "out", engine=FakeEngine())


def test_pronunciation_changes_only_its_lines(tmp_path):
    first = _render(tmp_path, "")
    assert (first.synthesized, first.reused) == (first.segments, 0)
    again = _render(tmp_path, "")
    assert (again.synthesized, again.reused) == (0, again.segments)
    changed = _render(tmp_path, "pronunciations:\n  okapi: oh-KAH-pee\n")
    assert changed.synthesized == 2  # the two lines that say "okapi"
    assert changed.reused == changed.segments - 2


def test_no_cache_synthesizes_everything(tmp_path):
    _render(tmp_path, None)
    story = tmp_path / "story.txt"
    r = generate(story, None, tmp_path / "out", RenderOptions(use_cache=False), engine=FakeEngine())
    assert r.synthesized == r.segments and r.reused == 0


def test_cache_dir_can_be_moved(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    generate(story, None, tmp_path / "out", RenderOptions(cache_dir=tmp_path / "elsewhere"), engine=FakeEngine())
    assert any((tmp_path / "elsewhere").rglob("*.block"))
    assert not (tmp_path / "out" / ".cache").exists()


def test_a_voice_with_its_own_data_keys_its_lines_by_it():
    """An engine whose voices carry their own data (a neural model's file) gives each voice its own
    version: changing one voice's data changes only its lines' keys."""
    from fake_engine import FakeEngine

    from audiobook.model import VoiceSpec
    from audiobook.synth import _job

    class TwoModels(FakeEngine):
        data = {"fake/a": "model-a-1", "fake/b": "model-b-1"}

        def voice_version(self, voice_id: str) -> str:
            return f"{self.version} {self.data.get(voice_id, '')}"

    engine = TwoModels()
    a, b = VoiceSpec("fake", "fake/a"), VoiceSpec("fake", "fake/b")
    before = [_job("The tide turned.", v, 250, "", engine, 128).key for v in (a, b)]
    engine.data = {**engine.data, "fake/b": "model-b-2"}
    after = [_job("The tide turned.", v, 250, "", engine, 128).key for v in (a, b)]
    assert before[0] == after[0] and before[1] != after[1]
    assert FakeEngine().voice_version("fake/a") == FakeEngine().version  # by default, the engine's version


# The cache on an fsspec URL: the same entries, verified the same way, for the nodes of a cluster.


def _url_roots(tmp_path):
    import uuid

    return [f"memory://cache-{uuid.uuid4().hex}", (tmp_path / "shared").as_uri()]


def test_url_cache_roundtrip_and_damage(tmp_path):
    import fsspec

    for root in _url_roots(tmp_path):
        store = BlockCache(root)
        entry = Stored(b"\xff\xfb" * 300, 3, 22050, 22050)
        key = line_key("hello", VoiceSpec("fake", "fake/mid"), "fake", "1", 250, "enc")
        assert store.get(key) is None and key not in store
        store.put(key, entry)
        assert key in store and store.get(key) == entry
        fs, path = fsspec.core.url_to_fs(f"{root}/{key[:2]}/{key}.block")
        assert fs.cat_file(path)[:8] == b"ABBLOCK3"  # the folder's format, byte for byte
        local = BlockCache(tmp_path / "local")
        local.put(key, entry)
        assert fs.cat_file(path) == next((tmp_path / "local").rglob("*.block")).read_bytes()
        fs.pipe_file(path, fs.cat_file(path)[:-7])  # truncated
        assert store.get(key) is None and not fs.exists(path)
        store.put(key, entry)
        data = bytearray(fs.cat_file(path))
        data[-1] ^= 0xFF  # corrupted
        fs.pipe_file(path, bytes(data))
        assert store.get(key) is None
        assert not [p for p in fs.find(root) if p.endswith(".part")]  # no temporary left


def test_url_cache_second_render_is_all_hits_and_the_same_bytes(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    for root in _url_roots(tmp_path):
        opts = RenderOptions(cache_dir=root)
        first = generate(story, None, tmp_path / "one", opts, engine=FakeEngine())
        again = generate(story, None, tmp_path / "two", opts, engine=FakeEngine())
        assert (first.synthesized, first.reused) == (first.segments, 0)
        assert (again.synthesized, again.reused) == (0, again.segments)
        mp3s = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.mp3"))
        assert mp3s and mp3s == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*.mp3"))
        for name in mp3s:
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
        assert not (tmp_path / "one" / ".cache").exists()


def test_a_cache_url_that_cannot_be_used_is_one_error(tmp_path):
    import pytest

    from audiobook.errors import OutputError

    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    with pytest.raises(OutputError, match="nosuchfs://x"):
        generate(story, None, tmp_path / "out", RenderOptions(cache_dir="nosuchfs://x"), engine=FakeEngine())
