"""Where catalogue files are: the bundled catalogue, and the files under given paths.

Kept apart from the loader so that a run served from the cache can find (and fingerprint) the
files without importing a YAML parser.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from nervecli.config import ENV_CATALOG
from nervecli.errors import CatalogueError

YAML_SUFFIXES = (".yaml", ".yml")


def bundled_data_dir() -> Path:
    """The catalogue shipped with nervecli: inside the package, or data/ in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parents[1] / "data"):
        if (candidate / "catalogue.yaml").is_file():
            return candidate
    raise CatalogueError([f"the bundled catalogue is missing (looked in {here / 'data'})"])


def env_catalogs() -> list[Path]:
    """Paths named by NERVECLI_CATALOG (separated like PATH)."""
    value = os.environ.get(ENV_CATALOG, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def catalogue_files(paths: Iterable[Path]) -> list[Path]:
    """Every YAML file named, or found (recursively, sorted) in a named folder."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CatalogueError([f"{path}: no such file or folder"])
    return files
