"""voices.yaml -> VoicesConfig, validated; every message names the file, the line and the key.

engine: auto                 # auto | espeak | pyttsx3
narrator: {voice: gmw/en-gb-x-rp, rate: 165, pitch: 40, volume: 1.0}
characters:
  Leo: {aliases: [Leo Carson], voice: gmw/en-us+Nguyen, rate: 185, pitch: 70}
fallback: {voice: gmw/en-us+m1}        # dialogue by anyone not listed, or by no one known
pauses: {within_paragraph: 250, paragraph: 650, scene_break: 1800, title: 1500, head: 700, tail: 1500}
pronunciations: {Okafor: Oh-KAH-for, gif: jif}   # whole words; a lower-case key matches any case
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engines import engine_of
from .errors import ConfigError
from .files import write_text
from .model import VoiceSpec

RATE_RANGE = (80, 450)
PITCH_RANGE = (0, 100)
VOLUME_RANGE = (0.0, 1.0)
PAUSE_RANGE = (0, 10000)

_TOP_KEYS = ("engine", "narrator", "characters", "fallback", "pauses", "pronunciations")
_VOICE_KEYS = ("voice", "rate", "pitch", "volume")
_PAUSE_KEYS = ("within_paragraph", "paragraph", "scene_break", "title", "head", "tail")


@dataclass(frozen=True)
class VoiceEntry:
    """A voice and its settings as voices.yaml gives them; unset fields are None."""

    voice: str | None = None
    rate: int | None = None
    pitch: int | None = None
    volume: float | None = None
    line: int = 0  # where `voice` is, for errors found later (an id the engine lacks)

    def spec(self, engine: str, base: VoiceSpec) -> VoiceSpec:
        """This entry over `base`: fields it leaves unset come from there. Its voice is `engine`'s
        unless its id names another engine (`espeak:gmw/en-us` in a Piper cast)."""
        engine, voice_id = engine_of(self.voice, engine) if self.voice is not None else (base.engine, base.voice_id)
        return VoiceSpec(
            engine=engine,
            voice_id=voice_id,
            rate=self.rate if self.rate is not None else base.rate,
            pitch=self.pitch if self.pitch is not None else base.pitch,
            volume=self.volume if self.volume is not None else base.volume,
        )


@dataclass(frozen=True)
class CharacterEntry:
    """One cast character: their voice and every other name the text uses for them."""

    name: str
    aliases: tuple[str, ...] = ()
    voice: VoiceEntry = VoiceEntry()


@dataclass(frozen=True)
class Pauses:
    """Silences in milliseconds."""

    within_paragraph: int = 250
    paragraph: int = 650
    scene_break: int = 1800
    title: int = 1500  # after a chapter's announced title
    head: int = 700
    tail: int = 1500


@dataclass(frozen=True)
class VoicesConfig:
    """The validated contents of voices.yaml (or the defaults when there is none)."""

    path: str = ""
    engine: str = "auto"
    narrator: VoiceEntry = VoiceEntry()
    characters: tuple[CharacterEntry, ...] = ()
    fallback: VoiceEntry | None = None
    pauses: Pauses = field(default_factory=Pauses)
    pronunciations: dict[str, str] = field(default_factory=dict)

    def voice_entries(self) -> list[tuple[str, VoiceEntry]]:
        """(key path, entry) for every voice the file names: for checking ids against the engine."""
        out = [("narrator", self.narrator)]
        out += [(f"characters.{c.name}", c.voice) for c in self.characters]
        if self.fallback:
            out.append(("fallback", self.fallback))
        return [(k, e) for k, e in out if e.voice is not None]


def _suggest(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"expected one of: {', '.join(allowed)}"


class _Reader:
    """Walks the YAML tree with line numbers at hand."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, line: int | None, key: str, message: str) -> ConfigError:
        where = f"{self.path}:{line}" if line else self.path
        return ConfigError(f"{where}: {key}: {message}" if key else f"{where}: {message}")

    @staticmethod
    def line_of(mapping: Any, key: str) -> int | None:
        try:
            return int(mapping.lc.key(key)[0]) + 1
        except Exception:
            return getattr(getattr(mapping, "lc", None), "line", -1) + 1 or None

    def mapping(self, node: Any, key: str, line: int | None, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        if node is None:
            return {}
        if not isinstance(node, dict):
            raise self.fail(line, key, f"expected a mapping of keys to values, got {_show(node)}")
        if allowed is not None:
            for k in node:
                if not isinstance(k, str) or k not in allowed:
                    raise self.fail(
                        self.line_of(node, k),
                        f"{key}.{k}" if key else str(k),
                        f"unknown key; {_suggest(str(k), allowed)}",
                    )
        return node

    def number(self, node: Any, key: str, line: int | None, lo: float, hi: float, integer: bool) -> Any:
        kind = "a whole number" if integer else "a number"
        ok = isinstance(node, int) and not isinstance(node, bool)
        if not integer:
            ok = ok or isinstance(node, float)
        if not ok or not lo <= node <= hi:
            raise self.fail(line, key, f"expected {kind} from {_fmt(lo)} to {_fmt(hi)}, got {_show(node)}")
        return int(node) if integer else float(node)

    def string(self, node: Any, key: str, line: int | None) -> str:
        if not isinstance(node, str) or not node.strip():
            raise self.fail(line, key, f"expected text, got {_show(node)}")
        return node.strip()

    def voice(self, node: Any, key: str, line: int | None, extra: tuple[str, ...] = ()) -> dict[str, Any]:
        m = self.mapping(node, key, line, _VOICE_KEYS + extra)
        out: dict[str, Any] = {"line": line or 0}
        for k in _VOICE_KEYS:
            if k not in m:
                continue
            kl = self.line_of(m, k)
            if k == "voice":
                out[k] = self.string(m[k], f"{key}.{k}", kl)
                out["line"] = kl or 0
            elif k == "rate":
                out[k] = self.number(m[k], f"{key}.{k}", kl, *RATE_RANGE, integer=True)
            elif k == "pitch":
                out[k] = self.number(m[k], f"{key}.{k}", kl, *PITCH_RANGE, integer=True)
            else:
                out[k] = self.number(m[k], f"{key}.{k}", kl, *VOLUME_RANGE, integer=False)
        return out


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _show(node: Any) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, dict):
        return "a mapping"
    if isinstance(node, list):
        return "a list"
    return repr(node if not isinstance(node, str) else str(node))


def load_config(path: str | Path) -> VoicesConfig:
    """Read and validate voices.yaml."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    p = Path(path)
    if not p.exists():
        raise ConfigError(f"{p}: no such file; create it with `audiobook cast STORY --write` or drop -c")
    if p.is_dir():
        raise ConfigError(f"{p}: is a directory; give the path of a voices.yaml file")
    try:
        raw = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: not valid UTF-8; save it as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"{p}: cannot be read ({exc.strerror})") from exc
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load(raw)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = (exc.problem or exc.context or "malformed YAML").strip()
        raise ConfigError(f"{p}:{line}: malformed YAML: {what}; check the indentation and colons there") from exc
    except YAMLError as exc:
        raise ConfigError(f"{p}: malformed YAML: {str(exc).splitlines()[0]}") from exc
    return parse_config(tree, str(p))


def parse_config(tree: Any, path: str = "voices.yaml") -> VoicesConfig:
    """Validate an already-loaded YAML tree."""
    r = _Reader(path)
    top = r.mapping(tree, "", 1, _TOP_KEYS)
    engine = "auto"
    if "engine" in top:
        from .engines import ENGINE_NAMES

        engine = r.string(top["engine"], "engine", r.line_of(top, "engine"))
        if engine not in ENGINE_NAMES:
            raise r.fail(
                r.line_of(top, "engine"), "engine", f"unknown engine {engine!r}; {_suggest(engine, ENGINE_NAMES)}"
            )
    narrator = VoiceEntry(**r.voice(top.get("narrator"), "narrator", r.line_of(top, "narrator")))
    fallback = (
        VoiceEntry(**r.voice(top["fallback"], "fallback", r.line_of(top, "fallback")))
        if top.get("fallback") is not None
        else None
    )

    characters: list[CharacterEntry] = []
    chars = r.mapping(top.get("characters"), "characters", r.line_of(top, "characters"), None)
    claimed: dict[str, str] = {}
    for name, node in chars.items():
        key = f"characters.{name}"
        line = r.line_of(chars, name)
        if not isinstance(name, str) or not name.strip():
            raise r.fail(line, key, "a character needs a name")
        fields = r.voice(node, key, line, extra=("aliases",))
        aliases_node = (node or {}).get("aliases", [])
        al_line = r.line_of(node, "aliases") if node and "aliases" in node else line
        if isinstance(aliases_node, str):
            aliases_node = [aliases_node]
        if not isinstance(aliases_node, list) or not all(isinstance(a, str) and a.strip() for a in aliases_node):
            raise r.fail(al_line, f"{key}.aliases", f"expected a list of names, got {_show(aliases_node)}")
        aliases = tuple(a.strip() for a in aliases_node)
        for n in (name, *aliases):
            if n.lower() in claimed and claimed[n.lower()] != name:
                raise r.fail(
                    al_line,
                    f"{key}.aliases",
                    f"{n!r} is already a name of {claimed[n.lower()]!r}; a name can belong to one character",
                )
            claimed[n.lower()] = name
        characters.append(CharacterEntry(name.strip(), aliases, VoiceEntry(**fields)))

    pauses = Pauses()
    pnode = r.mapping(top.get("pauses"), "pauses", r.line_of(top, "pauses"), _PAUSE_KEYS)
    values = {k: r.number(v, f"pauses.{k}", r.line_of(pnode, k), *PAUSE_RANGE, integer=True) for k, v in pnode.items()}
    pauses = Pauses(**values)

    pronunciations: dict[str, str] = {}
    pron = r.mapping(top.get("pronunciations"), "pronunciations", r.line_of(top, "pronunciations"), None)
    for word, said in pron.items():
        line = r.line_of(pron, word)
        if not isinstance(word, str) or not word.strip():
            raise r.fail(line, "pronunciations", f"expected a word or phrase, got {_show(word)}")
        pronunciations[word.strip()] = r.string(said, f"pronunciations.{word}", line)
    return VoicesConfig(path, engine, narrator, tuple(characters), fallback, pauses, pronunciations)


_HEADER = """\
voices.yaml: who reads what. `audiobook voices` lists the voice ids; espeak-ng timbres are added
with +variant (+f2, +m1, +Nguyen, ...). rate: words per minute (80-450); pitch: 0-100 (50 is the
voice's own); volume: 0.0-1.0. Edit freely: `audiobook cast STORY --write` keeps what you wrote.
"""


def _voice_map(spec: VoiceSpec, aliases: tuple[str, ...] = ()) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    m = CommentedMap()
    if aliases:
        seq = CommentedSeq(aliases)
        seq.fa.set_flow_style()
        m["aliases"] = seq
    m["voice"] = spec.voice_id
    m["rate"] = spec.rate
    m["pitch"] = spec.pitch
    return m


def write_cast(
    path: str | Path,
    additions: list[tuple[str, tuple[str, ...], VoiceSpec, str]],
    narrator: VoiceSpec,
    fallback: VoiceSpec,
) -> list[str]:
    """Create voices.yaml, or add characters to it in place: what the user wrote (settings, comments,
    order) stays as it was. `additions` are (name, aliases, voice, comment). Returns the names added."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    p = Path(path)
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 110
    if p.exists():
        tree = yaml.load(p.read_text(encoding="utf-8")) or CommentedMap()
    else:
        tree = CommentedMap()
        tree.yaml_set_start_comment(_HEADER)
        tree["engine"] = "auto"
        tree["narrator"] = _voice_map(narrator)
    chars = tree.get("characters")
    if not isinstance(chars, dict):
        chars = CommentedMap()
        if "characters" in tree:
            tree["characters"] = chars
        else:
            tree.insert(len(tree), "characters", chars)
    have = {str(k).lower() for k in chars}
    for entry in chars.values():
        if isinstance(entry, dict):
            have |= {str(a).lower() for a in entry.get("aliases") or []}
    added = []
    for name, aliases, spec, comment in additions:
        if name.lower() in have or any(a.lower() in have for a in aliases):
            continue
        chars[name] = _voice_map(spec, aliases)
        if comment:
            chars.yaml_add_eol_comment(comment, name)
        added.append(name)
    if "fallback" not in tree:
        tree["fallback"] = _voice_map(fallback)
        tree.yaml_set_comment_before_after_key(
            "fallback", before="\nanyone not listed above, and lines whose speaker is unknown"
        )
    if "pauses" not in tree:
        pauses = CommentedMap(Pauses().__dict__)
        tree["pauses"] = pauses
        tree.yaml_set_comment_before_after_key("pauses", before="\nsilences, in milliseconds")
    out = io.StringIO()
    yaml.dump(tree, out)
    write_text(p, out.getvalue(), "give -c a path in a folder you can write")
    return added
