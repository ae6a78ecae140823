"""What the catalogue-wide checks need of a treatment or condition, and nothing more.

A first run of a large catalogue encodes each entry for the cache in the worker that read it
and sends back only its `Brief`: its names, the family and evidence records it names, and the
sources, screening terms and entries its facts cite. The loader's merge and cross-checks run
on briefs exactly as on entries (they read only these fields), so the parent process never
holds the whole catalogue. `references` is the one list of what a fact cites: the loader's
check of whole entries and the briefs both come from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nervecli.model.catalogue import Condition, Contraindication, Fact, LinkedFact, Treatment
from nervecli.model.walk import owned_facts

# Where a cited name must be declared: a source, a screening term, or an entry to link to.
SOURCES, SCREENING, ENTRIES = "sources", "screening", "entries"

Field = str | tuple[str, int]


def references(fact: Fact) -> Iterator[tuple[str, str, Field, str]]:
    """(where it must be declared, the name, the field that holds it, the message if it is
    not) for every name a fact cites."""
    yield SOURCES, fact.source, "source", f"cites undeclared source '{fact.source}'"
    if isinstance(fact, Contraindication):
        for i, tag in enumerate(fact.about):
            yield SCREENING, tag, ("about", i), f"'{tag}' is not a declared screening term"
    if isinstance(fact, LinkedFact):
        for i, link in enumerate(fact.links):
            yield ENTRIES, link, ("links", i), f"link to unknown entry '{link}'"


@dataclass(slots=True)
class Brief:
    """A treatment or condition as the cross-checks see it (a condition has no family,
    evidence records or type)."""

    id: str
    name: str
    aliases: list[str]
    cited: tuple[tuple[str, str], ...]  # (where it must be declared, name), each once
    family: str | None = None
    cautions_from: str | None = None
    evidence: tuple[str, ...] = ()
    group: bool | None = None  # None, like a treatment's `group`, when it is not a type


def brief(entry: Treatment | Condition) -> Brief:
    cited = dict.fromkeys(
        (space, name) for _, fact in owned_facts(entry) for space, name, _, _ in references(fact)
    )
    if isinstance(entry, Condition):
        return Brief(entry.id, entry.name, list(entry.aliases), tuple(cited))
    return Brief(
        entry.id,
        entry.name,
        list(entry.aliases),
        tuple(cited),
        entry.family,
        entry.cautions_from,
        tuple(entry.evidence),
        True if entry.group is not None else None,
    )
