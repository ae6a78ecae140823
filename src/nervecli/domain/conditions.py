"""Conditions as a graph: a condition can be a kind of another (peripheral neuropathic pain is
a kind of neuropathic pain) or cause another (diabetes can cause neuropathic pain). The
treatments for a condition are those linked to it, then, marked with the way they were
reached, those linked to the conditions it is a kind of or causes."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import field
from typing import Literal

from nervecli.facts.applicable import evidence_for, facts_for, inherits, linked_conditions
from nervecli.model.catalogue import (
    Catalogue,
    Condition,
    EvidenceRecord,
    LinkedFact,
    Treatment,
    lean,
)
from nervecli.model.vocabulary import LINES, Section

Relation = Literal["kind_of", "causes"]


@lean
class Broader:
    """A condition reached from another: `relation` is how the first step was taken."""

    condition: Condition
    relation: Relation
    link: LinkedFact


@lean
class LinkedTreatment:
    """A treatment for a condition: linked to it directly (`via` None), or through a broader
    condition."""

    treatment: Treatment
    via: Broader | None = None
    evidence: list[EvidenceRecord] = field(default_factory=list)  # its graded evidence
    members: list[Treatment] = field(default_factory=list)  # a type of medicine's graded ones
    links: list[LinkedFact] = field(default_factory=list)  # its facts linking it here directly


@lean
class ConditionAnswer:
    condition: Condition
    treatments: list[LinkedTreatment]
    broader: list[Broader]
    narrower: list[Condition] = field(default_factory=list)


Edges = dict[str, list[tuple[Relation, LinkedFact, Condition]]]


def _steps(
    catalogue: Catalogue, current: Condition, edges: Edges
) -> list[tuple[Relation, LinkedFact, Condition]]:
    """The one-step links out of a condition, to conditions that exist: looked up once per
    condition and kept in `edges`, so that walks from many conditions share the work."""
    known = edges.get(current.id)
    if known is None:
        conditions = catalogue.conditions
        relations: tuple[tuple[Relation, list[LinkedFact]], ...] = (
            ("kind_of", current.kind_of),
            ("causes", current.causes),
        )
        known = [
            (relation, link, conditions[ident])
            for relation, links in relations
            for link in links
            for ident in link.links
            if ident in conditions
        ]
        edges[current.id] = known
    return known


def broader(
    catalogue: Catalogue, condition: Condition, edges: Edges | None = None
) -> list[Broader]:
    """The conditions this one is a kind of or causes, and what those are kinds of, nearest
    first; each reached once. `edges`, shared between calls, memoises each condition's links."""
    edges = {} if edges is None else edges
    found: dict[str, Broader] = {}
    queue: deque[tuple[Condition, Relation | None, LinkedFact | None]] = deque(
        [(condition, None, None)]
    )
    while queue:  # breadth first; a deque, so that a long chain is linear, not quadratic
        current, first_relation, first_link = queue.popleft()
        for relation, link, target in _steps(catalogue, current, edges):
            ident = target.id
            if ident == condition.id or ident in found:
                continue
            step: Relation = first_relation or relation
            found[ident] = Broader(target, step, first_link or link)
            queue.append((target, step, first_link or link))
    return list(found.values())


def line_rank(catalogue: Catalogue, treatment: Treatment) -> int:
    """first < second < third < against < not graded. A type of medicine (a group) ranks with
    the last of its graded members, so that it is placed after them, never ranked as a line
    itself."""
    if treatment.group is not None:
        ranks = [
            line_rank(catalogue, catalogue.treatments[i])
            for i in treatment.group.links
            if i in catalogue.treatments and i != treatment.id
        ]
        graded = [r for r in ranks if r < len(LINES)]
        if graded:
            return max(graded)
    lines = [LINES.index(r.line) for r in evidence_for(catalogue, treatment)]
    return min(lines, default=len(LINES))


def graded_first(catalogue: Catalogue, items: list[LinkedTreatment]) -> list[LinkedTreatment]:
    """Those linked directly, then those reached through another condition; within each,
    graded treatments by line of treatment (first line first), then the ungraded."""
    return sorted(
        items,
        key=lambda lt: (
            lt.via is not None,
            line_rank(catalogue, lt.treatment),
            lt.treatment.group is not None,  # a type of medicine after its graded members
        ),
    )


def links_by_condition(catalogue: Catalogue) -> dict[str, list[Treatment]]:
    """Every condition id and the treatments linked to it, in catalogue order."""
    out: dict[str, list[Treatment]] = {}
    for treatment in catalogue.treatments.values():
        for condition in linked_conditions(catalogue, treatment):
            out.setdefault(condition.id, []).append(treatment)
    return out


def treatments_for(
    catalogue: Catalogue,
    condition: Condition,
    index: dict[str, list[Treatment]] | None = None,
    reached: list[Broader] | None = None,
) -> list[LinkedTreatment]:
    index = links_by_condition(catalogue) if index is None else index
    reached = broader(catalogue, condition) if reached is None else reached
    out: dict[str, LinkedTreatment] = {}
    for t in index.get(condition.id, []):
        out.setdefault(t.id, LinkedTreatment(t))
    for b in reached:
        for t in index.get(b.condition.id, []):
            if inherits(catalogue, t, condition):  # the graded sources' scope
                out.setdefault(t.id, LinkedTreatment(t, b))
    return list(out.values())


def narrower_index(catalogue: Catalogue) -> dict[str, list[Condition]]:
    """Every condition id and the conditions that are kinds of it or cause it (one step), in
    catalogue order: one pass over the graph, for all of them at once."""
    out: dict[str, list[Condition]] = {}
    for c in catalogue.conditions.values():
        for ident in dict.fromkeys(i for link in (*c.kind_of, *c.causes) for i in link.links):
            out.setdefault(ident, []).append(c)
    return out


def narrower(
    catalogue: Catalogue, condition: Condition, below: dict[str, list[Condition]] | None = None
) -> list[Condition]:
    """The conditions that are kinds of this one or cause it (one step)."""
    below = narrower_index(catalogue) if below is None else below
    return list(below.get(condition.id, []))


def condition_answer(
    catalogue: Catalogue,
    condition: Condition,
    index: dict[str, list[Treatment]] | None = None,
    below: dict[str, list[Condition]] | None = None,
    edges: Edges | None = None,
) -> ConditionAnswer:
    reached = broader(catalogue, condition, edges)  # walked once, used twice
    return ConditionAnswer(
        condition,
        _graded(catalogue, condition, treatments_for(catalogue, condition, index, reached)),
        reached,
        narrower(catalogue, condition, below),
    )


def _graded(
    catalogue: Catalogue, condition: Condition, found: list[LinkedTreatment]
) -> list[LinkedTreatment]:
    """Graded first; each with its evidence, its members and the facts that link it here."""
    for lt in found:
        t = lt.treatment
        lt.evidence = evidence_for(catalogue, t)
        links = t.group.links if t.group is not None else []
        lt.members = [catalogue.treatments[i] for i in links if i in catalogue.treatments]
        lt.links = [
            r.fact
            for r in facts_for(catalogue, t, Section.USED_FOR)
            if lt.via is None and isinstance(r.fact, LinkedFact) and condition.id in r.fact.links
        ]
    return graded_first(catalogue, found)


def all_conditions(catalogue: Catalogue) -> list[ConditionAnswer]:
    index = links_by_condition(catalogue)
    below = narrower_index(catalogue)
    edges: Edges = {}
    return [
        condition_answer(catalogue, c, index, below, edges) for c in catalogue.conditions.values()
    ]


def is_for_nerve_pain(catalogue: Catalogue, conditions: Iterable[Condition], root: str) -> bool:
    """Whether any of these conditions is `root` (neuropathic pain) or reaches it."""
    return any(
        c.id == root or any(b.condition.id == root for b in broader(catalogue, c))
        for c in conditions
    )
