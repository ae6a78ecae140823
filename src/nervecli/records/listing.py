"""`list`: the treatments and the filters, as data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nervecli.model.catalogue import Citation, Fact
from nervecli.records.common import (
    condition_brief,
    envelope,
    evidence_record,
    fact_record,
    treatment_brief,
    via_record,
)

if TYPE_CHECKING:
    from nervecli.domain.listing import Listing
    from nervecli.model.catalogue import Catalogue


def cited(listing: Listing) -> list[Fact | Citation]:
    """What each row cites: the facts of how it is given, and in the graded-evidence cell a
    type of medicine's group fact, or each record's recommendation (and its figures, unless it
    is one against)."""
    out: list[Fact | Citation] = []
    for e in listing.items:
        t = e.treatment
        out += e.route_facts
        if e.members and t.group is not None:
            out.append(t.group)
            continue
        for r in e.evidence:
            out.append(r.recommendation)
            if r.line != "against" and r.effect is not None:
                out.append(r.effect)
    return out


def list_record(catalogue: Catalogue, listing: Listing) -> dict[str, Any]:
    if not listing.items:
        return envelope(catalogue, {"command": "list", "count": 0, "treatments": []}, [])
    record = {
        "command": "list",
        "filters": {
            "kind": listing.kind,
            "condition": condition_brief(listing.condition) if listing.condition else None,
            "line": listing.line,
            "sort": listing.sort,
        },
        "count": len(listing.items),
        "treatments": [
            {
                **treatment_brief(catalogue, e.treatment),
                "how_given": list(e.routes),
                "for_nerve_pain": e.for_nerve_pain,
                "summary": fact_record(catalogue, e.treatment.summary),
                "evidence": [evidence_record(catalogue, r) for r in e.evidence],
                "members": [m.id for m in e.members],
                "via": via_record(e.via.via) if e.via and e.via.via else None,
            }
            for e in listing.items
        ],
    }
    return envelope(catalogue, record, cited(listing))
