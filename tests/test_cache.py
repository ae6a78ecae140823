"""The cache: plain JSON rows with checksums, keyed by version and model shape; never stale,
never trusted when damaged, and only a speed-up (a run without it gives the same answer)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nervecli.model.catalogue import Catalogue, Fact, Treatment
from nervecli.origin import codec, rows, store
from nervecli.origin.proxies import CachedCatalogue
from nervecli.reading.loader import load_catalogue

from .conftest import Invoke


def _load(folder: Path, cache: Path) -> Catalogue:
    return store.open_catalogue([folder], bundled=False, directory=cache)


def _db(cache: Path) -> Path:
    (path,) = [
        p
        for p in cache.glob("catalogue-*.sqlite")
        if ".search." not in p.name and ".listing." not in p.name
    ]
    return path


def test_a_warm_run_is_served_from_the_cache(
    make_catalogue: Callable[..., Path], tmp_path: Path
) -> None:
    folder, cache = make_catalogue(), tmp_path / "c"
    first = load_catalogue([folder], bundled=False)  # in memory, no cache
    written = _load(folder, cache)  # the first run answers from the cache it has written
    assert isinstance(written, CachedCatalogue)
    assert [t.id for t in written.treatments.values()] == [t.id for t in first.treatments.values()]
    second = _load(folder, cache)
    assert isinstance(second, CachedCatalogue)
    assert second.treatments["alpha-infusion"].summary.text == "Alpha summary."
    assert [t.id for t in second.treatments.values()] == [t.id for t in first.treatments.values()]
    assert second.names("treatments").exact("alpha") == ["alpha-infusion"]


def test_cached_output_equals_uncached_output(cli: Invoke) -> None:
    for args in (
        ["show", "ketamine"],
        ["compare", "steroid", "nerve-block"],
        ["list"],
        ["search", "dizziness"],
    ):
        cold = cli("--no-cache", *args, "--format", "json")
        cli(*args)  # writes the cache (and the search index)
        warm = cli(*args, "--format", "json")
        assert cold.exit_code == warm.exit_code == 0
        assert json.loads(cold.stdout) == json.loads(warm.stdout), args


def test_rows_are_json_not_code(make_catalogue: Callable[..., Path], tmp_path: Path) -> None:
    cache = tmp_path / "c"
    _load(make_catalogue(), cache)
    with sqlite3.connect(_db(cache)) as conn:
        bodies = [row[0] for row in conn.execute("SELECT body FROM entries")]
    assert bodies and all(json.loads(b)["@"] in ("Treatment", "Condition") for b in bodies)
    with pytest.raises(codec.Unreadable):
        codec.loads(b'{"@": "system", "command": "echo pwned"}')
    with pytest.raises(codec.Unreadable):
        codec.loads(b"\x80\x04\x95 pickle bytes")


def test_the_fast_encoder_writes_what_the_general_one_writes(catalogue: Catalogue) -> None:
    """Model objects go through json's C encoder; every other value through `_plain`: the
    bytes must be the same either way."""
    values = [
        *catalogue.treatments.values(),
        *catalogue.conditions.values(),
        *catalogue.sources.values(),
        *catalogue.families.values(),
        *catalogue.evidence.values(),
        *catalogue.screening.values(),
        catalogue.meta,
    ]
    for value in values:
        general = json.dumps(codec._plain(value), separators=(",", ":"), ensure_ascii=False)
        assert codec.dumps(value) == general.encode()


def test_the_codec_round_trips_the_bundled_catalogue(catalogue: Catalogue) -> None:
    for treatment in catalogue.treatments.values():
        back = codec.loads(codec.dumps(treatment))
        assert isinstance(back, Treatment)
        assert codec.dumps(back) == codec.dumps(treatment)
    meta = codec.loads(codec.dumps(catalogue.meta))
    assert meta.last_reviewed == catalogue.meta.last_reviewed


def test_a_changed_file_is_seen(make_catalogue: Callable[..., Path], tmp_path: Path) -> None:
    folder, cache = make_catalogue(), tmp_path / "c"
    _load(folder, cache)
    path = folder / "entries.yaml"
    path.write_text(path.read_text().replace("Alpha summary.", "Alpha summary changed."))
    assert (
        _load(folder, cache).treatments["alpha-infusion"].summary.text == "Alpha summary changed."
    )


def _coarse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulate a filesystem with 1-second timestamps (FAT, HFS+, many network shares) whose
    change time says no more than the modification time: the edit below restores the mtime,
    so only the content can tell. (A real ctime moves on every write, and whether it crosses
    a second boundary between two writes is luck: the control test must not depend on it.)"""
    real = store._stamp

    def stamp(path: Path) -> list[object]:
        name, size, mtime, _ = real(path)
        coarse = mtime // 10**9 * 10**9  # type: ignore[operator]
        return [name, size, coarse, coarse]

    monkeypatch.setattr(store, "_stamp", stamp)


def _same_size_edit_in_the_same_second(path: Path) -> None:
    before = path.stat()
    text = path.read_text()
    path.write_text(text.replace("Alpha summary.", "Alpha SUMMARY."))  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def test_the_cache_knows_each_file_by_the_path_resolve_gives(tmp_path: Path) -> None:
    """The files' real paths (the cache's name and its stamps) are resolved through their
    folder, once: the same as resolving each file, through linked folders given by name,
    nested folders, a linked file (resolved on its own) and a linked folder (not followed)."""
    from nervecli.reading.files import catalogue_files, located_files

    root = tmp_path / "real" / "cat"
    for name in ["a/x.yaml", "a/b/c.yml", "B.YAML", "z.yaml"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("treatments: []\n")
    (tmp_path / "elsewhere.yaml").write_text("treatments: []\n")
    (root / "linked.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (root / "folder-link").symlink_to(root / "a", target_is_directory=True)
    (tmp_path / "via").symlink_to(tmp_path / "real", target_is_directory=True)
    given = [tmp_path / "via" / "cat", root / "z.yaml", tmp_path / "elsewhere.yaml"]
    located = located_files(given)
    assert [f for f, _ in located] == catalogue_files(given)
    assert [real for _, real in located] == [str(f.resolve()) for f in catalogue_files(given)]
    assert len(located) == 5  # z.yaml and elsewhere.yaml read once, a linked folder not followed
    assert str(tmp_path / "elsewhere.yaml") in [real for _, real in located]


def test_a_same_size_edit_in_the_same_second_is_never_served_stale(
    make_catalogue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _coarse(monkeypatch)
    folder, cache = make_catalogue(), tmp_path / "c"
    _load(folder, cache)
    _same_size_edit_in_the_same_second(folder / "entries.yaml")
    assert _load(folder, cache).treatments["alpha-infusion"].summary.text == "Alpha SUMMARY."


def test_without_the_content_check_that_edit_would_be_missed(
    make_catalogue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control for the test above: it exercises the racy-file check, not luck."""
    _coarse(monkeypatch)
    monkeypatch.setattr(store, "RACY_NS", -(10**20))  # nothing is ever racy
    folder, cache = make_catalogue(), tmp_path / "c"
    _load(folder, cache)
    _same_size_edit_in_the_same_second(folder / "entries.yaml")
    assert _load(folder, cache).treatments["alpha-infusion"].summary.text == "Alpha summary."


def test_a_file_older_than_the_cache_is_not_read_again(
    make_catalogue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = make_catalogue(), tmp_path / "c"
    for path in folder.iterdir():
        os.utime(path, ns=(10**18, 10**18))  # 2001: safely older than the cache
    real_stamp = store._stamp  # and changed then (a real change time is now: not settable)
    monkeypatch.setattr(store, "_stamp", lambda p: [*real_stamp(p)[:3], real_stamp(p)[2]])
    _load(folder, cache)
    read: list[Path] = []
    real = store._content
    monkeypatch.setattr(store, "_content", lambda p: read.append(p) or real(p))
    assert isinstance(_load(folder, cache), CachedCatalogue)
    assert read == []


def test_a_damaged_row_falls_back_to_the_files_in_the_same_run(
    cli: Invoke, own_cache: Path
) -> None:
    expected = cli("show", "ketamine", "-f", "json").stdout
    path = _db(own_cache / "nervecli")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE entries SET body = replace(body, 'NMDA', 'NMDX') WHERE id = 'ketamine-infusion'"
        )
    result = cli("show", "ketamine", "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == expected
    with sqlite3.connect(path) as conn:  # replaced in the same run
        (body,) = conn.execute("SELECT body FROM entries WHERE id = 'ketamine-infusion'").fetchone()
    assert b"NMDX" not in body and b"NMDA" in body


def test_a_file_that_is_not_a_cache_is_replaced(cli: Invoke, own_cache: Path) -> None:
    cli("list")
    path = _db(own_cache / "nervecli")
    path.write_bytes(b"not a database at all" * 100)
    result = cli("show", "ketamine")
    assert result.exit_code == 0 and result.stderr == ""
    assert "Ketamine infusion" in result.stdout


def test_a_damaged_search_index_is_rebuilt(cli: Invoke, own_cache: Path) -> None:
    expected = cli("search", "dizziness", "-f", "json").stdout  # writes the catalogue cache
    assert cli("search", "dizziness", "-f", "json").stdout == expected  # and, from it, the index
    (index,) = (own_cache / "nervecli").glob("*.search.sqlite")
    with sqlite3.connect(index) as conn:
        conn.execute("UPDATE docs SET text = 'junk'")
    result = cli("search", "dizziness", "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == expected


def test_a_model_change_never_meets_an_old_cache(
    make_catalogue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = make_catalogue(), tmp_path / "c"
    _load(folder, cache)
    old = _db(cache).name
    monkeypatch.setattr(Fact, "__dataclass_fields__", {**Fact.__dataclass_fields__})
    monkeypatch.setattr(codec, "shape", lambda: "a-new-shape")
    rewritten = _load(folder, cache)
    assert rewritten.treatments["alpha-infusion"].summary.text == "Alpha summary."
    assert _db(cache).name == old  # the same place, rewritten for the new model
    with sqlite3.connect(_db(cache)) as conn:
        (shape,) = conn.execute("SELECT value FROM meta WHERE key = 'shape'").fetchone()
    assert json.loads(shape) == "a-new-shape"
    assert isinstance(_load(folder, cache), CachedCatalogue)


def test_the_model_shape_follows_the_fields() -> None:
    before = codec.shape()
    fields = dict(Fact.__dataclass_fields__)
    try:
        extra = fields["text"]
        Fact.__dataclass_fields__["extra"] = extra  # type: ignore[index]
        assert codec.shape() != before
    finally:
        Fact.__dataclass_fields__.pop("extra", None)  # type: ignore[attr-defined]
    assert codec.shape() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only folder")
def test_a_read_only_cache_folder_only_costs_speed(cli: Invoke, own_cache: Path) -> None:
    folder = own_cache / "nervecli"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        for _ in range(2):
            result = cli("show", "ketamine")
            assert result.exit_code == 0 and result.stderr == ""
    finally:
        folder.chmod(stat.S_IRWXU)


def test_an_unwritable_cache_place_only_costs_speed(cli: Invoke, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    for _ in range(2):
        result = cli("show", "ketamine", env={"XDG_CACHE_HOME": str(blocker)})
        assert result.exit_code == 0 and result.stderr == ""


def test_an_interrupted_write_leaves_no_temporary_file(
    make_catalogue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "c"

    def interrupted(conn: sqlite3.Connection, **values: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(rows, "put_meta", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _load(make_catalogue(), cache)
    assert list(cache.iterdir()) == []


def test_no_cache_and_relative_cache_homes_read_the_files(cli: Invoke, tmp_path: Path) -> None:
    os.chdir(tmp_path)
    for env in (
        {"NERVECLI_NO_CACHE": "1"},
        {"XDG_CACHE_HOME": "relative/cache", "HOME": str(tmp_path)},
    ):
        result = cli("show", "ketamine", env=env)
        assert result.exit_code == 0
    assert not (tmp_path / "relative").exists()  # a relative XDG_CACHE_HOME is ignored


def test_origins_are_absolute_so_a_cache_serves_any_folder(
    cli: Invoke, make_catalogue: Callable[..., Path], tmp_path: Path
) -> None:
    folder = make_catalogue()
    os.chdir(folder)
    cli("--catalog", ".", "show", "alpha", "-f", "json")
    os.chdir(tmp_path)
    record = json.loads(cli("--catalog", str(folder), "show", "alpha", "-f", "json").stdout)
    assert record["treatment"]["origin"]["file"] == str((folder / "entries.yaml").resolve())


def test_files_checked_by_content_are_trusted_again_once_safely_old(
    make_catalogue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like git refreshing its index: racy files found unchanged, once older than the racy
    window, are not read again on every run."""
    folder, cache = make_catalogue(), tmp_path / "c"
    _load(folder, cache)  # the files were just written: racy
    read: list[Path] = []
    real = store._content
    monkeypatch.setattr(store, "_content", lambda p: read.append(p) or real(p))
    assert isinstance(_load(folder, cache), CachedCatalogue)
    assert read  # checked by content
    monkeypatch.setattr(store, "RACY_NS", 1_000_000)  # 1 ms: the files are now safely old
    import time

    time.sleep(0.01)
    _load(folder, cache)  # checks once more, then moves the cache's time on
    read.clear()
    assert isinstance(_load(folder, cache), CachedCatalogue)
    assert read == []


@pytest.fixture
def coarse_filesystem(tmp_path: Path) -> Any:
    """A real filesystem with 1-second timestamps: ext4 with 128-byte inodes, loop-mounted
    (root only; skipped, saying why, elsewhere)."""
    import shutil
    import subprocess

    if os.geteuid() != 0 or not shutil.which("mkfs.ext4"):
        pytest.skip("needs root and mkfs.ext4 to loop-mount a filesystem with 1-second timestamps")
    image, mount = tmp_path / "ext.img", tmp_path / "mnt"
    mount.mkdir()
    subprocess.run(["truncate", "-s", "8M", str(image)], check=True)
    made = subprocess.run(["mkfs.ext4", "-q", "-I", "128", str(image)], capture_output=True)
    mounted = (
        made.returncode == 0
        and subprocess.run(
            ["mount", "-o", "loop", str(image), str(mount)], capture_output=True
        ).returncode
        == 0
    )
    if not mounted:
        pytest.skip("this machine does not allow loop mounts")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_same_second_edit_on_a_real_coarse_filesystem_is_seen(
    coarse_filesystem: Path, make_catalogue: Callable[..., Path], tmp_path: Path
) -> None:
    import shutil
    import time

    folder = coarse_filesystem / "cat"
    shutil.copytree(make_catalogue(), folder)
    entries = folder / "entries.yaml"
    assert entries.stat().st_mtime_ns % 10**9 == 0  # whole seconds: the filesystem is coarse
    for attempt in range(5):
        cache = tmp_path / f"c{attempt}"
        entries.write_text(entries.read_text().replace("Alpha SUMMARY.", "Alpha summary."))
        while time.time() % 1 > 0.5:  # start early in a second, so the edit lands in it too
            time.sleep(0.05)
        second = int(time.time())
        _load(folder, cache)
        entries.write_text(entries.read_text().replace("Alpha summary.", "Alpha SUMMARY."))
        if int(time.time()) == second:
            break
    else:
        pytest.skip("could not make the edit within the same second")
    assert _load(folder, cache).treatments["alpha-infusion"].summary.text == "Alpha SUMMARY."


# --- whole-file integrity, in real processes -----------------------------------------------------

NERVECLI = [sys.executable, "-m", "nervecli"]
CHECKED = (
    ["show", "ketamine"],
    ["list"],
    ["compare", "steroid", "nerve-block"],
    ["search", "nmda"],
)


def _run(cache_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cache_home),
        "XDG_CACHE_HOME": str(cache_home),
        "LANG": "C.UTF-8",
        "COLUMNS": "100",
    }
    return subprocess.run(
        [*NERVECLI, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _expected(cache_home: Path) -> dict[tuple[str, ...], tuple[int, str]]:
    out = {}
    for args in CHECKED:
        done = _run(cache_home, "--no-cache", *args)
        out[tuple(args)] = (done.returncode, done.stdout)
    return out


def _damage(path: Path, kind: str) -> None:
    with sqlite3.connect(path) as conn:
        if kind == "deleted entry":
            conn.execute("DELETE FROM entries WHERE id = 'ketamine-infusion'")
        elif kind == "deleted name":
            conn.execute("DELETE FROM names WHERE name = 'ketamine'")
        elif kind == "name points elsewhere":
            conn.execute("UPDATE names SET id = 'acetaminophen' WHERE name = 'ketamine'")
        elif kind == "scrambled order":
            conn.execute(
                "UPDATE entries SET ord = (SELECT max(ord) FROM entries) - ord "
                "WHERE kind = 'treatments'"
            )
        elif kind == "changed body":
            conn.execute("UPDATE entries SET body = replace(body, 'NMDA', 'NMDX')")
        elif kind == "swapped rows":  # bodies and checksums moved together
            conn.execute(
                "UPDATE entries SET body = (SELECT body FROM entries WHERE id = 'pregabalin'), "
                "sum = (SELECT sum FROM entries WHERE id = 'pregabalin') "
                "WHERE id = 'ketamine-infusion'"
            )
        elif kind == "deleted search word":
            conn.execute("DELETE FROM vocab WHERE word = 'nmda'")
        elif kind == "deleted typo entry":  # the vocabulary's index for typos
            conn.execute("DELETE FROM near WHERE word = 'nmda'")
        elif kind == "typo entry points elsewhere":
            conn.execute("UPDATE near SET word = 'ketamine' WHERE word = 'nmda'")
        elif kind == "changed entry list":  # a word's best entries, read by a one-word query
            conn.execute("UPDATE vocab SET entries = zeroblob(length(entries)) WHERE word = 'nmda'")
        elif kind == "renamed owner":
            conn.execute("UPDATE owners SET name = name || ' (renamed)'")
        else:
            raise AssertionError(kind)


DAMAGE = [
    "deleted entry",
    "deleted name",
    "name points elsewhere",
    "scrambled order",
    "changed body",
    "swapped rows",
]


@pytest.mark.parametrize("kind", DAMAGE)
@pytest.mark.parametrize("keep_time", [False, True], ids=["written", "time-restored"])
def test_a_damaged_cache_gives_the_answers_of_no_cache(
    tmp_path: Path, kind: str, keep_time: bool
) -> None:
    """Every kind of damage: each command answers exactly as with --no-cache, in the same run,
    and the cache is replaced. "time-restored" puts the file's modification time back (as a
    copy with `cp -p` or bit rot would keep it): the per-row checksums must catch it then."""
    if keep_time and kind.startswith("deleted"):
        pytest.skip("a deleted row under a restored time is caught by the manifest only")
    home = tmp_path / "home"
    expected = _expected(home)
    for args in CHECKED:
        _run(home, *args)  # the cache and the search index
    (path,) = [
        p
        for p in (home / "nervecli").glob("catalogue-*.sqlite")
        if ".search." not in p.name and ".listing." not in p.name
    ]
    before = path.stat()
    _damage(path, kind)
    if keep_time:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    for args in CHECKED:
        done = _run(home, *args)
        assert (done.returncode, done.stdout) == expected[tuple(args)], (kind, args)
        assert done.stderr == "", (kind, args)
    with sqlite3.connect(path) as conn:  # replaced: whole again
        rows = conn.execute("SELECT count(*) FROM entries WHERE id = 'ketamine-infusion'")
        assert rows.fetchone() == (1,)


@pytest.mark.parametrize(
    ("kind", "keep_time"),
    [
        ("deleted search word", False),
        ("deleted typo entry", False),
        ("typo entry points elsewhere", False),
        ("typo entry points elsewhere", True),  # caught by the row's checksum, at query time
        ("changed entry list", False),
        ("changed entry list", True),
        ("renamed owner", True),
    ],
)
def test_a_damaged_search_index_gives_the_answers_of_no_cache(
    tmp_path: Path, kind: str, keep_time: bool
) -> None:
    home = tmp_path / "home"
    expected = _expected(home)
    typo = _run(home, "--no-cache", "search", "nmdx")  # one letter off: found through `near`
    assert typo.returncode == 0 and "NMDA" in typo.stdout
    for args in CHECKED:
        _run(home, *args)
    (index,) = (home / "nervecli").glob("*.search.sqlite")
    before = index.stat()
    _damage(index, kind)
    if keep_time:
        os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))
    done = _run(home, "search", "nmdx")
    assert (done.returncode, done.stdout, done.stderr) == (0, typo.stdout, "")
    for args in [["search", "nmda"], ["search", "nmdx"]]:  # the index rebuilt: still right
        done = _run(home, *args)
        want = expected[("search", "nmda")] if args[1] == "nmda" else (0, typo.stdout)
        assert (done.returncode, done.stdout, done.stderr) == (*want, ""), args


def test_a_search_index_of_an_older_catalogue_is_never_used(
    cli: Invoke, make_catalogue: Callable[..., Path]
) -> None:
    folder = make_catalogue()
    assert "alpha-infusion" in cli("--catalog", str(folder), "search", "alpha", "-f", "json").stdout
    assert "alpha-infusion" in cli("--catalog", str(folder), "search", "alpha", "-f", "json").stdout
    path = folder / "entries.yaml"
    path.write_text(path.read_text().replace("Alpha summary.", "Zebra summary."))
    found = json.loads(cli("--catalog", str(folder), "search", "zebra", "-f", "json").stdout)
    assert "alpha-infusion" in json.dumps(found)


@contextlib.contextmanager
def _read_only_folder(folder: Path) -> Iterator[None]:
    """A folder in which no file can be made or removed (its files stay writable): chmod,
    or for root (whom modes do not stop) the immutable attribute."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("root, and chattr +i is not available here")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            yield
        finally:
            folder.chmod(stat.S_IRWXU)


@contextlib.contextmanager
def _read_only_everything(folder: Path) -> Iterator[None]:
    """A folder whose files cannot be written either: modes, or for root a read-only bind
    mount of the folder over itself."""
    if os.geteuid() == 0:
        if subprocess.run(["mount", "--bind", str(folder), str(folder)]).returncode:
            pytest.skip("root, and bind mounts are not available here")
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
            yield
        finally:
            subprocess.run(["umount", str(folder)], check=True)
    else:
        for f in folder.iterdir():
            f.chmod(stat.S_IRUSR)
        with _read_only_folder(folder):
            yield


def test_a_damaged_cache_in_a_read_only_folder_is_replaced_in_place(tmp_path: Path) -> None:
    home = tmp_path / "home"
    expected = _expected(home)
    _run(home, "show", "ketamine")
    folder = home / "nervecli"
    (path,) = folder.glob("catalogue-*.sqlite")
    _damage(path, "name points elsewhere")
    with _read_only_folder(folder):
        done = _run(home, "show", "ketamine")
        assert (done.returncode, done.stdout) == expected[("show", "ketamine")]
        assert done.stderr == ""
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            ids = conn.execute("SELECT DISTINCT id FROM names WHERE name = 'ketamine'").fetchall()
        assert ids == [("ketamine-infusion",)]  # repaired
        again = _run(home, "show", "ketamine")
        assert (again.returncode, again.stdout, again.stderr) == (
            *expected[("show", "ketamine")],
            "",
        )


def test_a_damaged_cache_that_cannot_be_replaced_is_bypassed_with_one_warning(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    expected = _expected(home)
    _run(home, "show", "ketamine")
    folder = home / "nervecli"
    (path,) = folder.glob("catalogue-*.sqlite")
    _damage(path, "name points elsewhere")
    with _read_only_everything(folder):
        for _ in range(2):
            done = _run(home, "show", "ketamine")
            assert (done.returncode, done.stdout) == expected[("show", "ketamine")]
            (line,) = done.stderr.splitlines()
            assert "damaged" in line and "warning" in line


def test_a_file_restored_with_cp_p_in_the_same_second_is_never_served_stale(
    make_catalogue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cp -p` puts back an old modification time; on a filesystem with 1-second change times
    the change time can equal the one stored. Size and both times then cannot prove the file
    unchanged, so its content is compared."""
    real = store._stamp

    def stamp(path: Path) -> list[object]:  # 1-second change times
        name, size, mtime, ctime = real(path)
        return [name, size, mtime, ctime // 10**9 * 10**9]  # type: ignore[operator]

    monkeypatch.setattr(store, "_stamp", stamp)
    folder = make_catalogue()
    entries = folder / "entries.yaml"
    backup = tmp_path / "backup.yaml"
    backup.write_text(entries.read_text().replace("Alpha summary.", "Alpha SUMMARY."))
    original = entries.read_text()
    for attempt in range(10):
        cache = tmp_path / f"c{attempt}"
        entries.write_text(original)
        while time.time() % 1 > 0.3:  # start early in a second, so that all lands in it
            time.sleep(0.02)
        for f in (backup, entries):
            os.utime(f, ns=(10**18, 10**18))  # both with the same old modification time
        seen = _load(folder, cache).treatments["alpha-infusion"].summary.text
        assert seen == "Alpha summary."
        stored = stamp(entries)
        shutil.copy2(backup, entries)  # cp -p: the same size and modification time
        if stamp(entries)[1:] == stored[1:]:
            break
    else:
        pytest.skip("could not build and copy within one second")
    assert _load(folder, cache).treatments["alpha-infusion"].summary.text == "Alpha SUMMARY."


def test_damage_met_while_the_search_index_is_built_gives_the_answers_of_no_cache(
    tmp_path: Path,
) -> None:
    """The index is built from the cached rows, streamed: a damaged row met on the way (its
    file's time restored, so only its checksum tells) falls back to the files in the same run,
    and no index is kept from the damaged rows."""
    home = tmp_path / "home"
    expected = _expected(home)
    _run(home, "show", "ketamine")  # the catalogue cache, no search index yet
    (path,) = (home / "nervecli").glob("catalogue-*.sqlite")
    before = path.stat()
    _damage(path, "changed body")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    done = _run(home, "search", "nmda")
    assert (done.returncode, done.stdout, done.stderr) == (*expected[("search", "nmda")], "")
    assert not list((home / "nervecli").glob("*.search.sqlite"))  # the build was abandoned
    done = _run(home, "search", "nmda")  # the cache rebuilt, and the index from it
    assert (done.returncode, done.stdout, done.stderr) == (*expected[("search", "nmda")], "")
    assert list((home / "nervecli").glob("*.search.sqlite"))


def test_every_name_from_the_cache_is_every_name_in_memory(
    cli: Invoke, own_cache: Path, catalogue: Catalogue
) -> None:
    """`everything` (what "did you mean" compares with) reads the name table in one scan: the
    same names, each with its first owner, as the name index in memory."""
    cli("list")
    cached = store.open_catalogue([], True, own_cache / "nervecli")
    assert isinstance(cached, CachedCatalogue)
    for kind in ("treatments", "conditions"):
        assert cached.names(kind).everything() == catalogue.names(kind).everything(), kind


def test_a_name_row_with_a_position_that_is_no_number_falls_back(
    cli: Invoke, own_cache: Path, catalogue: Catalogue
) -> None:
    """A name row whose position is text (its checksum made to match) is damage: the names
    come from the files, never a TypeError from sorting."""
    from nervecli.origin import format as fmt

    cli("list")
    path = _db(own_cache / "nervecli")
    before = path.stat()  # put back after: the row is met when read, not by the manifest
    with sqlite3.connect(path) as conn:
        name, ident, tab, pos = conn.execute(
            "SELECT name, id, tab, pos FROM names WHERE kind = 'treatments' AND name = 'ketamine'"
        ).fetchone()
        conn.execute(
            "UPDATE names SET pos = ?, sum = ? WHERE kind = 'treatments' AND name = 'ketamine'",
            (f"p{pos}", fmt.row_sum("treatments", name, ident, tab, f"p{pos}")),
        )
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    cached = store.open_catalogue([], True, own_cache / "nervecli")
    assert isinstance(cached, CachedCatalogue)
    assert cached.names("treatments").everything() == catalogue.names("treatments").everything()
