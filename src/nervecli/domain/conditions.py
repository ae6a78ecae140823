"""Conditions as a graph: a condition can be a kind of another (peripheral neuropathic pain is
a kind of neuropathic pain) or cause another (diabetes can cause neuropathic pain). The
treatments for a condition are those linked to it, then, marked with the way they were
reached, those linked to the conditions it is a kind of or causes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from typing import Literal

from nervecli.facts.applicable import evidence_for, inherits, linked_conditions
from nervecli.model.catalogue import Catalogue, Condition, LinkedFact, Treatment, lean
from nervecli.model.vocabulary import LINES

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


@lean
class ConditionAnswer:
    condition: Condition
    treatments: list[LinkedTreatment]
    broader: list[Broader]
    narrower: list[Condition] = field(default_factory=list)


def broader(catalogue: Catalogue, condition: Condition) -> list[Broader]:
    """The conditions this one is a kind of or causes, and what those are kinds of, nearest
    first; each reached once."""
    found: dict[str, Broader] = {}
    queue: list[tuple[Condition, Relation | None, LinkedFact | None]] = [(condition, None, None)]
    while queue:
        current, first_relation, first_link = queue.pop(0)
        for relation, links in (("kind_of", current.kind_of), ("causes", current.causes)):
            for link in links:
                for ident in link.links:
                    if ident == condition.id or ident in found or ident not in catalogue.conditions:
                        continue
                    target = catalogue.conditions[ident]
                    step: Relation = first_relation or relation  # type: ignore[assignment]
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
    catalogue: Catalogue, condition: Condition, index: dict[str, list[Treatment]] | None = None
) -> list[LinkedTreatment]:
    index = links_by_condition(catalogue) if index is None else index
    out: dict[str, LinkedTreatment] = {}
    for t in index.get(condition.id, []):
        out.setdefault(t.id, LinkedTreatment(t))
    for b in broader(catalogue, condition):
        for t in index.get(b.condition.id, []):
            if inherits(catalogue, t, condition):  # the graded sources' scope
                out.setdefault(t.id, LinkedTreatment(t, b))
    return list(out.values())


def narrower(catalogue: Catalogue, condition: Condition) -> list[Condition]:
    """The conditions that are kinds of this one or cause it (one step)."""
    return [
        c
        for c in catalogue.conditions.values()
        if any(condition.id in link.links for link in (*c.kind_of, *c.causes))
    ]


def condition_answer(
    catalogue: Catalogue, condition: Condition, index: dict[str, list[Treatment]] | None = None
) -> ConditionAnswer:
    return ConditionAnswer(
        condition,
        graded_first(catalogue, treatments_for(catalogue, condition, index)),
        broader(catalogue, condition),
        narrower(catalogue, condition),
    )


def all_conditions(catalogue: Catalogue) -> list[ConditionAnswer]:
    index = links_by_condition(catalogue)
    return [condition_answer(catalogue, c, index) for c in catalogue.conditions.values()]


def is_for_nerve_pain(catalogue: Catalogue, conditions: Iterable[Condition], root: str) -> bool:
    """Whether any of these conditions is `root` (neuropathic pain) or reaches it."""
    return any(
        c.id == root or any(b.condition.id == root for b in broader(catalogue, c))
        for c in conditions
    )
