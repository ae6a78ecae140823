"""What else there is: the alternatives the sources name for a treatment, then the other
treatments linked to the same conditions."""

from __future__ import annotations

from dataclasses import field

from nervecli.domain.lookup import resolve_treatment
from nervecli.facts.applicable import facts_for, linked_conditions
from nervecli.model.catalogue import Catalogue, Condition, LinkedFact, Treatment, lean


@lean
class Alternative:
    treatment: Treatment
    named_by: LinkedFact | None  # the fact that names it as an alternative
    shared: list[Condition] = field(default_factory=list)  # else: conditions both are for


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
    mine = {c.id: c for c in linked_conditions(catalogue, treatment)}
    for other in catalogue.treatments.values():
        if other.id == treatment.id or other.id in found:
            continue
        shared = [c for c in linked_conditions(catalogue, other) if c.id in mine]
        if shared:
            found[other.id] = Alternative(other, None, shared)
    return treatment, list(found.values())
