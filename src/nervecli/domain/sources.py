"""The documents behind the catalogue, and every quote one of them supports."""

from __future__ import annotations

from dataclasses import field

from nervecli.domain.lookup import resolve_source
from nervecli.model.catalogue import Catalogue, Source, lean
from nervecli.model.walk import Cited, iter_cited


@lean
class SourceUses:
    source: Source
    uses: list[Cited]
    owners: dict[str, str] = field(default_factory=dict)  # each use's owner id: its name


def sources_overview(catalogue: Catalogue) -> list[SourceUses]:
    cited = list(iter_cited(catalogue))
    return [
        SourceUses(s, [c for c in cited if c.citation.source == s.id])
        for s in catalogue.sources.values()
    ]


def source_uses(catalogue: Catalogue, name: str) -> SourceUses:
    source = resolve_source(catalogue, name)
    uses = [c for c in iter_cited(catalogue) if c.citation.source == source.id]
    return SourceUses(source, uses, {u.owner: owner_name(catalogue, u.owner) for u in uses})


def owner_name(catalogue: Catalogue, owner: str) -> str:
    """The display name of the entry that holds a quote (its id when it has no name)."""
    for table in (catalogue.treatments, catalogue.families, catalogue.conditions):
        if owner in table:
            return table[owner].name
    if owner.startswith("evidence:") and owner.removeprefix("evidence:") in catalogue.evidence:
        return catalogue.evidence[owner.removeprefix("evidence:")].medicine
    return owner
