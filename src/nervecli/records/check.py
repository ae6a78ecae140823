"""`check`: the personal screen, as data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nervecli.model.catalogue import Citation, Fact
from nervecli.records.common import (
    condition_brief,
    envelope,
    evidence_record,
    fact_record,
    treatment_brief,
)

if TYPE_CHECKING:
    from nervecli.domain.screening import Screen
    from nervecli.model.catalogue import Catalogue


def cited(result: Screen) -> list[Fact | Citation]:
    out: list[Fact | Citation] = []
    for f in result.findings:
        if f.level == "nothing":
            continue
        for r in f.reasons:
            if r.ref is not None:
                out.append(r.ref.fact)
            elif r.record is not None:
                out.append(r.record.recommendation)
    return out


def check_record(catalogue: Catalogue, result: Screen) -> dict[str, Any]:
    record = {
        "command": "check",
        "profile": {
            "terms": [{"id": t.id, "name": t.name} for t in result.terms],
            "conditions": [condition_brief(c) for c in result.conditions],
        },
        "findings": [
            {
                **treatment_brief(catalogue, f.treatment),
                "level": f.level,
                "reasons": [
                    {
                        "fact": fact_record(catalogue, r.ref) if r.ref else None,
                        "evidence": evidence_record(catalogue, r.record) if r.record else None,
                        "for": list(r.terms),
                    }
                    for r in f.reasons
                ],
            }
            for f in result.findings
        ],
        "silent_for": [f.treatment.id for f in result.findings if f.level == "nothing"],
        "unknown": [
            {"given": u.given, "asks": u.asks, "known": u.known, "suggestions": u.suggestions}
            for u in result.unknown
        ],
    }
    return envelope(catalogue, record, cited(result))
