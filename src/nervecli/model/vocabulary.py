"""The catalogue's closed vocabularies: small, so that the CLI can offer them as choices."""

from enum import Enum

KINDS = ("infusion", "injection", "procedure", "medicine", "device", "therapy", "self-care")
LINES = ("first", "second", "third", "against")
# How a list of treatments can be ordered.
SORTS = ("kind", "name", "nnt")
# What kind of document a source is.
GENRES = ("peer-reviewed", "web-article", "clinic-article")


class Word(str, Enum):
    """A member of a closed vocabulary: a string that prints, formats and compares as its
    value (so it can key a words table, a JSON object or an attribute lookup alike)."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)


class Question(Word):
    """The decision questions, in the order a decision aid asks them (Option Grid, Ottawa)."""

    HELP = "help"
    INVOLVES = "involves"
    TIMING = "timing"
    RISKS = "risks"
    AVOID = "avoid"
    UNDO = "undo"
    TRUST = "trust"


class TopicKey(Word):
    """The topics of `questions`, in the order they are asked."""

    AVOID = "avoid"
    RISKS = "risks"
    WARNING = "warning"
    LENGTH = "length"
    DOSE = "dose"  # a medicine's dose range as its evidence describes
    EXPECT = "expect"
    UNDO = "undo"
    PROVIDER = "provider"
    EVIDENCE = "evidence"


class Section(Word):
    """Where a text stands in the catalogue: an entry's sections (by their YAML keys), an
    evidence record's cited fields, and the names an entry is known by."""

    SUMMARY = "summary"
    GROUP = "group"
    WHAT_IT_IS = "what_it_is"
    HOW_GIVEN = "how_given"
    SESSION_LENGTH = "session_length"
    USED_FOR = "used_for"
    AVOID_IF = "avoid_if"
    SIDE_EFFECTS = "side_effects"
    HANDLING = "handling"
    MECHANISMS = "mechanisms"
    WARNING_SIGNS = "warning_signs"
    HIGHER_RISK = "higher_risk"
    RISK_REDUCTION = "risk_reduction"
    BENEFITS = "benefits"
    RELIEF = "relief"
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    REVERSIBILITY = "reversibility"
    ELIGIBILITY = "eligibility"
    CHOOSING_PROVIDER = "choosing_provider"
    ALTERNATIVES = "alternatives"
    ABOUT = "about"
    SYMPTOMS = "symptoms"
    WHY_CHRONIC = "why_chronic"
    COURSE = "course"
    EFFECTS = "effects"
    KIND_OF = "kind_of"
    CAUSES = "causes"
    EVIDENCE_NOTES = "evidence_notes"
    RECOMMENDATION = "recommendation"
    EFFECT = "effect"
    NOTE = "note"
    SIDE_EFFECTS_CITED = "side_effects_cited"
    NAME = "name"
    ALIAS = "alias"
