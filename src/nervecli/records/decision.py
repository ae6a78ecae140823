"""`show` and `compare` (and `--full`): the options, question by question, as data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nervecli.model.catalogue import Citation, Fact, SideEffect
from nervecli.model.vocabulary import Question
from nervecli.output import words as w
from nervecli.records.common import envelope, fact_record, option_record

if TYPE_CHECKING:
    from nervecli.domain.decision import Decision, Detail
    from nervecli.model.catalogue import Catalogue


def cited(decision: Decision) -> list[Fact | Citation]:
    """Everything the summary of a decision cites: for each option what it is described for,
    its summary and answers, its graded evidence as worded, and what all options share."""
    out: list[Fact | Citation] = [*decision.caveats, *decision.course]
    for question, refs in decision.shared.items():
        if question is Question.RISKS:  # worded side effect by side effect
            out += [r.fact for r in refs if isinstance(r.fact, SideEffect)]
        else:  # what all share in general is said of no one option
            out += [r.fact for r in refs if not r.general]
    for o in decision.options:
        out += [r.fact for r in o.used_for]
        out += o.cited()
        if o.members and o.treatment.group is not None:
            out.append(o.treatment.group)
        for r in o.evidence:
            out += [c for c in (r.recommendation, r.effect, r.note, r.side_effects_cited) if c]
            if r.line == "against":
                out += [r.against_reason] if r.against_reason is not None else []
                continue
            if r.comparator is not None:
                out.append(r.comparator)
            if r.quality is not None and r.quality_cited is not None:
                out.append(r.quality_cited)
            if r.trials is not None and r.trials_cited is not None:
                out.append(r.trials_cited)
    return out


def _course(catalogue: Catalogue, decision: Decision) -> dict[str, Any]:
    """What happens without treatment: no source says; what they say of nerve pain's course."""
    return {
        "without_treatment_said": False,
        "of_nerve_pain_in_general": [fact_record(catalogue, f) for f in decision.course],
    }


def _silent(decision: Decision) -> list[str]:
    return w.silent_about(decision.silent, len(decision.options))


def show_record(catalogue: Catalogue, decision: Decision) -> dict[str, Any]:
    (o,) = decision.options
    record = {
        "command": "show",
        "treatment": option_record(catalogue, o),
        "course": _course(catalogue, decision),
    }
    return envelope(catalogue, record, cited(decision), _silent(decision))


def compare_record(catalogue: Catalogue, decision: Decision) -> dict[str, Any]:
    record = {
        "command": "compare",
        "treatments": [option_record(catalogue, o) for o in decision.options],
        "shared": {
            q: [fact_record(catalogue, r) for r in refs] for q, refs in decision.shared.items()
        },
        "course": _course(catalogue, decision),
    }
    return envelope(catalogue, record, cited(decision), _silent(decision))


def full_record(catalogue: Catalogue, decision: Decision, details: list[Detail]) -> dict[str, Any]:
    """`--full`: the summary's record, then every fact of each, section by section."""
    summary = (
        show_record(catalogue, decision)
        if len(decision.options) == 1
        else compare_record(catalogue, decision)
    )
    summary["in_full"] = [
        {
            **option_record(catalogue, d.option),
            "sections": {k: [fact_record(catalogue, r) for r in refs] for k, refs in d.sections},
        }
        for d in details
    ]
    return summary
