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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from nervecli.model.names import MemoryNames, Names
from nervecli.model.slots import lean as lean  # re-exported: the domain's records use it
from nervecli.model.slots import model as _model
from nervecli.model.vocabulary import GENRES, KINDS, LINES

if TYPE_CHECKING:
    from nervecli.model.listing import ListingIndex
    from nervecli.model.search import Build, Store

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PRINTED_PATTERN = r"^\d+(\.\d+)? \(\d+(\.\d+)?-\d+(\.\d+)?\)$"
# Control characters (ANSI escapes, NUL, BEL, C1) and the bidirectional formatting characters
# that can make "1\u202e05\u202c mg" display as "150 mg".
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Checked by pydantic when a file is validated: unknown keys are errors.
_FORMAT = {"extra": "forbid"}


def printable(text: str) -> str:
    """Catalogue text is printed to terminals and handouts: control characters (ANSI escapes)
    and bidirectional formatting characters are refused."""
    bad = _CONTROL.search(text)
    if bad:
        what = "bidirectional formatting" if ord(bad.group()) > 0x9F else "control"
        raise ValueError(
            f"contains the {what} character U+{ord(bad.group()):04X}; "
            "catalogue text must be plain, printable text"
        )
    return text


def finite_figures(printed: str) -> str:
    """A printed figure whose numbers are too large to be finite (999... of 400 digits reads as
    infinity) is refused: no count of people can be drawn from it."""
    import math

    if not all(math.isfinite(float(x)) for x in re.findall(r"\d+(?:\.\d+)?", printed)):
        raise ValueError("not a finite number: a figure this large cannot be drawn")
    return printed


class _Str:
    """How a text field is checked: strictly a string (YAML's `no` or `1:30` are not), trimmed,
    not empty, printable, and optionally matching a pattern or under a length."""

    def __init__(
        self,
        description: str,
        pattern: str | None = None,
        max_length: int | None = None,
        check: Any = printable,
    ) -> None:
        self.description, self.pattern, self.max_length = description, pattern, max_length
        self.check = check

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        text = core_schema.str_schema(
            strict=True,
            strip_whitespace=True,
            min_length=1,
            max_length=self.max_length,
            pattern=self.pattern,
        )
        return core_schema.no_info_after_validator_function(self.check, text)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        out = handler(schema)
        out["description"] = self.description
        return out


Text = Annotated[str, _Str("Plain, printable text.")]
Id = Annotated[str, _Str("Lowercase words joined by hyphens, e.g. 'nerve-block'.", ID_PATTERN, 80)]
Short = Annotated[str, _Str("A short label.", max_length=40)]
Printed = Annotated[
    str,
    _Str(
        "A figure and its 95% CI as the source prints it: '7.7 (6.5-9.4)'.",
        PRINTED_PATTERN,
        check=finite_figures,  # the pattern already refuses control characters
    ),
]
Kind = Literal[KINDS]  # type: ignore[valid-type]
Genre = Literal[GENRES]  # type: ignore[valid-type]
Line = Literal[LINES]  # type: ignore[valid-type]

# Slotted and keyword-only (`slots.model`). Not frozen and no generated __eq__/__repr__: together
# they halve the time this module takes to import, which every run pays. Nothing changes these
# objects once they are read, and facts compare by identity (a family's fact is one object for
# every member). `lean` is the same, for the plain records other modules build.


@_model
class Fact:
    """One statement, with the source it comes from and a word-for-word quote that supports it."""

    __pydantic_config__ = _FORMAT
    text: Text
    source: Id
    quote: Text
    # For a family's fact: the members the source says it of (empty: every member), and
    # whether it is said of the family as a whole (`general`): then a member is shown it only
    # where it has no fact of its own under the same section, labelled as said in general.
    members: list[Id] = field(default_factory=list)
    general: bool = False


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
    mechanisms: list[Fact] = field(default_factory=list)  # how it comes about, per the source


# The sections a treatment's facts are written under, in the catalogue's order; each is a field
# of `Facts`. How they are titled and ordered on screen is the output's business.
SECTION_KEYS: tuple[str, ...] = (
    "what_it_is",
    "how_given",
    "session_length",
    "used_for",
    "avoid_if",
    "side_effects",
    "handling",
    "warning_signs",
    "higher_risk",
    "risk_reduction",
    "benefits",
    "relief",
    "before",
    "during",
    "after",
    "reversibility",
    "eligibility",
    "choosing_provider",
    "alternatives",
)
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
    higher_risk: list[Fact] = field(default_factory=list)
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
    neuropathic pain it covers, NNT and NNH as printed, the common side effects it names, the
    quality of evidence and number of trials, the doses it describes, the comparator where it
    was not a dummy treatment, and why it is recommended against."""

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
    # NeuPSIG 2015 Table 3: the quality of the evidence behind the record, with its row quoted;
    # `trials` is how many trials are behind the figures (None where the source gives none):
    # BJA Education 2018 Table 1's count, cited as such (`trials_cited`, the same row quoted).
    quality: Literal["high", "moderate", "low"] | None = None
    quality_cited: Citation | None = None
    trials: int | None = None
    trials_cited: Citation | None = None
    # The dose range and how often, as the evidence describes it: never an instruction.
    dose: Fact | None = None
    # What it was compared with, where that was not a dummy (placebo) treatment.
    comparator: Fact | None = None
    # Why the source recommends against it (line 'against' only).
    against_reason: Fact | None = None


@_model
class Family(Facts):
    """A group of treatments; its facts apply to every member."""

    id: Id
    name: Text
    description: Text | None = None


@_model
class Treatment(Facts):
    """A treatment: a summary fact, sectioned facts, its family and its evidence records.

    `family` is set only where a source names the treatment as one of the family's kinds: then
    every family fact applies to it. `cautions_from` names a family whose sources do not name
    this treatment: only that family's cautions are shown for it, labelled as said of the family
    in general. `group` marks an entry that is a type of medicine rather than one medicine,
    linking the entries its graded members have."""

    id: Id
    name: Text
    aliases: list[Id] = field(default_factory=list)
    kind: Kind
    family: Id | None = None
    cautions_from: Id | None = None
    group: LinkedFact | None = None
    summary: Fact
    evidence: list[Id] = field(default_factory=list)


@_model
class Condition:
    """A condition: what the sources say of it, its symptoms, why it becomes chronic, its course
    over time, and how
    it stands to other conditions: a kind of one (`kind_of`), or a cause of one (`causes`)."""

    __pydantic_config__ = _FORMAT
    id: Id
    name: Text
    aliases: list[Id] = field(default_factory=list)
    about: list[Fact] = field(default_factory=list)
    symptoms: list[Fact] = field(default_factory=list)
    why_chronic: list[Fact] = field(default_factory=list)
    # How it goes over time, untreated or in general, as the sources say (IPDAS: the natural
    # course, stated beside every decision this condition is weighed for).
    course: list[Fact] = field(default_factory=list)
    effects: list[Fact] = field(default_factory=list)
    kind_of: list[LinkedFact] = field(default_factory=list)
    causes: list[LinkedFact] = field(default_factory=list)
    # Where a graded source says its recommendations do not cover this condition (NeuPSIG's
    # "all" leaves out trigeminal neuralgia): it inherits no graded medicine through the graph.
    outside_evidence: Fact | None = None


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
    """A document the catalogue is built from ('seed') or a supplementary one ('evidence'):
    what kind of document it is (`genre`), whether it promotes what it describes, and who
    published it and when, where known."""

    __pydantic_config__ = _FORMAT
    id: Id
    kind: Literal["seed", "evidence"]
    genre: Genre
    promotional: bool = False
    title: Text
    file: Text
    publisher: Text | None = None
    published: Text | None = None  # a year or a date, as the document gives it
    url: Text | None = None
    accessed: dt.date | None = None
    note: Text | None = None
    citation: Text | None = None
    doi: Text | None = None


@_model
class Meta:
    """The catalogue's version, when it was last reviewed, and what a reader of a decision aid
    needs to judge it by: who maintains it, how it is funded, what interests its authors
    declare, how it is reviewed, and when it will next be reviewed."""

    __pydantic_config__ = _FORMAT
    version: Text
    last_reviewed: dt.date
    maintained_by: Text | None = None
    funding: Text | None = None  # who pays for it; say "none" when no one does
    interests: Text | None = None  # interests its authors declare; "none declared" when none
    review: Text | None = None  # how, and how often, it is reviewed
    next_review: dt.date | None = None


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


@lean
class Origin:
    """Where an entry came from: the bundled catalogue (`file` None) or a user's file (an
    absolute path), and whether it replaces a bundled entry of the same id."""

    file: str | None = None
    replaces_bundled: bool = False


BUNDLED = Origin()


@dataclass(repr=False, eq=False)
class Catalogue:
    """A whole, cross-checked catalogue. Build it with `nervecli.reading.loader.load_catalogue`.

    Treatments and conditions are mappings, not dicts, so that a cache can read them lazily."""

    meta: Meta
    sources: dict[str, Source] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    treatments: Mapping[str, Treatment] = field(default_factory=dict)
    conditions: Mapping[str, Condition] = field(default_factory=dict)
    evidence: dict[str, EvidenceRecord] = field(default_factory=dict)
    evidence_notes: list[Fact] = field(default_factory=list)
    screening: dict[str, ScreeningTerm] = field(default_factory=dict)
    # Where each entry came from, keyed by (table, id); bundled entries may be absent.
    origins: Mapping[tuple[str, str], Origin] = field(default_factory=dict)
    # Versions declared by user catalogues laid over the bundled one: (file, meta).
    overlays: list[tuple[str, Meta]] = field(default_factory=list)
    _names: dict[str, Names] = field(default_factory=dict, repr=False, compare=False)

    def names(self, table: str) -> Names:
        """A name index over one table ('treatments' or 'conditions'), built once."""
        if table not in self._names:
            self._names[table] = MemoryNames(getattr(self, table).values())
        return self._names[table]

    def origin(self, table: str, ident: str) -> Origin:
        return self.origins.get((table, ident), BUNDLED)

    def stream(self, table: str) -> Iterator[Any]:
        """Every entry of one table once, in order, kept nowhere (a cache reads each row as it
        goes): for a walk over the whole catalogue that must not hold all of it."""
        return iter(getattr(self, table).values())

    # The one hook a search index has on the catalogue: the index it keeps, or where to keep a
    # newly built one. A catalogue read from its files keeps none (the domain builds one in
    # memory); one read from the cache keeps it in a file beside its own.

    def stored_search(self) -> Store | None:
        """The search index this catalogue keeps, or None."""
        return None

    def keep_search(self, build: Build) -> Store | None:
        """Keep a search index as it is built (drawing its texts), and give it back to query;
        None when it is not kept (then the domain builds one in memory)."""
        return None

    # Likewise for the listing index (`model.listing`): the one this catalogue keeps, made by
    # the code named by `stamp`, or where to keep a new one (a catalogue read from its files
    # keeps none: `list` builds one in memory).

    def stored_listing(self, stamp: str) -> ListingIndex | None:
        """The listing index this catalogue keeps, made by the code `stamp` names, or None."""
        return None

    def keep_listing(self, index: ListingIndex) -> None:
        """Keep a listing index for the next run (where it can be kept)."""

    def family_kinds(self, family: str) -> list[str]:
        """The ids of the treatments a source names as kinds of this family, in catalogue
        order (a cache answers without reading every treatment)."""
        return [t.id for t in self.treatments.values() if t.family == family]

    def fetch(self, table: str, ids: Sequence[str]) -> list[Any]:
        """These entries of one table (KeyError for one it does not hold): a catalogue that
        reads them lazily reads them in one go, and keeps none it had not kept already."""
        found: Mapping[str, Any] = getattr(self, table)
        return [found[i] for i in ids]
