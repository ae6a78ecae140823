"""`decide`: the filled guide, as data, built apart from the printed guide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nervecli.model.guide import NONE_OPTION, Guide
from nervecli.output import words as w
from nervecli.present.common import Citer
from nervecli.present.guide import (
    DEFAULT_DECISION,
    MODEL,
    NEEDS,
    option_name,
    question_items,
    reason_item,
    weight_words,
)
from nervecli.records.common import (
    condition_brief,
    fact_record,
    numbered_sources,
    treatment_brief,
)

if TYPE_CHECKING:
    from nervecli.domain.guide import Change, OptionReasons
    from nervecli.domain.questions import TreatmentQuestions
    from nervecli.model.catalogue import Catalogue


def guide_record(
    catalogue: Catalogue,
    guide: Guide,
    options: list[OptionReasons],
    changed: list[Change],
    groups: list[TreatmentQuestions],
) -> dict[str, Any]:
    """The filled guide as data. A reason's text is its data, worded as the guide words it;
    the sources are those the printed guide cites (its notes, reasons, questions and
    changes), each once."""
    citer = Citer(catalogue)
    for r in options:
        if r.option is not None and not r.option.for_nerve_pain and r.treatment is not None:
            citer.notes(f.fact for f in r.option.used_for)
    offered = question_items(citer, groups, options)
    for c in changed:
        if c.now is not None:
            reason_item(citer, c.now, next(r for r in options if r.id == c.option.treatment))
    out_options = []
    for o, r in zip(guide.options, options, strict=True):
        weights = {x.key: x.weight for x in o.ratings}
        reasons = []
        for reason in r.reasons:
            item = reason_item(citer, reason, r)
            weight = weights.get(reason.key)
            reasons.append(
                {
                    "key": reason.key,
                    "side": reason.side,
                    "question": reason.question,
                    "text": item.text,
                    "weight": weight,
                    "weight_words": weight_words(weight),
                    "facts": [fact_record(catalogue, ref) for ref in reason.refs],
                    "evidence": reason.record.id if reason.record else None,
                    "promotional": item.promotional,
                }
            )
        out_options.append(
            {
                "id": o.treatment,
                "name": option_name(o, r),
                "treatment": treatment_brief(catalogue, r.treatment) if r.treatment else None,
                "in_catalogue": o.treatment == NONE_OPTION or r.treatment is not None,
                "reasons": reasons,
                "own_reasons": [
                    {"side": x.side, "text": x.text, "weight": x.weight} for x in o.own
                ],
            }
        )
    return {
        "command": "decide",
        "decision": guide.decision or DEFAULT_DECISION,
        "conditions": [
            condition_brief(catalogue.conditions[c])
            if c in catalogue.conditions
            else {"id": c, "name": None}
            for c in guide.conditions
        ],
        "by_when": guide.by_when or None,
        "stage": guide.stage,
        "role": guide.role,
        "role_with": guide.role_with or None,
        "options": out_options,
        "leaning": guide.leaning or None,
        "needs": {
            key: {"question": NEEDS[key][0], "answer": getattr(guide.needs, key)} for key in NEEDS
        },
        "next_steps": guide.next_steps or None,
        "to_ask": list(guide.to_ask) or [i.text for i in offered],
        "changed": [
            {
                "option": c.option.treatment,
                "key": c.rating.key,
                "rated_text": c.rating.text,
                "status": "gone" if c.now is None else "changed",
            }
            for c in changed
        ],
        "created": guide.created or None,
        "updated": guide.updated or None,
        "rated_on_catalogue": guide.catalogue_version or None,
        "sources": numbered_sources(catalogue, citer.used),
        "catalogue": {
            "version": catalogue.meta.version,
            "last_reviewed": catalogue.meta.last_reviewed.isoformat(),
        },
        "model": MODEL,
        "disclaimer": w.DISCLAIMER,
    }
