"""The catalogue's data model: what a source, a fact, a treatment and a condition are.

Pydantic models are the one definition of the catalogue format: they validate what the YAML
files hold (unknown fields, missing fields, wrong types) and can describe it as a JSON Schema.
Nothing here knows about terminals or output formats.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    """Catalogue text is printed to terminals: control characters (ANSI escapes) are refused."""
    bad = _CONTROL.search(text)
    if bad:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X}; "
            "catalogue text must be plain, printable text"
        )
    return text


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_printable)
]
Short = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_printable),
]

Kind = Literal["infusion", "injection", "procedure", "medicine", "device", "therapy", "self-care"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

NOT_STATED = "not stated in sources"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Fact(_Strict):
    """One statement, with the source it comes from and a word-for-word quote that supports it."""

    text: Text = Field(description="The fact in plain words.")
    source: Id = Field(description="The id of a declared source.")
    quote: Text = Field(description="Words copied exactly from the source that support the fact.")


class RouteFact(Fact):
    """How a treatment is given (IV, injection, hands-on ...)."""

    route: Short = Field(description="A short label for how it is given, e.g. 'IV'.")


class LinkedFact(Fact):
    """A fact that points at other catalogue entries (conditions or treatments)."""

    links: list[Id] = Field(default_factory=list, description="Ids of related entries.")


class Contraindication(Fact):
    """A reason the sources give not to have a treatment, or to discuss it first."""

    about: list[Id] = Field(
        default_factory=list,
        description="Tags for what the reason concerns (e.g. pregnancy, blood-thinners).",
    )


class SideEffect(Fact):
    """A side effect or risk, in the source's own words for how often and how serious."""

    name: Text = Field(description="A short name; equal names are the same side effect.")
    frequency: Text | None = Field(
        default=None, description="The source's own word for how often, e.g. 'very common'."
    )
    frequency_quote: Text | None = Field(
        default=None,
        description="Quote for the frequency word when the main quote does not contain it.",
    )
    severity: Text | None = Field(default=None, description="The source's words on seriousness.")
    course: Text | None = Field(
        default=None, description="The source's words on whether it is temporary or lasting."
    )
    handling: list[Fact] = Field(
        default_factory=list, description="How the side effect is handled, per the sources."
    )


@dataclass(frozen=True)
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


class Facts(_Strict):
    """The sectioned facts that a treatment, or a family of treatments, can carry."""

    what_it_is: list[Fact] = Field(default_factory=list)
    how_given: list[RouteFact] = Field(default_factory=list)
    session_length: list[Fact] = Field(default_factory=list)
    used_for: list[LinkedFact] = Field(default_factory=list)
    avoid_if: list[Contraindication] = Field(default_factory=list)
    side_effects: list[SideEffect] = Field(default_factory=list)
    warning_signs: list[Fact] = Field(default_factory=list)
    risk_reduction: list[Fact] = Field(default_factory=list)
    benefits: list[Fact] = Field(default_factory=list)
    relief: list[Fact] = Field(default_factory=list)
    before: list[Fact] = Field(default_factory=list)
    during: list[Fact] = Field(default_factory=list)
    after: list[Fact] = Field(default_factory=list)
    reversibility: list[Fact] = Field(default_factory=list)
    eligibility: list[Fact] = Field(default_factory=list)
    choosing_provider: list[Fact] = Field(default_factory=list)
    alternatives: list[LinkedFact] = Field(default_factory=list)

    def section(self, key: str) -> list[Fact]:
        """The facts written under one section key (derived sections included)."""
        if key == "handling":
            return [h for se in self.side_effects for h in se.handling]
        return list(getattr(self, key))


Printed = Annotated[
    str,
    StringConstraints(pattern=r"^\d+(\.\d+)? \(\d+(\.\d+)?-\d+(\.\d+)?\)$"),
    Field(description="A figure and its 95% CI exactly as the source prints it: '7.7 (6.5-9.4)'."),
]


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    printed: str

    @classmethod
    def parse(cls, printed: str) -> Estimate:
        value, low, high = (float(x) for x in re.findall(r"\d+(?:\.\d+)?", printed))
        return cls(value, low, high, printed)


class Citation(_Strict):
    """Where a figure comes from: a source and the words that state it."""

    source: Id
    quote: Text


Line = Literal["first", "second", "third", "against"]
LINES: tuple[str, ...] = Line.__args__  # type: ignore[attr-defined]


class EvidenceRecord(_Strict):
    """What a graded source says of one medicine: line of treatment, strength, NNT and NNH."""

    id: Id
    medicine: Text = Field(description="The medicine as the source names it.")
    line: Line
    strength: Literal["strong", "weak"] = Field(description="GRADE strength of the recommendation.")
    applies_to: Literal["all", "peripheral only"] | None = Field(
        default=None, description="Which neuropathic pain the recommendation covers."
    )
    recommendation: Citation
    nnt: Printed | None = None
    nnh: Printed | None = None
    effect: Citation | None = Field(default=None, description="The row that gives NNT and NNH.")
    note: Citation | None = Field(
        default=None, description="What the source adds, e.g. where it gives no figure."
    )
    side_effects: list[Text] = Field(default_factory=list)
    side_effects_cited: Citation | None = None


class Family(Facts):
    """A group of treatments; its facts apply to every member."""

    id: Id
    name: Text
    description: Text | None = None


class Treatment(Facts):
    id: Id
    name: Text
    aliases: list[Id] = Field(default_factory=list)
    kind: Kind
    family: Id | None = Field(default=None, description="The id of the family it belongs to.")
    summary: Fact = Field(description="A one-line summary, with its source.")
    evidence: list[Id] = Field(
        default_factory=list, description="Ids of evidence records for this treatment."
    )


class Condition(_Strict):
    id: Id
    name: Text
    aliases: list[Id] = Field(default_factory=list)
    about: list[LinkedFact] = Field(default_factory=list, description="What the sources say.")
    symptoms: list[Fact] = Field(default_factory=list)
    why_chronic: list[Fact] = Field(default_factory=list)


class ScreeningTerm(_Strict):
    """Something a person can say about themselves in `nervecli check`, matched against the
    `about` tags of contraindications."""

    id: Id
    asks: Literal["has", "takes", "pregnant"] = Field(
        description="Which check option names it: --has, --takes or --pregnant."
    )
    name: Text = Field(description="How it reads in a sentence: 'a bleeding disorder'.")
    aliases: list[Id] = Field(default_factory=list)


class Source(_Strict):
    id: Id
    kind: Literal["seed", "evidence"] = Field(
        description="'seed': a document the catalogue is built from; 'evidence': supplementary."
    )
    title: Text
    file: Text = Field(description="The document's file name.")
    note: Text | None = Field(default=None, description="Context a reader should know.")
    citation: Text | None = None
    doi: Text | None = None


class Meta(_Strict):
    version: Text
    last_reviewed: Annotated[dt.date, Field(strict=False)]


class CatalogueFile(_Strict):
    """What one YAML file may hold; a catalogue is the union of its files."""

    catalogue: Meta | None = None
    sources: list[Source] = Field(default_factory=list)
    families: list[Family] = Field(default_factory=list)
    treatments: list[Treatment] = Field(default_factory=list)
    conditions: list[Condition] = Field(default_factory=list)
    evidence: list[EvidenceRecord] = Field(default_factory=list)
    evidence_notes: list[Fact] = Field(
        default_factory=list, description="Caveats that apply to every evidence record."
    )
    screening: list[ScreeningTerm] = Field(default_factory=list)


@dataclass
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
