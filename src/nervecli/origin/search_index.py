"""The stored search index: a file beside the catalogue cache, built once (on the first search,
streamed) and read as each query needs it.

Tables: `docs` (each text, with the citation behind it), `vocab` (each word and the texts that
hold it) and `near`, an index of the vocabulary for typo tolerance: every word is filed under
itself and under each string left by deleting one character from it (two, for words of six
characters or more). Two words within k edits of each other (k <= 2) always leave a common
string after deleting at most k characters from each, so looking up the query word's own
deletions finds every word within the domain's typo limit (and some more, which the domain's
own check drops): a query reads a few dozen keys instead of the whole vocabulary. Prefixes are
a range of `vocab`'s key. The ranking needs the compact layout (`model.search.Layout`), stored
whole in `meta`.

It names the catalogue cache it was made from (that file's manifest), so it is never used with
another. Every row read is checked; damage met by a query removes the file and raises
StoreDamaged, and the domain answers from an index built in memory.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any, NoReturn

from nervecli import __version__
from nervecli.model.catalogue import Citation
from nervecli.model.search import Build, Layout, SearchText, StoreDamaged
from nervecli.origin import codec
from nervecli.origin import format as fmt
from nervecli.origin.format import Damaged
from nervecli.origin.sqlfile import Db, Other, open_db, put_meta, remove, write_db

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB, sum INTEGER);
CREATE TABLE vocab (word TEXT PRIMARY KEY, docs BLOB, hidden BLOB, sum INTEGER);
CREATE TABLE docs (n INTEGER PRIMARY KEY, text TEXT, source TEXT, quote TEXT, sum INTEGER);
CREATE TABLE near (key TEXT, word TEXT, sum INTEGER);
"""
TABLES = f"{fmt.crc(SCHEMA.encode()):08x}-2"  # a file of another layout is never read
NEAR_INDEX = "CREATE INDEX near_by_key ON near (key, word);"  # once the rows are in (faster)
ARRAYS = (("doc_entry", "I"), ("doc_field", "H"), ("doc_weight", "f"))
NONE: array[int] = array("I")
ENTRIES = ("entry_kinds", "entry_ids", "entry_names")
UTF8 = ("utf-8", "surrogatepass")


def deletions(word: str, depth: int) -> set[str]:
    """The word and every string left by deleting up to `depth` of its characters."""
    found = {word}
    for k in range(1, min(depth, len(word) - 1) + 1):
        found.update("".join(c) for c in combinations(word, len(word) - k))
    return found


def filed_depth(word: str) -> int:
    """How many deletions a vocabulary word is filed under: enough for every query whose typo
    limit (1 from four characters, 2 from eight) could reach it."""
    return 2 if len(word) >= 6 else 1 if len(word) >= 3 else 0


def _doc_sum(n: int, text: str, source: str | None, quote: str | None) -> int:
    return fmt.row_sum(n, source, quote, data=text.encode("utf-8", "surrogatepass"))


def keep(path: Path, manifest: str, build: Build) -> _SqlStore | None:
    """Write the index as it is built, then open it; None when no file can be had (the index
    is then built in memory)."""

    def fill(conn: sqlite3.Connection) -> None:
        def doc_rows() -> Iterator[tuple[Any, ...]]:
            for n, doc in build.documents():  # plain columns: no JSON to make for each text
                fact = doc.fact
                source, quote = (None, None) if fact is None else (fact.source, fact.quote)
                yield n, doc.text, source, quote, _doc_sum(n, doc.text, source, quote)

        conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", doc_rows())
        words = list(dict.fromkeys([*build.words, *build.hidden]))

        def vocab_rows() -> Iterator[tuple[Any, ...]]:
            for w in words:
                shown, hidden = build.words.get(w, NONE), build.hidden.get(w, NONE)
                docs, unshown = shown.tobytes(), hidden.tobytes()
                yield w, docs, unshown, fmt.row_sum(w, len(docs), data=docs + unshown)

        conn.executemany("INSERT INTO vocab VALUES (?, ?, ?, ?)", vocab_rows())
        conn.executemany(
            "INSERT INTO near VALUES (?, ?, ?)",
            ((key, w, fmt.row_sum(key, w)) for w in words for key in deletions(w, filed_depth(w))),
        )
        conn.execute(NEAR_INDEX)
        layout = build.layout
        put_meta(
            conn,
            version=__version__,
            shape=codec.shape(),
            of=manifest,
            tables=TABLES,
            fields=layout.fields,
        )
        # The entries' kinds, ids and names as three NUL-joined columns (catalogue text holds no
        # NUL): a query reads a hundred thousand of them far faster than as JSON.
        columns = list(zip(*layout.entries, strict=True)) or [(), (), ()]
        blobs = [
            *(
                (name, "\0".join(col).encode(*UTF8))
                for name, col in zip(ENTRIES, columns, strict=True)
            ),
            *((name, getattr(layout, name).tobytes()) for name, _ in ARRAYS),
        ]
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?, ?)",
            ((name, data, fmt.row_sum(name, data=data)) for name, data in blobs),
        )

    if not write_db(path, SCHEMA, "search", time.time_ns(), fill):
        return None
    return open_index(path, manifest)


def open_index(path: Path, manifest: str) -> _SqlStore | None:
    """The search index of this catalogue cache, or None (a damaged or foreign one removed)."""
    try:
        db = open_db(path, "search")
        if db is None:
            return None
        try:
            if db.meta("of") != manifest or db.meta("tables") != TABLES:
                raise Other
            return _SqlStore(db, _layout(db))
        except BaseException:
            db.close()
            raise
    except (Damaged, Other, KeyError, TypeError, ValueError):
        remove(path)
        return None


def _layout(db: Db) -> Layout:
    columns = [fmt.meta_bytes(db.conn, name).decode(*UTF8) for name in ENTRIES]
    split = [column.split("\0") if column else [] for column in columns]
    entries = list(zip(*split, strict=True))  # ValueError (damage) if their lengths differ
    fields = [str(f) for f in db.meta("fields")]
    layout = Layout(entries=entries, fields=fields)
    for name, _ in ARRAYS:
        getattr(layout, name).frombytes(fmt.meta_bytes(db.conn, name))
    count = len(layout.doc_entry)
    if len(layout.doc_field) != count or len(layout.doc_weight) != count:
        raise Damaged("the layout")
    # doc_entry is written ascending (an entry's texts are together), so its last is its largest
    if count and (layout.doc_entry[-1] >= len(entries) or max(layout.doc_field) >= len(fields)):
        raise Damaged("the layout")
    return layout


class _SqlStore:
    """Search words and texts, read from the index file as a query needs them."""

    def __init__(self, db: Db, layout: Layout) -> None:
        self.db, self.layout = db, layout

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.db.rows(sql, args)
        except Damaged:
            self._damaged()

    def _damaged(self) -> NoReturn:
        self.db.forget()
        raise StoreDamaged(str(self.db.path))

    def vocabulary(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT word FROM vocab")]

    def candidates(self, word: str, prefix: bool, typos: int) -> Iterable[str]:
        found = {r[0] for r in self._rows("SELECT word FROM vocab WHERE word = ?", (word,))}
        if prefix:  # words are [a-z0-9]+: all that start with `word` sort before `word{`
            sql = "SELECT word FROM vocab WHERE word >= ? AND word < ?"
            found.update(r[0] for r in self._rows(sql, (word, word + "{")))
        if typos:
            keys = sorted(deletions(word, typos))
            marks = ",".join("?" * len(keys))
            sql = f"SELECT key, word, sum FROM near WHERE key IN ({marks})"
            for key, known, expected in self._rows(sql, keys):
                if fmt.row_sum(key, known) != expected:
                    self._damaged()
                found.add(known)
        return sorted(found)

    def postings(self, word: str) -> tuple[Sequence[int], Sequence[int]]:
        shown, hidden = array("I"), array("I")
        rows = self._rows("SELECT docs, hidden, sum FROM vocab WHERE word = ?", (word,))
        if rows:
            docs, unshown, expected = rows[0]
            if not isinstance(docs, bytes) or not isinstance(unshown, bytes):
                self._damaged()
            if fmt.row_sum(word, len(docs), data=docs + unshown) != expected:
                self._damaged()
            try:
                shown.frombytes(docs)
                hidden.frombytes(unshown)
            except ValueError:
                self._damaged()
            count = len(self.layout.doc_entry)  # written ascending: the last is the largest
            if (shown and shown[-1] >= count) or (hidden and hidden[-1] >= count):
                self._damaged()
        return shown, hidden

    def document(self, n: int) -> SearchText:
        rows = self._rows("SELECT text, source, quote, sum FROM docs WHERE n = ?", (n,))
        if not rows or n >= len(self.layout.doc_entry):
            self._damaged()
        text, source, quote, expected = rows[0]
        if not isinstance(text, str) or _doc_sum(n, text, source, quote) != expected:
            self._damaged()
        layout = self.layout
        kind, ident, name = layout.entries[layout.doc_entry[n]]
        field = layout.fields[layout.doc_field[n]]
        cited = Citation(source=source, quote=quote) if source is not None else None
        return SearchText(kind, ident, name, field, layout.doc_weight[n], text, "", cited)
