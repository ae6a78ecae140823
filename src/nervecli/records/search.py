"""`search`: the hits, best first, as data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nervecli.model.catalogue import Citation, Fact
from nervecli.records.common import envelope

if TYPE_CHECKING:
    from nervecli.domain.search import Hit
    from nervecli.model.catalogue import Catalogue


def search_record(
    catalogue: Catalogue, query: str, hits: list[Hit], suggestions: list[str]
) -> dict[str, Any]:
    def promotional(c: Fact | Citation) -> bool:
        source = catalogue.sources.get(c.source)
        return source is not None and source.promotional

    record = {
        "command": "search",
        "query": query,
        "count": len(hits),
        "results": [
            {
                "kind": h.kind,
                "id": h.entry_id,
                "name": h.entry_name,
                "field": h.field,
                "snippet": h.snippet,
                "score": round(h.score, 3),
                "also": list(h.also),
                "cited": None
                if h.fact is None
                else {
                    "source": h.fact.source,
                    "quote": h.fact.quote,
                    "promotional": promotional(h.fact),
                },
            }
            for h in hits
        ],
        "suggestions": suggestions,
    }
    return envelope(catalogue, record, [h.fact for h in hits if h.fact is not None])
