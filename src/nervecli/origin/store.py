"""Opening a catalogue: from its cache when that is current, else from its files (then cached).

The cache holds the validated catalogue, so that most runs read no YAML and validate nothing.

One SQLite file per catalogue configuration in the cache folder the settings name
(`$XDG_CACHE_HOME/nervecli/`). Its name is a digest of nervecli's version, the cache format,
the model's shape and the catalogue's file paths. Inside, each treatment and condition is a row
of plain JSON (`codec`) with a checksum, so a lookup by name reads only what it shows, nothing
read can run code, and a changed byte is caught.

Stale data is never served. Every file's size, modification and change times and content
checksum are stored; a file whose times differ means a new cache. Timestamps can be as coarse as
a second or two (FAT, HFS+, many network shares), so an edit that keeps the size, made in the
same second as the cache was built, leaves them equal: like git's "racy clean" files, a file
whose modification time is not safely older than the cache is checked by content as well.

A cache is written whole or not at all (`sqlfile`). A cache that cannot be read is removed
(when it can be) and the catalogue read from YAML instead,
in the same run; damage found while reading rows does the same. A missing or read-only cache
folder only costs speed.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from nervecli import __version__
from nervecli.model.catalogue import Catalogue
from nervecli.origin import codec
from nervecli.origin import format as fmt
from nervecli.origin.format import Damaged
from nervecli.origin.proxies import CachedCatalogue
from nervecli.origin.sqlfile import Other, open_db, remove, row, warn, write_db
from nervecli.reading.files import (
    MAX_FILE_BYTES,
    bundled_data_dir,
    located_files,
    read_regular,
)

KEEP = 4  # caches kept for other catalogue configurations
SUFFIX = fmt.SUFFIX
RACY_NS = fmt.RACY_NS  # kept in step with fmt.RACY_NS (tests change it here)
_crc = fmt.crc


def _file_name(paths: Sequence[Path], bundled: bool) -> str:
    return fmt.file_name(__version__, bundled, [str(p) for p in paths])


_search_name = fmt.search_name


# --- what the cache knows of the files -----------------------------------------------------------


def _stamp(path: Path | str) -> list[Any]:
    return fmt.stamp(str(path))


def _content(path: Path) -> int:
    return _crc(read_regular(path, MAX_FILE_BYTES))  # never blocks on a FIFO, nor reads /dev/zero


def _fingerprints(files: Sequence[Path]) -> list[list[Any]]:
    """[path, size, mtime, ctime, content checksum] of each file, as written to the cache."""
    return [[*_stamp(f), _content(f)] for f in files]


def _current(stored: Any, files: Sequence[Path], built_ns: Any) -> int | None:
    """See `format.current` (the racy rule); stamps and contents are read through this
    module's functions, so that tests can simulate a coarse filesystem."""
    return fmt.current(
        stored,
        [str(f) for f in files],
        built_ns,
        lambda p: _stamp(p),  # a thousand files: no Path made for each
        lambda p: _content(Path(p)),
        RACY_NS,
    )


def _settle(path: Path, racy: int, seal: int) -> None:
    """Once the files that had to be checked by content are safely older than now (and were
    found unchanged), move the cache's time forward, as git refreshes its index: later runs
    then trust their timestamps again. An edit after this changes a file's time, which a
    coarse clock can no longer round back to the one stored. The file is sealed again."""
    now = time.time_ns()
    if not racy or now - RACY_NS <= racy:
        return
    try:
        conn = sqlite3.connect(path)
        try:
            data, check = row(now, "built")
            conn.execute("UPDATE meta SET value = ?, sum = ? WHERE key = 'built'", (data, check))
            conn.commit()
        finally:
            conn.close()
        os.utime(path, ns=(seal, seal))
    except (sqlite3.Error, OSError):
        pass  # a read-only cache only costs speed


# --- writing -------------------------------------------------------------------------------------


def write(catalogue: Catalogue, path: Path, files: list[list[Any]], built_ns: int) -> bool:
    """Store a validated catalogue (the search index is built on first use)."""
    from nervecli.origin import rows  # only when writing: a warm run never does

    def fill(conn: sqlite3.Connection) -> None:
        rows.put_core(conn, catalogue, files, built_ns)
        for kind in rows.KINDS:
            table: Mapping[str, Any] = getattr(catalogue, kind)
            conn.executemany(
                rows.INSERT_ENTRY,
                (
                    rows.entry_row(
                        kind, e.id, i, rows.origin_bytes(catalogue, kind, e.id), codec.dumps(e)
                    )
                    for i, e in enumerate(table.values())
                ),
            )
        tables = {kind: list(getattr(catalogue, kind).values()) for kind in rows.KINDS}
        rows.put_names(conn, tables, ((t.family, t.id) for t in catalogue.treatments.values()))

    written = write_db(path, rows.CATALOGUE_SCHEMA, "catalogue", built_ns, fill)
    if written:
        _prune(path.parent, keep=path.name)
    return written


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _prune(directory: Path, keep: str) -> None:
    """Keep the newest few caches (other catalogue configurations); remove the rest, with
    their search and listing indexes, and temporary files left by a writer that was killed."""
    for tmp in directory.glob(".catalogue-*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            remove(tmp)
    try:
        caches = sorted(
            (
                p
                for p in directory.glob(f"catalogue-*{SUFFIX}")
                if p.name != keep and not p.name.endswith((".search" + SUFFIX, ".listing" + SUFFIX))
            ),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    for old in caches[KEEP - 1 :]:
        remove(old)
        remove(old.with_name(_search_name(old.name)))
        remove(old.with_name(fmt.listing_name(old.name)))


# --- reading -------------------------------------------------------------------------------------


def read(
    path: Path, files: Sequence[Path], recover: Callable[[], Catalogue]
) -> tuple[CachedCatalogue | None, bool]:
    """The cached catalogue at `path` if it is whole and made from these files as they are
    now, else None; and whether a damaged cache was found there (it is removed if it can be)."""
    try:
        db = open_db(path, "catalogue")
    except Other:
        return None, False
    except Damaged:
        remove(path)
        return None, True
    if db is None:
        return None, False
    try:
        racy = _current(db.meta("files"), files, db.meta("built"))
        if racy is None:
            db.close()
            return None, False
        _settle(path, racy, db.meta("seal"))
        core = db.meta("core")
        if not isinstance(core, dict):
            raise Damaged("core")
        cached = CachedCatalogue(db, core, recover, path.with_name(_search_name(path.name)))
        cached.manifest = db.meta("manifest")
    except (Damaged, KeyError, TypeError, ValueError):
        db.forget()
        return None, True
    return cached, False


def open_catalogue(
    paths: Sequence[Path], bundled: bool = True, directory: Path | None = None
) -> Catalogue:
    """The catalogue for these paths: from the cache in `directory` when it is current, else
    read from YAML, validated, and cached there for next time. No `directory`: no cache.

    A damaged cache (found on opening it, or later while reading it) is bypassed in the same
    run, the answers those of the files, and replaced; where it can be neither removed nor
    replaced, every run bypasses it and says so in one warning line."""

    def from_files() -> Catalogue:
        from nervecli.reading.loader import load_catalogue

        return load_catalogue(paths, bundled=bundled)

    if directory is None:
        return from_files()
    files = located_files([*([bundled_data_dir()] if bundled else []), *paths])
    resolved = [Path(real) for _, real in files]
    path = directory / _file_name(resolved, bundled)

    def rebuild(damaged: bool) -> Catalogue:
        built_ns = time.time_ns()
        try:
            fingerprints = _fingerprints(resolved)
        except OSError:
            return from_files()
        # Straight from the files into the cache, answered from there (`first_run`); where
        # that cannot be, the catalogue is read in memory and written from there.
        from nervecli.origin.first_run import build

        if build(paths, bundled, path, fingerprints, built_ns):
            _prune(path.parent, keep=path.name)
            fresh, _ = read(path, resolved, from_files)
            if fresh is not None:
                return fresh
        catalogue = from_files()
        if not write(catalogue, path, fingerprints, built_ns) and damaged and path.exists():
            warn(
                f"the cache {path} is damaged and cannot be replaced; reading the catalogue "
                "files instead (remove that file, or use --no-cache)"
            )
        return catalogue

    cached, damaged = read(path, resolved, lambda: rebuild(True))
    if cached is not None:
        return cached
    return rebuild(damaged)
