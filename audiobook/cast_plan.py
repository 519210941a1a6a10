"""What `audiobook cast` shows and writes: the voice `generate` would give every character who speaks,
and where it comes from; with --write, voices.yaml created or completed with those voices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cast import first_person, make_casting, match_entries
from .config import load_config, write_cast
from .model import Character, VoiceSpec
from .pipeline import check_voices, prepare


@dataclass
class CastPlan:
    """What `audiobook cast` shows and writes: the voices `generate` would use, as it would use them."""

    # (character, voice, origin). origin: "voices.yaml" (cast there); "fallback" (voices.yaml does not
    # list them: `generate` reads their lines with the fallback voice); "auto" (there is no voices.yaml:
    # `generate` auto-casts everyone, with this voice); "added" (just written into voices.yaml);
    # "narrator" (the first-person narrator, whose lines the narrator's voice reads unless voices.yaml casts them).
    rows: list[tuple[Character, VoiceSpec, str]]
    narrator: VoiceSpec
    fallback: VoiceSpec
    absent: list[str]  # cast in voices.yaml, but not speaking in the story
    added: list[str] = field(default_factory=list)
    exists: bool = True  # voices.yaml existed before this run
    engine: str = ""  # the book's engine: voices of another are shown with its name (`espeak:gmw/en-us`)


def plan_cast(
    source: str | Path,
    config_path: str | Path,
    write: bool = False,
    required: bool = False,
    voices_dirs: Sequence[str | Path] = (),
) -> CastPlan:
    """The cast `generate` would use with `config_path` (with no such file: auto-cast), row by row;
    with `write`, voices.yaml is created or the characters it lacks are added with a voice of their
    own, nothing else touched, and the rows show the file as written. `required`: the file was named
    by the user, so (without `write`) its absence is an error, as it is for `generate`."""
    exists = Path(config_path).exists()
    given = config_path if exists or (required and not write) else None
    prep = prepare(source, given, voices_dirs=voices_dirs)  # as `generate` does
    speaking = [c for c in prep.script.characters if c.lines]
    known = set(match_entries(prep.script.characters, prep.config.characters)) if exists else set()
    casting, added = prep.casting, []
    if write:
        proposal = make_casting(prep.script, prep.config, prep.engine.name, prep.engine.palette(), auto_all=True)
        additions = [
            (
                c.name,
                tuple(a for a in c.aliases if a != c.name),
                proposal.characters[c.name],
                f"{c.lines} line{'s' * (c.lines != 1)}, {c.gender}, {c.age}",
            )
            for c in speaking
            if c.name not in known
        ]
        added = write_cast(config_path, additions, proposal.narrator, proposal.fallback)
        config = load_config(config_path)  # the file as written, read as `generate` will read it
        check_voices(config, prep.engine)
        casting = make_casting(prep.script, config, prep.engine.name, prep.engine.palette(), auto_all=False)

    teller = first_person(prep.script) - known

    def origin(name: str) -> str:
        if name in known:
            return "voices.yaml"
        if name in added:
            return "added"
        if name in teller:
            return "narrator"
        return "fallback" if exists or write else "auto"

    rows = [(c, casting.voice_of(c.name), origin(c.name)) for c in speaking]
    return CastPlan(rows, casting.narrator, casting.fallback, prep.absent, added, exists, prep.engine.name)
