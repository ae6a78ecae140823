"""The content rules: a fact may say only what its quote says, as surely as the quote says it.

They run in the loader for every catalogue, bundled or a clinic's, so `validate` and every cold
start apply them alike; each problem is reported at its place as FILE:LINE:COLUMN.

- certainty: a frequency or certainty word ('always', 'usually', 'completely', ...) in a fact's
  text must be in its quote, or a word counted as the same;
- hedges: a hedge in the quote ('may', 'can', 'often', 'most commonly', ...) must survive into
  the text of a fact that states a claim (side-effect lists, alternatives and the condition
  graph, which name rather than claim, are exempt);
- frequencies: a side effect's frequency must be in its quote (or its frequency_quote);
- grades and figures: an evidence record's line, strength, scope, NNT, NNH, side effects,
  quality and trial count must stand in the quotes that cite them;
- groups: a family fact said only of some members names members of that family; a type of
  medicine carries no evidence records of its own; a side effect 'particularly' of one
  medicine is listed only for that medicine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from nervecli.model.catalogue import (
    Catalogue,
    Condition,
    Estimate,
    EvidenceRecord,
    Fact,
    Family,
    SideEffect,
    Treatment,
)
from nervecli.model.walk import evidence_facts, owned_facts

# report(table, entry id, object within the entry or None, field (or field and index), message)
Report = Callable[[str, str, Any, "str | tuple[str, int] | None", str], None]

# Frequency and certainty words: a fact may use one only if its quote has it, or a word counted
# as the same.
CERTAINTY = (
    "usually",
    "always",
    "never",
    "often",
    "rarely",
    "significantly",
    "completely",
    "commonly",
    "frequently",
    "most",
    "cures",
    "cure",
    "guaranteed",
    "definitely",
    "certainly",
    "every",
    "all",
)
CERTAINTY_SAME = {
    "often": {"often", "commonly", "frequently"},
    "commonly": {"commonly", "often"},
    "most": {"most", "majority"},
    "significantly": {"significantly", "significant"},
    "cures": {"cure", "cures"},
    "cure": {"cure", "cures"},
    "every": {"every", "everyone", "all"},
    "all": {"all", "every", "everyone"},
}
# Hedges and frequency words a claim may not drop: each with the words that keep it.
HEDGES = (
    "may",
    "might",
    "could",
    "can",
    "potentially",
    "often",
    "generally",
    "usually",
    "sometimes",
    "some",
    "commonly",
    "rare",
    "rarely",
)
HEDGE_SAME = {
    "may": {"may", "can", "might", "could"},
    "might": {"might", "may", "can", "could"},
    "could": {"could", "may", "can", "might"},
    "can": {"can", "may", "could", "might"},
    "potentially": {"potentially", "may", "might"},
    "often": {"often", "commonly", "frequently", "usually"},
    "commonly": {"commonly", "often", "common"},
    "some": {"some", "sometimes"},
    "rare": {"rare", "rarely"},
    "rarely": {"rare", "rarely"},
}
# Sections whose facts name things (side effects, alternatives, links) rather than claim them.
NAMING_SECTIONS = frozenset({"side_effects", "alternatives", "kind_of", "causes", "group"})


_WORD = re.compile(r"[a-z]+")
_CERTAIN = frozenset(CERTAINTY)
_HEDGED = frozenset(HEDGES)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def stated(fact: Fact) -> str:
    """Everything a fact says: its text, and a side effect's frequency, severity and course."""
    if isinstance(fact, SideEffect):
        parts = (fact.text, fact.frequency, fact.severity, fact.course)
        return " ".join(p for p in parts if p)
    return fact.text


def _claimed(fact: Fact) -> str:
    """What a fact claims for the certainty rule: a side effect's `frequency` has its own."""
    if isinstance(fact, SideEffect):
        return " ".join(p for p in (fact.text, fact.severity, fact.course) if p)
    return fact.text


def _added(text: set[str], quote: set[str]) -> list[str]:
    if not text & _CERTAIN:
        return []
    return [w for w in CERTAINTY if w in text and not (CERTAINTY_SAME.get(w, {w}) & quote)]


def _dropped(text: set[str], quote: set[str]) -> list[str]:
    if not quote & _HEDGED:
        return []
    return [h for h in HEDGES if h in quote and not (HEDGE_SAME.get(h, {h}) & text)]


def _quote_words(fact: Fact) -> set[str]:
    quote = _words(fact.quote)
    if isinstance(fact, SideEffect) and fact.frequency_quote:
        quote |= _words(fact.frequency_quote)
    return quote


def certainty_added(fact: Fact) -> list[str]:
    """Certainty or frequency words in what a fact says that its quote lacks (a side effect's
    `frequency` has its own rule)."""
    return _added(_words(_claimed(fact)), _quote_words(fact))


def hedge_dropped(fact: Fact) -> list[str]:
    """Hedges and frequency words in a fact's quote that nothing it says keeps."""
    return _dropped(_words(stated(fact)), _words(fact.quote))


_ANY_CERTAIN = re.compile("|".join(sorted(CERTAINTY, key=len, reverse=True)))
_ANY_HEDGE = re.compile("|".join(sorted(HEDGES, key=len, reverse=True)))


def _may_hold(text: str, words: re.Pattern[str]) -> bool:
    """A quick look (substrings) for whether a text could hold any of the words a rule looks
    at: most facts hold none, and a false alarm only costs the full check."""
    return words.search(text.lower()) is not None


def check_fact_words(table: str, owner: str, section: str, fact: Fact, report: Report) -> None:
    certain = _may_hold(_claimed(fact), _ANY_CERTAIN)
    hedged = section not in NAMING_SECTIONS and _may_hold(fact.quote, _ANY_HEDGE)
    if certain or hedged:
        _check_words(table, owner, section, fact, report)
    if (
        isinstance(fact, SideEffect)
        and fact.frequency
        and _squash(fact.frequency) not in _squash(fact.frequency_quote or fact.quote)
    ):
        report(
            table,
            owner,
            fact,
            "frequency",
            f"frequency '{fact.frequency}' is not in its quote (add frequency_quote)",
        )


def _check_words(table: str, owner: str, section: str, fact: Fact, report: Report) -> None:
    quote = _words(fact.quote)
    claimed = _words(_claimed(fact))
    if claimed & _CERTAIN:
        extra = (
            _words(fact.frequency_quote)
            if isinstance(fact, SideEffect) and fact.frequency_quote
            else set()
        )
        added = _added(claimed, quote | extra)
        if added:
            words = ", ".join(f"'{w}'" for w in added)
            report(table, owner, fact, "text", f"says {words}, which its quote does not")
    if section not in NAMING_SECTIONS and quote & _HEDGED:
        said = _words(stated(fact)) if isinstance(fact, SideEffect) else claimed
        dropped = _dropped(said, quote)
        if dropped:
            words = ", ".join(f"'{w}'" for w in dropped)
            report(table, owner, fact, "text", f"drops its quote's {words}: keep the hedge")


def _cells(row: str) -> list[str]:
    """A quoted table row's cells: '| x | high | 14 |' -> ['x', 'high', '14']."""
    return [_squash(c) for c in row.strip(" |").split("|")]


def implausible(figure: Estimate) -> str | None:
    """Why a printed NNT or NNH cannot be one, if it cannot: each is one over a difference of
    two proportions, so at least 1, and its 95% range holds it."""
    if min(figure.value, figure.low, figure.high) < 1:
        return "cannot be below 1 (one person in so many)"
    if not figure.low <= figure.value <= figure.high:
        return "is outside its own 95% range"
    return None


def check_evidence(record: EvidenceRecord, report: Report) -> None:
    """Every grade and figure must be the source's own words, found in the quote that cites it."""

    def problem(field: str | tuple[str, int], message: str) -> None:
        report("evidence", record.id, None, field, message)

    rec = _squash(record.recommendation.quote)
    for field, word in (
        ("line", record.line),
        ("strength", record.strength),
        ("applies_to", record.applies_to),
    ):
        if word and f" {word} " not in f" {rec} ":
            problem(field, f"'{word}' is not in its recommendation quote")
    for field, figure in (("nnt", record.nnt), ("nnh", record.nnh)):
        if figure and (record.effect is None or figure not in record.effect.quote):
            problem(field, f"{field} '{figure}' is not in its effect quote")
        if figure:
            why = implausible(Estimate.parse(figure))
            if why:
                problem(field, f"{field} '{figure}' {why}")
    if record.trials is not None and record.trials < 1:
        problem("trials", f"trials {record.trials} is not a count of trials (at least 1)")
    if record.quality is not None or record.trials is not None:
        if record.quality_cited is None:
            problem("quality", "quality and trials need quality_cited (the Table 3 row)")
        else:
            cells = _cells(record.quality_cited.quote)
            if record.quality is not None and (len(cells) < 2 or cells[1] != record.quality):
                problem("quality", f"quality '{record.quality}' is not in its quote's column")
            if record.trials is not None and cells[-1] != str(record.trials):
                problem("trials", f"trials '{record.trials}' is not its quote's last column")
    if record.trials is not None:
        if record.trials_cited is None:
            problem("trials", "trials need trials_cited (the source that counts them)")
        elif _cells(record.trials_cited.quote)[-1] != str(record.trials):
            problem(
                "trials", f"trials '{record.trials}' is not its trials_cited quote's last column"
            )
    if record.against_reason is not None and record.line != "against":
        problem("against_reason", "against_reason is only for a medicine recommended against")
    if record.side_effects and record.side_effects_cited is None:
        problem("side_effects", "side_effects need side_effects_cited")
    elif record.side_effects_cited is not None:
        said = _squash(record.side_effects_cited.quote)
        for i, name in enumerate(record.side_effects):
            if _squash(name) not in said:
                problem(("side_effects", i), f"side effect '{name}' is not in its quote")
    for _, fact in evidence_facts(record):
        check_fact_words("evidence", record.id, "evidence", fact, report)


def check_members(catalogue: Catalogue, report: Report) -> None:
    """A family fact said only of some members must name members of that family."""
    for family in catalogue.families.values():
        members = {t.id for t in catalogue.treatments.values() if t.family == family.id}
        for _, fact in owned_facts(family):
            for i, member in enumerate(fact.members):
                if member not in members:
                    report(
                        "families",
                        family.id,
                        fact,
                        ("members", i),
                        f"'{member}' is not a member of '{family.id}' (its `family`)",
                    )


def check_types(catalogue: Catalogue, report: Report) -> None:
    """A type of medicine (`group`) carries no line of treatment itself: its members are
    graded one by one, and their records are theirs."""
    for treatment in catalogue.treatments.values():
        if treatment.group is not None and treatment.evidence:
            report(
                "treatments",
                treatment.id,
                None,
                "evidence",
                "a type of medicine (`group`) carries no evidence records: its members do",
            )


def check_qualifiers(record: EvidenceRecord, report: Report) -> None:
    """A side effect qualified as 'particularly' one medicine is listed only for that one."""
    named = _words(record.medicine)
    for i, name in enumerate(record.side_effects):
        for qualifier in re.findall(r"\(particularly ([^)]*)\)", name):
            if not _words(qualifier) & named:
                report(
                    "evidence",
                    record.id,
                    None,
                    ("side_effects", i),
                    f"'{name}' names another medicine than {record.medicine!r}",
                )


def check_owner(table: str, owner: Family | Treatment | Condition, report: Report) -> None:
    """The rules on each fact of one family, treatment or condition."""
    for section, fact in owned_facts(owner):
        check_fact_words(table, owner.id, section, fact, report)


def check_note(index: str, fact: Fact, report: Report) -> None:
    check_fact_words("evidence_notes", index, "evidence_notes", fact, report)


def check_record(record: EvidenceRecord, report: Report) -> None:
    """The rules on one evidence record."""
    check_evidence(record, report)
    check_qualifiers(record, report)


def check_groups(catalogue: Catalogue, report: Report) -> None:
    """The rules that need the whole catalogue (a family's members, a type's records)."""
    check_members(catalogue, report)
    check_types(catalogue, report)


def check_content(catalogue: Catalogue, report: Report) -> None:
    """Every content rule, over every fact and evidence record of a catalogue. (The loader
    applies the rules on single entries file by file, as each file is read, and then
    `check_groups`: the same rules, in the same order.)"""
    owners: Iterable[tuple[str, Family | Treatment | Condition]] = [
        *(("families", f) for f in catalogue.families.values()),
        *(("treatments", t) for t in catalogue.treatments.values()),
        *(("conditions", c) for c in catalogue.conditions.values()),
    ]
    for table, owner in owners:
        check_owner(table, owner, report)
    for i, fact in enumerate(catalogue.evidence_notes):
        check_note(str(i), fact, report)
    for record in catalogue.evidence.values():
        check_record(record, report)
    check_groups(catalogue, report)
