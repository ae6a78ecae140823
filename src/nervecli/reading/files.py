"""Where catalogue files are: the bundled catalogue, and the files under given paths.

Kept apart from the loader so that a run served from the cache can find (and fingerprint) the
files without importing a YAML parser.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path

from nervecli.model.errors import CatalogueError, Problem

YAML_SUFFIXES = (".yaml", ".yml")


def bundled_data_dir() -> Path:
    """The catalogue shipped with nervecli: inside the package, or data/ in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "data", package.parents[1] / "data"):
        if (candidate / "catalogue.yaml").is_file():
            return candidate
    raise CatalogueError([f"the bundled catalogue is missing (looked in {package / 'data'})"])


def is_yaml(path: Path) -> bool:
    return path.suffix.lower() in YAML_SUFFIXES


def catalogue_files(paths: Iterable[Path]) -> list[Path]:
    """Every YAML file named, or found (recursively, sorted) in a named folder. A path that
    does not exist, is not a file or folder, or is a folder with no YAML file is a problem."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        name = str(path)
        if not name:
            problems.append(Problem("(empty path)", 1, 1, "an empty catalogue path was given"))
            continue
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            what = "a loop of symbolic links" if exc.errno == 40 else "no such file or folder"
            problems.append(Problem(name, 1, 1, what))
            continue
        if stat.S_ISDIR(mode):
            found = sorted(p for p in path.rglob("*") if is_yaml(p) and p.is_file())
            if not found:
                problems.append(Problem(name, 1, 1, "no catalogue files (*.yaml, *.yml) in it"))
            files.extend(found)
        elif stat.S_ISREG(mode):
            files.append(path)
        else:
            problems.append(Problem(name, 1, 1, "not a regular file or folder"))
    if problems:
        raise CatalogueError(problems)
    return files
