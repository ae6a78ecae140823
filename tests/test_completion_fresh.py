"""The Tab fast path never answers from a stale cache: any catalogue file edited, added, removed,
renamed or linked elsewhere since the cache was made hands the Tab to the full CLI, and a file
changed close to the cache's making is checked by its content (the racy rule), as a run does."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nervecli.cli import quick_complete
from nervecli.origin import format as fmt
from nervecli.origin import store

FRESH = ["alpha-infusion", "alpha"]  # what `show a<Tab>` offers from the minimal catalogue
EXTRA = "treatments: []\n"


def _build(folder: Path, home: Path) -> None:
    """What a run does: read the files and cache them (or use the cache when it is current)."""
    store.open_catalogue([folder], bundled=False, directory=home / "nervecli")


def _tab(folder: Path, home: Path) -> list[str] | None:
    env = {"XDG_CACHE_HOME": str(home), "NERVECLI_CATALOG": str(folder), "NERVECLI_NO_BUNDLED": "1"}
    return quick_complete.names(env, "treatments", [], False, "a")


def _edit_same_size_time_restored(path: Path) -> None:
    before = path.stat()
    path.write_text(path.read_text().replace("Alpha summary.", "Alpha SUMMARY."))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def _link_elsewhere(folder: Path) -> None:
    copy = folder.parent / "elsewhere.yaml"
    shutil.copy(folder / "extra.yaml", copy)
    (folder / "extra.yaml").unlink()
    (folder / "extra.yaml").symlink_to(copy)


def _edit_link_target(folder: Path) -> None:
    target = (folder / "linked.yaml").resolve()
    target.write_text(EXTRA + "\n")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edited": lambda f: (f / "entries.yaml").write_text(
        (f / "entries.yaml").read_text().replace("aliases: [alpha]", "aliases: [alpine]")
    ),
    "same size, time restored": lambda f: _edit_same_size_time_restored(f / "entries.yaml"),
    "added": lambda f: (f / "more.yaml").write_text(EXTRA),
    "added in a new folder": lambda f: (
        (f / "sub").mkdir(),
        (f / "sub" / "a.yml").write_text(EXTRA),
    ),
    "removed": lambda f: (f / "extra.yaml").unlink(),
    "renamed": lambda f: (f / "extra.yaml").rename(f / "extra2.yaml"),
    "renamed to another suffix": lambda f: (f / "extra.yaml").rename(f / "extra.yml"),
    "replaced by a link": _link_elsewhere,
    "a linked file's target edited": _edit_link_target,
}


@pytest.fixture
def folder(make_catalogue: Callable[..., Path], tmp_path: Path) -> Path:
    folder: Path = make_catalogue(**{"extra.yaml": EXTRA})
    target = tmp_path / "target.yaml"
    target.write_text(EXTRA)
    (folder / "linked.yaml").symlink_to(target)
    return folder


def test_a_current_cache_answers_the_tab(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(folder, tmp_path)
    assert _tab(folder, tmp_path) == FRESH  # the files just written: checked by content too
    monkeypatch.setattr(fmt, "RACY_NS", 0)  # and once they are safely old: by their stamps
    assert _tab(folder, tmp_path) == FRESH


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_catalogue_is_never_answered_from_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    # Nothing racy: the stamps alone must tell (a real change time is always newer than the
    # cache, so the content check would see these edits too).
    monkeypatch.setattr(fmt, "RACY_NS", -(10**20))
    _build(folder, tmp_path)
    assert _tab(folder, tmp_path) == FRESH
    CHANGES[change](folder)
    assert _tab(folder, tmp_path) is None  # the full CLI answers (and makes a new cache)
    _build(folder, tmp_path)
    expected = ["alpha-infusion", "alpine"] if change == "edited" else FRESH
    assert _tab(folder, tmp_path) == expected


def _coarse_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file's modification and change time the same instant, just now, whatever is
    written (a coarse clock, or times put back, where even the change time cannot tell)."""
    instant = time.time_ns()
    real_stat, real_lstat = os.stat, os.lstat

    def frozen(real: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
        def call(path: object, *args: object, **kwargs: object) -> os.stat_result:
            info = real(path, *args, **kwargs)
            times = {"st_atime_ns": info.st_atime_ns, "st_mtime_ns": instant}
            return os.stat_result(tuple(info)[:10], {**times, "st_ctime_ns": instant})

        return call

    monkeypatch.setattr(os, "stat", frozen(real_stat))
    monkeypatch.setattr(os, "lstat", frozen(real_lstat))


def test_a_same_instant_edit_is_checked_by_content(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _coarse_clock(monkeypatch)
    _build(folder, tmp_path)
    assert _tab(folder, tmp_path) == FRESH  # unchanged: the content check passes
    _edit_same_size_time_restored(folder / "entries.yaml")
    assert _tab(folder, tmp_path) is None


def test_without_the_content_check_that_edit_would_be_answered_stale(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _coarse_clock(monkeypatch)
    _build(folder, tmp_path)
    _edit_same_size_time_restored(folder / "entries.yaml")
    monkeypatch.setattr(fmt, "RACY_NS", -(10**20))  # nothing is ever racy
    assert _tab(folder, tmp_path) == FRESH  # the same stamps: only the content tells


def test_damaged_stamps_hand_the_tab_over(folder: Path, tmp_path: Path) -> None:
    import sqlite3

    _build(folder, tmp_path)
    (db,) = (tmp_path / "nervecli").glob("catalogue-*.sqlite")
    seal = db.stat().st_mtime_ns
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = CAST('x' AS BLOB) WHERE key = 'stamps'")
    conn.close()
    os.utime(db, ns=(seal, seal))  # the seal put back: only the row's checksum tells
    assert _tab(folder, tmp_path) is None


@pytest.mark.parametrize("keep_time", [False, True], ids=["written", "time-restored"])
def test_a_damaged_block_of_names_hands_the_tab_over(
    folder: Path, tmp_path: Path, keep_time: bool
) -> None:
    import sqlite3

    _build(folder, tmp_path)
    (db,) = (tmp_path / "nervecli").glob("catalogue-*.sqlite")
    seal = db.stat().st_mtime_ns
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE tab_blocks SET names = CAST(replace(CAST(names AS TEXT), 'alpha', 'alphx') "
            "AS BLOB)"
        )
    conn.close()
    if keep_time:  # only the block's checksum tells, else the manifest too
        os.utime(db, ns=(seal, seal))
    assert _tab(folder, tmp_path) is None


def test_the_tab_index_answers_as_the_name_index(
    catalogue: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks of two names (so that most prefixes span several): for every prefix of every
    name, the names offered in the catalogue's order, each once, as the names table says."""
    import sqlite3

    monkeypatch.setattr(fmt, "TAB_BLOCK", 2)
    path = tmp_path / "c.sqlite"
    assert store.write(catalogue, path, [], time.time_ns())  # type: ignore[arg-type]
    conn = sqlite3.connect(path)
    for kind in ("treatments", "conditions"):
        offered = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM names WHERE kind = ? AND tab = 1 ORDER BY pos", (kind,)
            )
        ]
        assert len(offered) > 20
        prefixes = {"", "zzz", "-", *(n[:i] for n in offered for i in range(1, len(n) + 1))}
        for prefix in sorted(prefixes):
            expected = list(dict.fromkeys(n for n in offered if n.startswith(prefix)))
            assert fmt.tab_names(conn, kind, prefix) == expected, (kind, prefix)
    conn.close()


def test_a_block_never_splits_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "TAB_BLOCK", 2)
    names = ["b", "a", "a", "a", "c", "d", "d", "e"]
    rows = [("treatments", n, f"id{i}", 1, i, 0) for i, n in enumerate(names)]
    rows.append(("treatments", "hidden", "id9", 0, 9, 0))  # not offered: not in the index
    blocks = fmt.tab_blocks("treatments", rows)
    firsts = [b[1] for b in blocks]
    assert firsts == ["a", "b", "d", "e"]  # [a a a] [b c] [d d] [e]
    text = b"".join(b[2] for b in blocks).decode()
    assert (
        text == "a\x001\x00a\x002\x00a\x003\x00b\x000\x00c\x004\x00d\x005\x00d\x006\x00e\x007\x00"
    )


def test_the_bisection_is_bisect_left() -> None:
    import bisect
    import random

    rng = random.Random(7)
    for _ in range(300):
        items = sorted(rng.choice(["a", "ab", "b", "ba", "c", ""]) for _ in range(rng.randrange(9)))
        key = rng.choice(["", "a", "aa", "b", "bz", "c", "d"])
        low = rng.randrange(len(items) + 1)
        expected = bisect.bisect_left(items, key, low)
        assert fmt._first_at_least(items, key, low) == expected, (items, key, low)
