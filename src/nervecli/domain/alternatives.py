"""What else there is: the alternatives the sources name for a treatment, then the other
treatments linked to the same conditions."""

from __future__ import annotations

from dataclasses import field

from nervecli.domain.conditions import (
    Broader,
    line_rank,
    links_by_condition,
    treatments_for,
)
from nervecli.domain.lookup import resolve_treatment
from nervecli.facts.applicable import (
    FactRef,
    evidence_for,
    facts_for,
    linked_conditions,
    members,
    routes,
)
from nervecli.model.catalogue import (
    Catalogue,
    Condition,
    EvidenceRecord,
    Fact,
    LinkedFact,
    Treatment,
    lean,
)


@lean
class Alternative:
    treatment: Treatment
    named_by: LinkedFact | None  # the fact that names it as an alternative
    shared: list[Condition] = field(default_factory=list)  # else: conditions both are for
    # or: (its condition, the broader one the other is for), reached through the graph
    through: list[tuple[Condition, Broader]] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)  # how it is given, short labels
    evidence: list[EvidenceRecord] = field(default_factory=list)
    members: list[Treatment] = field(default_factory=list)  # a type of medicine's graded ones
    # Its "used for" facts that link it to those conditions (its own, or its family's), so
    # that the reason is given in the catalogue's words, hedges and scope kept
    uses: list[FactRef] = field(default_factory=list)


def named_outside(catalogue: Catalogue, treatment: Treatment) -> list[Fact]:
    """Alternatives the sources name that are no treatment in the catalogue (surgery, for a
    permanent nerve block): shown as the sources word them, so none is lost."""
    out: list[Fact] = []
    for ref in facts_for(catalogue, treatment, "alternatives"):
        links = ref.fact.links if isinstance(ref.fact, LinkedFact) else []
        if not any(i in catalogue.treatments and i != treatment.id for i in links):
            out.append(ref.fact)
    return out


def alternatives(catalogue: Catalogue, name: str) -> tuple[Treatment, list[Alternative]]:
    treatment = resolve_treatment(catalogue, name)
    found: dict[str, Alternative] = {}
    for ref in facts_for(catalogue, treatment, "alternatives"):
        fact = ref.fact
        if not isinstance(fact, LinkedFact):
            continue
        for link in fact.links:
            other = catalogue.treatments.get(link)
            if other is not None and other.id != treatment.id and other.id not in found:
                found[other.id] = Alternative(other, fact)
    # The other treatments for its conditions, through the condition graph too (a treatment
    # for neuropathic pain of every kind is one for chronic nerve pain, which is a kind of it).
    index = links_by_condition(catalogue)
    for condition in linked_conditions(catalogue, treatment):
        for lt in treatments_for(catalogue, condition, index):
            other = lt.treatment
            if other.id == treatment.id:
                continue
            if other.id not in found:
                found[other.id] = Alternative(other, None)
            entry = found[other.id]
            if entry.named_by is not None:
                continue
            if lt.via is None and condition.id not in {c.id for c in entry.shared}:
                entry.shared.append(condition)
            elif lt.via is not None and not entry.shared and not entry.through:
                entry.through.append((condition, lt.via))
    for entry in found.values():
        if entry.shared:
            entry.through = []  # linked directly: that is the reason given
        reached = {c.id for c in entry.shared} | {b.condition.id for _, b in entry.through}
        entry.uses = [
            ref
            for ref in facts_for(catalogue, entry.treatment, "used_for")
            if isinstance(ref.fact, LinkedFact) and reached.intersection(ref.fact.links)
        ]
        entry.routes = routes(catalogue, entry.treatment)
        entry.evidence = evidence_for(catalogue, entry.treatment)
        entry.members = members(catalogue, entry.treatment)
    # Graded first, by line of treatment (a type of medicine after its graded members);
    # among equals, those the sources name first.
    ranked = sorted(
        found.values(),
        key=lambda a: (
            line_rank(catalogue, a.treatment),
            a.treatment.group is not None,
            a.named_by is None,
        ),
    )
    return treatment, ranked
