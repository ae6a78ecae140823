"""The cache file's format and freshness: names, fingerprints, the racy rule, and whole-file
integrity. Standard library only (no model, no pathlib), so that the completion fast path can
use it at a Tab press.

Whole-file integrity: every row carries a checksum over all its columns, and a manifest row
holds a digest over every table (each row's key columns and checksum, in order, with the row
counts), so a deleted row, a row pointing at another entry or scrambled order is caught, not
only a flipped byte. Checking the manifest reads every small row, so a cache is *sealed* when
written: its modification time is set to a time stored inside it, well in the past. Any later
write to the file (SQLite's, an editor's, a copy over it) moves that time, and the next open then
checks the whole manifest before trusting the file (and seals it again when it is whole).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Sequence
from typing import Any

FORMAT = "4"  # JSON rows with checksums over every column, a manifest and a seal; typo index
SUFFIX = ".sqlite"
RACY_NS = 3_000_000_000  # a file changed this close to the cache's making is checked by content

# What the manifest's digest covers, per kind of cache file: every table, in a fixed order.
DIGESTS = {
    "catalogue": (
        "SELECT key, sum FROM meta WHERE key NOT IN ('built', 'manifest') ORDER BY key",
        "SELECT kind, id, ord, osum, sum FROM entries ORDER BY kind, ord",
        "SELECT kind, name, id, tab, pos, sum FROM names ORDER BY pos",
    ),
    "search": (
        "SELECT key, sum FROM meta WHERE key NOT IN ('built', 'manifest') ORDER BY key",
        "SELECT word, sum FROM vocab ORDER BY word",
        "SELECT n, sum FROM docs ORDER BY n",
        "SELECT n, sum FROM owners ORDER BY n",
        "SELECT key, word, sum FROM near ORDER BY key, word",
    ),
}


class Damaged(Exception):
    """A cache file turned out unreadable, incomplete or inconsistent."""


def crc(data: bytes) -> int:
    return zlib.crc32(data)


def row_sum(*key: object, data: bytes = b"") -> int:
    """A row's checksum: over its key columns and its data."""
    return zlib.crc32(data, zlib.crc32("\0".join(map(str, key)).encode("utf-8", "surrogatepass")))


def file_name(version: str, bundled: bool, paths: Sequence[str]) -> str:
    """The cache file for nervecli's version and these catalogue files (the model's shape is
    stored inside and checked on open)."""
    key = "\n".join([version, FORMAT, str(bundled), *paths]).encode("utf-8", "surrogateescape")
    return f"catalogue-{crc(key):08x}-{len(key):x}{SUFFIX}"


def search_name(catalogue_file: str) -> str:
    return catalogue_file.removesuffix(SUFFIX) + ".search" + SUFFIX


# --- what the cache knows of the files -----------------------------------------------------------


def stamp(path: str) -> list[Any]:
    info = os.stat(path)
    return [path, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


CONTENT_LIMIT = 64 * 1024 * 1024  # far above any catalogue file's limit: larger is "changed"


def content(path: str) -> int:
    """The checksum of a regular file's content. Opened without blocking and checked on the
    open descriptor, so a catalogue file swapped for a FIFO or a device never hangs a run (or
    a Tab press); anything but a regular file, or one past the limit, raises OSError."""
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > CONTENT_LIMIT:
            raise OSError(f"{path}: not a regular file of at most {CONTENT_LIMIT} bytes")
        return crc(f.read(CONTENT_LIMIT + 1))


def fingerprints(files: Sequence[str]) -> list[list[Any]]:
    """[path, size, mtime, ctime, content checksum] of each file, as written to the cache."""
    return [[*stamp(f), content(f)] for f in files]


def current(
    stored: Any,
    files: Sequence[str],
    built_ns: Any,
    stamp_of: Callable[[str], list[Any]] = stamp,
    content_of: Callable[[str], int] = content,
    racy_ns: int = RACY_NS,
) -> int | None:
    """Whether the files are the ones the cache was built from, unchanged: None if not, else
    the newest time among the files that had to be checked by content (0 if none had).

    Times can be as coarse as a second, and `cp -p` or an editor can put an old modification
    time back: a file is trusted by its size and times only when both its modification and
    its change time are safely older than the cache's making; otherwise its content is
    compared too (like git's "racy clean" files)."""
    if not isinstance(stored, list) or not isinstance(built_ns, int):
        raise Damaged("the file list")
    try:
        if [s[0] for s in stored] != list(files):
            return None
    except (TypeError, IndexError, KeyError):
        raise Damaged("the file list") from None
    racy = 0
    for record, path in zip(stored, files, strict=True):
        try:
            if stamp_of(path) != record[:4]:
                return None
            newest = max(record[2], record[3])
            if newest >= built_ns - racy_ns:
                if content_of(path) != record[4]:
                    return None
                racy = max(racy, newest)
        except OSError:
            return None
    return racy


# --- integrity -----------------------------------------------------------------------------------


def seal_time(built_ns: int) -> int:
    """A modification time for a sealed cache: whole even seconds (exact on FAT's 2-second
    clock), ten seconds before its making, so that no later write can land on it."""
    return (built_ns // 2_000_000_000) * 2_000_000_000 - 10_000_000_000


def digest(conn: sqlite3.Connection, kind: str) -> str:
    """A digest over every table of a cache file: row counts, key columns and checksums."""
    import hashlib  # only when writing or checking a whole file

    h = hashlib.blake2b(digest_size=16)
    for sql in DIGESTS[kind]:  # streamed: a table of millions of rows is never held whole
        cursor, count = conn.execute(sql), 0
        while rows := cursor.fetchmany(4096):
            count += len(rows)
            text = "".join("\x1f".join(map(str, r)) + "\x1e" for r in rows)
            h.update(text.encode("utf-8", "replace"))
        h.update(f"\x1d{count}\x1d".encode())
    return h.hexdigest()


def meta_bytes(conn: sqlite3.Connection, key: str) -> bytes:
    """A meta row's stored bytes, checked against its checksum."""
    try:
        found = conn.execute("SELECT value, sum FROM meta WHERE key = ?", (key,)).fetchall()
    except sqlite3.Error as exc:
        raise Damaged(str(exc)) from None
    if not found:
        raise Damaged(f"no {key}")
    data, expected = found[0]
    if not isinstance(data, bytes) or row_sum(key, data=data) != expected:
        raise Damaged(f"the checksum of {key}")
    return data


def plain_meta(conn: sqlite3.Connection, key: str) -> Any:
    """A meta value that is plain JSON (numbers, strings, lists)."""
    try:
        return json.loads(meta_bytes(conn, key))
    except ValueError:
        raise Damaged(key) from None


def whole(conn: sqlite3.Connection, path: str, kind: str, reseal: bool) -> None:
    """Raise Damaged unless the file is whole: sealed and untouched since, or matching its
    manifest (then sealed again, when `reseal` and the file allows)."""
    seal = plain_meta(conn, "seal")
    try:
        if os.stat(path).st_mtime_ns == seal:
            return
    except OSError as exc:
        raise Damaged(str(exc)) from None
    try:
        found = digest(conn, kind)
    except sqlite3.Error as exc:
        raise Damaged(str(exc)) from None
    if found != plain_meta(conn, "manifest"):
        raise Damaged("the manifest does not match the tables")
    if reseal:
        with contextlib.suppress(OSError):  # a read-only cache only costs speed
            os.utime(path, ns=(seal, seal))
