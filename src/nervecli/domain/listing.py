"""The list of treatments, filtered by kind, condition or line of treatment, and sorted."""

from __future__ import annotations

from dataclasses import field

from nervecli.domain.conditions import LinkedTreatment, line_rank, treatments_for
from nervecli.domain.lookup import resolve_condition
from nervecli.facts.applicable import best_nnt, evidence_for, routes
from nervecli.model.catalogue import Catalogue, Condition, EvidenceRecord, Treatment, lean
from nervecli.model.vocabulary import KINDS


@lean
class Listed:
    treatment: Treatment
    via: LinkedTreatment | None = None  # set when the list is for a condition
    members: list[Treatment] = field(default_factory=list)  # a type of medicine's graded ones
    routes: list[str] = field(default_factory=list)  # how it is given, short labels
    evidence: list[EvidenceRecord] = field(default_factory=list)


@lean
class Listing:
    items: list[Listed]
    kind: str | None = None
    condition: Condition | None = None
    line: str | None = None
    sort: str = "kind"


def members(catalogue: Catalogue, treatment: Treatment) -> list[Treatment]:
    """The entries a type of medicine's group fact links to."""
    if treatment.group is None:
        return []
    return [catalogue.treatments[i] for i in treatment.group.links if i in catalogue.treatments]


def family_members(catalogue: Catalogue, family: str) -> list[Treatment]:
    """The treatments a source names as kinds of a family, in catalogue order."""
    return [t for t in catalogue.treatments.values() if t.family == family]


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
        Listed(t, via, members(catalogue, t), routes(catalogue, t), evidence_for(catalogue, t))
        for t, via in pool
        if (not kind or t.kind == kind)
        and (not line or line in {r.line for r in evidence_for(catalogue, t)})
    ]
    if sort == "name":
        items.sort(key=lambda i: i.treatment.name.lower())
    elif sort == "nnt":
        items.sort(
            key=lambda i: (
                line_rank(catalogue, i.treatment),
                best_nnt(catalogue, i.treatment) or float("inf"),
            )
        )
    else:  # graded first, by line of treatment; within a line, by kind (catalogue order)
        items.sort(
            key=lambda i: (
                line_rank(catalogue, i.treatment),
                KINDS.index(i.treatment.kind) if found is None else 0,
            )
        )
    return Listing(_groups_after_members(items), kind, found, line, sort)


def _groups_after_members(items: list[Listed]) -> list[Listed]:
    """Move each type of medicine to just after the last of its members that is listed."""
    listed = {i.treatment.id for i in items}
    placed = {id(i) for i in items if not any(m.id in listed for m in i.members)}
    order = [i for i in items if id(i) in placed]
    for group in (i for i in items if id(i) not in placed):
        ids = {m.id for m in group.members}
        last = max(n for n, i in enumerate(order) if i.treatment.id in ids)
        order.insert(last + 1, group)
    return order
