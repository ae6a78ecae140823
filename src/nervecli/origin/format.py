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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

FORMAT = "6"  # JSON rows with checksums over every column, a manifest and a seal; typo index;
# the kinds of each family; the Tab blocks and stamps
SUFFIX = ".sqlite"
RACY_NS = 3_000_000_000  # a file changed this close to the cache's making is checked by content

# What the manifest's digest covers, per kind of cache file: every table, in a fixed order.
ENTRY_DIGEST = "SELECT kind, id, ord, osum, sum FROM entries ORDER BY kind, ord"
DIGESTS = {
    "catalogue": (
        "SELECT key, sum FROM meta WHERE key NOT IN ('built', 'manifest') ORDER BY key",
        ENTRY_DIGEST,
        "SELECT kind, name, id, tab, pos, sum FROM names ORDER BY pos",
        "SELECT family, ord, id, sum FROM kinds ORDER BY family, ord",
        "SELECT kind, first, sum FROM tab_blocks ORDER BY kind, first",
    ),
    "listing": ("SELECT key, sum FROM meta WHERE key NOT IN ('built', 'manifest') ORDER BY key",),
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


def names_whole(kind: str, rows: Sequence[Sequence[Any]]) -> bool:
    """Whether every (name, id, tab, pos, sum) row of the name index matches its checksum:
    `row_sum(kind, name, id, tab, pos)`, computed inline (a Tab press checks a thousand)."""
    crc = zlib.crc32
    for name, ident, tab, pos, expected in rows:
        text = f"{kind}\0{name}\0{ident}\0{tab}\0{pos}"
        if crc(text.encode("utf-8", "surrogatepass")) != expected:
            return False
    return True


# --- the Tab index: the names completion offers, in blocks ---------------------------------------

TAB_BLOCK = 64  # names a block holds (more where one name repeats: a name is never split)
TAB_SQL = (
    "SELECT first, names, sum FROM tab_blocks WHERE kind = ?1 AND first < ?3 AND first >= "
    "coalesce((SELECT max(first) FROM tab_blocks WHERE kind = ?1 AND first <= ?2), '') "
    "ORDER BY first"
)


def tab_blocks(kind: str, rows: Sequence[Sequence[Any]]) -> list[tuple[str, str, bytes, int]]:
    """The Tab index's rows for a kind's name rows ((kind, name, id, tab, pos, sum), as the
    names table holds them): the names completion offers (tab = 1) in name order, about
    TAB_BLOCK a row, as (kind, its first name, 'name NUL pos NUL' each, checksum). A Tab reads
    a few blocks and checks one checksum each, not a row and a checksum a name."""
    offered = sorted((r[1], r[4]) for r in rows if r[3])
    out = []
    i = 0
    while i < len(offered):
        j = min(i + TAB_BLOCK, len(offered))
        while j < len(offered) and offered[j][0] == offered[j - 1][0]:
            j += 1
        data = joined(f"{name}\0{pos}\0" for name, pos in offered[i:j])
        first = offered[i][0]
        out.append((kind, first, data, row_sum(kind, first, data=data)))
        i = j
    return out


def tab_names(conn: sqlite3.Connection, kind: str, prefix: str) -> list[str]:
    """The names completion offers that start with `prefix`, in the catalogue's order, each
    once. Raises Damaged for a block that does not match its checksum (ValueError for one
    that does and still cannot be read). The blocks read are in name order, so the names that
    start with the prefix are one run of them, found by bisection: no test a name."""
    names: list[str] = []
    positions: list[str] = []
    for first, data, expected in conn.execute(TAB_SQL, (kind, prefix, prefix + "\U0010ffff")):
        if not isinstance(data, bytes) or row_sum(kind, first, data=data) != expected:
            raise Damaged("the checksum of a block of names")
        fields = data.decode("utf-8", "surrogatepass").split("\0")
        if len(fields) % 2 != 1 or fields[-1]:
            raise Damaged("a block of names")
        names += fields[0:-1:2]
        positions += fields[1::2]
    start = _first_at_least(names, prefix, 0)
    end = _first_at_least(names, prefix + "\U0010ffff", start)
    at = dict(zip(map(int, positions[start:end]), names[start:end], strict=True))
    if len(at) != end - start:
        raise Damaged("a block of names")  # a position is a name row's own
    return list(dict.fromkeys(map(at.__getitem__, sorted(at))))


def _first_at_least(items: list[str], key: str, low: int) -> int:
    """bisect.bisect_left, without importing bisect (a Tab press pays for every import)."""
    high = len(items)
    while low < high:
        middle = (low + high) // 2
        if items[middle] < key:
            low = middle + 1
        else:
            high = middle
    return low


def file_name(version: str, bundled: bool, paths: Sequence[str]) -> str:
    """The cache file for nervecli's version and these catalogue files (the model's shape is
    stored inside and checked on open)."""
    key = "\n".join([version, FORMAT, str(bundled), *paths]).encode("utf-8", "surrogateescape")
    return f"catalogue-{crc(key):08x}-{len(key):x}{SUFFIX}"


def search_name(catalogue_file: str) -> str:
    return catalogue_file.removesuffix(SUFFIX) + ".search" + SUFFIX


def listing_name(catalogue_file: str) -> str:
    return catalogue_file.removesuffix(SUFFIX) + ".listing" + SUFFIX


# --- what the cache knows of the files -----------------------------------------------------------


def stamp(path: str) -> list[Any]:
    info = os.stat(path)
    return [path, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def stamp_text(path: str, size: int, mtime_ns: int, ctime_ns: int) -> str:
    """One file's stamp as text: each field ended by NUL, which no path holds, so that the
    whole list is one string that equals another exactly when the lists are equal."""
    return f"{path}\0{size}\0{mtime_ns}\0{ctime_ns}\0"


def stamps(records: Sequence[Sequence[Any]]) -> bytes:
    """The stamps of the files (their [path, size, mtime, ctime, ...] records) as the bytes
    the cache stores beside its file list: a Tab press compares them whole with the stamps it
    takes, where decoding the list and comparing it file by file would cost more."""
    return joined(stamp_text(r[0], r[1], r[2], r[3]) for r in records)


def joined(texts: Iterable[str]) -> bytes:
    return "".join(texts).encode("utf-8", "surrogatepass")


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


def digest(
    conn: sqlite3.Connection, kind: str, known: Mapping[str, Iterable[Sequence[Any]]] | None = None
) -> str:
    """A digest over every table of a cache file: row counts, key columns and checksums.
    `known`: the rows of some of the queries, as the writer that has just written them knows
    them (a table of large rows is then not read back)."""
    import hashlib  # only when writing or checking a whole file

    h = hashlib.blake2b(digest_size=16)
    for sql in DIGESTS[kind]:  # streamed: a table of millions of rows is never held whole
        count = 0
        for rows in _batches(conn, sql, None if known is None else known.get(sql)):
            count += len(rows)
            text = "".join("\x1f".join(map(str, r)) + "\x1e" for r in rows)
            h.update(text.encode("utf-8", "replace"))
        h.update(f"\x1d{count}\x1d".encode())
    return h.hexdigest()


def _batches(
    conn: sqlite3.Connection, sql: str, given: Iterable[Sequence[Any]] | None
) -> Iterator[Sequence[Sequence[Any]]]:
    if given is None:
        cursor = conn.execute(sql)
        while rows := cursor.fetchmany(4096):
            yield rows
        return
    from itertools import islice

    known = iter(given)
    while rows := list(islice(known, 4096)):
        yield rows


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
