"""Wording and bookkeeping shared by every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field

from nervecli.model import NOT_STATED, Catalogue, Fact, Family, SideEffect, Source
from nervecli.queries import FactRef

DISCLAIMER = "This is information to discuss with a doctor, not medical advice."


def family_label(family: Family) -> str:
    """How family facts are introduced: 'For all infusion therapy (family facts)'."""
    return f"For all {family.name.lower()} (family facts)"


def by_family(refs: list[FactRef]) -> list[tuple[Family | None, list[FactRef]]]:
    """A treatment's own facts first, then each family's facts as a group of its own."""
    groups: dict[str | None, tuple[Family | None, list[FactRef]]] = {}
    for ref in refs:
        key = ref.family.id if ref.family else None
        groups.setdefault(key, (ref.family, []))[1].append(ref)
    return sorted(groups.values(), key=lambda g: g[0] is not None)


SEE_SHARED = "see 'Same for all' below"


@dataclass
class Footnotes:
    """Numbers sources in the order output first cites them."""

    catalogue: Catalogue
    numbers: dict[str, int] = field(default_factory=dict)

    def mark(self, fact: Fact) -> int:
        return self.numbers.setdefault(fact.source, len(self.numbers) + 1)

    def sources(self) -> list[tuple[int, Source]]:
        return [(n, self.catalogue.sources[sid]) for sid, n in self.numbers.items()]


def source_line(source: Source) -> str:
    kind = "seed document" if source.kind == "seed" else "supplementary evidence"
    line = f"{source.title} — {source.file} ({kind})"
    if source.citation:
        line += f". {source.citation}"
    if source.note:
        line += f" Note: {source.note}"
    return line


SIDE_EFFECT_COLUMNS = ("Side effect", "How often", "How serious", "Temporary or lasting")


def side_effect_cells(fact: SideEffect) -> tuple[str, str, str, str]:
    """A side effect's description and qualifiers, each 'not stated in sources' when absent."""
    return (
        fact.text,
        fact.frequency or NOT_STATED,
        fact.severity or NOT_STATED,
        fact.course or NOT_STATED,
    )


def side_effect_brief(fact: SideEffect) -> str:
    """'Nausea (common)': the name and what the source says of how often, for narrow cells."""
    return f"{fact.name[:1].upper()}{fact.name[1:]} ({fact.frequency or 'frequency ' + NOT_STATED})"
