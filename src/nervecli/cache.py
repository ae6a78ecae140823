"""A cache of the validated catalogue, so that most runs read no YAML and validate nothing.

The cache is one SQLite file per catalogue configuration in `$XDG_CACHE_HOME/nervecli/`
(`~/.cache/nervecli/` by default). Its name is a hash of nervecli's version, the cache format and
every catalogue file's path, size, modification and change times, so a changed, added or removed
file is a different cache: stale data cannot be served. Treatments and conditions are stored one
row each, with an index of their names and the search index beside them, so a lookup by name
reads only what it shows. A cache is written to a temporary file and renamed into place, so a
reader never sees half of one and two runs at once do not collide. One that cannot be read, or
comes from another version, is deleted and rebuilt, not trusted. A cache directory that is
missing or read-only only costs speed.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nervecli import __version__
from nervecli.errors import CacheError
from nervecli.model import Catalogue
from nervecli.queries import entry_names

if TYPE_CHECKING:
    from nervecli.search import Document, Layout, SearchIndex


FORMAT = "1"
KEEP = 4  # caches kept for other catalogue configurations
SUFFIX = ".sqlite"


class CacheCorrupt(Exception):
    """The cache could not be read; it is removed and the catalogue is read from YAML."""


class _Db:
    """A read-only connection to one cache file. Damage found while in use removes the file
    and becomes a CacheError (one line, exit 1); the next run rebuilds the cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.meta: dict[str, bytes] = {}

    def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, args)
        except sqlite3.Error as exc:
            self.damaged(str(exc))
            raise  # not reached

    def loads(self, blob: bytes) -> Any:
        try:
            return pickle.loads(blob)
        except Exception as exc:  # a damaged blob can raise almost anything
            self.damaged(f"unreadable entry: {type(exc).__name__}")
            raise  # not reached

    def damaged(self, detail: str) -> None:
        _remove(self.path)
        raise CacheError(detail)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nervecli"


def fingerprint(files: Sequence[Path], bundled: bool) -> str:
    """A key that changes whenever any catalogue file is changed, added or removed: the
    version, the format and every file's path, size, modification and change times. The full
    key is stored in the cache and compared on reading; a short checksum of it names the file."""
    parts = [__version__, FORMAT, str(bundled)]
    for path in files:
        stat = path.stat()
        parts.append(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}")
    return "\n".join(parts)


def _file_name(key: str) -> str:
    data = key.encode()
    return f"catalogue-{zlib.crc32(data):08x}-{len(data):x}{SUFFIX}"


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


# --- writing ----------------------------------------------------------------------------------

CATALOGUE_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE entries (kind TEXT, id TEXT, ord INTEGER, origin TEXT, overridden INTEGER,
                      blob BLOB, PRIMARY KEY (kind, id));
CREATE TABLE names (kind TEXT, name TEXT, id TEXT);
CREATE INDEX names_by_name ON names (kind, name);
"""
SEARCH_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE vocab (word TEXT PRIMARY KEY, docs BLOB);
CREATE TABLE docs (n INTEGER PRIMARY KEY, text TEXT, source TEXT, quote TEXT);
"""


def _write_db(
    directory: Path, name: str, schema: str, key: str, fill: Callable[[sqlite3.Connection], None]
) -> bool:
    """Build a cache file beside its final place and rename it there (atomic: a reader sees
    all of it or none, and two runs writing at once each rename a complete file). True if it
    was written; an unwritable directory is not an error, since the cache only saves time."""
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=".catalogue-", suffix=".tmp", dir=directory)
        os.close(fd)
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + schema)
            stamp = {"format": FORMAT, "version": __version__, "key": key}
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)", ((k, v.encode()) for k, v in stamp.items())
            )
            fill(conn)
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, directory / name)
        tmp = None
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        if tmp is not None:
            _remove(Path(tmp))


def write(catalogue: Catalogue, key: str, directory: Path | None = None) -> bool:
    """Store a validated catalogue under its key (the search index is built on first use)."""

    def fill(conn: sqlite3.Connection) -> None:
        core = {
            "meta": catalogue.meta,
            "sources": catalogue.sources,
            "families": catalogue.families,
            "evidence": catalogue.evidence,
            "evidence_notes": catalogue.evidence_notes,
            "screening": catalogue.screening,
            "overlays": catalogue.overlays,
        }
        conn.execute("INSERT INTO meta VALUES ('core', ?)", (_dumps(core),))
        for kind in ("treatments", "conditions"):
            table = getattr(catalogue, kind)
            conn.executemany(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (
                        kind,
                        entry.id,
                        i,
                        catalogue.origins.get((kind, entry.id), "bundled catalogue"),
                        int((kind, entry.id) in catalogue.overridden),
                        _dumps(entry),
                    )
                    for i, entry in enumerate(table.values())
                ),
            )
            conn.executemany(
                "INSERT INTO names VALUES (?, ?, ?)",
                ((kind, name, e.id) for e in table.values() for name in entry_names(e)),
            )

    directory = directory or cache_dir()
    written = _write_db(directory, _file_name(key), CATALOGUE_SCHEMA, key, fill)
    if written:
        _prune(directory, keep=_file_name(key))
    return written


def write_search(catalogue: Catalogue, key: str, directory: Path | None = None) -> bool:
    """Store a catalogue's search index under its key, streamed: the texts go straight to
    disk; only the compact layout and the word lists are held in memory."""
    from nervecli.search import IndexBuilder, documents

    def fill(conn: sqlite3.Connection) -> None:
        builder = IndexBuilder()
        conn.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?)",
            (
                (
                    builder.add(doc),
                    doc.text,
                    doc.fact.source if doc.fact else None,
                    doc.fact.quote if doc.fact else None,
                )
                for doc in documents(catalogue)
            ),
        )
        conn.executemany(
            "INSERT INTO vocab VALUES (?, ?)",
            ((w, docs.tobytes()) for w, docs in builder.words.items()),
        )
        conn.execute("INSERT INTO meta VALUES ('layout', ?)", (_dumps(builder.layout),))

    directory = directory or cache_dir()
    return _write_db(directory, _search_name(_file_name(key)), SEARCH_SCHEMA, key, fill)


def _search_name(catalogue_file: str) -> str:
    return catalogue_file.removesuffix(SUFFIX) + ".search" + SUFFIX


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _prune(directory: Path, keep: str) -> None:
    """Keep the newest few caches (other catalogue configurations); remove the rest, with
    their search indexes."""
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


def _open_db(path: Path, key: str) -> _Db | None:
    """A cache file if it is whole and made for this key by this version; else removed."""
    if not path.is_file():
        return None
    try:
        db = _Db(path)
        meta = dict(db.conn.execute("SELECT key, value FROM meta").fetchall())
        expected = {"format": FORMAT, "version": __version__, "key": key}
        if any(bytes(meta.get(k, b"")).decode(errors="replace") != v for k, v in expected.items()):
            raise CacheCorrupt("made by another nervecli version or for another catalogue")
        db.meta = meta
        return db
    except Exception:  # damaged, truncated, foreign or unreadable: never trusted
        _remove(path)
        return None


# --- reading ----------------------------------------------------------------------------------


class _Table:
    """Treatments or conditions, read one row at a time and kept once read."""

    def __init__(self, conn: _Db, kind: str) -> None:
        self.conn, self.kind = conn, kind
        self._read: dict[str, Any] = {}
        self._ids: list[str] | None = None

    def __getitem__(self, ident: str) -> Any:
        if ident not in self._read:
            row = self.conn.execute(
                "SELECT blob FROM entries WHERE kind = ? AND id = ?", (self.kind, ident)
            ).fetchone()
            if row is None:
                raise KeyError(ident)
            self._read[ident] = self.conn.loads(row[0])
        return self._read[ident]

    def _all_ids(self) -> list[str]:
        if self._ids is None:
            rows = self.conn.execute(
                "SELECT id FROM entries WHERE kind = ? ORDER BY ord", (self.kind,)
            )
            self._ids = [r[0] for r in rows]
        return self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_ids())

    def __len__(self) -> int:
        return len(self._all_ids())

    def __contains__(self, ident: object) -> bool:
        if ident in self._read:
            return True
        row = self.conn.execute(
            "SELECT 1 FROM entries WHERE kind = ? AND id = ?", (self.kind, ident)
        ).fetchone()
        return row is not None

    def get(self, ident: str, default: Any = None) -> Any:
        try:
            return self[ident]
        except KeyError:
            return default

    def keys(self) -> list[str]:
        return self._all_ids()

    def items(self) -> list[tuple[str, Any]]:
        return list(zip(self._all_ids(), self.values(), strict=True))

    def values(self) -> Any:  # one query for all rows, in catalogue order
        missing = [i for i in self._all_ids() if i not in self._read]
        if missing:
            rows = self.conn.execute(
                "SELECT id, blob FROM entries WHERE kind = ? ORDER BY ord", (self.kind,)
            )
            for ident, blob in rows:
                self._read.setdefault(ident, self.conn.loads(blob))
        return [self._read[i] for i in self._all_ids()]


class _SqlNames:
    """The name index, answered by SQL (see `queries.Names`)."""

    def __init__(self, conn: _Db, kind: str) -> None:
        self.conn, self.kind = conn, kind

    def exact(self, name: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT DISTINCT id FROM names WHERE kind = ? AND name = ?", (self.kind, name)
        )
        return [r[0] for r in rows]

    def leading(self, name: str) -> list[str]:
        # names are [a-z0-9-]; every name starting 'name-' sorts in ['name-', 'name.')
        rows = self.conn.execute(
            "SELECT DISTINCT id FROM names WHERE kind = ? AND name >= ? AND name < ?",
            (self.kind, name + "-", name + "."),
        )
        return [r[0] for r in rows]

    def everything(self) -> dict[str, str]:
        rows = self.conn.execute("SELECT name, id FROM names WHERE kind = ?", (self.kind,))
        return dict(rows.fetchall())


class _SqlStore:
    """Search words and texts, read from the cache as a query needs them."""

    def __init__(self, conn: _Db, layout: Layout) -> None:
        self.conn, self.layout = conn, layout

    def vocabulary(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT word FROM vocab")]

    def postings(self, word: str) -> Sequence[int]:
        from array import array

        row = self.conn.execute("SELECT docs FROM vocab WHERE word = ?", (word,)).fetchone()
        found = array("I")
        if row is not None:
            found.frombytes(row[0])
        return found

    def document(self, n: int) -> Document:
        from nervecli.model import Citation
        from nervecli.search import Document

        row = self.conn.execute("SELECT text, source, quote FROM docs WHERE n = ?", (n,)).fetchone()
        if row is None or n >= len(self.layout.doc_entry):
            self.conn.damaged(f"search document {n} is missing")
        text, source, quote = row
        kind, ident, name = self.layout.entries[self.layout.doc_entry[n]]
        field = self.layout.fields[self.layout.doc_field[n]]
        cited = Citation(source=source, quote=quote) if source is not None else None
        return Document(kind, ident, name, field, self.layout.doc_weight[n], text, "", cited)


class _Origins:
    def __init__(self, conn: _Db) -> None:
        self.conn = conn

    def __getitem__(self, key: tuple[str, str]) -> str:
        row = self.conn.execute(
            "SELECT origin FROM entries WHERE kind = ? AND id = ?", key
        ).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0]  # type: ignore[no-any-return]

    def get(self, key: tuple[str, str], default: str | None = None) -> str | None:
        try:
            return self[key]
        except KeyError:
            return default


class _Overridden:
    def __init__(self, conn: _Db) -> None:
        self.conn = conn

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        row = self.conn.execute(
            "SELECT overridden FROM entries WHERE kind = ? AND id = ?", key
        ).fetchone()
        return bool(row and row[0])


class CachedCatalogue(Catalogue):
    """A catalogue read from the cache: the small tables at once, the rest when asked for."""

    def __init__(self, conn: _Db, core: dict[str, Any], key: str) -> None:
        super().__init__(meta=core["meta"])
        self.conn, self.key = conn, key
        self.sources = core["sources"]
        self.families = core["families"]
        self.evidence = core["evidence"]
        self.evidence_notes = core["evidence_notes"]
        self.screening = core["screening"]
        self.overlays = core["overlays"]
        self.treatments = _Table(conn, "treatments")  # type: ignore[assignment]
        self.conditions = _Table(conn, "conditions")  # type: ignore[assignment]
        self.origins = _Origins(conn)  # type: ignore[assignment]
        self.overridden = _Overridden(conn)  # type: ignore[assignment]

    def names(self, table: str) -> _SqlNames:
        return _SqlNames(self.conn, table)

    def search_index(self) -> SearchIndex:
        """The search index, from its own cache file; built and stored on first use."""
        from nervecli.search import Layout, SearchIndex

        path = self.conn.path.with_name(_search_name(self.conn.path.name))
        db = _open_db(path, self.key)
        if db is None and write_search(self, self.key, path.parent):
            db = _open_db(path, self.key)
        if db is None:  # no cache directory to be had: build it here, in memory
            return SearchIndex.build(self)
        layout = db.loads(db.meta["layout"]) if "layout" in db.meta else None
        if not isinstance(layout, Layout):
            db.damaged("no search index")
        return SearchIndex(layout, _SqlStore(db, layout))


def read(key: str, directory: Path | None = None) -> CachedCatalogue | None:
    """The cached catalogue for a key, or None if there is none; a damaged or foreign cache
    is removed and None returned."""
    db = _open_db((directory or cache_dir()) / _file_name(key), key)
    if db is None:
        return None
    try:
        core = pickle.loads(db.meta["core"])
        if not isinstance(core, dict):
            raise CacheCorrupt("unexpected contents")
    except Exception:  # never trusted
        _remove(db.path)
        return None
    return CachedCatalogue(db, core, key)


def load(paths: Sequence[Path], bundled: bool = True, use_cache: bool = True) -> Catalogue:
    """The catalogue for these paths: from the cache when it is current, else read from YAML,
    validated, and cached for next time."""
    from nervecli.files import bundled_data_dir, catalogue_files

    if not use_cache:
        from nervecli.loader import load_catalogue

        return load_catalogue(paths, bundled=bundled)
    roots = [bundled_data_dir()] if bundled else []
    try:
        key = fingerprint(catalogue_files([*roots, *paths]), bundled)
    except OSError:
        key = None
    cached = read(key) if key else None
    if cached is not None:
        return cached
    from nervecli.loader import load_catalogue

    catalogue = load_catalogue(paths, bundled=bundled)
    if key is None:
        return catalogue
    write(catalogue, key)
    return catalogue
