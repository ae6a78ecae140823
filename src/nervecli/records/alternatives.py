"""`alternatives`: what else there is, as data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nervecli.model.catalogue import Citation, Fact
from nervecli.records.common import (
    condition_brief,
    envelope,
    fact_record,
    treatment_brief,
    via_record,
)

if TYPE_CHECKING:
    from nervecli.domain.alternatives import Alternative
    from nervecli.model.catalogue import Catalogue, Treatment


def cited(found: list[Alternative], outside: Sequence[Fact]) -> list[Fact | Citation]:
    """The facts outside the catalogue, and each alternative's reason: the fact that names
    it, or what its sources say it is for (and the link through which it is reached)."""
    out: list[Fact | Citation] = list(outside)
    for a in found:
        if a.named_by is not None:
            out.append(a.named_by)
            continue
        out += [r.fact for r in a.uses]
        if not a.shared:
            out.append(a.through[0][1].link)
    return out


def alternatives_record(
    catalogue: Catalogue,
    treatment: Treatment,
    found: list[Alternative],
    outside: Sequence[Fact] = (),
) -> dict[str, Any]:
    record = {
        "command": "alternatives",
        "treatment": treatment_brief(catalogue, treatment),
        "named_outside_catalogue": [fact_record(catalogue, f) for f in outside],
        "alternatives": [
            {
                **treatment_brief(catalogue, a.treatment),
                "named_by": fact_record(catalogue, a.named_by) if a.named_by else None,
                "shares": [condition_brief(c) for c in a.shared],
                "used_for": [fact_record(catalogue, r) for r in a.uses],
                "through": [
                    {"condition": condition_brief(mine), "via": via_record(via)}
                    for mine, via in a.through
                ],
            }
            for a in found
        ],
    }
    return envelope(catalogue, record, cited(found, outside))
