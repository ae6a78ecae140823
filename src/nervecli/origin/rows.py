"""The rows of a catalogue cache file, as every writer of one makes them: from a catalogue in
memory (`store.write`) or from entries encoded where they were read (`first_run`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nervecli import __version__
from nervecli.model.catalogue import Catalogue
from nervecli.model.names import Named, entry_names
from nervecli.origin import codec
from nervecli.origin import format as fmt
from nervecli.origin.sqlfile import put_meta

KINDS = ("treatments", "conditions")  # the tables kept a row an entry

CATALOGUE_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB, sum INTEGER);
CREATE TABLE entries (kind TEXT, id TEXT, ord INTEGER, origin BLOB, osum INTEGER, body BLOB,
                      sum INTEGER, PRIMARY KEY (kind, id));
CREATE TABLE names (kind TEXT, name TEXT, id TEXT, tab INTEGER, pos INTEGER, sum INTEGER);
CREATE INDEX names_by_name ON names (kind, name);
CREATE TABLE kinds (family TEXT, ord INTEGER, id TEXT, sum INTEGER);
CREATE INDEX kinds_by_family ON kinds (family, ord);
CREATE TABLE tab_blocks (kind TEXT, first TEXT, names BLOB, sum INTEGER,
                         PRIMARY KEY (kind, first)) WITHOUT ROWID;
"""

INSERT_ENTRY = "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)"


def entry_row(
    kind: str, ident: str, ord_: int, origin: bytes | None, body: bytes
) -> tuple[Any, ...]:
    osum = fmt.row_sum(kind, ident, data=origin or b"")
    return (kind, ident, ord_, origin, osum, body, fmt.row_sum(kind, ident, ord_, data=body))


def origin_bytes(catalogue: Catalogue, kind: str, ident: str) -> bytes | None:
    """An entry's origin, or NULL for the bundled catalogue's (most entries)."""
    origin = catalogue.origin(kind, ident)
    return None if origin.file is None else codec.dumps(origin)


def put_core(
    conn: sqlite3.Connection, catalogue: Catalogue, files: list[list[Any]], built_ns: int
) -> None:
    """The meta rows: what the cache was made from, and the catalogue's small tables."""
    put_meta(
        conn,
        version=__version__,
        shape=codec.shape(),
        files=files,
        built=built_ns,
        core={
            "meta": catalogue.meta,
            "sources": catalogue.sources,
            "families": catalogue.families,
            "evidence": catalogue.evidence,
            "evidence_notes": catalogue.evidence_notes,
            "screening": catalogue.screening,
            "overlays": [list(o) for o in catalogue.overlays],
        },
    )
    stamps = fmt.stamps(files)  # raw bytes: what a Tab press compares (quick_complete)
    check = fmt.row_sum("stamps", data=stamps)
    conn.execute("INSERT INTO meta VALUES (?, ?, ?)", ("stamps", stamps, check))


def name_rows(kind: str, table: Iterable[Named], pos: int) -> list[tuple[Any, ...]]:
    """A row per (entry, name): `tab` marks what completion offers (the id and aliases), `pos`
    the catalogue's order (counted on from `pos`)."""
    rows = []
    for e in table:
        offered = {e.id, *e.aliases}
        for name in entry_names(e):
            tab = int(name in offered)
            rows.append((kind, name, e.id, tab, pos, fmt.row_sum(kind, name, e.id, tab, pos)))
            pos += 1
    return rows


def kind_rows(treatments: Iterable[tuple[int, str | None, str]]) -> list[tuple[Any, ...]]:
    """The kinds table's rows for (place, family, id) of treatments: those in a family."""
    return [
        (family, i, ident, fmt.row_sum(family, i, ident))
        for i, family, ident in treatments
        if family is not None
    ]


INSERT_NAME = "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)"
INSERT_KIND = "INSERT INTO kinds VALUES (?, ?, ?, ?)"


def put_tab_blocks(conn: sqlite3.Connection, kind: str, rows: Sequence[Sequence[Any]]) -> None:
    """The Tab index of a kind's name rows (what a Tab press reads, quick_complete)."""
    conn.executemany("INSERT INTO tab_blocks VALUES (?, ?, ?, ?)", fmt.tab_blocks(kind, rows))


def put_names(
    conn: sqlite3.Connection,
    tables: Mapping[str, Sequence[Named]],
    families: Iterable[tuple[str | None, str]],
) -> None:
    """The name index, the Tab index and the kinds of each family ((family, id) of every
    treatment in order): what a lookup, a Tab press and a family's size read."""
    pos = 0
    for kind in KINDS:
        rows = name_rows(kind, tables[kind], pos)
        pos += len(rows)
        conn.executemany(INSERT_NAME, rows)
        put_tab_blocks(conn, kind, rows)
    placed = ((i, family, ident) for i, (family, ident) in enumerate(families))
    conn.executemany(INSERT_KIND, kind_rows(placed))
