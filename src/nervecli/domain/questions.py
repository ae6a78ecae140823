"""Questions to take to the doctor: for each treatment, the topics its sources raise (each with
the facts behind it) and the topics they leave open. The output words them as questions."""

from __future__ import annotations

from collections.abc import Sequence

from nervecli.domain.lookup import resolve_treatment
from nervecli.facts.applicable import FactRef, evidence_for, facts_for, member_evidence
from nervecli.model.catalogue import Catalogue, EvidenceRecord, Treatment, lean
from nervecli.model.vocabulary import Section, TopicKey

# The sections each topic draws on (the topics: `TopicKey`, in the order they are asked). One
# question per fact for 'avoid', 'warning' and 'provider'; one question drawing on every fact
# for the others; 'dose' asks of the dose range a medicine's evidence describes; 'evidence' asks
# of the graded evidence.
_SECTIONS: dict[TopicKey, tuple[Section, ...]] = {
    TopicKey.AVOID: (Section.AVOID_IF,),
    TopicKey.RISKS: (Section.SIDE_EFFECTS,),
    TopicKey.WARNING: (Section.WARNING_SIGNS,),
    TopicKey.LENGTH: (Section.SESSION_LENGTH,),
    TopicKey.EXPECT: (Section.BEFORE, Section.DURING, Section.AFTER),
    TopicKey.UNDO: (Section.REVERSIBILITY,),
    TopicKey.PROVIDER: (Section.CHOOSING_PROVIDER,),
}
EACH_FACT = frozenset({TopicKey.AVOID, TopicKey.WARNING, TopicKey.PROVIDER})


@lean
class Topic:
    key: TopicKey
    refs: list[FactRef]  # empty: the sources are silent on it
    records: list[EvidenceRecord]


@lean
class TreatmentQuestions:
    treatment: Treatment
    topics: list[Topic]
    evidence: list[EvidenceRecord]  # its own graded evidence (a type of medicine has none)


def questions(catalogue: Catalogue, names: Sequence[str]) -> list[TreatmentQuestions]:
    treatments = list({t.id: t for t in (resolve_treatment(catalogue, n) for n in names)}.values())
    out = []
    for t in treatments:
        topics = []
        doses = [FactRef(r.dose) for r in evidence_for(catalogue, t) if r.dose]
        for key in TopicKey:
            if key is TopicKey.EVIDENCE:
                topics.append(Topic(key, [], member_evidence(catalogue, t)))
                continue
            if key is TopicKey.DOSE:
                topics.append(Topic(key, doses, []))
                continue
            refs = [r for s in _SECTIONS[key] for r in facts_for(catalogue, t, s)]
            if key is TopicKey.LENGTH and not refs and doses:
                continue  # a medicine: its dose says how often, asked next
            if key in EACH_FACT:
                topics.extend(Topic(key, [r], []) for r in refs)
            else:
                topics.append(Topic(key, refs, []))
        out.append(TreatmentQuestions(t, topics, evidence_for(catalogue, t)))
    return out
