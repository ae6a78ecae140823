"""A first run reads the files straight into the cache (origin/first_run.py): the cache it
writes is the one written from the catalogue in memory, row for row; a catalogue with a
problem gets the same report and leaves no cache; anything the quick way cannot tell falls
back to reading the catalogue in memory."""

from __future__ import annotations

import copy
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from nervecli.model.errors import CatalogueError, Problem
from nervecli.origin import codec, first_run, store
from nervecli.origin.proxies import CachedCatalogue
from nervecli.reading import loader
from nervecli.reading.loader import load_catalogue

from .conftest import DATA, write_generated

BUILT = 1_700_000_000_000_000_000
FILES: list[list[Any]] = [["/a/file.yaml", 10, 20, 30, 40]]
ORDERS = {
    "meta": "key",
    "entries": "kind, id",
    "names": "pos",
    "kinds": "family, ord",
    "tab_blocks": "kind, first",
}


def _tables(path: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY {o}").fetchall() for t, o in ORDERS.items()
        }
    finally:
        conn.close()


def _same_cache(paths: list[Path], bundled: bool, tmp_path: Path) -> dict[str, list[Any]]:
    quick, whole = tmp_path / "quick" / "c.sqlite", tmp_path / "whole" / "c.sqlite"
    assert first_run.build(paths, bundled, quick, FILES, BUILT)
    assert store.write(load_catalogue(paths, bundled=bundled), whole, FILES, BUILT)
    tables = _tables(quick)
    assert tables == _tables(whole)
    return tables


@pytest.fixture(autouse=True)
def workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes from a few files on, so that small catalogues are read by them."""
    monkeypatch.setattr(loader, "PARALLEL_FROM", 3)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_generated(300, tmp_path_factory.mktemp("made") / "generated")


def _generated(tmp_path: Path, made: Path) -> Path:
    """A copy of a generated catalogue of 300 treatments, in 6 files: read by workers."""
    folder = Path(shutil.copytree(made, tmp_path / "generated"))
    assert len(list(folder.rglob("*.yaml"))) >= loader.PARALLEL_FROM
    return folder


def _a_treatment(folder: Path) -> dict[str, Any]:
    first = next(iter(sorted(folder.rglob("treatments-*.yaml"))))
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    return copy.deepcopy(data["treatments"][0])


def _add(folder: Path, name: str, *treatments: dict[str, Any]) -> None:
    text = yaml.safe_dump({"treatments": list(treatments)}, sort_keys=False)
    (folder / name).write_text(text, encoding="utf-8")


def test_the_bundled_catalogue_is_cached_as_from_memory(tmp_path: Path) -> None:
    tables = _same_cache([], True, tmp_path)
    assert len(tables["entries"]) > 20


def test_a_generated_catalogue_read_by_workers_is_cached_as_from_memory(
    tmp_path: Path, made: Path
) -> None:
    tables = _same_cache([_generated(tmp_path, made)], False, tmp_path)
    assert sum(1 for r in tables["entries"] if r[0] == "treatments") == 300


def test_a_users_entries_over_the_bundled_ones_are_cached_as_from_memory(tmp_path: Path) -> None:
    data = yaml.safe_load((DATA / "treatments" / "infusions.yaml").read_text(encoding="utf-8"))
    replacing = data["treatments"][0]  # the same id: it replaces the bundled entry, in its place
    added = {**copy.deepcopy(replacing), "id": "my-own-entry", "aliases": []}
    mine = tmp_path / "mine"
    mine.mkdir()
    _add(mine, "mine.yaml", replacing, added)
    tables = _same_cache([mine], True, tmp_path)
    origins = {r[1]: r[3] for r in tables["entries"] if r[3] is not None}
    assert set(origins) == {replacing["id"], "my-own-entry"}
    assert b'"replaces_bundled":true' in origins[replacing["id"]]


@pytest.mark.parametrize("problem", ["duplicate", "undeclared source", "alias"])
def test_a_problem_across_files_gets_the_same_report_and_no_cache(
    tmp_path: Path, made: Path, problem: str
) -> None:
    folder = _generated(tmp_path, made)
    entry = _a_treatment(folder)
    if problem == "duplicate":  # the id of the first treatment, again
        entry["aliases"] = []
    elif problem == "undeclared source":
        entry = {**entry, "id": "extra-entry", "aliases": []}
        entry["summary"]["source"] = "no-such-source"
    else:
        entry = {**entry, "id": "extra-entry", "aliases": ["alias-7"]}
    _add(folder, "zz-extra.yaml", entry)
    with pytest.raises(CatalogueError) as in_memory:
        load_catalogue([folder], bundled=False)
    cache = tmp_path / "cache"
    with pytest.raises(CatalogueError) as first:
        store.open_catalogue([folder], bundled=False, directory=cache)
    assert first.value.problems == in_memory.value.problems
    assert not [p for p in cache.rglob("*") if p.is_file()]  # no cache, no temporary file


def test_a_file_that_cannot_be_read_is_reported_and_leaves_no_cache(
    tmp_path: Path, made: Path
) -> None:
    folder = _generated(tmp_path, made)
    (folder / "zz-broken.yaml").write_text("treatments: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as first:
        store.open_catalogue([folder], bundled=False, directory=tmp_path / "cache")
    assert [p.file if isinstance(p, Problem) else p for p in first.value.problems] == [
        str(folder / "zz-broken.yaml")
    ]
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]


def test_what_the_quick_way_cannot_tell_is_read_in_memory(
    tmp_path: Path, made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disagree(self: object, catalogue: object) -> None:
        raise loader.Recheck("as if a place disagreed")

    monkeypatch.setattr(first_run._Placed, "agree", disagree)
    folder = _generated(tmp_path, made)
    cache = tmp_path / "cache"
    fallen_back = store.open_catalogue([folder], bundled=False, directory=cache)
    assert not isinstance(fallen_back, CachedCatalogue)  # answered from memory
    ident = list(fallen_back.treatments)[3]
    monkeypatch.undo()
    again = store.open_catalogue([folder], bundled=False, directory=cache)
    assert isinstance(again, CachedCatalogue)  # the cache written from memory is whole
    assert codec.dumps(again.treatments[ident]) == codec.dumps(fallen_back.treatments[ident])


def test_the_first_run_answers_from_the_cache_it_wrote(tmp_path: Path, made: Path) -> None:
    folder = _generated(tmp_path, made)
    first = store.open_catalogue([folder], bundled=False, directory=tmp_path / "cache")
    assert isinstance(first, CachedCatalogue)
    memory = load_catalogue([folder], bundled=False)
    for kind in ("treatments", "conditions"):
        answered = [codec.dumps(e) for e in getattr(first, kind).values()]
        assert answered == [codec.dumps(e) for e in getattr(memory, kind).values()]


def test_a_cache_that_cannot_be_written_midway_leaves_the_answer_from_memory(
    tmp_path: Path, made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken: list[Path] = []
    real = first_run._Placed.take

    def full_disk(self: first_run._Placed, path: Path, *rest: Any) -> Any:
        taken.append(path)
        if len(taken) == 3:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, path, *rest)

    monkeypatch.setattr(first_run._Placed, "take", full_disk)
    folder = _generated(tmp_path, made)
    cache = tmp_path / "cache"
    answered = store.open_catalogue([folder], bundled=False, directory=cache)
    assert len(taken) == 3  # the quick way stopped at the failure
    assert len(answered.treatments) == 300
    assert not list(cache.rglob(".*.tmp"))
    monkeypatch.undo()
    assert isinstance(
        store.open_catalogue([folder], bundled=False, directory=cache), CachedCatalogue
    )
