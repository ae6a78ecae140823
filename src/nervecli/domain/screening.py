"""A personal screen (`check`): for every treatment, whether the sources raise something for
what a person has, takes or is (pregnant), and why."""

from __future__ import annotations

from dataclasses import field
from typing import Literal

from nervecli.domain.conditions import line_rank
from nervecli.domain.lookup import resolve_term
from nervecli.facts.applicable import FactRef, evidence_for, facts_for, members
from nervecli.model.catalogue import (
    Catalogue,
    Citation,
    Condition,
    Contraindication,
    EvidenceRecord,
    ScreeningTerm,
    Treatment,
    lean,
)
from nervecli.model.errors import NotFoundError
from nervecli.model.profile import Profile

# discuss: a contraindication names this profile; against: graded sources recommend against
# it for neuropathic pain (for everyone); nothing: the sources are silent for this profile.
Level = Literal["discuss", "against", "nothing"]
LEVELS: tuple[Level, ...] = ("discuss", "against", "nothing")


@lean
class Reason:
    ref: FactRef | None  # the contraindication, or None for a recommendation against
    record: EvidenceRecord | None
    terms: list[str]  # the parts of the profile it concerns (empty: for everyone)

    @property
    def cited(self) -> FactRef | Citation:
        if self.ref is not None:
            return self.ref
        assert self.record is not None
        return self.record.recommendation


@lean
class Finding:
    treatment: Treatment
    level: Level
    reasons: list[Reason]
    evidence: list[EvidenceRecord] = field(default_factory=list)  # its graded evidence
    members: list[Treatment] = field(default_factory=list)  # a type of medicine's graded ones


@lean
class Screen:
    terms: list[ScreeningTerm]
    conditions: list[Condition]
    findings: list[Finding]
    # Conditions given with --has that no contraindication names.
    unmatched: list[Condition] = field(default_factory=list)
    # What was given that the sources do not name at all: (as given, 'has' or 'takes'), with
    # the names they do use for it and the closest of them, if any.
    unknown: list[Unknown] = field(default_factory=list)


@lean
class Unknown:
    given: str
    asks: str  # "has" or "takes"
    known: list[str]  # the screening terms the sources do use for it
    suggestions: list[str]


def _pick(
    catalogue: Catalogue, name: str, asks: tuple[str, ...], unknown: list[Unknown]
) -> ScreeningTerm | Condition | None:
    """A term or condition by name; one the sources do not name is noted, never guessed."""
    try:
        return resolve_term(catalogue, name, asks)
    except NotFoundError as exc:
        unknown.append(Unknown(name, asks[0], exc.known, exc.suggestions))
        return None


def screen(catalogue: Catalogue, profile: Profile) -> Screen:
    """For every treatment: may it be ruled out for this profile, per the sources, and why.
    Findings the sources raise come first; within a level, graded treatments by line."""
    unknown: list[Unknown] = []
    picked = [_pick(catalogue, n, ("has", "pregnant"), unknown) for n in profile.has]
    picked += [_pick(catalogue, n, ("takes",), unknown) for n in profile.takes]
    if profile.pregnant:
        picked += [t for t in catalogue.screening.values() if t.asks == "pregnant"]
    terms = list({t.id: t for t in picked if isinstance(t, ScreeningTerm)}.values())
    conditions = list({c.id: c for c in picked if isinstance(c, Condition)}.values())
    wanted = {t.id: t for t in terms}
    findings = []
    for treatment in catalogue.treatments.values():
        reasons: dict[int, Reason] = {}
        for ref in facts_for(catalogue, treatment, "avoid_if"):
            fact = ref.fact
            if not isinstance(fact, Contraindication):
                continue
            for tag in fact.about:
                if tag in wanted:
                    reason = reasons.setdefault(id(fact), Reason(ref, None, []))
                    reason.terms.append(wanted[tag].name)
        level: Level = "discuss" if reasons else "nothing"
        graded = evidence_for(catalogue, treatment)
        against = [r for r in graded if r.line == "against"]
        if against and not reasons:
            level = "against"
        found = list(reasons.values()) + [Reason(None, r, []) for r in against]
        findings.append(Finding(treatment, level, found, graded, members(catalogue, treatment)))
    findings.sort(key=lambda f: (LEVELS.index(f.level), line_rank(catalogue, f.treatment)))
    return Screen(terms, conditions, findings, conditions, unknown)
