"""A cache of the validated catalogue, so that most runs read no YAML and validate nothing.

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

A cache is written to a temporary file and renamed into place, so a reader never sees half of
one and two runs at once do not collide; the temporary file is removed on every exit path. A
cache that cannot be read is removed (when it can be) and the catalogue read from YAML instead,
in the same run; damage found while reading rows does the same. A missing or read-only cache
folder only costs speed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nervecli import __version__
from nervecli.cache import codec
from nervecli.model.catalogue import Catalogue, Citation, Condition, Origin, Treatment
from nervecli.model.names import Names, entry_names
from nervecli.reading.files import (
    MAX_FILE_BYTES,
    bundled_data_dir,
    catalogue_files,
    read_regular,
)

if TYPE_CHECKING:  # imported where used: a warm run reads no YAML and builds no index
    from nervecli.domain.search import Hit, Layout, SearchIndex, SearchText

FORMAT = "2"  # JSON rows with checksums
KEEP = 4  # caches kept for other catalogue configurations
SUFFIX = ".sqlite"
RACY_NS = 3_000_000_000  # a file modified this close to the cache's making is checked by content

V = TypeVar("V")


class Damaged(Exception):
    """A cache file turned out unreadable while in use."""


def _crc(data: bytes) -> int:
    return codec.checksum(data)


def _verified(data: Any, expected: Any) -> bytes:
    """Stored bytes whose checksum matches the one stored beside them; else Damaged."""
    if not isinstance(data, bytes) or _crc(data) != expected:
        raise Damaged("a checksum does not match")
    return data


def _file_name(paths: Sequence[Path], bundled: bool) -> str:
    key = "\n".join([__version__, FORMAT, codec.shape(), str(bundled), *map(str, paths)]).encode(
        "utf-8",
        "surrogateescape",  # a file name need not be UTF-8
    )
    return f"catalogue-{_crc(key):08x}-{len(key):x}{SUFFIX}"


def _search_name(catalogue_file: str) -> str:
    return catalogue_file.removesuffix(SUFFIX) + ".search" + SUFFIX


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# --- what the cache knows of the files -----------------------------------------------------------


def _stamp(path: Path) -> list[Any]:
    info = path.stat()
    return [str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _content(path: Path) -> int:
    return _crc(read_regular(path, MAX_FILE_BYTES))  # never blocks on a FIFO, nor reads /dev/zero


def _fingerprints(files: Sequence[Path]) -> list[list[Any]]:
    """[path, size, mtime, ctime, content checksum] of each file, as written to the cache."""
    return [[*_stamp(f), _content(f)] for f in files]


def _current(stored: list[list[Any]], files: Sequence[Path], built_ns: int) -> int | None:
    """Whether the files are the ones the cache was built from, unchanged: None if not, else
    the newest modification time among the files that had to be checked by content (0 if
    none had)."""
    if [s[0] for s in stored] != [str(f) for f in files]:
        return None
    racy = 0
    for record, path in zip(stored, files, strict=True):
        try:
            if _stamp(path) != record[:4]:
                return None
            if record[2] >= built_ns - RACY_NS:
                if _content(path) != record[4]:
                    return None
                racy = max(racy, record[2])
        except OSError:
            return None
    return racy


def _settle(path: Path, racy: int) -> None:
    """Once the files that had to be checked by content are safely older than now (and were
    found unchanged), move the cache's time forward, as git refreshes its index: later runs
    then trust their timestamps again. An edit after this changes a file's time, which a
    coarse clock can no longer round back to the one stored."""
    now = time.time_ns()
    if not racy or now - RACY_NS <= racy:
        return
    try:
        conn = sqlite3.connect(path)
        try:
            data, check = _row(now)
            conn.execute("UPDATE meta SET value = ?, sum = ? WHERE key = 'built'", (data, check))
            conn.commit()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # a read-only cache only costs speed


# --- writing -------------------------------------------------------------------------------------

CATALOGUE_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB, sum INTEGER);
CREATE TABLE entries (kind TEXT, id TEXT, ord INTEGER, origin BLOB, body BLOB, sum INTEGER,
                      PRIMARY KEY (kind, id));
CREATE TABLE names (kind TEXT, name TEXT, id TEXT);
CREATE INDEX names_by_name ON names (kind, name);
"""
SEARCH_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB, sum INTEGER);
CREATE TABLE vocab (word TEXT PRIMARY KEY, docs BLOB, sum INTEGER);
CREATE TABLE docs (n INTEGER PRIMARY KEY, body BLOB, sum INTEGER);
"""


def _row(value: Any) -> tuple[bytes, int]:
    data = codec.dumps(value)
    return data, _crc(data)


def _write_db(path: Path, schema: str, fill: Callable[[sqlite3.Connection], None]) -> bool:
    """Build a cache file beside its final place and rename it there (atomic: a reader sees
    all of it or none). True if it was written; an unwritable folder is not an error."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + schema)
            fill(conn)
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error, UnicodeError):  # UnicodeError: a file name not UTF-8
        return False
    finally:
        _remove(tmp)  # gone on every path, an interruption included


def _put_meta(conn: sqlite3.Connection, **values: Any) -> None:
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?, ?)", ((k, *_row(v)) for k, v in values.items())
    )


def write(catalogue: Catalogue, path: Path, files: list[list[Any]], built_ns: int) -> bool:
    """Store a validated catalogue (the search index is built on first use)."""

    def fill(conn: sqlite3.Connection) -> None:
        _put_meta(
            conn,
            version=__version__,
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
        for kind in ("treatments", "conditions"):
            table: Mapping[str, Any] = getattr(catalogue, kind)
            conn.executemany(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (kind, e.id, i, _origin(catalogue, kind, e.id), *_row(e))
                    for i, e in enumerate(table.values())
                ),
            )
            conn.executemany(
                "INSERT INTO names VALUES (?, ?, ?)",
                ((kind, name, e.id) for e in table.values() for name in entry_names(e)),
            )

    written = _write_db(path, CATALOGUE_SCHEMA, fill)
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


def _origin(catalogue: Catalogue, kind: str, ident: str) -> bytes | None:
    """An entry's origin, or NULL for the bundled catalogue's (most entries)."""
    origin = catalogue.origin(kind, ident)
    return None if origin.file is None else codec.dumps(origin)


def _prune(directory: Path, keep: str) -> None:
    """Keep the newest few caches (other catalogue configurations); remove the rest, with
    their search indexes, and temporary files left by a writer that was killed."""
    for tmp in directory.glob(".catalogue-*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            _remove(tmp)
    try:
        caches = sorted(
            (
                p
                for p in directory.glob(f"catalogue-*{SUFFIX}")
                if p.name != keep and not p.name.endswith(".search" + SUFFIX)
            ),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    for old in caches[KEEP - 1 :]:
        _remove(old)
        _remove(old.with_name(_search_name(old.name)))


# --- reading -------------------------------------------------------------------------------------


class _Db:
    """A read-only connection to one cache file; every read is checked against its checksum."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise Damaged(str(exc)) from None

    def value(self, data: Any, expected: Any) -> Any:
        try:
            return codec.loads(_verified(data, expected))
        except codec.Unreadable as exc:
            raise Damaged(str(exc)) from None

    def meta(self, key: str) -> Any:
        found = self.rows("SELECT value, sum FROM meta WHERE key = ?", (key,))
        if not found:
            raise Damaged(f"no {key}")
        return self.value(*found[0])

    def forget(self) -> None:
        """Close and remove the file (when the folder allows)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        _remove(self.path)


def _open(path: Path) -> _Db | None:
    if not path.is_file():
        return None
    try:
        db = _Db(path)
        if db.meta("version") != __version__:
            raise Damaged("another version")
        return db
    except (Damaged, sqlite3.Error):
        _remove(path)
        return None


F = TypeVar("F", bound=Callable[..., Any])


def _or_files(method: F) -> F:
    """Read through the cache; on damage (or once damage was found), answer from the catalogue
    read from its files instead, in the same run."""
    name = method.__name__

    def read(self: Any, *args: Any) -> Any:
        owner: CachedCatalogue = self.owner
        if owner.recovered is None:
            try:
                return method(self, *args)
            except Damaged:
                owner.fall_back()
        return getattr(self.real(owner.recovered), name)(*args)

    return read  # type: ignore[return-value]


class _Table(Mapping[str, V]):
    """Treatments or conditions, read one row at a time and kept once read."""

    def __init__(self, owner: CachedCatalogue, kind: str) -> None:
        self.owner, self.kind = owner, kind
        self._read: dict[str, V] = {}
        self._ids: list[str] | None = None

    def real(self, catalogue: Catalogue) -> Mapping[str, V]:
        return getattr(catalogue, self.kind)  # type: ignore[no-any-return]

    @_or_files
    def __getitem__(self, ident: str) -> V:
        if ident not in self._read:
            found = self.owner.db.rows(
                "SELECT body, sum FROM entries WHERE kind = ? AND id = ?", (self.kind, ident)
            )
            if not found:
                raise KeyError(ident)
            self._read[ident] = self.owner.db.value(*found[0])
        return self._read[ident]

    def _all_ids(self) -> list[str]:
        if self._ids is None:
            sql = "SELECT id FROM entries WHERE kind = ? ORDER BY ord"
            self._ids = [r[0] for r in self.owner.db.rows(sql, (self.kind,))]
        return self._ids

    @_or_files
    def __iter__(self) -> Iterator[str]:
        return iter(self._all_ids())

    @_or_files
    def __len__(self) -> int:
        return len(self._all_ids())

    @_or_files
    def __contains__(self, ident: object) -> bool:
        return ident in self._read or ident in self._all_ids()

    @_or_files
    def values(self) -> list[V]:  # type: ignore[override]  # one query for every row
        if any(i not in self._read for i in self._all_ids()):
            sql = "SELECT id, body, sum FROM entries WHERE kind = ? ORDER BY ord"
            for ident, body, expected in self.owner.db.rows(sql, (self.kind,)):
                if ident not in self._read:
                    self._read[ident] = self.owner.db.value(body, expected)
        return [self._read[i] for i in self._all_ids()]


class _Origins(Mapping[tuple[str, str], Origin]):
    def __init__(self, owner: CachedCatalogue) -> None:
        self.owner = owner

    def real(self, catalogue: Catalogue) -> Mapping[tuple[str, str], Origin]:
        return catalogue.origins

    @_or_files
    def __getitem__(self, key: tuple[str, str]) -> Origin:
        found = self.owner.db.rows("SELECT origin FROM entries WHERE kind = ? AND id = ?", key)
        if not found:
            raise KeyError(key)
        if found[0][0] is None:
            return Origin()
        try:
            origin = codec.loads(found[0][0])
        except codec.Unreadable as exc:
            raise Damaged(str(exc)) from None
        if not isinstance(origin, Origin):
            raise Damaged("an origin")
        return origin

    @_or_files
    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter([(k, i) for k, i in self.owner.db.rows("SELECT kind, id FROM entries")])

    @_or_files
    def __len__(self) -> int:
        return len(self.owner.db.rows("SELECT 1 FROM entries"))


class _SqlNames:
    """The name index, answered by SQL (see `model.names.Names`)."""

    def __init__(self, owner: CachedCatalogue, kind: str) -> None:
        self.owner, self.kind = owner, kind

    def real(self, catalogue: Catalogue) -> Names:
        return catalogue.names(self.kind)

    @_or_files
    def exact(self, name: str) -> list[str]:
        sql = "SELECT DISTINCT id FROM names WHERE kind = ? AND name = ?"
        return [r[0] for r in self.owner.db.rows(sql, (self.kind, name))]

    @_or_files
    def leading(self, name: str) -> list[str]:
        # names are [a-z0-9-]; every name starting 'name-' sorts in ['name-', 'name.')
        sql = "SELECT DISTINCT id FROM names WHERE kind = ? AND name >= ? AND name < ?"
        return [r[0] for r in self.owner.db.rows(sql, (self.kind, name + "-", name + "."))]

    @_or_files
    def everything(self) -> dict[str, str]:
        sql = "SELECT name, id FROM names WHERE kind = ?"
        return dict(self.owner.db.rows(sql, (self.kind,)))


class CachedCatalogue(Catalogue):
    """A catalogue read from the cache: the small tables at once, the rest when asked for.
    Damage found while reading falls back to the catalogue read from its files, in the same
    run, and the damaged cache is removed."""

    def __init__(
        self, db: _Db, core: dict[str, Any], recover: Callable[[], Catalogue], search: Path
    ) -> None:
        super().__init__(meta=core["meta"])
        self.db, self.recover, self.search_path = db, recover, search
        self.recovered: Catalogue | None = None
        self.sources = core["sources"]
        self.families = core["families"]
        self.evidence = core["evidence"]
        self.evidence_notes = core["evidence_notes"]
        self.screening = core["screening"]
        self.overlays = [(str(f), m) for f, m in core["overlays"]]
        self.treatments: Mapping[str, Treatment] = _Table(self, "treatments")
        self.conditions: Mapping[str, Condition] = _Table(self, "conditions")
        self.origins = _Origins(self)
        self._sql_names = {k: _SqlNames(self, k) for k in ("treatments", "conditions")}

    def fall_back(self) -> Catalogue:
        if self.recovered is None:
            self.db.forget()
            _remove(self.search_path)
            self.recovered = self.recover()
        return self.recovered

    def names(self, table: str) -> Names:
        if self.recovered is not None:
            return self.recovered.names(table)
        return self._sql_names[table]  # type: ignore[return-value]


# --- the search index ----------------------------------------------------------------------------


def _write_search(catalogue: Catalogue, path: Path) -> bool:
    """Store a catalogue's search index, streamed: the texts go straight to disk; only the
    compact layout and the word lists are held in memory."""
    from nervecli.domain.search import IndexBuilder, texts

    def fill(conn: sqlite3.Connection) -> None:
        builder = IndexBuilder()
        conn.executemany(
            "INSERT INTO docs VALUES (?, ?, ?)",
            ((builder.add(doc), *_row([doc.text, *_cited(doc)])) for doc in texts(catalogue)),
        )
        conn.executemany(
            "INSERT INTO vocab VALUES (?, ?, ?)",
            ((w, d.tobytes(), _crc(d.tobytes())) for w, d in builder.words.items()),
        )
        layout = builder.layout
        _put_meta(
            conn,
            version=__version__,
            entries=[list(e) for e in layout.entries],
            fields=layout.fields,
        )
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?, ?)",
            (
                (name, arr.tobytes(), _crc(arr.tobytes()))
                for name, arr in (
                    ("doc_entry", layout.doc_entry),
                    ("doc_field", layout.doc_field),
                    ("doc_weight", layout.doc_weight),
                )
            ),
        )

    return _write_db(path, SEARCH_SCHEMA, fill)


def _cited(doc: SearchText) -> list[str | None]:
    return [doc.fact.source, doc.fact.quote] if doc.fact is not None else [None, None]


def _array(db: _Db, name: str, code: str) -> array:  # type: ignore[type-arg]
    found = db.rows("SELECT value, sum FROM meta WHERE key = ?", (name,))
    if not found:
        raise Damaged(f"no {name}")
    out = array(code)
    out.frombytes(_verified(*found[0]))
    return out


class _SqlStore:
    """Search words and texts, read from the cache as a query needs them."""

    def __init__(self, db: _Db, layout: Layout) -> None:
        self.db, self.layout = db, layout

    def vocabulary(self) -> list[str]:
        return [r[0] for r in self.db.rows("SELECT word FROM vocab")]

    def postings(self, word: str) -> Sequence[int]:
        found = array("I")
        rows = self.db.rows("SELECT docs, sum FROM vocab WHERE word = ?", (word,))
        if rows:
            found.frombytes(_verified(*rows[0]))
        return found

    def document(self, n: int) -> SearchText:
        from nervecli.domain.search import SearchText

        rows = self.db.rows("SELECT body, sum FROM docs WHERE n = ?", (n,))
        if not rows or n >= len(self.layout.doc_entry):
            raise Damaged(f"search text {n} is missing")
        text, source, quote = self.db.value(*rows[0])
        kind, ident, name = self.layout.entries[self.layout.doc_entry[n]]
        field = self.layout.fields[self.layout.doc_field[n]]
        cited = Citation(source=source, quote=quote) if source is not None else None
        return SearchText(kind, ident, name, field, self.layout.doc_weight[n], text, "", cited)


def _cached_index(catalogue: CachedCatalogue) -> SearchIndex:
    from nervecli.domain.search import Layout, SearchIndex, build_parts

    path = catalogue.search_path
    db = _open(path)
    if db is None and _write_search(catalogue, path):
        db = _open(path)
    if db is None:  # no cache folder to be had: build it here, in memory
        return SearchIndex(*build_parts(catalogue))
    layout = Layout(
        entries=[tuple(e) for e in db.meta("entries")],
        fields=db.meta("fields"),
        doc_entry=_array(db, "doc_entry", "I"),
        doc_field=_array(db, "doc_field", "H"),
        doc_weight=_array(db, "doc_weight", "f"),
    )
    return SearchIndex(layout, _SqlStore(db, layout))


def search(catalogue: Catalogue, query: str) -> tuple[list[Hit], list[str]]:
    """A search's hits, and close words when there are none. The index comes from its own
    cache file when the catalogue came from the cache (built there on first use), else it is
    built in memory; a damaged index file is removed and the index built in memory."""

    from nervecli.domain.search import SearchIndex, build_parts

    def run(index: SearchIndex) -> tuple[list[Hit], list[str]]:
        hits = index.search(query)
        return hits, ([] if hits else index.suggestions(query))

    if isinstance(catalogue, CachedCatalogue) and catalogue.recovered is None:
        try:
            return run(_cached_index(catalogue))
        except Damaged:
            _remove(catalogue.search_path)
    return run(SearchIndex(*build_parts(catalogue)))


# --- loading -------------------------------------------------------------------------------------


def read(
    path: Path, files: Sequence[Path], recover: Callable[[], Catalogue]
) -> CachedCatalogue | None:
    """The cached catalogue at `path` if it is whole and made from these files as they are
    now; else None (and a damaged cache is removed)."""
    db = _open(path)
    if db is None:
        return None
    try:
        racy = _current(db.meta("files"), files, db.meta("built"))
        if racy is None:
            db.conn.close()
            return None
        _settle(path, racy)
        core = db.meta("core")
        if not isinstance(core, dict):
            raise Damaged("core")
    except Damaged:
        db.forget()
        return None
    return CachedCatalogue(db, core, recover, path.with_name(_search_name(path.name)))


def load(paths: Sequence[Path], bundled: bool = True, directory: Path | None = None) -> Catalogue:
    """The catalogue for these paths: from the cache in `directory` when it is current, else
    read from YAML, validated, and cached there for next time. No `directory`: no cache."""

    def from_files() -> Catalogue:
        from nervecli.reading.loader import load_catalogue

        return load_catalogue(paths, bundled=bundled)

    if directory is None:
        return from_files()
    files = catalogue_files([*([bundled_data_dir()] if bundled else []), *paths])
    resolved = [f.resolve() for f in files]
    path = directory / _file_name(resolved, bundled)
    cached = read(path, resolved, from_files)
    if cached is not None:
        return cached
    built_ns = time.time_ns()
    try:
        fingerprints = _fingerprints(resolved)
    except OSError:
        return from_files()
    catalogue = from_files()
    write(catalogue, path, fingerprints, built_ns)
    return catalogue
