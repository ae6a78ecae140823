"""The stored search index: a file beside the catalogue cache, built once (on the first search,
streamed) and read as each query needs it.

Tables: `docs` (each text, with its entry, field, weight and the citation behind it), `owners`
(each entry: kind, id, name and the range of its texts), `vocab` (each word, the texts that hold it
and its best entries, `model.search.EntryList`) and `near`, an index of the vocabulary for typo
tolerance: every word is filed under itself and under each string left by deleting one character
from it (two, for words of six characters or more). Two words within k edits of each other (k <= 2)
always leave a common string after deleting at most k characters from each, so looking up the query
word's own deletions finds every word within the domain's typo limit (and some more, which the
domain's own check drops): a query reads a few dozen keys instead of the whole vocabulary. Prefixes
are a range of `vocab`'s key. A query of more than one word ranks text by text and needs the
compact layout (`model.search.Layout`), stored whole in `meta` and read only then; a one-word query
reads its word's entry list and the rows of the entries it shows.

It names the catalogue cache it was made from (that file's manifest), so it is never used with
another. Every row read is checked; damage met by a query removes the file and raises StoreDamaged,
and the domain answers from an index built in memory.
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
from nervecli.model.search import Build, EntryList, Layout, Owner, SearchText, StoreDamaged
from nervecli.origin import codec
from nervecli.origin import format as fmt
from nervecli.origin.format import Damaged
from nervecli.origin.sqlfile import Db, Other, open_db, put_meta, remove, write_db

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB, sum INTEGER);
CREATE TABLE vocab (word TEXT PRIMARY KEY, docs BLOB, hidden BLOB, entries BLOB, sum INTEGER);
CREATE TABLE docs (n INTEGER PRIMARY KEY, entry INTEGER, field INTEGER, weight REAL, text TEXT,
                   source TEXT, quote TEXT, sum INTEGER);
CREATE TABLE owners (n INTEGER PRIMARY KEY, kind TEXT, id TEXT, name TEXT, first INTEGER,
                     count INTEGER, sum INTEGER);
CREATE TABLE near (key TEXT, word TEXT, sum INTEGER);
"""
TABLES = f"{fmt.crc(SCHEMA.encode()):08x}-3"  # a file of another layout is never read
NEAR_INDEX = "CREATE INDEX near_by_key ON near (key, word);"  # once the rows are in (faster)
ARRAYS = (("doc_entry", "I"), ("doc_field", "H"), ("doc_weight", "f"))
NONE: array[int] = array("I")
UTF8 = ("utf-8", "surrogatepass")
DOC_COLUMNS = "entry, field, weight, text, source, quote, sum"
FEW = 2000  # texts to rank whose rows are read rather than the whole layout
LISTED = (("entries", "I"), ("shown", "f"), ("hidden", "f"), ("fields", "H"))  # an EntryList
EACH = sum(array(code).itemsize for _, code in LISTED)  # bytes per entry listed


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


def _doc_sum(
    n: int, entry: int, field: int, weight: float, text: str, source: str | None, quote: str | None
) -> int:
    return fmt.row_sum(n, entry, field, repr(weight), source, quote, data=text.encode(*UTF8))


def _owner_sum(n: int, kind: str, ident: str, name: str, first: int, count: int) -> int:
    return fmt.row_sum(n, kind, ident, first, count, data=name.encode(*UTF8))


def _entries_blob(found: EntryList) -> bytes:
    """An entry list as bytes: whether it is complete, then its columns."""
    return bytes([found.complete]) + b"".join(getattr(found, name).tobytes() for name, _ in LISTED)


def keep(path: Path, manifest: str, build: Build) -> _SqlStore | None:
    """Write the index as it is built, then open it; None when no file can be had (the index
    is then built in memory)."""

    def fill(conn: sqlite3.Connection) -> None:
        layout = build.layout

        def doc_rows() -> Iterator[tuple[Any, ...]]:
            for n, doc in build.documents():  # plain columns: no JSON to make for each text
                fact = doc.fact
                source, quote = (None, None) if fact is None else (fact.source, fact.quote)
                entry, field, weight = (
                    layout.doc_entry[n],
                    layout.doc_field[n],
                    layout.doc_weight[n],
                )
                row = (n, entry, field, weight, doc.text, source, quote)
                yield *row, _doc_sum(*row)

        conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)", doc_rows())
        conn.executemany(
            "INSERT INTO owners VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (e, *row, _owner_sum(e, *row))
                for e, row in enumerate(
                    (o.kind, o.entry_id, o.name, o.first, o.count) for o in build.owners
                )
            ),
        )
        words = list(dict.fromkeys([*build.words, *build.hidden]))

        def vocab_rows() -> Iterator[tuple[Any, ...]]:
            for w in words:
                shown, hidden = build.words.get(w, NONE), build.hidden.get(w, NONE)
                docs, unshown = shown.tobytes(), hidden.tobytes()
                listed = _entries_blob(build.entry_list(w))
                total = fmt.row_sum(w, len(docs), len(unshown), data=docs + unshown + listed)
                yield w, docs, unshown, listed, total

        conn.executemany("INSERT INTO vocab VALUES (?, ?, ?, ?, ?)", vocab_rows())
        conn.executemany(
            "INSERT INTO near VALUES (?, ?, ?)",
            ((key, w, fmt.row_sum(key, w)) for w in words for key in deletions(w, filed_depth(w))),
        )
        conn.execute(NEAR_INDEX)
        put_meta(
            conn,
            version=__version__,
            shape=codec.shape(),
            of=manifest,
            tables=TABLES,
            fields=layout.fields,
            counts=[len(build.owners), len(layout.doc_entry)],
        )
        blobs = [
            ("order", build.order().tobytes()),
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
            return _SqlStore(db)
        except BaseException:
            db.close()
            raise
    except (Damaged, Other, KeyError, TypeError, ValueError):
        remove(path)
        return None


def _layout(db: Db, fields: list[str], docs: int) -> Layout:
    layout = Layout(fields=fields)
    for name, _ in ARRAYS:
        getattr(layout, name).frombytes(fmt.meta_bytes(db.conn, name))
    if not len(layout.doc_entry) == len(layout.doc_field) == len(layout.doc_weight) == docs:
        raise Damaged("the layout")
    if docs and max(layout.doc_field) >= len(fields):
        raise Damaged("the layout")
    return layout


class _SqlStore:
    """Search words and texts, read from the index file as a query needs them."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.fields = [str(f) for f in db.meta("fields")]
        counts = db.meta("counts")
        if not (
            isinstance(counts, list) and len(counts) == 2 and all(type(c) is int for c in counts)
        ):
            raise Damaged("the counts")
        self.entries, self.docs = counts
        self._layout: Layout | None = None
        self._order: array[int] | None = None
        self._owners: dict[int, Owner] = {}
        self._words: dict[str, tuple[array[int], array[int], EntryList]] = {}

    @property
    def layout(self) -> Layout:
        """Every text's entry, field and weight: read on first use (a query of several words)."""
        if self._layout is None:
            try:
                self._layout = _layout(self.db, self.fields, self.docs)
            except (Damaged, ValueError):
                self._damaged()
            # doc_entry is written ascending (an entry's texts are together): the last is largest
            if self.docs and self._layout.doc_entry[-1] >= self.entries:
                self._damaged()
        return self._layout

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

    def _word(self, word: str) -> tuple[array[int], array[int], EntryList] | None:
        """A word's postings and entry list, checked (each word's row is read once)."""
        if word in self._words:
            return self._words[word]
        sql = "SELECT docs, hidden, entries, sum FROM vocab WHERE word = ?"
        rows = self._rows(sql, (word,))
        if not rows:
            return None
        docs, unshown, listed, expected = rows[0]
        if not all(isinstance(b, bytes) for b in (docs, unshown, listed)):
            self._damaged()
        if fmt.row_sum(word, len(docs), len(unshown), data=docs + unshown + listed) != expected:
            self._damaged()
        shown, hidden, found = array("I"), array("I"), EntryList()
        try:
            shown.frombytes(docs)
            hidden.frombytes(unshown)
            count, rest = divmod(len(listed) - 1, EACH)
            if rest or listed[0] > 1:
                raise ValueError
            found.complete, at = bool(listed[0]), 1
            for name, _ in LISTED:
                column = getattr(found, name)
                end = at + count * column.itemsize
                column.frombytes(listed[at:end])
                at = end
        except (ValueError, IndexError):
            self._damaged()
        # all written ascending: the last is the largest
        if (shown and shown[-1] >= self.docs) or (hidden and hidden[-1] >= self.docs):
            self._damaged()
        if count and (max(found.entries) >= self.entries or min(found.fields) < 1):
            self._damaged()
        self._words[word] = shown, hidden, found
        return self._words[word]

    def postings(self, word: str) -> tuple[Sequence[int], Sequence[int]]:
        found = self._word(word)
        return (NONE, NONE) if found is None else found[:2]

    def entry_list(self, word: str) -> EntryList | None:
        found = self._word(word)
        return None if found is None else found[2]

    def order(self) -> Sequence[int]:
        if self._order is None:
            order = array("I")
            try:
                order.frombytes(fmt.meta_bytes(self.db.conn, "order"))
            except (Damaged, ValueError):
                self._damaged()
            if len(order) != self.entries:
                self._damaged()
            self._order = order
        return self._order

    def owner(self, entry: int) -> Owner:
        if entry in self._owners:
            return self._owners[entry]
        sql = "SELECT kind, id, name, first, count, sum FROM owners WHERE n = ?"
        rows = self._rows(sql, (entry,))
        if not rows or entry >= self.entries:
            self._damaged()
        kind, ident, name, first, count, expected = rows[0]
        if not all(isinstance(t, str) for t in (kind, ident, name)):
            self._damaged()
        if not (isinstance(first, int) and isinstance(count, int)):
            self._damaged()
        if _owner_sum(entry, kind, ident, name, first, count) != expected:
            self._damaged()
        if first < 0 or count < 1 or first + count > self.docs:
            self._damaged()
        self._owners[entry] = Owner(kind, ident, name, first, count)
        return self._owners[entry]

    def field_names(self) -> Sequence[str]:
        return self.fields

    def _doc(self, n: int, row: Sequence[Any]) -> tuple[int, int, float, str, Any, Any]:
        """A docs row's columns after `n`, checked: entry, field, weight, text, source, quote."""
        if n >= self.docs or len(row) != 7:
            self._damaged()
        entry, field, weight, text, source, quote, expected = row
        if not isinstance(text, str) or not isinstance(weight, float):
            self._damaged()
        if not (isinstance(entry, int) and isinstance(field, int)):
            self._damaged()
        if _doc_sum(n, entry, field, weight, text, source, quote) != expected:
            self._damaged()
        if not (0 <= field < len(self.fields) and 0 <= entry < self.entries):
            self._damaged()
        return entry, field, weight, text, source, quote

    def columns(
        self, numbers: Sequence[int]
    ) -> tuple[Sequence[int], Sequence[int], Sequence[float]]:
        if self._layout is not None or len(numbers) > FEW:  # many: the layout, read whole
            layout = self.layout
            return (
                list(map(layout.doc_entry.__getitem__, numbers)),
                list(map(layout.doc_field.__getitem__, numbers)),
                list(map(layout.doc_weight.__getitem__, numbers)),
            )
        found: dict[int, tuple[int, int, float]] = {}
        for at in range(0, len(numbers), 500):  # few: their rows (a query of rare words)
            chunk = numbers[at : at + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT n, {DOC_COLUMNS} FROM docs WHERE n IN ({marks})"
            for n, *row in self._rows(sql, chunk):
                found[n] = self._doc(n, row)[:3]
        try:
            rows = [found[n] for n in numbers]
        except KeyError:
            self._damaged()
        if not rows:
            return [], [], []
        entries, fields, weights = zip(*rows, strict=True)
        return entries, fields, weights

    def document(self, n: int) -> SearchText:
        rows = self._rows(f"SELECT {DOC_COLUMNS} FROM docs WHERE n = ?", (n,))
        if not rows:
            self._damaged()
        entry, field, weight, text, source, quote = self._doc(n, rows[0])
        owner = self.owner(entry)
        if not owner.first <= n < owner.first + owner.count:
            self._damaged()
        cited = Citation(source=source, quote=quote) if source is not None else None
        name = self.fields[field]
        return SearchText(owner.kind, owner.entry_id, owner.name, name, weight, text, "", cited)
