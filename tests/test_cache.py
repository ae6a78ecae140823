"""The catalogue cache: never stale, never trusted when damaged, safe with two runs at once, and
only ever a saving of time (behaviour, not speed: speed is bench/run.py's job)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from nervecli import cache
from nervecli.cache import CachedCatalogue, load
from nervecli.errors import CacheError
from nervecli.files import catalogue_files
from nervecli.model import Catalogue

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A copy of the bundled catalogue, to change."""
    folder = tmp_path / "catalogue"
    shutil.copytree(REPO / "data", folder)
    return folder


def _load(folder: Path) -> Catalogue:
    return load([folder], bundled=False)


def _cache_files(own_cache: Path) -> list[Path]:
    return sorted((own_cache / "nervecli").glob("catalogue-*.sqlite"))


def test_second_run_is_served_from_the_cache(catalogue_dir: Path, own_cache: Path) -> None:
    first = _load(catalogue_dir)
    assert not isinstance(first, CachedCatalogue)
    assert len(_cache_files(own_cache)) == 1
    second = _load(catalogue_dir)
    assert isinstance(second, CachedCatalogue)
    assert list(second.treatments) == list(first.treatments)
    ketamine = second.treatments["ketamine-infusion"]
    assert [s.name for s in ketamine.side_effects] == [
        s.name for s in first.treatments["ketamine-infusion"].side_effects
    ]
    assert second.names("treatments").exact("ketamine") == ["ketamine-infusion"]
    assert second.names("treatments").leading("nerve") == ["nerve-block-infusion"]


def _rename_ketamine(folder: Path, new: str) -> None:
    path = folder / "treatments" / "infusions.yaml"
    path.write_text(path.read_text().replace("name: Ketamine infusion", f"name: {new}"))


def test_a_changed_file_is_seen(catalogue_dir: Path) -> None:
    _load(catalogue_dir)
    _rename_ketamine(catalogue_dir, "Ketamine infusion (changed)")
    assert (
        _load(catalogue_dir).treatments["ketamine-infusion"].name == "Ketamine infusion (changed)"
    )


def test_a_same_size_edit_with_the_old_mtime_is_seen(catalogue_dir: Path) -> None:
    path = catalogue_dir / "treatments" / "infusions.yaml"
    before = path.stat()
    _load(catalogue_dir)
    _rename_ketamine(catalogue_dir, "Ketamine infusioN")  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert _load(catalogue_dir).treatments["ketamine-infusion"].name == "Ketamine infusioN"


def test_added_and_removed_files_are_seen(catalogue_dir: Path) -> None:
    _load(catalogue_dir)
    extra = catalogue_dir / "extra.yaml"
    extra.write_text(
        textwrap.dedent(
            """
            conditions:
              - id: sciatica
                name: Sciatica
            """
        )
    )
    assert "sciatica" in _load(catalogue_dir).conditions
    extra.unlink()
    assert "sciatica" not in _load(catalogue_dir).conditions


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_cache_is_rebuilt_not_trusted(
    catalogue_dir: Path, own_cache: Path, damage: str
) -> None:
    _load(catalogue_dir)
    (path,) = _cache_files(own_cache)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    else:
        path.write_bytes(b"")
    rebuilt = _load(catalogue_dir)
    assert not isinstance(rebuilt, CachedCatalogue)  # read from YAML again
    assert "ketamine-infusion" in rebuilt.treatments
    assert isinstance(_load(catalogue_dir), CachedCatalogue)  # and cached anew


def test_a_cache_from_another_version_is_rebuilt(catalogue_dir: Path, own_cache: Path) -> None:
    _load(catalogue_dir)
    (path,) = _cache_files(own_cache)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'version'", (b"0.0.0-old",))
    assert not isinstance(_load(catalogue_dir), CachedCatalogue)
    assert isinstance(_load(catalogue_dir), CachedCatalogue)


def test_damage_found_while_in_use_is_one_clear_error(catalogue_dir: Path, own_cache: Path) -> None:
    _load(catalogue_dir)
    (path,) = _cache_files(own_cache)
    cached = _load(catalogue_dir)
    assert isinstance(cached, CachedCatalogue)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE entries SET blob = ? WHERE id = 'tens'", (b"\x80\x05damaged",))
    with pytest.raises(CacheError, match=r"cache was damaged.*it has been removed, run again"):
        cached.treatments["tens"]
    assert not path.exists()
    assert "tens" in _load(catalogue_dir).treatments


@pytest.mark.parametrize("how", ["a file where the folder should be", "a folder that is missing"])
def test_an_unusable_or_missing_cache_folder_only_costs_speed(
    catalogue_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how.startswith("a file"):
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
        expect_cache = False
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "deep" / "missing"))
        expect_cache = True
    for _ in range(2):
        catalogue = _load(catalogue_dir)
        assert "ketamine-infusion" in catalogue.treatments
    assert isinstance(catalogue, CachedCatalogue) is expect_cache
    assert catalogue.search_index().search("dizziness")


def test_no_cache_reads_the_files(catalogue_dir: Path, own_cache: Path, cli: Any) -> None:
    result = cli("--no-cache", "--catalog", str(catalogue_dir), "--no-bundled", "show", "tens")
    assert result.exit_code == 0
    assert _cache_files(own_cache) == []
    result = cli("show", "tens", env={"NERVECLI_NO_CACHE": "1"})
    assert result.exit_code == 0 and _cache_files(own_cache) == []
    assert cli("show", "tens").exit_code == 0 and len(_cache_files(own_cache)) == 1


def test_the_search_index_is_built_on_first_search_and_kept(
    catalogue_dir: Path, own_cache: Path
) -> None:
    _load(catalogue_dir)
    assert not any(p.name.endswith(".search.sqlite") for p in _cache_files(own_cache))
    cached = _load(catalogue_dir)
    hits = [(h.entry_id, h.field, h.snippet) for h in cached.search_index().search("dizziness")]
    assert any(p.name.endswith(".search.sqlite") for p in _cache_files(own_cache))
    memory = load([catalogue_dir], bundled=False, use_cache=False)
    assert hits == [
        (h.entry_id, h.field, h.snippet) for h in memory.search_index().search("dizziness")
    ]
    again = [
        (h.entry_id, h.field, h.snippet)
        for h in _load(catalogue_dir).search_index().search("dizziness")
    ]
    assert again == hits


def test_old_caches_are_pruned(catalogue_dir: Path, own_cache: Path) -> None:
    for i in range(cache.KEEP + 3):
        _rename_ketamine(catalogue_dir, f"Ketamine infusion {'x' * (i + 1)}")
        _load(catalogue_dir)
    assert len(_cache_files(own_cache)) <= cache.KEEP


def test_two_runs_at_once_are_safe(catalogue_dir: Path, own_cache: Path) -> None:
    env = {**os.environ, "NERVECLI_CATALOG": str(catalogue_dir), "NERVECLI_NO_BUNDLED": "1"}
    command = [sys.executable, "-m", "nervecli", "show", "ketamine", "--format", "json"]
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert json.loads(outputs[0][0])["treatment"]["id"] == "ketamine-infusion"
    folder = own_cache / "nervecli"
    assert not list(folder.glob(".*.tmp")), "no half-written files are left"
    key = cache.fingerprint(catalogue_files([catalogue_dir]), False)
    assert isinstance(cache.read(key, folder), CachedCatalogue)


def test_the_benchmark_catalogue_is_valid(tmp_path: Path, cli: Any) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from make_catalogue import write
    finally:
        sys.path.pop(0)
    for rich in (False, True):
        folder = tmp_path / f"synthetic-{rich}"
        write(250, folder, rich=rich)
        result = cli("validate", str(folder), "--no-bundled")
        assert result.exit_code == 0, result.stdout
        assert result.stdout.startswith("OK: ") and "250 treatments" in result.stdout
