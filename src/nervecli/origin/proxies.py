"""A catalogue read lazily from its cache file: the small tables at once, each treatment and
condition when asked for, names answered by SQL. Damage found while reading falls back, in the
same run, to the catalogue read from its files (every later read answers from those), and the
damaged cache is removed. The catalogue keeps its search index in a file of its own
(`search_index`), through the model's hook (`Catalogue.stored_search`, `keep_search`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nervecli.model.catalogue import Catalogue, Condition, Origin, Treatment
from nervecli.model.names import Names
from nervecli.origin import codec
from nervecli.origin import format as fmt
from nervecli.origin.format import Damaged
from nervecli.origin.sqlfile import Db, remove

if TYPE_CHECKING:  # the indexes are imported by the commands that read them (search, list)
    from nervecli.model.listing import ListingIndex
    from nervecli.model.search import Build, Store

V = TypeVar("V")
STREAM_BATCH = 500  # rows decoded at a time by a walk over a whole table
_POS = itemgetter(3)  # a name row's position

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

    def fetch(self, ids: Sequence[str]) -> list[V]:
        """These entries, read in one query; kept only if they were kept already (Damaged
        raised here: see `CachedCatalogue.fetch`)."""
        wanted = list(dict.fromkeys(i for i in ids if i not in self._read))
        got: dict[str, V] = {}
        if wanted:
            marks = ",".join("?" * len(wanted))
            sql = f"SELECT id, ord, body, sum FROM entries WHERE kind = ? AND id IN ({marks})"
            for ident, ord_, body, expected in self.owner.db.rows(sql, (self.kind, *wanted)):
                got[ident] = self._entry(ident, ord_, body, expected)
        return [self._read[i] if i in self._read else got[i] for i in ids]

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
        if self._ids is None:  # a count over the key: no id read
            sql = "SELECT count(*) FROM entries WHERE kind = ?"
            return int(self.owner.db.rows(sql, (self.kind,))[0][0])
        return len(self._ids)

    @_or_files
    def __contains__(self, ident: object) -> bool:
        return ident in self._read or ident in self._all_ids()

    def stream(self) -> Iterator[V]:
        """Every entry once, in order, a batch of rows at a time, keeping none that were not
        kept already. Damage found on the way falls back to the files and raises StoreDamaged:
        what was handed on so far cannot be taken back."""
        owner = self.owner
        if owner.recovered is not None:
            yield from self.real(owner.recovered).values()
            return
        try:
            ids = self._all_ids()
            # Rows are written in order, so the table's own order (rowid) is theirs: one pass
            # over the table, no sort; the ids checked against their order as they come.
            sql = "SELECT id, ord, body, sum FROM entries WHERE kind = ? ORDER BY rowid"
            n = 0
            for rows in owner.db.batches(sql, (self.kind,), STREAM_BATCH):
                if [r[0] for r in rows] != ids[n : n + len(rows)]:
                    raise Damaged("the entries' order")
                n += len(rows)
                for ident, ord_, body, expected in rows:
                    kept = self._read.get(ident)
                    yield kept if kept is not None else self._entry(ident, ord_, body, expected)
            if n != len(ids):
                raise Damaged("the entries' order")
        except Damaged:
            from nervecli.model.search import StoreDamaged

            owner.fall_back()
            raise StoreDamaged("the cached catalogue") from None

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

    def _checked(self, sql: str, args: Sequence[Any]) -> list[Any]:
        """(name, id, tab, pos, sum) rows, each checked against its checksum."""
        rows = self.owner.db.rows(sql, (self.kind, *args))
        if not fmt.names_whole(self.kind, rows):
            raise Damaged("the checksum of a name")
        return rows

    def _rows(self, where: str, args: Sequence[Any]) -> list[tuple[str, str]]:
        sql = f"SELECT name, id, tab, pos, sum FROM names WHERE kind = ? {where} ORDER BY pos"
        return [(row[0], row[1]) for row in self._checked(sql, args)]

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
        # Every row: a scan of the table (its rows are written in order) is some 2x faster
        # than the name index's lookup of each (400,000 names at 100,000 treatments).
        rows = self._checked(
            "SELECT name, id, tab, pos, sum FROM names NOT INDEXED WHERE kind = ?", ()
        )
        try:
            rows.sort(key=_POS)  # in order already: one pass
        except TypeError:  # a position that is not a number
            raise Damaged("a name's position") from None
        out: dict[str, str] = {}
        for name, ident, *_ in rows:
            out.setdefault(name, ident)
        return out


class CachedCatalogue(Catalogue):
    """A catalogue read from the cache: the small tables at once, the rest when asked for.
    Damage found while reading falls back to the catalogue read from its files, in the same
    run, and the damaged cache is removed."""

    def __init__(
        self, db: Db, core: dict[str, Any], recover: Callable[[], Catalogue], search: Path
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

    @property
    def listing_path(self) -> Path:
        return self.search_path.with_name(fmt.listing_name(self.db.path.name))

    def fall_back(self) -> Catalogue:
        if self.recovered is None:
            self.db.forget()
            remove(self.search_path)
            remove(self.listing_path)
            self.recovered = self.recover()
        return self.recovered

    def stream(self, table: str) -> Iterator[Any]:
        if self.recovered is not None:
            return self.recovered.stream(table)
        found = {"treatments": self.treatments, "conditions": self.conditions}.get(table)
        if isinstance(found, _Table):
            return found.stream()
        return super().stream(table)

    def stored_search(self) -> Store | None:
        if self.recovered is not None:
            return None
        from nervecli.origin import search_index

        return search_index.open_index(self.search_path, self.manifest)

    def keep_search(self, build: Build) -> Store | None:
        if self.recovered is not None:
            return None
        from nervecli.origin import search_index

        return search_index.keep(self.search_path, self.manifest, build)

    def stored_listing(self, stamp: str) -> ListingIndex | None:
        if self.recovered is not None:
            return None
        from nervecli.origin import listing_index

        return listing_index.read(self.listing_path, self.manifest, stamp)

    def keep_listing(self, index: ListingIndex) -> None:
        if self.recovered is None:
            from nervecli.origin import listing_index

            listing_index.keep(self.listing_path, self.manifest, index)

    def fetch(self, table: str, ids: Sequence[str]) -> list[Any]:
        found = {"treatments": self.treatments, "conditions": self.conditions}.get(table)
        if self.recovered is None and isinstance(found, _Table):
            try:
                return found.fetch(ids)
            except Damaged:  # every later read answers from the files
                self.fall_back()
        return super().fetch(table, ids)

    def family_kinds(self, family: str) -> list[str]:
        if self.recovered is None:
            try:
                return self._kinds(family)
            except Damaged:
                self.fall_back()
        assert self.recovered is not None
        return self.recovered.family_kinds(family)

    def _kinds(self, family: str) -> list[str]:
        sql = "SELECT ord, id, sum FROM kinds WHERE family = ? ORDER BY ord"
        out = []
        for ord_, ident, expected in self.db.rows(sql, (family,)):
            if fmt.row_sum(family, ord_, ident) != expected:
                raise Damaged("the checksum of a family's kind")
            out.append(ident)
        return out

    def names(self, table: str) -> Names:
        if self.recovered is not None:
            return self.recovered.names(table)
        return self._sql_names[table]
