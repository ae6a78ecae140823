"""A first run: a catalogue read from its files straight into its cache.

Each file is read, validated, checked and encoded for the cache where it is read (in a worker
process, for a large catalogue); what comes back is the encoded rows of its treatments and
conditions, which go into the new cache file as they arrive, and their `Brief`s, on which the
loader's merge and cross-checks run as on the entries themselves. So the process answering
the command never holds the catalogue, and encoding it for the cache is shared among the
cores. The run then answers from the cache it has written.

The rows are placed as they arrive (an entry takes the next place of its kind, and a user's
entry replacing a bundled one takes its place); once the loader has merged the briefs, every
place and origin is checked against the merged catalogue. Anything short of a catalogue that
passes every check and agrees with what was written (a problem in it, a worker lost) leaves
no cache: the caller reads the catalogue again in memory, which gives the exact report.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from nervecli.model.catalogue import Catalogue, Origin
from nervecli.origin import codec, rows
from nervecli.origin import format as fmt
from nervecli.origin.sqlfile import write_db
from nervecli.reading.briefs import Brief, brief
from nervecli.reading.loader import (
    ParseResult,
    Recheck,
    assemble,
    catalogue_paths,
    parse_files,
    parse_one,
    without_cyclic_gc,
)

Bodies = dict[str, list[bytes]]  # the encoded treatments and conditions of one file


def encode_file(path: Path) -> tuple[ParseResult, Bodies]:
    """One file read, checked and encoded, for a worker: its parse result with briefs for its
    treatments and conditions, and their encoded rows."""
    yfile, model, problems, checked = parse_one(path)
    if model is None:
        return (yfile, model, problems, checked), {}
    bodies = {kind: [codec.dumps(e) for e in getattr(model, kind)] for kind in rows.KINDS}
    briefs: dict[str, Any] = {kind: [brief(e) for e in getattr(model, kind)] for kind in rows.KINDS}
    return (yfile, dataclasses.replace(model, **briefs), problems, checked), bodies


class _Placed:
    """Where each entry's row went as files came in (its place, the brief it was written for,
    its origin and checksums), with the treatments' names and kinds written as they come."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.count = dict.fromkeys(rows.KINDS, 0)
        self.rows: dict[tuple[str, str], tuple[int, Brief, bytes | None, int, int]] = {}
        self.pos = 0  # the next place in the name index
        self.offered: list[tuple[Any, ...]] = []  # the treatments' name rows a Tab offers
        self.replaced = False  # a user's entry took a bundled one's place

    def take(self, path: Path, bundled: bool, item: tuple[ParseResult, Bodies]) -> ParseResult:
        result, bodies = item
        yfile, model = result[0], result[1]
        if yfile is None or model is None:
            return result
        home = None if bundled else str((yfile.path or Path(yfile.name)).resolve())
        own = None if home is None else codec.dumps(Origin(home, False))  # the file's entries'
        for kind in rows.KINDS:
            new, added = [], []
            for entry, body in zip(getattr(model, kind), bodies[kind], strict=True):
                key = (kind, entry.id)
                placed = self.rows.get(key)
                if placed is None:
                    ord_ = self.count[kind]
                    self.count[kind] += 1
                    origin = own
                    row = rows.entry_row(kind, entry.id, ord_, origin, body)
                    new.append(row)
                    added.append((ord_, entry))
                elif placed[2] is None and home is not None:  # a user's entry replaces it
                    ord_ = placed[0]
                    origin = codec.dumps(Origin(home, True))
                    row = rows.entry_row(kind, entry.id, ord_, origin, body)
                    self.conn.execute(
                        "UPDATE entries SET origin = ?, osum = ?, body = ?, sum = ?"
                        " WHERE kind = ? AND id = ?",
                        (row[3], row[4], row[5], row[6], kind, entry.id),
                    )
                    self.replaced = True
                else:  # the same id again: the merge reports it, and nothing here is kept
                    continue
                self.rows[key] = (ord_, entry, origin, row[4], row[6])
            self.conn.executemany(rows.INSERT_ENTRY, new)
            if kind == "treatments" and not self.replaced:
                names = rows.name_rows(kind, (e for _, e in added), self.pos)
                self.pos += len(names)
                self.conn.executemany(rows.INSERT_NAME, names)
                self.offered += [r for r in names if r[3]]
                kinds = rows.kind_rows((i, e.family, e.id) for i, e in added)
                self.conn.executemany(rows.INSERT_KIND, kinds)
        return result

    def agree(self, catalogue: Catalogue) -> None:
        """Raise Recheck unless every entry of the merged catalogue is the one written, in
        its place, with its origin."""
        for kind in rows.KINDS:
            table: dict[str, Any] = getattr(catalogue, kind)
            if len(table) != self.count[kind]:
                raise Recheck(f"{kind}: {len(table)} merged, {self.count[kind]} written")
            for i, (ident, entry) in enumerate(table.items()):
                placed = self.rows.get((kind, ident))
                if (
                    placed is None
                    or placed[0] != i
                    or placed[1] is not entry
                    or placed[2] != rows.origin_bytes(catalogue, kind, ident)
                ):
                    raise Recheck(f"{kind} '{ident}' is not as written")

    def finish(self, catalogue: Catalogue) -> dict[str, list[tuple[Any, ...]]]:
        """The rest of the name index, the Tab index and the kinds; and the entries' rows for
        the manifest, as written (see `agree`)."""
        conditions = list(catalogue.conditions.values())
        if self.replaced:  # names and kinds written before a replacement: all of them again
            self.conn.execute("DELETE FROM names")
            self.conn.execute("DELETE FROM kinds")
            treatments = list(catalogue.treatments.values())
            families = ((t.family, t.id) for t in treatments)
            rows.put_names(
                self.conn, {"treatments": treatments, "conditions": conditions}, families
            )
        else:
            rows.put_tab_blocks(self.conn, "treatments", self.offered)
            names = rows.name_rows("conditions", conditions, self.pos)
            self.conn.executemany(rows.INSERT_NAME, names)
            rows.put_tab_blocks(self.conn, "conditions", names)
        entries = [
            (kind, ident, *self._sums(kind, ident))
            for kind in sorted(rows.KINDS)  # ORDER BY kind, ord (agreed: the tables' order)
            for ident in getattr(catalogue, kind)
        ]
        return {fmt.ENTRY_DIGEST: entries}

    def _sums(self, kind: str, ident: str) -> tuple[int, int, int]:
        ord_, _, _, osum, total = self.rows[(kind, ident)]
        return ord_, osum, total


def build(
    paths: Sequence[Path], bundled: bool, path: Path, files: list[list[Any]], built_ns: int
) -> bool:
    """Read the catalogue (the bundled one unless `bundled` is false, with `paths` over it)
    into a new cache file at `path`, made from `files` (their fingerprints) at `built_ns`.
    True once it is written. False where it is not: the folder cannot take it, or the quick
    way cannot tell (see the module's note); the caller then reads the catalogue in memory.
    Raises CatalogueError for a file that cannot be read or validated."""
    found = catalogue_paths(paths, bundled)

    def fill(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
        placed = _Placed(conn)

        def results() -> Iterator[ParseResult]:
            encoded = parse_files([p for p, _ in found], encode_file)
            for (file, is_bundled), item in zip(found, encoded, strict=True):
                yield placed.take(file, is_bundled, item)

        with without_cyclic_gc():
            catalogue = assemble(found, results(), briefs=True)
        placed.agree(catalogue)
        rows.put_core(conn, catalogue, files, built_ns)
        return placed.finish(catalogue)

    try:
        return write_db(path, rows.CATALOGUE_SCHEMA, "catalogue", built_ns, fill, overwrite=False)
    except Recheck:
        return False
