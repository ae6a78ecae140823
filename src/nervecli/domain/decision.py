"""The questions a patient asks of each option, answered from the catalogue (as Option Grid
and the Ottawa decision aids do): how likely it is to help, what it involves, how soon it works
and how long relief lasts, its risks, who should not have it, whether it can be undone, and
which sources say so. One option is `show`; two to four are `compare`.

Answers are facts, never words: the output layer words them. What every option shares is
answered once (`shared`); a question no option's sources answer is `silent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field

from nervecli.domain.conditions import NERVE_PAIN, for_nerve_pain
from nervecli.domain.lookup import resolve_treatment
from nervecli.facts.applicable import (
    FactRef,
    cautions_family,
    evidence_for,
    facts_for,
    family_of,
    linked_conditions,
    members,
    routes,
)
from nervecli.model.catalogue import (
    Catalogue,
    Condition,
    EvidenceRecord,
    Fact,
    Family,
    Origin,
    RouteFact,
    SideEffect,
    Source,
    Treatment,
    lean,
)
from nervecli.model.errors import RequestError
from nervecli.model.vocabulary import Question, Section

MAX_OPTIONS = 4

# The sections that answer each question (the questions: `Question`, in the order a decision
# aid asks them). "help" is answered by graded evidence first; "trust" by the kinds of sources
# behind it all.
ANSWERED_BY: dict[Question, tuple[Section, ...]] = {
    Question.HELP: (Section.BENEFITS,),
    Question.INVOLVES: (Section.HOW_GIVEN, Section.SESSION_LENGTH),
    Question.TIMING: (Section.RELIEF,),
    Question.RISKS: (Section.SIDE_EFFECTS,),
    Question.AVOID: (Section.AVOID_IF,),
    Question.UNDO: (Section.REVERSIBILITY,),
}
# Every section, in the order a full view shows them: evidence and safety before background.
DETAIL_ORDER: tuple[Section, ...] = (
    Section.BENEFITS,
    Section.RELIEF,
    Section.AVOID_IF,
    Section.SIDE_EFFECTS,
    Section.HANDLING,
    Section.WARNING_SIGNS,
    Section.HIGHER_RISK,
    Section.RISK_REDUCTION,
    Section.HOW_GIVEN,
    Section.SESSION_LENGTH,
    Section.BEFORE,
    Section.DURING,
    Section.AFTER,
    Section.REVERSIBILITY,
    Section.ELIGIBILITY,
    Section.CHOOSING_PROVIDER,
    Section.USED_FOR,
    Section.WHAT_IT_IS,
    Section.ALTERNATIVES,
)
_SERIOUS = ("serious", "life-threatening", "severe")


def is_serious(fact: Fact) -> bool:
    """A side effect its source calls serious, severe or life-threatening."""
    if not isinstance(fact, SideEffect):
        return False
    said = f"{fact.severity or ''} {fact.text}".lower()
    return any(word in said for word in _SERIOUS)


@lean
class Option:
    """One treatment, with each question's answering facts."""

    treatment: Treatment
    family: Family | None
    cautions_family: Family | None
    evidence: list[EvidenceRecord]
    answers: dict[Question, list[FactRef]]
    described_for: list[Condition]
    for_nerve_pain: bool
    origin: Origin
    members: list[Treatment] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)  # how it is given, short labels
    used_for: list[FactRef] = field(default_factory=list)  # what the sources describe it for
    sources: list[Source] = field(default_factory=list)  # behind its answers, catalogue order
    family_size: int = 0  # how many treatments its family has

    def cited(self) -> list[Fact]:
        """Every fact this option's answers rest on (the summary included)."""
        return [self.treatment.summary, *(r.fact for refs in self.answers.values() for r in refs)]


@lean
class Decision:
    options: list[Option]
    shared: dict[Question, list[FactRef]]  # answered the same, word for word, for every option
    silent: list[Question]  # questions no option's sources answer
    caveats: list[Fact]  # the evidence notes, when any option is graded
    serious: list[Fact] = field(default_factory=list)  # risks the sources call serious
    # What the sources say of how nerve pain goes over time (none says what happens untreated)
    course: list[Fact] = field(default_factory=list)

    @property
    def treatments(self) -> list[Treatment]:
        return [o.treatment for o in self.options]


def _answers(catalogue: Catalogue, treatment: Treatment) -> dict[Question, list[FactRef]]:
    answers: dict[Question, list[FactRef]] = {}
    for question, keys in ANSWERED_BY.items():
        refs = [r for key in keys for r in facts_for(catalogue, treatment, key)]
        if question is Question.RISKS:  # stated-serious first, each group in the sources' order
            refs.sort(key=lambda r: not is_serious(r.fact))
        if question is Question.INVOLVES:  # a medicine: the doses the evidence describes
            refs += [FactRef(r.dose) for r in evidence_for(catalogue, treatment) if r.dose]
        answers[question] = refs
    return answers


def option(catalogue: Catalogue, treatment: Treatment) -> Option:
    conditions = linked_conditions(catalogue, treatment)
    family = family_of(catalogue, treatment)
    found = Option(
        treatment=treatment,
        family=family,
        cautions_family=cautions_family(catalogue, treatment),
        evidence=evidence_for(catalogue, treatment),
        answers=_answers(catalogue, treatment),
        described_for=conditions,
        for_nerve_pain=for_nerve_pain(catalogue, treatment, conditions),
        origin=catalogue.origin("treatments", treatment.id),
        members=members(catalogue, treatment),
        routes=routes(catalogue, treatment),
        used_for=facts_for(catalogue, treatment, Section.USED_FOR),
        family_size=len(catalogue.family_kinds(family.id)) if family is not None else 0,
    )
    found.sources = sources_of(catalogue, found.cited(), found.evidence)
    return found


def _contradicted(ref: FactRef, refs: list[FactRef]) -> bool:
    """A family's route that the treatment's own route facts contradict (the infusion
    article's 'through an IV into the bloodstream', for a nerve block delivered to the nerves):
    not true of this option, so neither shown for it nor merged."""
    if ref.family is None or not isinstance(ref.fact, RouteFact):
        return False
    own = {r.fact.route for r in refs if r.family is None and isinstance(r.fact, RouteFact)}
    return bool(own) and ref.fact.route not in own


def find_each(catalogue: Catalogue, names: Sequence[str], already: str) -> list[Treatment]:
    """The treatments named, in order, each once: a second name for the same one is refused,
    saying it is `already` there ('being compared', 'an option')."""
    treatments: list[Treatment] = []
    for name in names:
        t = resolve_treatment(catalogue, name)
        if t in treatments:
            raise RequestError(f"{name!r} names {t.name}, which is already {already}")
        treatments.append(t)
    return treatments


def decide(catalogue: Catalogue, names: Sequence[str]) -> Decision:
    """One to four treatments, found by name, answered question by question."""
    treatments = find_each(catalogue, names, "being compared")
    if not 1 <= len(treatments) <= MAX_OPTIONS:
        raise RequestError(f"give 1 to {MAX_OPTIONS} treatments, not {len(treatments)}")
    options = [option(catalogue, t) for t in treatments]
    serious = [r.fact for o in options for r in o.answers[Question.RISKS] if is_serious(r.fact)]
    for o in options:
        o.answers[Question.INVOLVES] = [
            r
            for r in o.answers[Question.INVOLVES]
            if not _contradicted(r, o.answers[Question.INVOLVES])
        ]
    shared: dict[Question, list[FactRef]] = {}
    if len(options) > 1:
        for question in ANSWERED_BY:
            first, *rest = (o.answers[question] for o in options)
            same = [r for r in first if all(r in other for other in rest)]
            if same:
                shared[question] = same
                for o in options:
                    o.answers[question] = [r for r in o.answers[question] if r not in same]
    silent: list[Question] = [
        q
        for q in ANSWERED_BY
        if q is not Question.HELP and q not in shared and not any(o.answers[q] for o in options)
    ]
    for o in options:  # what each option's own answers rest on, once the shared are apart
        o.sources = sources_of(catalogue, o.cited(), o.evidence)
    graded = any(o.evidence for o in options)
    condition = catalogue.conditions.get(NERVE_PAIN)
    return Decision(
        options,
        shared,
        silent,
        list(catalogue.evidence_notes) if graded else [],
        serious,
        list(condition.course) if condition is not None else [],
    )


def sources_of(
    catalogue: Catalogue, facts: Sequence[Fact], records: Sequence[EvidenceRecord]
) -> list[Source]:
    """The sources that facts and evidence records cite, in catalogue order."""
    ids = {f.source for f in facts}
    for r in records:
        ids.update(
            c.source for c in (r.recommendation, r.effect, r.note, r.side_effects_cited) if c
        )
    return [s for s in catalogue.sources.values() if s.id in ids]


@lean
class Detail:
    """Everything the sources say of one treatment, section by section, in decision order;
    `silent` lists the sections they say nothing about."""

    option: Option
    sections: list[tuple[Section, list[FactRef]]]
    silent: list[Section]


def detail(catalogue: Catalogue, treatment: Treatment) -> Detail:
    sections = [(key, facts_for(catalogue, treatment, key)) for key in DETAIL_ORDER]
    sections = [(k, [r for r in refs if not _contradicted(r, refs)]) for k, refs in sections]
    return Detail(
        option(catalogue, treatment),
        [(k, refs) for k, refs in sections if refs],
        [k for k, refs in sections if not refs],
    )
