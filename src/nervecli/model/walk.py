"""The one walk over the catalogue: every fact with the entry and section that hold it, every
quote with what it supports, and every text field of a fact. The loader's content checks, the
quote check, the sources view and the search index all walk the catalogue through here, so they
cannot disagree about what it holds.

What a "text field" is comes from the model's own annotations (`Text` and `Short`), read from
the dataclasses, so a text field added to the model is walked without a change here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from nervecli.model.catalogue import (
    DERIVED_SECTIONS,
    SECTION_KEYS,
    Catalogue,
    Citation,
    Condition,
    EvidenceRecord,
    Fact,
    Facts,
    Family,
    SideEffect,
    Treatment,
    lean,
)

CONDITION_SECTIONS = ("about", "symptoms", "why_chronic", "course", "effects", "kind_of", "causes")


def owned_facts(owner: Facts | Condition) -> Iterator[tuple[str, Fact]]:
    """(section key, fact) for every fact an entry holds, side-effect handling and mechanisms
    included ('summary' and 'group' for a treatment's summary and group facts)."""
    if isinstance(owner, Condition):
        for key in CONDITION_SECTIONS:
            for fact in getattr(owner, key):
                yield key, fact
        if owner.outside_evidence is not None:
            yield "outside_evidence", owner.outside_evidence
        return
    if isinstance(owner, Treatment):
        yield "summary", owner.summary
        if owner.group is not None:
            yield "group", owner.group
    for key in SECTION_KEYS:
        if key in DERIVED_SECTIONS:
            continue
        for fact in owner.section(key):
            yield key, fact
            if isinstance(fact, SideEffect):
                for handling in fact.handling:
                    yield "handling", handling
                for mechanism in fact.mechanisms:
                    yield "mechanisms", mechanism


def evidence_facts(record: EvidenceRecord) -> list[tuple[str, Fact]]:
    """The facts an evidence record holds: (field name, fact) for dose, comparator and reason."""
    found = (
        ("dose", record.dose),
        ("comparator", record.comparator),
        ("against_reason", record.against_reason),
    )
    return [(label, fact) for label, fact in found if fact is not None]


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
            ("trials_cited", record.trials_cited),
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


_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


def _text_fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class annotated as catalogue text (`Text`, `Short`), alone, in a
    list or optional: not ids, sources, flags or nested facts. Read once per class."""
    found = _TEXT_FIELDS.get(cls)
    if found is None:
        kinds = ((f.name, str(f.type)) for f in dataclasses.fields(cls))
        found = tuple(n for n, k in kinds if "Text" in k or "Short" in k)
        _TEXT_FIELDS[cls] = found
    return found


def text_fields(fact: Fact) -> Iterator[tuple[str, str]]:
    """(field name, text) for every text a fact holds itself, its `text` first (nested facts,
    such as a side effect's handling, are facts of their own in `owned_facts`)."""
    for name in _text_fields(type(fact)):
        value = getattr(fact, name)
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, list):
            yield from ((name, v) for v in value if isinstance(v, str))
