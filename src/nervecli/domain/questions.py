"""Questions to take to the doctor: for each treatment, the topics its sources raise (each with
the facts behind it) and the topics they leave open. The output words them as questions."""

from __future__ import annotations

from collections.abc import Sequence

from nervecli.domain.lookup import resolve_treatment
from nervecli.facts.applicable import FactRef, facts_for, member_evidence
from nervecli.model.catalogue import Catalogue, EvidenceRecord, Treatment, lean

# Topics in the order they are asked. One question per fact for 'avoid', 'warning' and
# 'provider'; one question drawing on every fact for the others.
TOPICS = ("avoid", "risks", "warning", "length", "expect", "undo", "provider", "evidence")
_SECTIONS = {
    "avoid": ("avoid_if",),
    "risks": ("side_effects",),
    "warning": ("warning_signs",),
    "length": ("session_length",),
    "expect": ("before", "during", "after"),
    "undo": ("reversibility",),
    "provider": ("choosing_provider",),
}
EACH_FACT = frozenset({"avoid", "warning", "provider"})


@lean
class Topic:
    key: str
    refs: list[FactRef]  # empty: the sources are silent on it
    records: list[EvidenceRecord]


@lean
class TreatmentQuestions:
    treatment: Treatment
    topics: list[Topic]


def questions(catalogue: Catalogue, names: Sequence[str]) -> list[TreatmentQuestions]:
    treatments = list({t.id: t for t in (resolve_treatment(catalogue, n) for n in names)}.values())
    out = []
    for t in treatments:
        topics = []
        for key in TOPICS:
            if key == "evidence":
                topics.append(Topic(key, [], member_evidence(catalogue, t)))
                continue
            refs = [r for s in _SECTIONS[key] for r in facts_for(catalogue, t, s)]
            if key in EACH_FACT:
                topics.extend(Topic(key, [r], []) for r in refs)
            else:
                topics.append(Topic(key, refs, []))
        out.append(TreatmentQuestions(t, topics))
    return out
