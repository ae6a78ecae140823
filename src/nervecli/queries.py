"""Questions asked of a catalogue: find by name, list, show one, compare several.

Results are plain data (dataclasses over the model); renderers turn them into output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from nervecli.config import KINDS
from nervecli.errors import AmbiguousError, NerveError, NotFoundError
from nervecli.model import (
    SECTIONS,
    Catalogue,
    Condition,
    Estimate,
    EvidenceRecord,
    Fact,
    Family,
    LinkedFact,
    RouteFact,
    ScreeningTerm,
    Section,
    SideEffect,
    Treatment,
    lean,
)

Entry = TypeVar("Entry", Treatment, Condition, ScreeningTerm)


def normalise(name: str) -> str:
    """'  Ketamine Infusion ' -> 'ketamine-infusion'."""
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")


def entry_names(entry: Treatment | Condition | ScreeningTerm) -> list[str]:
    """Every name an entry answers to: its id, its aliases and its name, normalised."""
    return list(dict.fromkeys([entry.id, *entry.aliases, normalise(entry.name)]))


if TYPE_CHECKING:  # a type for the checker only: a Protocol class costs start-up time

    class Names(Protocol):
        """Looks names up without reading every entry (the cache answers from an index)."""

        def exact(self, name: str) -> list[str]: ...  # ids of entries with this name

        def leading(self, name: str) -> list[str]: ...  # ids with a name that starts 'name-'

        def everything(self) -> dict[str, str]: ...  # every name and its id, for suggestions


class MemoryNames:
    """A name index over entries held in memory."""

    def __init__(self, entries: Iterable[Treatment | Condition | ScreeningTerm]) -> None:
        self.owner: dict[str, list[str]] = {}
        for entry in entries:
            for name in entry_names(entry):
                self.owner.setdefault(name, []).append(entry.id)

    def exact(self, name: str) -> list[str]:
        return list(dict.fromkeys(self.owner.get(name, [])))

    def leading(self, name: str) -> list[str]:
        prefix = name + "-"
        ids = (i for n, owners in self.owner.items() if n.startswith(prefix) for i in owners)
        return list(dict.fromkeys(ids))

    def everything(self) -> dict[str, str]:
        return {n: owners[0] for n, owners in self.owner.items()}


def resolve(
    entries: Mapping[str, Entry], names: Names, name: str, what: str, hint: str | None = None
) -> Entry:
    """Find an entry by id, alias or name (any case), or by its leading whole words.

    `nerve-block` and `Nerve Block` find 'nerve-block-infusion'; `ketamin` is not a whole
    word, so it is not found and the closest names are suggested instead.
    """
    query = normalise(name)
    if not query:
        raise NotFoundError(what, name, hint=hint)
    for found in (names.exact(query), names.leading(query)):
        if len(found) == 1:
            return entries[found[0]]
        if found:
            raise AmbiguousError(what, name, found)
    raise NotFoundError(what, name, suggest(names, query), hint)


def suggest(names: Names, query: str, limit: int = 3) -> list[str]:
    """Names close to a mistyped one, one per entry: names it begins, else near spellings."""
    owner = names.everything()
    candidates = sorted((n for n in owner if n.startswith(query)), key=len)
    if not candidates:
        import difflib

        candidates = difflib.get_close_matches(query, list(owner), n=10, cutoff=0.6)
    picked: dict[str, str] = {}
    for name in candidates:
        picked.setdefault(owner[name], name)
    return list(picked.values())[:limit]


def resolve_treatment(catalogue: Catalogue, name: str) -> Treatment:
    return resolve(catalogue.treatments, catalogue.names("treatments"), name, "treatment")


def resolve_condition(catalogue: Catalogue, name: str) -> Condition:
    hint = "run 'nervecli conditions' to see them"
    return resolve(catalogue.conditions, catalogue.names("conditions"), name, "condition", hint)


@dataclass(slots=True, repr=False)  # compared (same fact, same family); not hashed
class FactRef:
    """A fact as it applies to a treatment; `family` is set when the family states it."""

    fact: Fact
    family: Family | None = None


def family_of(catalogue: Catalogue, treatment: Treatment) -> Family | None:
    return catalogue.families.get(treatment.family) if treatment.family else None


def evidence_for(catalogue: Catalogue, treatment: Treatment) -> list[EvidenceRecord]:
    return [catalogue.evidence[e] for e in treatment.evidence]


# The evidence's side-effect list is headed "Common side effects named by NeuPSIG 2015".
EVIDENCE_FREQUENCY = "common"
EVIDENCE_FREQUENCY_QUOTE = "Common side effects named by NeuPSIG 2015"


def evidence_side_effects(catalogue: Catalogue, treatment: Treatment) -> list[SideEffect]:
    """The common side effects an evidence record names, as side-effect facts of the treatment."""
    effects: dict[str, SideEffect] = {}
    for record in evidence_for(catalogue, treatment):
        cited = record.side_effects_cited
        if cited is None:
            continue
        for name in record.side_effects:
            effects.setdefault(
                name,
                SideEffect(
                    name=name,
                    text=name[:1].upper() + name[1:] + ".",
                    frequency=EVIDENCE_FREQUENCY,
                    frequency_quote=EVIDENCE_FREQUENCY_QUOTE,
                    source=cited.source,
                    quote=cited.quote,
                ),
            )
    return list(effects.values())


def facts_for(catalogue: Catalogue, treatment: Treatment, key: str) -> list[FactRef]:
    """A treatment's own facts under a section, then those its family states for all members."""
    refs = [FactRef(f) for f in treatment.section(key)]
    if key == "side_effects":
        refs.extend(FactRef(f) for f in evidence_side_effects(catalogue, treatment))
    family = family_of(catalogue, treatment)
    if family is not None:
        refs.extend(FactRef(f, family) for f in family.section(key))
    return refs


def best_nnt(catalogue: Catalogue, treatment: Treatment) -> float | None:
    """The lowest NNT among a treatment's evidence records (lower is better), if any."""
    values = [Estimate.parse(r.nnt).value for r in evidence_for(catalogue, treatment) if r.nnt]
    return min(values) if values else None


def routes(catalogue: Catalogue, treatment: Treatment) -> list[str]:
    """Short labels for how it is given, own first; empty when the sources do not say."""
    labels: list[str] = []
    for ref in facts_for(catalogue, treatment, "how_given"):
        fact = ref.fact
        if isinstance(fact, RouteFact) and fact.route not in labels:
            labels.append(fact.route)
    return labels


def linked_conditions(catalogue: Catalogue, treatment: Treatment) -> list[Condition]:
    """The conditions a treatment's 'used for' facts (its own and its family's) link to."""
    ids: list[str] = []
    for ref in facts_for(catalogue, treatment, "used_for"):
        if isinstance(ref.fact, LinkedFact):
            ids.extend(i for i in ref.fact.links if i in catalogue.conditions and i not in ids)
    return [catalogue.conditions[i] for i in ids]


def list_treatments(
    catalogue: Catalogue,
    kind: str | None = None,
    condition: str | None = None,
    line: str | None = None,
    sort: str = "kind",
) -> list[Treatment]:
    """Every treatment, optionally only of one kind, for one condition or of one line of
    treatment; sorted by kind (catalogue order within a kind), name, or NNT (lowest first,
    treatments without an NNT last)."""
    wanted = resolve_condition(catalogue, condition).id if condition else None
    result = []
    for t in catalogue.treatments.values():
        if kind and t.kind != kind:
            continue
        if wanted and wanted not in {c.id for c in linked_conditions(catalogue, t)}:
            continue
        if line and line not in {r.line for r in evidence_for(catalogue, t)}:
            continue
        result.append(t)
    if sort == "name":
        return sorted(result, key=lambda t: t.name.lower())
    if sort == "nnt":
        return sorted(result, key=lambda t: best_nnt(catalogue, t) or float("inf"))
    return sorted(result, key=lambda t: KINDS.index(t.kind))


@lean
class SectionView:
    section: Section
    facts: list[FactRef]


@lean
class TreatmentView:
    """Everything `show` presents about one treatment."""

    treatment: Treatment
    family: Family | None
    routes: list[str]
    conditions: list[Condition]
    sections: list[SectionView]
    evidence: list[EvidenceRecord]
    origin: str  # "bundled catalogue", or the file it came from
    replaces_bundled: bool = False

    def all_facts(self) -> Iterable[Fact]:
        yield self.treatment.summary
        for view in self.sections:
            for ref in view.facts:
                yield ref.fact


def treatment_view(catalogue: Catalogue, treatment: Treatment) -> TreatmentView:
    return TreatmentView(
        treatment=treatment,
        family=family_of(catalogue, treatment),
        routes=routes(catalogue, treatment),
        conditions=linked_conditions(catalogue, treatment),
        sections=[SectionView(s, facts_for(catalogue, treatment, s.key)) for s in SECTIONS],
        evidence=evidence_for(catalogue, treatment),
        origin=catalogue.origins.get(("treatments", treatment.id), "bundled catalogue"),
        replaces_bundled=("treatments", treatment.id) in catalogue.overridden,
    )


@lean
class SharedSideEffect:
    """A side effect every compared treatment has; one entry in `refs` per treatment."""

    name: str
    refs: list[list[FactRef]]

    @property
    def same_for_all(self) -> bool:
        """True when it is one fact for every treatment (e.g. stated by a shared family)."""
        return all(refs == self.refs[0] for refs in self.refs)


@lean
class CompareRow:
    """One aspect: what each treatment has of its own, and what all of them share word for word."""

    section: Section
    cells: list[list[FactRef]]
    same_for_all: list[FactRef]


@lean
class Comparison:
    """Several treatments side by side: one row per aspect, one cell per treatment."""

    views: list[TreatmentView]
    rows: list[CompareRow]
    shared_side_effects: list[SharedSideEffect]
    # Per treatment, the side effects that not every compared treatment has.
    own_side_effects: list[list[FactRef]]

    @property
    def treatments(self) -> list[Treatment]:
        return [v.treatment for v in self.views]


def _split_row(section: Section, columns: list[list[FactRef]]) -> CompareRow:
    same = [r for r in columns[0] if all(r in col for col in columns[1:])]
    cells = [[r for r in col if r not in same] for col in columns]
    return CompareRow(section, cells, same)


MAX_COMPARE = 4


def compare(catalogue: Catalogue, names: Sequence[str]) -> Comparison:
    """Compare two to four treatments, found by name."""
    treatments: list[Treatment] = []
    for name in names:
        t = resolve_treatment(catalogue, name)
        if t in treatments:
            raise NerveError(f"'{name}' names {t.id}, which is already being compared")
        treatments.append(t)
    if not 2 <= len(treatments) <= MAX_COMPARE:
        raise NerveError(f"compare takes 2 to {MAX_COMPARE} treatments, not {len(treatments)}")
    views = [treatment_view(catalogue, t) for t in treatments]
    per_treatment = [
        [r for r in facts_for(catalogue, t, "side_effects") if isinstance(r.fact, SideEffect)]
        for t in treatments
    ]

    names = [{r.fact.name.lower(): r.fact.name for r in refs} for refs in per_treatment]  # type: ignore[attr-defined]
    common = set.intersection(*(set(n) for n in names))
    shared = [
        SharedSideEffect(
            name=display,
            refs=[[r for r in refs if r.fact.name.lower() == key] for refs in per_treatment],  # type: ignore[attr-defined]
        )
        for key, display in names[0].items()
        if key in common
    ]
    own = [[r for r in refs if r.fact.name.lower() not in common] for refs in per_treatment]
    rows = [
        _split_row(section, [v.sections[i].facts for v in views])
        for i, section in enumerate(SECTIONS)
        if section.key != "side_effects"  # split by name into shared and own, above
    ]
    return Comparison(views=views, rows=rows, shared_side_effects=shared, own_side_effects=own)
