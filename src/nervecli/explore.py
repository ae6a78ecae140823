"""Ways in for someone who does not know treatment names: conditions, a personal check,
alternatives, questions for the doctor, and the sources behind every fact."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nervecli.errors import AmbiguousError, NerveError, NotFoundError
from nervecli.model import (
    Catalogue,
    Citation,
    Condition,
    Contraindication,
    Fact,
    LinkedFact,
    ScreeningTerm,
    SideEffect,
    Source,
    Treatment,
)
from nervecli.queries import (
    FactRef,
    MemoryNames,
    evidence_for,
    facts_for,
    linked_conditions,
    resolve,
    resolve_condition,
    resolve_treatment,
    routes,
)
from nervecli.walk import Cited, iter_cited

# --- conditions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionView:
    condition: Condition
    treatments: list[Treatment]
    related: list[Condition]


def treatments_for(catalogue: Catalogue, condition: Condition) -> list[Treatment]:
    """Treatments whose 'used for' facts (their own or their family's) link to the condition."""
    return [
        t
        for t in catalogue.treatments.values()
        if condition.id in {c.id for c in linked_conditions(catalogue, t)}
    ]


def condition_view(catalogue: Catalogue, name: str) -> ConditionView:
    condition = resolve_condition(catalogue, name)
    related_ids = _links_of(condition)
    related_ids += [c.id for c in catalogue.conditions.values() if condition.id in _links_of(c)]
    related = [catalogue.conditions[i] for i in dict.fromkeys(related_ids) if i != condition.id]
    return ConditionView(condition, treatments_for(catalogue, condition), related)


def _links_of(condition: Condition) -> list[str]:
    return [link for fact in condition.about for link in fact.links]


def all_conditions(catalogue: Catalogue) -> list[ConditionView]:
    return [condition_view(catalogue, c.id) for c in catalogue.conditions.values()]


# --- personal check ---------------------------------------------------------------------------

Level = Literal["discuss", "against", "nothing"]
LEVEL_ORDER: dict[str, int] = {"discuss": 0, "against": 1, "nothing": 2}
LEVEL_TEXT = {
    "discuss": "may be ruled out for you: discuss first",
    "against": "recommended against (for everyone)",
    "nothing": "nothing stated in sources",
}


_PROFILE_FORMAT = {"extra": "forbid"}  # checked by pydantic in read_profile


@dataclass(frozen=True, kw_only=True)
class Profile:
    """What `check` screens for; also the format of a `--profile` YAML file: `has` (conditions
    and situations), `takes` (medicines) and `pregnant`."""

    __pydantic_config__ = _PROFILE_FORMAT
    has: list[str] = field(default_factory=list)
    takes: list[str] = field(default_factory=list)
    pregnant: bool = False


def read_profile(path: Path) -> Profile:
    """A profile from a small YAML file; every problem reported as `FILE: field: message`."""
    import yaml
    from pydantic import TypeAdapter, ValidationError

    from nervecli.validation import message

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise NerveError(f"cannot read profile {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise NerveError(f"profile {path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise NerveError(f"profile {where}: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise NerveError(f"profile {path}: expected keys has, takes and pregnant")
    try:
        return TypeAdapter(Profile).validate_python(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {message(err)}"
            for err in exc.errors()
        ]
        raise NerveError(f"profile {path}: " + "; ".join(problems)) from None


@dataclass(frozen=True)
class Reason:
    text: str
    cited: Fact | Citation
    term: str  # which part of the profile raised it ('' for everyone)


@dataclass(frozen=True)
class Finding:
    treatment: Treatment
    level: Level
    reasons: list[Reason]


@dataclass(frozen=True)
class Screen:
    terms: list[ScreeningTerm]
    conditions: list[Condition]
    findings: list[Finding]
    unmatched: list[str] = field(default_factory=list)  # conditions no source links to a caution


def _term(catalogue: Catalogue, name: str, asks: Sequence[str]) -> ScreeningTerm | Condition:
    """A --has/--takes word: a screening term of the right kind, or (for --has) a condition."""
    pool: dict[str, ScreeningTerm | Condition] = {
        k: v for k, v in catalogue.screening.items() if v.asks in asks
    }
    if "has" in asks:
        pool.update(catalogue.conditions)
    what = "condition" if "has" in asks else "medicine to screen for"
    known = [k for k, v in catalogue.screening.items() if v.asks in asks]
    hint = "the sources name: " + ", ".join(known) + (" (or a condition)" if "has" in asks else "")
    return resolve(pool, MemoryNames(pool.values()), name, what, hint)  # type: ignore[type-var]


def screen(catalogue: Catalogue, profile: Profile) -> Screen:
    """For every treatment: may it be ruled out for this profile, per the sources, and why."""
    picked = [_term(catalogue, n, ("has", "pregnant")) for n in profile.has]
    picked += [_term(catalogue, n, ("takes",)) for n in profile.takes]
    if profile.pregnant:
        picked += [t for t in catalogue.screening.values() if t.asks == "pregnant"]
    terms = list({t.id: t for t in picked if isinstance(t, ScreeningTerm)}.values())
    conditions = list({c.id: c for c in picked if isinstance(c, Condition)}.values())
    wanted = {t.id: t for t in terms}
    findings = []
    for treatment in catalogue.treatments.values():
        reasons = [
            Reason(ref.fact.text, ref.fact, wanted[tag].name)
            for ref in facts_for(catalogue, treatment, "avoid_if")
            if isinstance(ref.fact, Contraindication)
            for tag in ref.fact.about
            if tag in wanted
        ]
        level: Level = "discuss" if reasons else "nothing"
        against = [r for r in evidence_for(catalogue, treatment) if r.line == "against"]
        if against and not reasons:
            level = "against"
        reasons += [
            Reason(f"{r.medicine}: {r.strength} recommendation against", r.recommendation, "")
            for r in against
        ]
        findings.append(Finding(treatment, level, _dedupe(reasons)))
    findings.sort(key=lambda f: LEVEL_ORDER[f.level])  # stable: catalogue order within a level
    unmatched = [c.name for c in conditions]
    return Screen(terms, conditions, findings, unmatched)


def _dedupe(reasons: list[Reason]) -> list[Reason]:
    merged: dict[str, Reason] = {}
    for r in reasons:
        if r.text in merged:
            old = merged[r.text]
            merged[r.text] = Reason(r.text, r.cited, f"{old.term}, {r.term}".strip(", "))
        else:
            merged[r.text] = r
    return list(merged.values())


# --- alternatives ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    treatment: Treatment
    why: str  # 'named by the sources' or 'also used for: ...'
    cited: Fact | None
    difference: str


def difference(catalogue: Catalogue, treatment: Treatment) -> str:
    """The one line that tells options apart: kind, how given, main risks the sources name."""
    how = ", ".join(routes(catalogue, treatment)) or "not stated in sources"
    names = [
        r.fact.name
        for r in facts_for(catalogue, treatment, "side_effects")
        if isinstance(r.fact, SideEffect)
    ]
    risks = ", ".join(list(dict.fromkeys(names))[:3]) or "not stated in sources"
    return f"{treatment.kind}; how given: {how}; main risks named: {risks}"


def alternatives(catalogue: Catalogue, name: str) -> tuple[Treatment, list[Alternative]]:
    treatment = resolve_treatment(catalogue, name)
    found: dict[str, Alternative] = {}
    for ref in facts_for(catalogue, treatment, "alternatives"):
        fact = ref.fact
        if not isinstance(fact, LinkedFact):
            continue
        for link in fact.links:
            other = catalogue.treatments.get(link)
            if other is not None and other.id != treatment.id and other.id not in found:
                found[other.id] = Alternative(
                    other, "named by the sources", fact, difference(catalogue, other)
                )
    mine = {c.id: c for c in linked_conditions(catalogue, treatment)}
    for other in catalogue.treatments.values():
        if other.id == treatment.id or other.id in found:
            continue
        shared = [c.name for c in linked_conditions(catalogue, other) if c.id in mine]
        if shared:
            why = "also used for: " + ", ".join(shared)
            found[other.id] = Alternative(other, why, None, difference(catalogue, other))
    return treatment, list(found.values())


# --- questions for the doctor ------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    text: str
    cited: Fact | Citation | None = None


@dataclass(frozen=True)
class QuestionGroup:
    title: str
    treatment: Treatment | None
    questions: list[Question]


GENERAL_QUESTIONS = (
    "What are my options, including the ones not listed here?",
    "What are the benefits and the risks of each option for me?",
    "What happens if I do nothing, or wait?",
    "How will we know whether a treatment is working, and what do we do if it is not?",
)


def questions(catalogue: Catalogue, names: Sequence[str]) -> list[QuestionGroup]:
    """Questions to take to the doctor, built from each treatment's facts, then general ones."""
    treatments = list({t.id: t for t in (resolve_treatment(catalogue, n) for n in names)}.values())
    groups = [QuestionGroup(t.name, t, _questions_for(catalogue, t)) for t in treatments]
    groups.append(QuestionGroup("In general", None, [Question(q) for q in GENERAL_QUESTIONS]))
    return groups


def _first(refs: list[FactRef]) -> Fact | None:
    return refs[0].fact if refs else None


def _questions_for(catalogue: Catalogue, t: Treatment) -> list[Question]:
    out: list[Question] = []

    def facts(key: str) -> list[FactRef]:
        return facts_for(catalogue, t, key)

    for ref in facts("avoid_if"):
        out.append(Question(f"The sources say: “{ref.fact.text}” Does this apply to me?", ref.fact))
    effects = [r for r in facts("side_effects") if isinstance(r.fact, SideEffect)]
    if effects:
        names = ", ".join(dict.fromkeys(r.fact.name for r in effects))  # type: ignore[attr-defined]
        out.append(
            Question(
                f"The sources name these side effects and risks: {names}. Which are most likely "
                "for me, how serious would they be, and what would we do about them?",
                effects[0].fact,
            )
        )
    else:
        out.append(Question("What side effects and risks does it have? (not stated in sources)"))
    for ref in facts("warning_signs"):
        out.append(
            Question(f"The sources say: “{ref.fact.text}” Who do I contact, and how?", ref.fact)
        )
    length = _first(facts("session_length"))
    out.append(
        Question(f"How long does it take, and how often? The sources say: “{length.text}”", length)
        if length
        else Question("How long does it take, and how often? (not stated in sources)")
    )
    expect = _first(facts("before") + facts("during") + facts("after"))
    out.append(
        Question("How should I prepare, and what will happen during and after?", expect)
        if expect
        else Question("What will happen before, during and after? (not stated in sources)")
    )
    reversible = _first(facts("reversibility"))
    out.append(
        Question(f"The sources say: “{reversible.text}” What does that mean for me?", reversible)
        if reversible
        else Question("Can it be stopped or undone if it does not suit me? (not stated in sources)")
    )
    for ref in facts("choosing_provider"):
        out.append(
            Question(
                f"The sources suggest: “{ref.fact.text}” Can you tell me about this?", ref.fact
            )
        )
    records = evidence_for(catalogue, t)
    if records:
        r = records[0]
        figure = f", NNT {r.nnt}" if r.nnt else ""
        out.append(
            Question(
                f"Graded sources rate {r.medicine} {r.line}-line ({r.strength}{figure}). "
                "How does that compare with my other options?",
                r.recommendation,
            )
        )
    else:
        out.append(
            Question("The graded sources do not rate it: what evidence is there that it works?")
        )
    return out


# --- sources ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceView:
    source: Source
    uses: list[Cited]


def sources_overview(catalogue: Catalogue) -> list[SourceView]:
    return [source_view(catalogue, s.id) for s in catalogue.sources.values()]


def source_view(catalogue: Catalogue, name: str) -> SourceView:
    source = resolve_source(catalogue, name)
    return SourceView(source, [c for c in iter_cited(catalogue) if c.citation.source == source.id])


def resolve_source(catalogue: Catalogue, name: str) -> Source:
    """A source by id, by the start of its id, or by the start of its file name."""
    key = name.strip().lower()
    if key in catalogue.sources:
        return catalogue.sources[key]
    matches = {
        s.id: s
        for s in catalogue.sources.values()
        if s.id.startswith(key) or s.file.lower().startswith(key)
    }
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        raise AmbiguousError("source", name, list(matches))
    close = difflib.get_close_matches(key, list(catalogue.sources), n=3, cutoff=0.5)
    raise NotFoundError("source", name, close)


def owner_name(catalogue: Catalogue, owner: str) -> str:
    """The display name of the entry that holds a quote."""
    for table in (catalogue.treatments, catalogue.families, catalogue.conditions):
        if owner in table:
            return table[owner].name
    if owner.startswith("evidence:"):
        return f"Evidence record {owner.removeprefix('evidence:')}"
    return owner.replace("-", " ").capitalize()
