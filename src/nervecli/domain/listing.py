"""The list of treatments, filtered by kind, condition or line of treatment, and sorted."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import field
from typing import Any, TypeVar, overload

from nervecli.domain.conditions import LinkedTreatment, for_nerve_pain, line_rank, treatments_for
from nervecli.domain.lookup import resolve_condition
from nervecli.facts.applicable import best_nnt, evidence_for, members, route_facts, route_labels
from nervecli.model.catalogue import Catalogue, Condition, EvidenceRecord, Fact, Treatment, lean
from nervecli.model.errors import CatalogueError
from nervecli.model.listing import ORDER, ListingIndex
from nervecli.model.search import StoreDamaged
from nervecli.model.vocabulary import KINDS, LINES

SORTS = ("kind", "name", "nnt")
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@lean
class Listed:
    treatment: Treatment
    via: LinkedTreatment | None = None  # set when the list is for a condition
    members: list[Treatment] = field(default_factory=list)  # a type of medicine's graded ones
    routes: list[str] = field(default_factory=list)  # how it is given, short labels
    evidence: list[EvidenceRecord] = field(default_factory=list)
    route_facts: list[Fact] = field(default_factory=list)  # what those labels come from
    for_nerve_pain: bool = True  # False: its sources describe it for other kinds of pain only


def listed(
    catalogue: Catalogue,
    t: Treatment,
    via: LinkedTreatment | None = None,
    ms: list[Treatment] | None = None,
    records: list[EvidenceRecord] | None = None,
) -> Listed:
    """One treatment's entry in a listing (its members and records, when already known)."""
    given = route_facts(catalogue, t)
    return Listed(
        t,
        via,
        members(catalogue, t) if ms is None else ms,
        route_labels(given),
        evidence_for(catalogue, t) if records is None else records,
        [*given],
        for_nerve_pain(catalogue, t),
    )


@lean
class Listing:
    items: Sequence[Listed]
    kind: str | None = None
    condition: Condition | None = None
    line: str | None = None
    sort: str = "kind"
    positions: Sequence[int] | None = None  # the items' places in the listing index, if from it


def family_members(catalogue: Catalogue, family: str) -> list[Treatment]:
    """The treatments a source names as kinds of a family, in catalogue order."""
    return [catalogue.treatments[i] for i in catalogue.family_kinds(family)]


def _sort_key(catalogue: Catalogue, sort: str, by_kind: bool) -> Callable[[Treatment], Any]:
    """Name; NNT within each line of treatment; or (the default) graded first, by line of
    treatment, and within a line by kind (catalogue order) when `by_kind`."""
    if sort == "name":
        return lambda t: t.name.lower()
    if sort == "nnt":
        return lambda t: (line_rank(catalogue, t), best_nnt(catalogue, t) or float("inf"))
    return lambda t: (line_rank(catalogue, t), KINDS.index(t.kind) if by_kind else 0)


def list_treatments(
    catalogue: Catalogue,
    kind: str | None = None,
    condition: str | None = None,
    line: str | None = None,
    sort: str = "kind",
) -> Listing:
    """Every treatment, optionally only of one kind, for one condition (directly or through
    the conditions it is a kind of or causes) or of one line of treatment; sorted by kind
    (catalogue order within a kind), name, or NNT within each line of treatment. A type of
    medicine is listed right after its graded members, never ranked among them."""
    found = resolve_condition(catalogue, condition) if condition else None
    pool: list[tuple[Treatment, LinkedTreatment | None]]
    if found is not None:
        pool = [(lt.treatment, lt) for lt in treatments_for(catalogue, found)]
    else:
        pool = [(t, None) for t in catalogue.treatments.values()]
    items = [
        listed(catalogue, t, via)
        for t, via in pool
        if (not kind or t.kind == kind)
        and (not line or line in {r.line for r in evidence_for(catalogue, t)})
    ]
    key = _sort_key(catalogue, sort, by_kind=found is None)
    items.sort(key=lambda i: key(i.treatment))
    order = groups_after_members(
        items, lambda i: i.treatment.id, lambda i: [m.id for m in i.members]
    )
    return Listing(order, kind, found, line, sort)


def groups_after_members(
    items: list[T], key: Callable[[T], K], members_of: Callable[[T], Iterable[K]]
) -> list[T]:
    """Move each type of medicine to just after the last of its members that is listed (a
    type of medicine whose listed members are all types of medicine placed later goes last)."""
    listed = {key(i) for i in items}
    placed = [not any(m in listed for m in members_of(i)) for i in items]
    order = [i for i, keep in zip(items, placed, strict=True) if keep]
    for group in [i for i, keep in zip(items, placed, strict=True) if not keep]:
        ids = set(members_of(group))
        last = max((n for n, i in enumerate(order) if key(i) in ids), default=len(order) - 1)
        order.insert(last + 1, group)
    return order


# --- the listing index: the same list, from each treatment's stored keys --------------------------

KIND = "kind"  # each treatment's kind, as its place in KINDS
LINE_MASK = "lines"  # the lines of treatment its evidence gives, one bit each (LINES order)


def listing_keys(
    catalogue: Catalogue, stamp: str, each: Callable[[Listed], None] | None = None
) -> ListingIndex:
    """The listing index's keys, from every treatment read once, in order, keeping none (a
    cached catalogue streams its rows): its kind, lines of treatment, its place in each order
    (before types of medicine are moved after their members) and the members of each type of
    medicine. `each` is handed every treatment as `list` shows it unfiltered (to measure its
    row in the same pass)."""
    ids = list(catalogue.treatments)
    where = {ident: n for n, ident in enumerate(ids)}
    index = ListingIndex(stamp, ids)
    kinds, lines = array("I"), array("I")
    sorting = {sort: _sort_key(catalogue, sort, by_kind=True) for sort in SORTS}
    keys: dict[str, list[Any]] = {sort: [] for sort in SORTS}
    for n, t in enumerate(catalogue.stream("treatments")):
        if n >= len(ids) or t.id != ids[n]:
            raise StoreDamaged("the order of the treatments")
        records = evidence_for(catalogue, t)
        kinds.append(KINDS.index(t.kind))
        lines.append(sum(1 << k for k in {LINES.index(r.line) for r in records}))
        for sort, key in sorting.items():
            keys[sort].append(key(t))
        ms = members(catalogue, t)
        if ms:
            index.groups[n] = [where[m.id] for m in ms]
        if each is not None:
            each(listed(catalogue, t, None, ms, records))
    if len(kinds) != len(ids):
        raise StoreDamaged("the count of the treatments")
    index.columns[KIND], index.columns[LINE_MASK] = kinds, lines
    for sort, found in keys.items():
        index.columns[ORDER + sort] = array("I", sorted(range(len(ids)), key=found.__getitem__))
    return index


def list_indexed(
    catalogue: Catalogue,
    index: ListingIndex,
    kind: str | None = None,
    line: str | None = None,
    sort: str = "kind",
) -> Listing:
    """`list_treatments` (without a condition) from the listing index: the same treatments in
    the same order, each read only when its row is reached."""
    order: Sequence[int] = index.columns[ORDER + sort]
    if (kind and kind not in KINDS) or (line and line not in LINES):
        order = []  # no treatment is of a kind (or line) there is not
    elif kind or line:
        kinds, lines = index.columns[KIND], index.columns[LINE_MASK]
        k = KINDS.index(kind) if kind else -1
        bit = 1 << LINES.index(line) if line else 0
        try:
            order = [p for p in order if (k < 0 or kinds[p] == k) and (not bit or lines[p] & bit)]
        except IndexError:  # an order naming a place past the end: the cache's damage
            raise CatalogueError(
                ["the cached catalogue has lost a treatment: run again with --no-cache"]
            ) from None
    groups = index.groups
    if groups:
        order = groups_after_members(list(order), lambda p: p, lambda p: groups.get(p, ()))
    return Listing(_LazyListed(catalogue, index.ids, order), kind, None, line, sort, order)


class _LazyListed(Sequence[Listed]):
    """The listed treatments, each read (a batch at a time) only when it is reached."""

    BATCH = 32

    def __init__(self, catalogue: Catalogue, ids: Sequence[str], positions: Sequence[int]) -> None:
        self.catalogue, self.ids, self.positions = catalogue, ids, positions

    def __len__(self) -> int:
        return len(self.positions)

    def _listed(self, t: Treatment) -> Listed:
        return listed(self.catalogue, t)

    def _read(self, positions: Sequence[int]) -> list[Treatment]:
        try:
            return self.catalogue.fetch("treatments", [self.ids[p] for p in positions])
        except (KeyError, IndexError):  # the cache lost a row its listing index names (damage)
            raise CatalogueError(
                ["the cached catalogue has lost a treatment: run again with --no-cache"]
            ) from None

    @overload
    def __getitem__(self, k: int) -> Listed: ...
    @overload
    def __getitem__(self, k: slice) -> list[Listed]: ...
    def __getitem__(self, k: int | slice) -> Listed | list[Listed]:
        if isinstance(k, slice):
            return [self._listed(t) for t in self._read(self.positions[k])]
        return self._listed(self._read([self.positions[k]])[0])

    def __iter__(self) -> Iterator[Listed]:  # a batch read at a time, none kept
        for start in range(0, len(self.positions), self.BATCH):
            for t in self._read(self.positions[start : start + self.BATCH]):
                yield self._listed(t)
