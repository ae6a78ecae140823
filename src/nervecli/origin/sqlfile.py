"""The cache's SQLite files themselves: written whole or not at all, read only through
checksums.

A cache file is written to a temporary file and renamed into place, so a reader never sees half
of one and two runs at once do not collide; the temporary file is removed on every exit path.
It is opened read-only, whole (see `format.whole`) and of this version and model, or not at
all; every value read from it is checked against its row's checksum (`Damaged` otherwise).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from nervecli import __version__
from nervecli.origin import codec
from nervecli.origin import format as fmt
from nervecli.origin.format import Damaged

# Fills a new cache file; may return rows of the manifest's queries it knows (`fmt.digest`).
Fill = Callable[[sqlite3.Connection], "Mapping[str, Iterable[Sequence[Any]]] | None"]


def verified(data: Any, expected: Any, *key: object) -> bytes:
    """Stored bytes whose checksum (over the key columns and the bytes) matches; else Damaged."""
    if not isinstance(data, bytes) or fmt.row_sum(*key, data=data) != expected:
        raise Damaged("a checksum does not match")
    return data


def warn(text: str) -> None:
    """One warning line on stderr (the cache cannot talk through the CLI's output edge)."""
    import sys

    try:
        sys.stderr.write(f"nervecli: warning: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# --- writing -------------------------------------------------------------------------------------


def row(value: Any, key: str) -> tuple[bytes, int]:
    data = codec.dumps(value)
    return data, fmt.row_sum(key, data=data)


def put_meta(conn: sqlite3.Connection, **values: Any) -> None:
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?, ?)", ((k, *row(v, k)) for k, v in values.items())
    )


def _fill_file(conn: sqlite3.Connection, schema: str, kind: str, seal: int, fill: Fill) -> None:
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + schema)
    known = fill(conn)
    put_meta(conn, seal=seal)
    put_meta(conn, manifest=fmt.digest(conn, kind, known))
    conn.commit()


def write_db(
    path: Path, schema: str, kind: str, built_ns: int, fill: Fill, overwrite: bool = True
) -> bool:
    """Build a cache file beside its final place, seal it and rename it there (atomic: a
    reader sees all of it or none). True if it was written; an unwritable folder is not an
    error. Where the folder cannot take a new file but a (damaged) cache file is there and
    writable, that file is overwritten in place: a reader that meets it half-written finds it
    damaged and reads the catalogue files instead (unless `overwrite` is false: a `fill` that
    reads the catalogue's files is not run twice)."""
    seal = fmt.seal_time(built_ns)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(tmp)
        try:
            _fill_file(conn, schema, kind, seal, fill)
        finally:
            conn.close()
        os.utime(tmp, ns=(seal, seal))
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error, UnicodeError):  # UnicodeError: a file name not UTF-8
        pass
    finally:
        remove(tmp)  # gone on every path, an interruption included
    return overwrite and path.is_file() and _overwrite(path, schema, kind, seal, fill)


def _overwrite(path: Path, schema: str, kind: str, seal: int, fill: Fill) -> bool:
    try:
        conn = sqlite3.connect(":memory:")
        try:
            _fill_file(conn, schema, kind, seal, fill)
            serialize = getattr(conn, "serialize", None)  # Python 3.11 and newer
            if serialize is None:
                return False
            data = serialize()
        finally:
            conn.close()
        with open(path, "r+b") as f:
            f.write(data)
            f.truncate()
        os.utime(path, ns=(seal, seal))
        return True
    except (OSError, sqlite3.Error):
        return False


# --- reading -------------------------------------------------------------------------------------


class Db:
    """A read-only connection to one cache file; every read is checked against its checksum."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise Damaged(str(exc)) from None

    def batches(self, sql: str, args: Sequence[Any], size: int) -> Iterator[list[Any]]:
        """The rows of one query, `size` at a time, from one cursor (one pass over the table)."""
        try:
            cursor = self.conn.execute(sql, args)
            while rows := cursor.fetchmany(size):
                yield rows
        except sqlite3.Error as exc:
            raise Damaged(str(exc)) from None

    def value(self, data: Any, expected: Any, *key: object) -> Any:
        try:
            return codec.loads(verified(data, expected, *key))
        except codec.Unreadable as exc:
            raise Damaged(str(exc)) from None

    def meta(self, key: str) -> Any:
        try:
            return codec.loads(fmt.meta_bytes(self.conn, key))
        except codec.Unreadable as exc:
            raise Damaged(str(exc)) from None

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def forget(self) -> None:
        """Close and remove the file (when the folder allows)."""
        self.close()
        remove(self.path)


class Other(Exception):
    """A cache file for another version or model: not damage, but not to be used."""


def open_db(path: Path, kind: str) -> Db | None:
    """A cache file, whole (see `format.whole`) and of this version and model; None if there is
    none. Raises Damaged for a damaged file, Other for one of another version or model."""
    if not path.is_file():
        return None
    try:
        db = Db(path)
    except sqlite3.Error as exc:
        raise Damaged(str(exc)) from None
    try:
        if db.meta("version") != __version__ or db.meta("shape") != codec.shape():
            raise Other
        fmt.whole(db.conn, str(path), kind, reseal=True)
    except BaseException:
        db.close()
        raise
    return db
