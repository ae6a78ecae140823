"""The catalogue's data model: what a source, a fact, a treatment and a condition are.

The classes are plain frozen dataclasses, so reading a catalogue back from the cache costs no
validation machinery. They are also the one definition of the file format: the markers in their
annotations (`Text`, `Id`, ...) tell pydantic how to check a value, and `nervecli.validation`
validates YAML straight into these classes and derives the JSON Schema from them. Nothing here
imports pydantic, and nothing here knows about terminals or output formats.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from nervecli.config import KINDS, LINES

NOT_STATED = "not stated in sources"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PRINTED_PATTERN = r"^\d+(\.\d+)? \(\d+(\.\d+)?-\d+(\.\d+)?\)$"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Checked by pydantic when a file is validated: unknown keys are errors.
_FORMAT = {"extra": "forbid"}


def printable(text: str) -> str:
    """Catalogue text is printed to terminals: control characters (ANSI escapes) are refused."""
    bad = _CONTROL.search(text)
    if bad:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X}; "
            "catalogue text must be plain, printable text"
        )
    return text


class _Str:
    """How a text field is checked: strictly a string (YAML's `no` or `1:30` are not), trimmed,
    not empty, printable, and optionally matching a pattern or under a length."""

    def __init__(
        self, description: str, pattern: str | None = None, max_length: int | None = None
    ) -> None:
        self.description, self.pattern, self.max_length = description, pattern, max_length

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        text = core_schema.str_schema(
            strict=True,
            strip_whitespace=True,
            min_length=1,
            max_length=self.max_length,
            pattern=self.pattern,
        )
        return core_schema.no_info_after_validator_function(printable, text)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        out = handler(schema)
        out["description"] = self.description
        return out


Text = Annotated[str, _Str("Plain, printable text.")]
Id = Annotated[str, _Str("Lowercase words joined by hyphens, e.g. 'nerve-block'.", ID_PATTERN, 80)]
Short = Annotated[str, _Str("A short label.", max_length=40)]
Printed = Annotated[
    str, _Str("A figure and its 95% CI as the source prints it: '7.7 (6.5-9.4)'.", PRINTED_PATTERN)
]
Kind = Literal[KINDS]  # type: ignore[valid-type]
Line = Literal[LINES]  # type: ignore[valid-type]

# Slotted and keyword-only. Not frozen and no generated __eq__/__repr__: together they halve the
# time this module takes to import, which every run pays. Nothing changes these objects once
# they are read, and facts compare by identity (a family's fact is one object for every member).
_model = dataclass(slots=True, kw_only=True, repr=False, eq=False)
# The same, for the plain records other modules build (query results, indexes).
lean = dataclass(slots=True, repr=False, eq=False)


@_model
class Fact:
    """One statement, with the source it comes from and a word-for-word quote that supports it."""

    __pydantic_config__ = _FORMAT
    text: Text
    source: Id
    quote: Text


@_model
class RouteFact(Fact):
    """How a treatment is given; `route` is a short label such as 'IV'."""

    route: Short


@_model
class LinkedFact(Fact):
    """A fact that points at other catalogue entries (conditions or treatments)."""

    links: list[Id] = field(default_factory=list)


@_model
class Contraindication(Fact):
    """A reason the sources give not to have a treatment, or to discuss it first; `about`
    names the screening terms it concerns (e.g. pregnancy, blood-thinners)."""

    about: list[Id] = field(default_factory=list)


@_model
class SideEffect(Fact):
    """A side effect or risk, in the source's own words for how often, how serious and how
    long; equal names are the same side effect. A frequency must appear in `quote`, or in
    `frequency_quote` when the main quote does not contain it."""

    name: Text
    frequency: Text | None = None
    frequency_quote: Text | None = None
    severity: Text | None = None
    course: Text | None = None
    handling: list[Fact] = field(default_factory=list)


@lean
class Section:
    """A heading under which a treatment's facts are shown."""

    key: str
    title: str
    group: str


# The order in which sections are shown; each key is a field of `Facts`.
SECTIONS: tuple[Section, ...] = (
    Section("what_it_is", "What it is and how it works", "About"),
    Section("how_given", "How it is given", "About"),
    Section("session_length", "How long it takes", "About"),
    Section("used_for", "What it is used for", "About"),
    Section("avoid_if", "Who should not have it", "Safety"),
    Section("side_effects", "Side effects and risks", "Safety"),
    Section("handling", "How side effects are handled", "Safety"),
    Section("warning_signs", "Warning signs: contact a doctor", "Safety"),
    Section("risk_reduction", "How risk is reduced", "Safety"),
    Section("benefits", "Benefits", "Benefits"),
    Section("relief", "How fast and how long relief comes", "Benefits"),
    Section("before", "What to expect before", "What to expect"),
    Section("during", "What to expect during", "What to expect"),
    Section("after", "What to expect after", "What to expect"),
    Section("reversibility", "Reversibility", "Choosing"),
    Section("eligibility", "Who may be eligible", "Choosing"),
    Section("choosing_provider", "Choosing a provider", "Choosing"),
    Section("alternatives", "Alternatives", "Choosing"),
)
SECTION_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
# 'handling' is derived from the side effects, not written in the catalogue.
DERIVED_SECTIONS = frozenset({"handling"})


@_model
class Facts:
    """The sectioned facts that a treatment, or a family of treatments, can carry."""

    __pydantic_config__ = _FORMAT
    what_it_is: list[Fact] = field(default_factory=list)
    how_given: list[RouteFact] = field(default_factory=list)
    session_length: list[Fact] = field(default_factory=list)
    used_for: list[LinkedFact] = field(default_factory=list)
    avoid_if: list[Contraindication] = field(default_factory=list)
    side_effects: list[SideEffect] = field(default_factory=list)
    warning_signs: list[Fact] = field(default_factory=list)
    risk_reduction: list[Fact] = field(default_factory=list)
    benefits: list[Fact] = field(default_factory=list)
    relief: list[Fact] = field(default_factory=list)
    before: list[Fact] = field(default_factory=list)
    during: list[Fact] = field(default_factory=list)
    after: list[Fact] = field(default_factory=list)
    reversibility: list[Fact] = field(default_factory=list)
    eligibility: list[Fact] = field(default_factory=list)
    choosing_provider: list[Fact] = field(default_factory=list)
    alternatives: list[LinkedFact] = field(default_factory=list)

    def section(self, key: str) -> list[Fact]:
        """The facts written under one section key (derived sections included)."""
        if key == "handling":
            return [h for se in self.side_effects for h in se.handling]
        return list(getattr(self, key))


@lean
class Estimate:
    value: float
    low: float
    high: float
    printed: str

    @classmethod
    def parse(cls, printed: str) -> Estimate:
        value, low, high = (float(x) for x in re.findall(r"\d+(?:\.\d+)?", printed))
        return cls(value, low, high, printed)


@_model
class Citation:
    """Where a figure comes from: a source and the words that state it."""

    __pydantic_config__ = _FORMAT
    source: Id
    quote: Text


@_model
class EvidenceRecord:
    """What a graded source says of one medicine: line of treatment, GRADE strength, which
    neuropathic pain it covers, NNT and NNH as printed, and the common side effects it names."""

    __pydantic_config__ = _FORMAT
    id: Id
    medicine: Text
    line: Line
    strength: Literal["strong", "weak"]
    applies_to: Literal["all", "peripheral only"] | None = None
    recommendation: Citation
    nnt: Printed | None = None
    nnh: Printed | None = None
    effect: Citation | None = None
    note: Citation | None = None
    side_effects: list[Text] = field(default_factory=list)
    side_effects_cited: Citation | None = None


@_model
class Family(Facts):
    """A group of treatments; its facts apply to every member."""

    id: Id
    name: Text
    description: Text | None = None


@_model
class Treatment(Facts):
    """A treatment: a summary fact, sectioned facts, its family and its evidence records."""

    id: Id
    name: Text
    aliases: list[Id] = field(default_factory=list)
    kind: Kind
    family: Id | None = None
    summary: Fact
    evidence: list[Id] = field(default_factory=list)


@_model
class Condition:
    """A condition: what the sources say of it, its symptoms, and why it becomes chronic."""

    __pydantic_config__ = _FORMAT
    id: Id
    name: Text
    aliases: list[Id] = field(default_factory=list)
    about: list[LinkedFact] = field(default_factory=list)
    symptoms: list[Fact] = field(default_factory=list)
    why_chronic: list[Fact] = field(default_factory=list)


@_model
class ScreeningTerm:
    """Something a person can say about themselves in `nervecli check` (--has, --takes or
    --pregnant), matched against the `about` tags of contraindications."""

    __pydantic_config__ = _FORMAT
    id: Id
    asks: Literal["has", "takes", "pregnant"]
    name: Text
    aliases: list[Id] = field(default_factory=list)


@_model
class Source:
    """A document the catalogue is built from ('seed') or a supplementary one ('evidence')."""

    __pydantic_config__ = _FORMAT
    id: Id
    kind: Literal["seed", "evidence"]
    title: Text
    file: Text
    note: Text | None = None
    citation: Text | None = None
    doi: Text | None = None


@_model
class Meta:
    """The catalogue's version and the date it was last reviewed."""

    __pydantic_config__ = _FORMAT
    version: Text
    last_reviewed: dt.date


@_model
class CatalogueFile:
    """What one YAML file may hold; a catalogue is the union of its files."""

    __pydantic_config__ = _FORMAT
    catalogue: Meta | None = None
    sources: list[Source] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)
    treatments: list[Treatment] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    evidence_notes: list[Fact] = field(default_factory=list)
    screening: list[ScreeningTerm] = field(default_factory=list)


@dataclass(repr=False, eq=False)
class Catalogue:
    """A whole, cross-checked catalogue. Build it with `nervecli.loader.load_catalogue`."""

    meta: Meta
    sources: dict[str, Source] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    treatments: dict[str, Treatment] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    evidence: dict[str, EvidenceRecord] = field(default_factory=dict)
    evidence_notes: list[Fact] = field(default_factory=list)
    screening: dict[str, ScreeningTerm] = field(default_factory=dict)
    # Where each entry came from ("bundled catalogue" or a file), keyed by (table, id).
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    # Bundled entries that a user catalogue replaced, keyed by (table, id).
    overridden: set[tuple[str, str]] = field(default_factory=set)
    # Versions declared by user catalogues laid over the bundled one: (file, meta).
    overlays: list[tuple[str, Meta]] = field(default_factory=list)
    _names: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def names(self, table: str) -> Any:
        """A name index over one table ('treatments' or 'conditions'), built once."""
        if table not in self._names:
            from nervecli.queries import MemoryNames

            self._names[table] = MemoryNames(getattr(self, table).values())
        return self._names[table]

    def search_index(self) -> Any:
        """The full-text index of this catalogue (`nervecli.search.SearchIndex`)."""
        from nervecli.search import SearchIndex

        return SearchIndex.build(self)
