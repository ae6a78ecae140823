"""`sources`: the documents behind the catalogue, or one with its quotes, as data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nervecli.records.common import envelope, source_record

if TYPE_CHECKING:
    from nervecli.domain.sources import SourceUses
    from nervecli.model.catalogue import Catalogue


def _numbers(catalogue: Catalogue) -> dict[str, int]:
    return {sid: n for n, sid in enumerate(catalogue.sources, 1)}


def sources_record(catalogue: Catalogue, views: list[SourceUses]) -> dict[str, Any]:
    numbers = _numbers(catalogue)
    record = {
        "command": "sources",
        "sources": [
            {**source_record(v.source, numbers[v.source.id]), "quotes": len(v.uses)} for v in views
        ],
    }
    return envelope(catalogue, record, [])


def source_record_of(catalogue: Catalogue, view: SourceUses) -> dict[str, Any]:
    s = view.source
    record = {
        "command": "sources",
        "source": source_record(s, _numbers(catalogue)[s.id]),
        "quotes": [
            {"entry": u.owner, "section": u.section, "text": u.text, "quote": u.citation.quote}
            for u in view.uses
        ],
    }
    return envelope(catalogue, record, [])
