"""Which facts hold for a treatment: its own, its family's, and what its evidence records say.

A family's facts apply in full only to the treatments a source names as its kinds (their
`family`), except those a source says of some members only (`members`), and those it says of
the family as a whole (`general`): a member is shown one of those only where it has no fact of
its own under the same section, and then labelled as said in general.
A treatment that only shares a family's way of being given (`cautions_from`) gets
that family's cautions alone, marked `general`: said of the family in general, not of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nervecli.model.catalogue import (
    Catalogue,
    Condition,
    Estimate,
    EvidenceRecord,
    Fact,
    Family,
    LinkedFact,
    RouteFact,
    SideEffect,
    Treatment,
)

# The sections of a family that are cautions, shown for a treatment that has `cautions_from`.
CAUTIONS = frozenset({"avoid_if", "side_effects", "warning_signs"})


def members(catalogue: Catalogue, treatment: Treatment) -> list[Treatment]:
    """The entries a type of medicine's group fact links to."""
    if treatment.group is None:
        return []
    return [catalogue.treatments[i] for i in treatment.group.links if i in catalogue.treatments]


@dataclass(slots=True, repr=False)  # compared (same fact, same family); not hashed
class FactRef:
    """A fact as it applies to a treatment: its own (`family` None), stated by its family for
    every member, or (`general`) said of a family it is not named in, in general."""

    fact: Fact
    family: Family | None = None
    general: bool = False


def family_of(catalogue: Catalogue, treatment: Treatment) -> Family | None:
    return catalogue.families.get(treatment.family) if treatment.family else None


def cautions_family(catalogue: Catalogue, treatment: Treatment) -> Family | None:
    ident = treatment.cautions_from
    return catalogue.families.get(ident) if ident else None


def evidence_for(catalogue: Catalogue, treatment: Treatment) -> list[EvidenceRecord]:
    return [catalogue.evidence[e] for e in treatment.evidence]


# The evidence's side-effect list is headed "Common side effects named by NeuPSIG 2015".
EVIDENCE_FREQUENCY = "common"
EVIDENCE_FREQUENCY_QUOTE = "Common side effects named by NeuPSIG 2015"


def evidence_side_effects(catalogue: Catalogue, treatment: Treatment) -> list[SideEffect]:
    """The common side effects an evidence record names, as side-effect facts of the treatment."""
    effects: dict[str, SideEffect] = {}
    for record in evidence_for(catalogue, treatment):
        cited = record.side_effects_cited
        if cited is None:
            continue
        for name in record.side_effects:
            effects.setdefault(
                name,
                SideEffect(
                    name=name,
                    text=name[:1].upper() + name[1:] + ".",
                    frequency=EVIDENCE_FREQUENCY,
                    frequency_quote=EVIDENCE_FREQUENCY_QUOTE,
                    source=cited.source,
                    quote=cited.quote,
                ),
            )
    return list(effects.values())


def facts_for(catalogue: Catalogue, treatment: Treatment, key: str) -> list[FactRef]:
    """A treatment's own facts under a section, then those its family states for all members,
    then (cautions only) those said of a family in general."""
    refs = [FactRef(f) for f in treatment.section(key)]
    if key == "side_effects":
        refs.extend(FactRef(f) for f in evidence_side_effects(catalogue, treatment))
    family = family_of(catalogue, treatment)
    if family is not None:
        own = bool(refs)
        for f in family.section(key):
            if f.members and treatment.id not in f.members:
                continue  # said of other members only
            if f.general:  # said of the family as a whole: never beside a member's own
                if not own:
                    refs.append(FactRef(f, family, general=True))
                continue
            refs.append(FactRef(f, family))
    general = cautions_family(catalogue, treatment)
    if general is not None and key in CAUTIONS | {"handling"}:
        refs.extend(FactRef(f, general, general=True) for f in general.section(key))
    return refs


def best_nnt(catalogue: Catalogue, treatment: Treatment) -> float | None:
    """The lowest NNT among a treatment's evidence records (lower is better), if any."""
    values = [Estimate.parse(r.nnt).value for r in evidence_for(catalogue, treatment) if r.nnt]
    return min(values) if values else None


def route_facts(catalogue: Catalogue, treatment: Treatment) -> list[RouteFact]:
    """The facts its short labels of how it is given come from: its own; a family's only when
    its own give none."""
    refs = facts_for(catalogue, treatment, "how_given")
    given = [(r, r.fact) for r in refs if isinstance(r.fact, RouteFact)]
    return [f for r, f in given if r.family is None] or [f for r, f in given if not r.general]


def route_labels(given: Sequence[RouteFact]) -> list[str]:
    """Those facts' short labels, each once."""
    return list(dict.fromkeys(f.route for f in given))


def routes(catalogue: Catalogue, treatment: Treatment) -> list[str]:
    """Short labels for how it is given, own first; empty when the sources do not say."""
    return route_labels(route_facts(catalogue, treatment))


def linked_conditions(catalogue: Catalogue, treatment: Treatment) -> list[Condition]:
    """The conditions a treatment's 'used for' facts (its own and its family's) link to."""
    ids: list[str] = []
    for ref in facts_for(catalogue, treatment, "used_for"):
        if isinstance(ref.fact, LinkedFact):
            ids.extend(i for i in ref.fact.links if i in catalogue.conditions and i not in ids)
    return [catalogue.conditions[i] for i in ids]


def member_evidence(catalogue: Catalogue, treatment: Treatment) -> list[EvidenceRecord]:
    """A treatment's own evidence records, or, for a type of medicine, its members' (each
    record names its medicine; the type itself carries none)."""
    own = evidence_for(catalogue, treatment)
    if own or treatment.group is None:
        return own
    members = [catalogue.treatments[m] for m in treatment.group.links if m in catalogue.treatments]
    return list({r.id: r for m in members for r in evidence_for(catalogue, m)}.values())


def graded(catalogue: Catalogue, treatment: Treatment) -> bool:
    """Whether a graded source grades it, or (a type of medicine) any of its members."""
    if treatment.evidence:
        return True
    members = treatment.group.links if treatment.group is not None else []
    return any(catalogue.treatments[m].evidence for m in members if m in catalogue.treatments)


def inherits(catalogue: Catalogue, treatment: Treatment, condition: Condition) -> bool:
    """Whether a treatment linked to a broader condition holds for this one too: not a graded
    medicine for a condition the graded sources say their recommendations do not cover."""
    return condition.outside_evidence is None or not graded(catalogue, treatment)
