"""Walks over a catalogue: every fact with the entry and section that hold it, and every quote.

Used by the loader's checks, by `sources`, and by the test that checks each quote against its
document; it needs no YAML parser.
"""

from __future__ import annotations

from collections.abc import Iterable

from nervecli.model import (
    DERIVED_SECTIONS,
    SECTION_BY_KEY,
    SECTIONS,
    Catalogue,
    Citation,
    Condition,
    Fact,
    Facts,
    Family,
    SideEffect,
    Treatment,
    lean,
)

CONDITION_SECTIONS = (
    ("about", "About"),
    ("symptoms", "Symptoms"),
    ("why_chronic", "Why it becomes chronic"),
)


def owned_facts(owner: Facts | Condition) -> Iterable[tuple[str, Fact]]:
    """(section title, fact) for every fact an entry holds, side-effect handling included."""
    if isinstance(owner, Condition):
        for key, title in CONDITION_SECTIONS:
            for fact in getattr(owner, key):
                yield title, fact
        return
    if isinstance(owner, Treatment):
        yield "Summary", owner.summary
    for section in SECTIONS:
        if section.key in DERIVED_SECTIONS:
            continue
        for fact in owner.section(section.key):
            yield section.title, fact
            if isinstance(fact, SideEffect):
                for handling in fact.handling:
                    yield SECTION_BY_KEY["handling"].title, handling


@lean
class Cited:
    """One quote in the catalogue: who holds it, under which heading, and what it supports."""

    owner: str
    section: str
    text: str
    citation: Citation


def iter_facts(catalogue: Catalogue) -> Iterable[tuple[str, str, Fact]]:
    """Every fact in the catalogue: (id of the entry that holds it, section title, fact)."""
    owners: list[Family | Treatment | Condition] = [
        *catalogue.families.values(),
        *catalogue.treatments.values(),
        *catalogue.conditions.values(),
    ]
    for owner in owners:
        for title, fact in owned_facts(owner):
            yield owner.id, title, fact
    for fact in catalogue.evidence_notes:
        yield "evidence-notes", "About the evidence figures", fact


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
            ("Recommendation", record.recommendation),
            ("NNT and NNH", record.effect),
            ("Note", record.note),
            ("Common side effects", record.side_effects_cited),
        )
        for label, citation in parts:
            if citation is not None:
                yield Cited(f"evidence:{record.id}", label, record.medicine, citation)
