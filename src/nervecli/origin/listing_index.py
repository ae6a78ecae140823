"""The stored listing index (`model.listing`): a file beside the catalogue cache, written by the
first `list` that needs it, read whole by every later one (a few arrays: at 100,000 treatments
a few megabytes, read in milliseconds, where reading every treatment takes seconds).

It names the catalogue cache it was made from (that file's manifest) and the code that made it
(`stamp`), so it is never used with another. Every value is checked against its checksum; a
damaged, foreign or stale file is removed and `list` makes the index again.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any, overload

from nervecli import __version__
from nervecli.model.listing import ListingIndex
from nervecli.origin import codec
from nervecli.origin import format as fmt
from nervecli.origin.format import Damaged
from nervecli.origin.sqlfile import Other, open_db, put_meta, remove, write_db

SCHEMA = "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB, sum INTEGER);"
TABLES = f"{fmt.crc(SCHEMA.encode()):08x}-1"  # a file of another layout is never read
COLUMN = "column:"  # a meta row holding one column's array
ITEM = "I"  # every column: unsigned ints
UTF8 = ("utf-8", "surrogatepass")


def keep(path: Path, manifest: str, index: ListingIndex) -> bool:
    """Write the index beside the catalogue cache; False when it cannot be written."""

    def fill(conn: sqlite3.Connection) -> None:
        put_meta(
            conn,
            version=__version__,
            shape=codec.shape(),
            of=manifest,
            tables=TABLES,
            stamp=index.stamp,
            names=sorted(index.columns),
            groups=[[g, ms] for g, ms in index.groups.items()],
            totals=index.totals,
        )
        # ids NUL-joined (no id holds NUL), with where each ends: an id is read by its place,
        # and a hundred thousand of them are never split
        joined = "\0".join(index.ids).encode(*UTF8)
        ends, at = array(ITEM), 0
        for ident in index.ids:
            at += len(ident.encode(*UTF8))
            ends.append(at)
            at += 1
        blobs = [("ids", joined), ("id_ends", ends.tobytes())]
        blobs += [(COLUMN + name, column.tobytes()) for name, column in index.columns.items()]
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?, ?)",
            ((name, data, fmt.row_sum(name, data=data)) for name, data in blobs),
        )

    return write_db(path, SCHEMA, "listing", time.time_ns(), fill)


def read(path: Path, manifest: str, stamp: str) -> ListingIndex | None:
    """The listing index of this catalogue cache made by the code `stamp` names, or None (a
    damaged, foreign or stale file is removed)."""
    try:
        db = open_db(path, "listing")
        if db is None:
            return None
        try:
            if (
                db.meta("of") != manifest
                or db.meta("tables") != TABLES
                or db.meta("stamp") != stamp
            ):
                raise Other
            index = _index(db.conn, stamp, db.meta)
        finally:
            db.close()
    except (Damaged, Other, KeyError, TypeError, ValueError):
        remove(path)
        return None
    if not index.whole():
        remove(path)
        return None
    return index


def _index(conn: sqlite3.Connection, stamp: str, meta: Any) -> ListingIndex:
    ends = array(ITEM)
    ends.frombytes(fmt.meta_bytes(conn, "id_ends"))
    ids = _Ids(fmt.meta_bytes(conn, "ids"), ends)
    if ends and ends[-1] != len(ids.joined):
        raise Damaged("the listing index's ids")
    index = ListingIndex(stamp, ids)
    for name in meta("names"):
        column = array(ITEM)
        column.frombytes(fmt.meta_bytes(conn, COLUMN + str(name)))
        index.columns[str(name)] = column
    index.groups = {int(g): [int(m) for m in ms] for g, ms in meta("groups")}
    index.totals = {str(k): int(v) for k, v in meta("totals").items()}
    return index


class _Ids(Sequence[str]):
    """The treatments' ids, each read from the joined ids by its place when asked for."""

    def __init__(self, joined: bytes, ends: array[int]) -> None:
        self.joined, self.ends = joined, ends

    def __len__(self) -> int:
        return len(self.ends)

    def _one(self, n: int) -> str:
        if n < 0:
            n += len(self.ends)
        start = self.ends[n - 1] + 1 if n > 0 else 0
        return self.joined[start : self.ends[n]].decode(*UTF8)

    @overload
    def __getitem__(self, k: int) -> str: ...
    @overload
    def __getitem__(self, k: slice) -> list[str]: ...
    def __getitem__(self, k: int | slice) -> str | list[str]:
        if isinstance(k, slice):
            return [self._one(n) for n in range(len(self.ends))[k]]
        return self._one(k)
