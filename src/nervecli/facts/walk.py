"""Walks over a catalogue: every fact with the entry and section that hold it, and every quote.

Used by `sources`, by `validate --sources` and by the search index; it needs no YAML parser.
"""

from __future__ import annotations

from collections.abc import Iterable

from nervecli.model.catalogue import (
    Catalogue,
    Citation,
    Condition,
    Fact,
    Family,
    SideEffect,
    Treatment,
    evidence_facts,
    lean,
    owned_facts,
)


@lean
class Cited:
    """One quote in the catalogue: who holds it, under which section key, and what it supports."""

    owner: str
    section: str
    text: str
    citation: Citation


def iter_facts(catalogue: Catalogue) -> Iterable[tuple[str, str, Fact]]:
    """Every fact in the catalogue: (id of the entry that holds it, section key, fact)."""
    owners: list[Family | Treatment | Condition] = [
        *catalogue.families.values(),
        *catalogue.treatments.values(),
        *catalogue.conditions.values(),
    ]
    for owner in owners:
        for title, fact in owned_facts(owner):
            yield owner.id, title, fact
    for fact in catalogue.evidence_notes:
        yield "evidence-notes", "evidence_notes", fact


def iter_cited(catalogue: Catalogue) -> Iterable[Cited]:
    """Every (source, quote) pair in the catalogue, facts and evidence records alike."""
    for owner, section, fact in iter_facts(catalogue):
        yield Cited(owner, section, fact.text, Citation(source=fact.source, quote=fact.quote))
        if isinstance(fact, SideEffect) and fact.frequency_quote:
            yield Cited(
                owner,
                section,
                f"{fact.name}: {fact.frequency}",
                Citation(source=fact.source, quote=fact.frequency_quote),
            )
    for record in catalogue.evidence.values():
        parts = (
            ("recommendation", record.recommendation),
            ("effect", record.effect),
            ("note", record.note),
            ("side_effects_cited", record.side_effects_cited),
            ("quality_cited", record.quality_cited),
        )
        for label, citation in parts:
            if citation is not None:
                yield Cited(f"evidence:{record.id}", label, record.medicine, citation)
        for label, fact in evidence_facts(record):
            yield Cited(
                f"evidence:{record.id}",
                label,
                fact.text,
                Citation(source=fact.source, quote=fact.quote),
            )
