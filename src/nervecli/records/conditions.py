"""`conditions`: every condition, or one with its treatments, as data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nervecli.model.catalogue import Citation, Fact
from nervecli.present.conditions import condition_silent
from nervecli.records.common import condition_entry, envelope

if TYPE_CHECKING:
    from nervecli.domain.conditions import ConditionAnswer
    from nervecli.model.catalogue import Catalogue


def conditions_record(catalogue: Catalogue, answers: list[ConditionAnswer]) -> dict[str, Any]:
    record = {
        "command": "conditions",
        "conditions": [condition_entry(catalogue, a) for a in answers],
    }
    return envelope(catalogue, record, [f for a in answers for f in a.condition.about[:1]])


def condition_record(catalogue: Catalogue, a: ConditionAnswer) -> dict[str, Any]:
    c = a.condition
    cited: list[Fact | Citation] = [*c.about, *c.symptoms, *c.why_chronic, *c.course, *c.effects]
    cited += [b.link for b in a.broader]
    cited += [f for lt in a.treatments if lt.via is None for f in lt.links]
    cited += [r.recommendation for lt in a.treatments for r in lt.evidence]  # the lines given
    record = {"command": "conditions", "condition": condition_entry(catalogue, a)}
    return envelope(catalogue, record, cited, condition_silent(c))
