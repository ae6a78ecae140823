"""The domain of `nervecli decide`: for each option a person weighs, the reasons to choose it
and the reasons to avoid it as the sources state them, built from the same answers `compare`
gives (`decision.option`): graded evidence with its benefit and harm figures, what the sources
say of benefit and relief, the risks (those called serious, then each frequency the sources
give), who should not have it. Each reason has a stable key, so that a rating stays with its
reason, and a fingerprint of its content, so that a file reopened on another catalogue can say
which rated reasons changed or went. Answers are facts, never words: the output words them.

Nothing here compares options with each other or adds weights up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from nervecli.domain.conditions import NERVE_PAIN
from nervecli.domain.decision import Option, find_each, is_serious, option
from nervecli.domain.questions import TreatmentQuestions, questions
from nervecli.facts.applicable import FactRef
from nervecli.model.catalogue import Catalogue, EvidenceRecord, SideEffect, Treatment, lean
from nervecli.model.guide import NONE_OPTION, Guide, GuideOption, Rating
from nervecli.model.vocabulary import Question

# The questions of a decision view whose answers are a reason for, or against, an option.
FOR_QUESTIONS = (Question.HELP, Question.TIMING)
AGAINST_QUESTIONS = (Question.RISKS, Question.AVOID)
# What the sources may say nothing about, asked about instead (the decision view's questions).
ASKABLE = (Question.INVOLVES, Question.TIMING, Question.RISKS, Question.AVOID, Question.UNDO)


@lean
class Reason:
    """One reason the sources give: for (`side` 'for') or against an option. `refs` are the
    facts it rests on; `record` and `figure` ('grade', 'nnt' or 'nnh') an evidence record's
    part; `group` a risk group ('serious', or the sources' frequency word, '' when unsaid)."""

    key: str
    side: str
    question: str
    refs: list[FactRef]
    record: EvidenceRecord | None = None
    figure: str = ""
    group: str = ""
    fingerprint: str = ""


@lean
class OptionReasons:
    """An option's reasons, for and against, in the sources' order; a treatment of None is
    "none of these for now", of which the sources say nothing."""

    treatment: Treatment | None
    option: Option | None
    reasons: list[Reason]
    silent: list[Question]  # decision questions its sources say nothing about

    @property
    def id(self) -> str:
        return self.treatment.id if self.treatment else NONE_OPTION


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _fact_parts(ref: FactRef) -> list[str]:
    f = ref.fact
    parts = [f.text, f.source, f.quote, ref.family.id if ref.family else "", str(ref.general)]
    if isinstance(f, SideEffect):
        parts += [f.name, f.frequency or "", f.severity or "", f.course or ""]
    return parts


def _evidence_reasons(record: EvidenceRecord) -> list[Reason]:
    cited = [c for c in (record.recommendation, record.effect) if c is not None]
    base = [record.id, record.line, record.strength, record.applies_to or ""]
    base += [p for c in cited for p in (c.source, c.quote)]
    side = "against" if record.line == "against" else "for"
    out = [Reason(f"evidence:{record.id}:grade", side, "help", [], record, "grade")]
    out[0].fingerprint = _digest(base)
    if record.line != "against":
        for figure, printed, side in (("nnt", record.nnt, "for"), ("nnh", record.nnh, "against")):
            if printed:
                r = Reason(f"evidence:{record.id}:{figure}", side, "help", [], record, figure)
                r.fingerprint = _digest([*base, figure, printed])
                out.append(r)
    return out


def _risk_reasons(refs: list[FactRef]) -> list[Reason]:
    """Risks as `compare` groups them: those the sources call serious, then one group per
    frequency word the sources use (own facts apart from those said in general)."""
    groups: dict[tuple[bool, str], list[FactRef]] = {}
    for r in refs:
        if not isinstance(r.fact, SideEffect):
            continue
        word = "serious" if is_serious(r.fact) else (r.fact.frequency or "")
        groups.setdefault((r.general, word), []).append(r)
    out = []
    for (general, word), group in groups.items():
        key = f"risks:{'general:' if general else ''}{word or 'unsaid'}"
        reason = Reason(key, "against", "risks", group, group=word)
        reason.fingerprint = _digest([p for r in group for p in _fact_parts(r)])
        out.append(reason)
    return out


def _fact_reason(question: str, side: str, ref: FactRef) -> Reason:
    f = ref.fact
    key = f"{question}:{f.source}:{_digest([f.quote, ref.family.id if ref.family else ''])}"
    return Reason(key, side, question, [ref], fingerprint=_digest(_fact_parts(ref)))


def reasons_for(catalogue: Catalogue, treatment: Treatment) -> OptionReasons:
    """The reasons for and against one treatment, from its decision answers."""
    o = option(catalogue, treatment)
    reasons: list[Reason] = []
    for record in o.evidence:
        reasons += _evidence_reasons(record)
    for question in FOR_QUESTIONS:
        reasons += [_fact_reason(question, "for", r) for r in o.answers.get(question, [])]
    reasons += _risk_reasons(o.answers.get(Question.RISKS, []))
    reasons += [
        _fact_reason(Question.AVOID, "against", r) for r in o.answers.get(Question.AVOID, [])
    ]
    silent = [q for q in ASKABLE if not o.answers.get(q)]
    return OptionReasons(treatment, o, reasons, silent)


def nothing_option() -> OptionReasons:
    """'None of these for now': the sources give no reasons; the person may give their own."""
    return OptionReasons(None, None, [], [])


def choose(catalogue: Catalogue, names: Sequence[str]) -> list[Treatment]:
    """One to four treatments by name, each once (errors as `compare` gives them)."""
    return find_each(catalogue, names, "an option")


def guide_reasons(catalogue: Catalogue, guide: Guide) -> list[OptionReasons]:
    """The reasons for every option a guide names, in the person's order; a treatment that has
    gone from the catalogue has no reasons (its ratings are reported as gone)."""
    out = []
    for o in guide.options:
        if o.treatment == NONE_OPTION:
            out.append(nothing_option())
        elif o.treatment in catalogue.treatments:
            out.append(reasons_for(catalogue, catalogue.treatments[o.treatment]))
        else:
            out.append(OptionReasons(None, None, [], []))
    return out


@lean
class Change:
    """A rated reason whose facts changed (`now` the reason as it stands) or went (`now`
    None) since the person rated it."""

    option: GuideOption
    rating: Rating
    now: Reason | None


def changes(guide: Guide, current: list[OptionReasons]) -> list[Change]:
    """Which of the reasons the person rated have changed or gone in this catalogue."""
    out = []
    for o, reasons in zip(guide.options, current, strict=True):
        if o.treatment == NONE_OPTION:
            continue
        by_key = {r.key: r for r in reasons.reasons}
        for rating in o.ratings:
            now = by_key.get(rating.key)
            if now is None:
                out.append(Change(o, rating, None))
            elif now.fingerprint != rating.fingerprint:
                out.append(Change(o, rating, now))
    return out


def to_ask(catalogue: Catalogue, treatments: Sequence[Treatment]) -> list[TreatmentQuestions]:
    """The questions the sources raise for each option (as `nervecli questions` asks them)."""
    return questions(catalogue, [t.id for t in treatments])


def for_nerve_pain(catalogue: Catalogue) -> bool:
    return NERVE_PAIN in catalogue.conditions
