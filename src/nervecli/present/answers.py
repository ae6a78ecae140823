"""The decision questions worded: the items that answer each question for an option, or for what
all options share."""

from __future__ import annotations

from collections.abc import Sequence

from nervecli.domain.decision import Decision, Option
from nervecli.facts.applicable import FactRef
from nervecli.model.catalogue import Citation, EvidenceRecord, Fact, SideEffect, Source, Treatment
from nervecli.model.vocabulary import Question
from nervecli.output import words as w
from nervecli.output.document import Document, Icons, Item, Style
from nervecli.present.common import Citer, all_label, said_of


def side_effect_words(fact: SideEffect, frequency: bool = False) -> str:
    """'nausea', 'overdose (can be serious and even life-threatening)'; with `frequency`,
    'nerve damage (rare but possible; more serious)'."""
    said = [x for x in (fact.frequency if frequency else None, fact.severity, fact.course) if x]
    name = w.plain(fact.name)
    return f"{name} ({'; '.join(said)})" if said else name


def _by_label(
    refs: list[FactRef], treatment: Treatment | None
) -> list[tuple[str | None, list[FactRef]]]:
    """The facts apart by who they are said of: the option's own first, then each family's
    (labelled), never one line mixing them."""
    parts: dict[str | None, list[FactRef]] = {None: []}
    for r in refs:
        parts.setdefault(said_of(r, treatment), []).append(r)
    return [(label, part) for label, part in parts.items() if part]


def risk_items(
    citer: Citer, refs: list[FactRef], treatment: Treatment | None, serious: Sequence[Fact]
) -> list[Item]:
    """Risks in a few lines: those the sources call serious first (the option's own, then
    those a family states, labelled), then the rest grouped by the sources' own frequency
    words; a family's risks are never put in one line with the option's own."""
    effects = [r for r in refs if isinstance(r.fact, SideEffect)]
    first: list[Item] = []
    rest: list[Item] = []
    for label, mine in _by_label(effects, treatment):
        lead = f"{label}. " if label else ""  # every line a family states says so
        grave = [r for r in mine if any(r.fact is f for f in serious)]
        if grave:
            names = "; ".join(side_effect_words(r.fact, True) for r in grave)  # type: ignore[arg-type]
            first.append(
                citer.item(
                    [r.fact for r in grave], f"{lead}{w.SERIOUS_LEAD}: {names}.", essential=True
                )
            )
        groups: dict[str, list[FactRef]] = {}
        for r in mine:
            if r not in grave:
                groups.setdefault(r.fact.frequency or "", []).append(r)  # type: ignore[attr-defined]
        for frequency, group in groups.items():
            names = ", ".join(side_effect_words(r.fact) for r in group)  # type: ignore[arg-type]
            if frequency:
                words = w.capital(frequency)
            else:
                words = "Also" if grave or len(groups) > 1 else "How often is not said"
            rest.append(citer.item([r.fact for r in group], f"{lead}{words}: {names}."))
    return first + rest


def fact_items(citer: Citer, refs: list[FactRef], treatment: Treatment | None) -> list[Item]:
    """The option's own facts one by one; then those a family states for its members, after a
    label saying they are said of the family in general; then those said of a family it is
    not named in, in one labelled item."""
    items = []
    for label, part in _by_label(refs, treatment):
        if label is None:
            items += [citer.fact(r.fact) for r in part]
        elif not part[0].general:  # stated for its members: the label, then fact by fact
            items.append(Item(f"{label}:", style=Style.LABEL))
            items += [citer.fact(r.fact) for r in part]
        else:
            texts = " ".join(w.plain(r.fact.text) for r in part)
            items.append(citer.item([r.fact for r in part], f"{label}: {texts}"))
    return items


def evidence_items(
    citer: Citer, record: EvidenceRecord, brief: bool = False, named: bool = False
) -> list[Item]:
    """A graded record: its grade, then benefit and stopping for side effects on one scale (how
    many more in 100, with the 95% range, each as a 10 by 10 icon array), what the trials
    compared it with where that was not a dummy treatment, and the quality and number of trials."""
    source = citer.source(record.recommendation)
    year = f", {source.published}" if source and source.published else ""
    grade = f"{w.grade(record)} (graded evidence{year})."
    graded = f"{w.capital(record.medicine)}: {grade}" if named else w.capital(grade)
    items = [citer.item([record.recommendation], graded, essential=True)]
    if record.line == "against":
        if record.against_reason is not None:
            items.append(citer.fact(record.against_reason))
        return items
    cited = [record.effect] if record.effect else [record.recommendation]
    for sentence, printed in ((w.helps(record), record.nnt), (w.stops(record), record.nnh)):
        if sentence and printed:
            icons = Icons(w.in_100(printed)[0], 100, sentence + ".")
            items.append(citer.item(cited, sentence + ".", icons=icons, essential=True))
    if not record.nnt:
        note = f" {record.note.quote}" if record.note else ""
        items.append(
            citer.item([record.note or record.recommendation], f"{w.NO_BENEFIT_FIGURE}{note}")
        )
    if not record.nnh:
        items.append(citer.item(cited, w.NO_HARM_FIGURE, essential=True))
    if record.comparator is not None:
        items.append(citer.fact(record.comparator))
    said = w.quality(record)
    if said:
        by = [c for c in (record.quality_cited, record.trials_cited) if c is not None]
        items.append(citer.item(by or cited, said, essential=True))
    return items


def answer_items(
    citer: Citer,
    option: Option | None,
    question: Question,
    refs: list[FactRef],
    serious: Sequence[Fact] = (),
) -> list[Item]:
    """The items that answer one question: for an option (`refs` its answer), or for what
    all options share (`option` None)."""
    treatment = option.treatment if option else None
    if question is Question.HELP and option is not None:
        items: list[Item] = []
        if option.members and option.treatment.group is not None:
            names = " and ".join(m.name for m in option.members)
            items.append(
                citer.item(
                    [option.treatment.group],
                    f"A type of medicine, not one medicine; the graded sources grade {names} "
                    "one by one.",
                )
            )
        named = len(option.evidence) > 1
        for record in option.evidence:
            items += evidence_items(citer, record, named=named)
        if not option.evidence and not (option.members and option.treatment.group):
            items.append(Item(w.capital(w.NOT_GRADED) + ".", style=Style.STRONG))
        return items + fact_items(citer, refs, treatment)
    if question is Question.RISKS:
        return risk_items(citer, refs, treatment, serious)
    if question is Question.INVOLVES and option is not None:
        doses = {id(r.dose): r for r in option.evidence if r.dose is not None}
        items = []
        for ref in refs:
            dosed = doses.get(id(ref.fact))
            if dosed is None:
                continue
            lead = f"{w.capital(dosed.medicine)}: " if len(doses) > 1 else ""
            items.append(citer.fact(ref.fact, f"{lead}{w.plain(ref.fact.text)} {w.DOSE_NOTE}"))
        rest = [r for r in refs if id(r.fact) not in doses]
        return fact_items(citer, rest, treatment) + items
    if question is Question.TRUST and option is not None:
        kinds: dict[str, list[Source]] = {}
        for source in option.sources:
            kinds.setdefault(
                w.GENRES[source.genre] + (", promotional" if source.promotional else ""), []
            ).append(source)
        items = []
        for kind, found in kinds.items():
            dates = " and ".join(dict.fromkeys(s.published or "undated" for s in found))
            cited = [Citation(source=s.id, quote="") for s in found]
            items.append(
                Item(
                    w.capital(f"{kind.split(', ')[0]}, {dates}{kind[len(kind.split(', ')[0]) :]}"),
                    citer.notes(cited),
                )
            )
        return items
    return fact_items(citer, refs, treatment)


def flags(citer: Citer, options: list[Option]) -> list[Item]:
    """Options whose sources describe them for another kind of pain."""
    out = []
    for o in options:
        if not o.for_nerve_pain:
            names = " and ".join(c.name.lower() for c in o.described_for)
            facts = [r.fact for r in o.used_for]
            out.append(
                citer.item(
                    facts,
                    f"Note: the sources describe {o.treatment.name} for {names}, "
                    "not for nerve pain.",
                    Style.STRONG,
                )
            )
    return out


def decision_items(doc: Document, citer: Citer, decision: Decision) -> None:
    """The decision in plain words, what the sources say each option is for (in the catalogue's
    words, hedges kept, a family's facts labelled as said of it in general and stated once
    where every option shares them), and what they say happens without treatment (IPDAS: the
    decision stated, the natural course)."""
    options = decision.options
    names = [o.treatment.name for o in options]
    doc.para(Item(f"{w.DECISION_HEADING}: {w.decision(names)}", style=Style.STRONG))
    shared = _shared_uses(options)
    items = []
    for o in options:
        name = o.treatment.name
        parts = _by_label([r for r in o.used_for if r.fact not in shared], o.treatment)
        if not parts and not shared:
            items.append(Item(w.not_said_what_for(name)))
        for label, part in parts:  # its own first, then each family's, labelled
            lead = name if label is None else f"{name}, {w.uncapital(label)}"
            items.append(_uses_item(citer, lead, part))
    if shared:
        first = [r for r in options[0].used_for if r.fact in shared]
        label = w.uncapital(said_of(first[0], None) or "")
        items.append(_uses_item(citer, f"{all_label(len(options))}, {label}", first))
    doc.bullets(items, w.uses_label(len(options)))
    if decision.course:
        doc.para(
            citer.item(
                decision.course,
                w.without_treatment(" ".join(w.sentence(f.text) for f in decision.course)),
            )
        )
    else:
        doc.para(Item(w.WITHOUT_TREATMENT))


def _shared_uses(options: list[Option]) -> list[Fact]:
    """The family facts every option compared has, the same family's: stated once."""
    if len(options) < 2:
        return []
    first, *rest = options
    return [
        r.fact
        for r in first.used_for
        if r.family is not None
        and all(any(x.fact == r.fact and x.family == r.family for x in o.used_for) for o in rest)
    ]


def _uses_item(citer: Citer, lead: str, refs: list[FactRef]) -> Item:
    """'Steroid infusion, said of infusion therapy in general (...): Often used for ...'"""
    facts = [r.fact for r in refs]
    return citer.item(facts, f"{lead}: {' '.join(w.sentence(f.text) for f in facts)}")
