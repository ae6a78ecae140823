"""Conditions as a graph: a condition can be a kind of another (peripheral neuropathic pain is
a kind of neuropathic pain) or cause another (diabetes can cause neuropathic pain). The
treatments for a condition are those linked to it, then, marked with the way they were
reached, those linked to the conditions it is a kind of or causes."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
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
    """A condition, its treatments (nearest first, graded first), the conditions one step
    narrower, and `broader`: every condition it reaches, nearest first. `broader` is walked
    when first read (`walk`): the overview of every condition never reads it, and for a long
    chain those lists together are quadratic in the chain's length."""

    condition: Condition
    treatments: list[LinkedTreatment]
    narrower: list[Condition]
    walk: Callable[[], list[Broader]]
    _broader: list[Broader] | None = field(default=None, init=False)

    @property
    def broader(self) -> list[Broader]:
        if self._broader is None:
            self._broader = self.walk()
        return self._broader


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


def graded_first(
    catalogue: Catalogue, items: list[LinkedTreatment], ranks: dict[str, int] | None = None
) -> list[LinkedTreatment]:
    """Those linked directly, then those reached through another condition; within each,
    graded treatments by line of treatment (first line first), then the ungraded. `ranks`,
    shared between calls, memoises each treatment's line rank."""
    ranks = {} if ranks is None else ranks

    def rank(treatment: Treatment) -> int:
        known = ranks.get(treatment.id)
        if known is None:
            known = ranks[treatment.id] = line_rank(catalogue, treatment)
        return known

    return sorted(
        items,
        key=lambda lt: (
            lt.via is not None,
            rank(lt.treatment),
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
        narrower(catalogue, condition, below),
        lambda: reached,
    )


def _carried(
    catalogue: Catalogue, condition: Condition, found: list[LinkedTreatment]
) -> list[LinkedTreatment]:
    """Each treatment found with what the views say of it: its evidence, its members and the
    facts that link it here directly."""
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
    return found


def _graded(
    catalogue: Catalogue, condition: Condition, found: list[LinkedTreatment]
) -> list[LinkedTreatment]:
    """Graded first, each with what the views say of it."""
    return graded_first(catalogue, _carried(catalogue, condition, found))


# What a condition reaches, for every condition at once: for each, each treatment it reaches
# (its own, or linked to a condition it reaches), the condition that treatment is linked to,
# and the first step taken (an index into `_Successors`, None for its own).
Reach = dict[str, tuple[Treatment, Condition, int | None]]
# A condition's one-step links, each target once (the first link to it), without itself.
_Successors = list[tuple[Condition, Relation, LinkedFact]]


def _successors(catalogue: Catalogue, condition: Condition, edges: Edges) -> _Successors:
    out: dict[str, tuple[Condition, Relation, LinkedFact]] = {}
    for relation, link, target in _steps(catalogue, condition, edges):
        if target.id != condition.id and target.id not in out:
            out[target.id] = (target, relation, link)
    return list(out.values())


def reach_all(
    catalogue: Catalogue,
    index: dict[str, list[Treatment]],
    successors: dict[str, _Successors],
) -> dict[str, Reach]:
    """Every condition's reach, in the order a breadth-first walk from it finds it: its own
    treatments, then those of the conditions it reaches, nearest first, each once.

    One walk per condition costs the pairs of conditions (quadratic on a long chain). Instead
    all the walks advance together, one step a round, carrying only what each condition found
    in the round before: a treatment a condition's successor found at distance d - 1 is at
    distance d for it, unless it found it nearer. Within a round a condition takes its
    successors in the order of its links, and each successor's finds in that successor's
    order, which is the order a breadth-first walk keeps (nearest first, then by the first
    step, then by the walk from there); the first finder of a treatment gives its condition
    and first step, as the walk's first visit would. The work is the graph plus, for each
    condition, how many treatments it reaches times how many conditions link to it: no
    longer the pairs of conditions, and a cycle ends, because nothing is found twice."""
    conditions = catalogue.conditions
    reach: dict[str, Reach] = {}
    fresh: dict[str, list[tuple[Treatment, Condition]]] = {}  # found in the last round
    for c in conditions.values():
        own: Reach = {}
        for t in index.get(c.id, []):
            if t.id not in own:
                own[t.id] = (t, c, None)
        reach[c.id] = own
        if own:
            fresh[c.id] = [(t, c) for t, _, _ in own.values()]
    before: dict[str, list[tuple[str, int]]] = {}  # who takes each condition as a step
    for c in conditions.values():
        for i, (target, _, _) in enumerate(successors[c.id]):
            before.setdefault(target.id, []).append((c.id, i))
    while fresh:
        offers: dict[str, list[tuple[int, str]]] = {}
        for ident in fresh:
            for source, i in before.get(ident, []):
                offers.setdefault(source, []).append((i, ident))
        found: dict[str, list[tuple[Treatment, Condition]]] = {}
        for source, steps in offers.items():
            own = reach[source]
            new: list[tuple[Treatment, Condition]] = []
            for i, ident in sorted(steps):
                for t, holder in fresh[ident]:
                    if t.id not in own:
                        own[t.id] = (t, holder, i)
                        new.append((t, holder))
            if new:
                found[source] = new
        fresh = found
    return reach


def _answer_from_reach(
    catalogue: Catalogue,
    condition: Condition,
    reach: Reach,
    steps: _Successors,
    ranks: dict[str, int],
) -> list[LinkedTreatment]:
    vias: dict[tuple[str, int], Broader] = {}  # one per condition reached, as a walk makes it
    out: list[LinkedTreatment] = []
    for t, holder, i in reach.values():
        if i is None:
            out.append(LinkedTreatment(t))
        elif inherits(catalogue, t, condition):  # the graded sources' scope
            via = vias.get((holder.id, i))
            if via is None:
                _, relation, link = steps[i]
                via = vias[(holder.id, i)] = Broader(holder, relation, link)
            out.append(LinkedTreatment(t, via))
    return graded_first(catalogue, _carried(catalogue, condition, out), ranks)


def all_conditions(catalogue: Catalogue) -> list[ConditionAnswer]:
    """Every condition's answer, as `condition_answer` gives it, in linear time (`reach_all`);
    each answer's `broader` is walked only if read."""
    index = links_by_condition(catalogue)
    below = narrower_index(catalogue)
    edges: Edges = {}
    successors = {c.id: _successors(catalogue, c, edges) for c in catalogue.conditions.values()}
    reach = reach_all(catalogue, index, successors)
    ranks: dict[str, int] = {}

    def walk(condition: Condition) -> Callable[[], list[Broader]]:
        return lambda: broader(catalogue, condition, edges)

    return [
        ConditionAnswer(
            c,
            _answer_from_reach(catalogue, c, reach[c.id], successors[c.id], ranks),
            narrower(catalogue, c, below),
            walk(c),
        )
        for c in catalogue.conditions.values()
    ]


def is_for_nerve_pain(catalogue: Catalogue, conditions: Iterable[Condition], root: str) -> bool:
    """Whether any of these conditions is `root` (neuropathic pain) or reaches it."""
    return any(
        c.id == root or any(b.condition.id == root for b in broader(catalogue, c))
        for c in conditions
    )


NERVE_PAIN = "neuropathic-pain"  # the condition every option is weighed for


def for_nerve_pain(
    catalogue: Catalogue, treatment: Treatment, conditions: list[Condition] | None = None
) -> bool:
    """Whether the sources describe it for nerve pain (or for a kind or a cause of it); true
    where a catalogue has no such condition or says nothing of what it is for."""
    conditions = linked_conditions(catalogue, treatment) if conditions is None else conditions
    if NERVE_PAIN not in catalogue.conditions or not conditions:
        return True
    return is_for_nerve_pain(catalogue, conditions, NERVE_PAIN)
