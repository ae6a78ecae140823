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
from nervecli.cache import format as fmt
from nervecli.cache.format import Damaged
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

KEEP = 4  # caches kept for other catalogue configurations
SUFFIX = fmt.SUFFIX
RACY_NS = fmt.RACY_NS  # kept in step with fmt.RACY_NS (tests change it here)

V = TypeVar("V")
_crc = fmt.crc


def _verified(data: Any, expected: Any, *key: object) -> bytes:
    """Stored bytes whose checksum (over the key columns and the bytes) matches; else Damaged."""
    if not isinstance(data, bytes) or fmt.row_sum(*key, data=data) != expected:
        raise Damaged("a checksum does not match")
    return data


def _file_name(paths: Sequence[Path], bundled: bool) -> str:
    return fmt.file_name(__version__, bundled, [str(p) for p in paths])


_search_name = fmt.search_name


def _warn(text: str) -> None:
    """One warning line on stderr (the cache cannot talk through the CLI's output edge)."""
    import sys

    try:
        sys.stderr.write(f"nervecli: warning: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# --- what the cache knows of the files -----------------------------------------------------------


def _stamp(path: Path) -> list[Any]:
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
        lambda p: _stamp(Path(p)),
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
            data, check = _row(now, "built")
            conn.execute("UPDATE meta SET value = ?, sum = ? WHERE key = 'built'", (data, check))
            conn.commit()
        finally:
            conn.close()
        os.utime(path, ns=(seal, seal))
    except (sqlite3.Error, OSError):
        pass  # a read-only cache only costs speed


# --- writing -------------------------------------------------------------------------------------

CATALOGUE_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB, sum INTEGER);
CREATE TABLE entries (kind TEXT, id TEXT, ord INTEGER, origin BLOB, osum INTEGER, body BLOB,
                      sum INTEGER, PRIMARY KEY (kind, id));
CREATE TABLE names (kind TEXT, name TEXT, id TEXT, tab INTEGER, pos INTEGER, sum INTEGER);
CREATE INDEX names_by_name ON names (kind, name);
"""
SEARCH_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB, sum INTEGER);
CREATE TABLE vocab (word TEXT PRIMARY KEY, docs BLOB, sum INTEGER);
CREATE TABLE docs (n INTEGER PRIMARY KEY, body BLOB, sum INTEGER);
"""


def _row(value: Any, key: str) -> tuple[bytes, int]:
    data = codec.dumps(value)
    return data, fmt.row_sum(key, data=data)


def _fill_file(
    conn: sqlite3.Connection,
    schema: str,
    kind: str,
    seal: int,
    fill: Callable[[sqlite3.Connection], None],
) -> None:
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + schema)
    fill(conn)
    _put_meta(conn, seal=seal)
    _put_meta(conn, manifest=fmt.digest(conn, kind))
    conn.commit()


def _write_db(
    path: Path, schema: str, kind: str, built_ns: int, fill: Callable[[sqlite3.Connection], None]
) -> bool:
    """Build a cache file beside its final place, seal it and rename it there (atomic: a
    reader sees all of it or none). True if it was written; an unwritable folder is not an
    error. Where the folder cannot take a new file but a (damaged) cache file is there and
    writable, that file is overwritten in place: a reader that meets it half-written finds it
    damaged and reads the catalogue files instead."""
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
        _remove(tmp)  # gone on every path, an interruption included
    return path.is_file() and _overwrite(path, schema, kind, seal, fill)


def _overwrite(
    path: Path, schema: str, kind: str, seal: int, fill: Callable[[sqlite3.Connection], None]
) -> bool:
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


def _put_meta(conn: sqlite3.Connection, **values: Any) -> None:
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?, ?)", ((k, *_row(v, k)) for k, v in values.items())
    )


def _entry_row(
    kind: str, ident: str, ord_: int, origin: bytes | None, body: bytes
) -> tuple[Any, ...]:
    osum = fmt.row_sum(kind, ident, data=origin or b"")
    return (kind, ident, ord_, origin, osum, body, fmt.row_sum(kind, ident, ord_, data=body))


def _name_rows(kind: str, table: Mapping[str, Any], pos: int) -> list[tuple[Any, ...]]:
    """A row per (entry, name): `tab` marks what completion offers (the id and aliases), `pos`
    the catalogue's order (counted on from `pos`)."""
    rows = []
    for e in table.values():
        offered = {e.id, *e.aliases}
        for name in entry_names(e):
            tab = int(name in offered)
            rows.append((kind, name, e.id, tab, pos, fmt.row_sum(kind, name, e.id, tab, pos)))
            pos += 1
    return rows


def write(catalogue: Catalogue, path: Path, files: list[list[Any]], built_ns: int) -> bool:
    """Store a validated catalogue (the search index is built on first use)."""

    def fill(conn: sqlite3.Connection) -> None:
        _put_meta(
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
        pos = 0
        for kind in ("treatments", "conditions"):
            table: Mapping[str, Any] = getattr(catalogue, kind)
            conn.executemany(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _entry_row(kind, e.id, i, _origin(catalogue, kind, e.id), codec.dumps(e))
                    for i, e in enumerate(table.values())
                ),
            )
            rows = _name_rows(kind, table, pos)
            pos += len(rows)
            conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)", rows)

    written = _write_db(path, CATALOGUE_SCHEMA, "catalogue", built_ns, fill)
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

    def value(self, data: Any, expected: Any, *key: object) -> Any:
        try:
            return codec.loads(_verified(data, expected, *key))
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
        _remove(self.path)


class _Other(Exception):
    """A cache file for another version or model: not damage, but not to be used."""


def _open(path: Path, kind: str) -> _Db | None:
    """A cache file, whole (see `format.whole`) and of this version and model; None if there is
    none. Raises Damaged for a damaged file, _Other for one of another version or model."""
    if not path.is_file():
        return None
    try:
        db = _Db(path)
    except sqlite3.Error as exc:
        raise Damaged(str(exc)) from None
    try:
        if db.meta("version") != __version__ or db.meta("shape") != codec.shape():
            raise _Other
        fmt.whole(db.conn, str(path), kind, reseal=True)
    except BaseException:
        db.close()
        raise
    return db


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
                "SELECT ord, body, sum FROM entries WHERE kind = ? AND id = ?", (self.kind, ident)
            )
            if not found:
                raise KeyError(ident)
            ord_, body, expected = found[0]
            self._read[ident] = self._entry(ident, ord_, body, expected)
        return self._read[ident]

    def _entry(self, ident: str, ord_: Any, body: Any, expected: Any) -> V:
        entry = self.owner.db.value(body, expected, self.kind, ident, ord_)
        if getattr(entry, "id", None) != ident:
            raise Damaged(f"the row of {ident} holds another entry")
        return entry  # type: ignore[no-any-return]

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
            sql = "SELECT id, ord, body, sum FROM entries WHERE kind = ? ORDER BY ord"
            for ident, ord_, body, expected in self.owner.db.rows(sql, (self.kind,)):
                if ident not in self._read:
                    self._read[ident] = self._entry(ident, ord_, body, expected)
        return [self._read[i] for i in self._all_ids()]


class _Origins(Mapping[tuple[str, str], Origin]):
    def __init__(self, owner: CachedCatalogue) -> None:
        self.owner = owner

    def real(self, catalogue: Catalogue) -> Mapping[tuple[str, str], Origin]:
        return catalogue.origins

    @_or_files
    def __getitem__(self, key: tuple[str, str]) -> Origin:
        sql = "SELECT origin, osum FROM entries WHERE kind = ? AND id = ?"
        found = self.owner.db.rows(sql, key)
        if not found:
            raise KeyError(key)
        data, expected = found[0]
        if fmt.row_sum(*key, data=data or b"") != expected:
            raise Damaged("the checksum of an origin")
        if data is None:
            return Origin()
        try:
            origin = codec.loads(data)
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
    """The name index, answered by SQL (see `model.names.Names`); every row read is checked."""

    def __init__(self, owner: CachedCatalogue, kind: str) -> None:
        self.owner, self.kind = owner, kind

    def real(self, catalogue: Catalogue) -> Names:
        return catalogue.names(self.kind)

    def _rows(self, where: str, args: Sequence[Any]) -> list[tuple[str, str]]:
        sql = f"SELECT name, id, tab, pos, sum FROM names WHERE kind = ? {where} ORDER BY pos"
        out = []
        for name, ident, tab, pos, expected in self.owner.db.rows(sql, (self.kind, *args)):
            if fmt.row_sum(self.kind, name, ident, tab, pos) != expected:
                raise Damaged("the checksum of a name")
            out.append((name, ident))
        return out

    @_or_files
    def exact(self, name: str) -> list[str]:
        return list(dict.fromkeys(i for _, i in self._rows("AND name = ?", (name,))))

    @_or_files
    def leading(self, name: str) -> list[str]:
        # names are [a-z0-9-]; every name starting 'name-' sorts in ['name-', 'name.')
        rows = self._rows("AND name >= ? AND name < ?", (name + "-", name + "."))
        return list(dict.fromkeys(i for _, i in rows))

    @_or_files
    def everything(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, ident in self._rows("", ()):
            out.setdefault(name, ident)
        return out


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
        self.manifest: str = ""

    def fall_back(self) -> Catalogue:
        if self.recovered is None:
            self.db.forget()
            _remove(self.search_path)
            self.recovered = self.recover()
        return self.recovered

    def names(self, table: str) -> Names:
        if self.recovered is not None:
            return self.recovered.names(table)
        return self._sql_names[table]


# --- the search index ----------------------------------------------------------------------------


def _write_search(catalogue: CachedCatalogue, path: Path) -> bool:
    """Store a catalogue's search index, streamed: the texts go straight to disk; only the
    compact layout and the word lists are held in memory. It names the catalogue cache it was
    made from (that file's manifest), so it is never used with another."""
    from nervecli.domain.search import IndexBuilder, texts

    def fill(conn: sqlite3.Connection) -> None:
        builder = IndexBuilder()

        def doc_rows() -> Iterator[tuple[Any, ...]]:
            for doc in texts(catalogue):
                n = builder.add(doc)
                data = codec.dumps([doc.text, *_cited(doc)])
                yield n, data, fmt.row_sum(n, data=data)

        conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", doc_rows())
        conn.executemany(
            "INSERT INTO vocab VALUES (?, ?, ?)",
            ((w, d.tobytes(), fmt.row_sum(w, data=d.tobytes())) for w, d in builder.words.items()),
        )
        layout = builder.layout
        _put_meta(
            conn,
            version=__version__,
            shape=codec.shape(),
            of=catalogue.manifest,
            entries=[list(e) for e in layout.entries],
            fields=layout.fields,
        )
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?, ?)",
            (
                (name, arr.tobytes(), fmt.row_sum(name, data=arr.tobytes()))
                for name, arr in (
                    ("doc_entry", layout.doc_entry),
                    ("doc_field", layout.doc_field),
                    ("doc_weight", layout.doc_weight),
                )
            ),
        )

    return _write_db(path, SEARCH_SCHEMA, "search", time.time_ns(), fill)


def _cited(doc: SearchText) -> list[str | None]:
    return [doc.fact.source, doc.fact.quote] if doc.fact is not None else [None, None]


def _array(db: _Db, name: str, code: str) -> array:  # type: ignore[type-arg]
    out = array(code)
    out.frombytes(fmt.meta_bytes(db.conn, name))
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
            found.frombytes(_verified(*rows[0], word))
        return found

    def document(self, n: int) -> SearchText:
        from nervecli.domain.search import SearchText

        rows = self.db.rows("SELECT body, sum FROM docs WHERE n = ?", (n,))
        if not rows or n >= len(self.layout.doc_entry):
            raise Damaged(f"search text {n} is missing")
        text, source, quote = self.db.value(*rows[0], n)
        kind, ident, name = self.layout.entries[self.layout.doc_entry[n]]
        field = self.layout.fields[self.layout.doc_field[n]]
        cited = Citation(source=source, quote=quote) if source is not None else None
        return SearchText(kind, ident, name, field, self.layout.doc_weight[n], text, "", cited)


def _open_search(catalogue: CachedCatalogue) -> _Db | None:
    """The search index of this catalogue cache, or None (a damaged or foreign one removed)."""
    path = catalogue.search_path
    try:
        db = _open(path, "search")
        if db is not None and db.meta("of") != catalogue.manifest:
            db.close()
            raise _Other
        return db
    except (Damaged, _Other):
        _remove(path)
        return None


def _cached_index(catalogue: CachedCatalogue) -> SearchIndex:
    from nervecli.domain.search import Layout, SearchIndex, build_parts

    db = _open_search(catalogue)
    if db is None and _write_search(catalogue, catalogue.search_path):
        db = _open_search(catalogue)
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
) -> tuple[CachedCatalogue | None, bool]:
    """The cached catalogue at `path` if it is whole and made from these files as they are
    now, else None; and whether a damaged cache was found there (it is removed if it can be)."""
    try:
        db = _open(path, "catalogue")
    except _Other:
        return None, False
    except Damaged:
        _remove(path)
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


def load(paths: Sequence[Path], bundled: bool = True, directory: Path | None = None) -> Catalogue:
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
    files = catalogue_files([*([bundled_data_dir()] if bundled else []), *paths])
    resolved = [f.resolve() for f in files]
    path = directory / _file_name(resolved, bundled)

    def rebuild(damaged: bool) -> Catalogue:
        built_ns = time.time_ns()
        try:
            fingerprints = _fingerprints(resolved)
        except OSError:
            return from_files()
        catalogue = from_files()
        if not write(catalogue, path, fingerprints, built_ns) and damaged and path.exists():
            _warn(
                f"the cache {path} is damaged and cannot be replaced; reading the catalogue "
                "files instead (remove that file, or use --no-cache)"
            )
        return catalogue

    cached, damaged = read(path, resolved, lambda: rebuild(True))
    if cached is not None:
        return cached
    return rebuild(damaged)
