"""Every command's answer as a document: the words, the order, the citations and the JSON
record, once for every format. Drawers (`draw_*`) only print documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from nervecli.domain.decision import (
    QUESTIONS,
    Decision,
    Detail,
    Option,
    is_serious,
    sources_of,
)
from nervecli.domain.listing import members
from nervecli.facts.applicable import FactRef, evidence_for, facts_for, routes
from nervecli.model.catalogue import (
    Catalogue,
    Citation,
    Condition,
    EvidenceRecord,
    Fact,
    Family,
    LinkedFact,
    Origin,
    SideEffect,
    Source,
    Treatment,
)
from nervecli.model.errors import Problem
from nervecli.output import words as w
from nervecli.output.document import (
    Bullets,
    Code,
    Document,
    Footnote,
    Grid,
    Heading,
    Icons,
    Item,
    NotesSpace,
    Para,
    Row,
)

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.alternatives import Alternative
    from nervecli.domain.conditions import Broader, ConditionAnswer
    from nervecli.domain.listing import Listing
    from nervecli.domain.questions import TreatmentQuestions
    from nervecli.domain.screening import Screen
    from nervecli.domain.search import Hit
    from nervecli.domain.sources import SourceUses
from nervecli.output.records import (
    condition_brief,
    evidence_record,
    fact_record,
    family_record,
    meta_record,
    source_record,
    treatment_brief,
)


def _quotes(cited: Sequence[Fact | Citation]) -> str | None:
    """The quote an item rests on; a merged line's quotes, each once, drawn as “a” “b”."""
    said = list(dict.fromkeys(c.quote for c in cited if c.quote))
    return "” “".join(said) if said else None


class Citer:
    """Footnote numbers for sources: a source's number is its place in the catalogue, so the
    same source has the same number in every view and every handout."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.numbers = {sid: n for n, sid in enumerate(catalogue.sources, 1)}
        self.used: set[str] = set()
        self.quoted: dict[str, dict[str, None]] = {}  # source id -> quotes cited, in order

    def source(self, c: Fact | Citation) -> Source | None:
        return self.catalogue.sources.get(c.source)

    def notes(self, cited: Iterable[Fact | Citation]) -> tuple[int, ...]:
        cited = list(cited)
        ids = {c.source for c in cited if c.source in self.numbers}
        self.used |= ids
        for c in cited:
            if c.quote and c.source in self.numbers:
                self.quoted.setdefault(c.source, {})[c.quote] = None
        return tuple(sorted(self.numbers[i] for i in ids))

    def promotional(self, cited: Iterable[Fact | Citation]) -> bool:
        return any((s := self.source(c)) is not None and s.promotional for c in cited)

    def item(
        self, cited: Sequence[Fact | Citation], text: str, style: str = "", **extra: Any
    ) -> Item:
        return Item(
            text,
            self.notes(cited),
            self.promotional(cited),
            style,
            quote=_quotes(cited),
            **extra,
        )

    def fact(self, fact: Fact, text: str | None = None, style: str = "") -> Item:
        return self.item([fact], w.plain(fact.text) if text is None else text, style)

    def footnotes(self) -> list[Footnote]:
        return [
            Footnote(
                n,
                w.source_line(self.catalogue.sources[sid]),
                self.catalogue.sources[sid].promotional,
                list(self.quoted.get(sid, {})),
            )
            for sid, n in self.numbers.items()
            if sid in self.used
        ]

    def records(self) -> list[dict[str, Any]]:
        return [
            source_record(self.catalogue.sources[sid], n)
            for sid, n in self.numbers.items()
            if sid in self.used
        ]


def _finish(doc: Document, citer: Citer, record: dict[str, Any]) -> Document:
    meta = citer.catalogue.meta
    doc.footnotes = citer.footnotes()
    doc.footer = [
        f"Catalogue {meta.version}, last reviewed {meta.last_reviewed.isoformat()}"
        + (f", next review {meta.next_review.isoformat()}." if meta.next_review else "."),
        w.DISCLAIMER,
    ]
    if doc.handout:  # the version and review dates are in "About this guide"
        doc.about = w.about_guide(meta)
        doc.made = _today()
        doc.footer = [w.DISCLAIMER]
    doc.record = {
        **record,
        "silent_about": list(doc.silent),
        "sources": citer.records(),
        "catalogue": meta_record(meta),
        "disclaimer": w.DISCLAIMER,
    }
    return doc


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def _dim(text: str) -> Item:
    return Item(text, style="dim")


def _hint(text: str) -> Item:
    """A command line to type: for the terminal only, never on paper (Markdown, HTML)."""
    return Item(text, style="hint")


def _members_count(catalogue: Catalogue, family: Family) -> int:
    return sum(1 for t in catalogue.treatments.values() if t.family == family.id)


def family_label(catalogue: Catalogue, family: Family) -> str:
    return f"These apply to all {_members_count(catalogue, family)} kinds of {family.name.lower()}"


def general_label(family: Family, treatment: Treatment) -> str:
    return f"Said of {family.name.lower()} in general, not of {treatment.name}"


def _origin_text(origin: Origin) -> str:
    if origin.file is None:
        return "bundled catalogue"
    return origin.file + (" (replaces the bundled entry)" if origin.replaces_bundled else "")


def _how_given(catalogue: Catalogue, t: Treatment) -> str:
    return ", ".join(routes(catalogue, t))


# --- the decision questions ----------------------------------------------------------------------


def _side_effect_words(fact: SideEffect, frequency: bool = False) -> str:
    """'nausea', 'overdose (can be serious and even life-threatening)'; with `frequency`,
    'nerve damage (rare but possible; more serious)'."""
    said = [x for x in (fact.frequency if frequency else None, fact.severity, fact.course) if x]
    name = w.plain(fact.name)
    return f"{name} ({'; '.join(said)})" if said else name


def _risk_items(citer: Citer, refs: list[FactRef], treatment: Treatment | None) -> list[Item]:
    """Risks in a few lines: those the sources call serious first (the option's own, then
    those said of a family in general, labelled), then the rest grouped by the sources' own
    frequency words."""
    effects = [r for r in refs if isinstance(r.fact, SideEffect)]

    def label(group: list[FactRef]) -> str:
        family = group[0].family
        if group[0].general and treatment is not None and family is not None:
            return general_label(family, treatment) + ". "
        return ""

    serious: list[Item] = []
    rest: list[Item] = []
    for general in (False, True):
        mine = [r for r in effects if r.general is general]
        grave = [r for r in mine if is_serious(r.fact)]
        if grave:
            names = "; ".join(_side_effect_words(r.fact, True) for r in grave)  # type: ignore[arg-type]
            text = f"{label(grave)}Serious: {names}."
            serious.append(citer.item([r.fact for r in grave], text, essential=True))
        groups: dict[str, list[FactRef]] = {}
        for r in mine:
            if r not in grave:
                groups.setdefault(r.fact.frequency or "", []).append(r)  # type: ignore[attr-defined]
        for frequency, group in groups.items():
            names = ", ".join(_side_effect_words(r.fact) for r in group)  # type: ignore[arg-type]
            lead = label(group)  # every line said in general says so where it stands
            if frequency:
                words = w.capital(frequency)
            else:
                words = "Also" if grave or len(groups) > 1 else "How often is not said"
            rest.append(citer.item([r.fact for r in group], f"{lead}{words}: {names}."))
    return serious + rest


def _fact_items(citer: Citer, refs: list[FactRef], treatment: Treatment | None) -> list[Item]:
    items = []
    general = [r for r in refs if r.general]
    for r in refs:
        if not r.general:
            items.append(citer.fact(r.fact))
    if general and treatment is not None:
        assert general[0].family is not None
        label = general_label(general[0].family, treatment)
        texts = " ".join(w.plain(r.fact.text) for r in general)
        items.append(citer.item([r.fact for r in general], f"{label}: {texts}"))
    return items


def _evidence_items(
    citer: Citer, record: EvidenceRecord, brief: bool = False, named: bool = False
) -> list[Item]:
    """A graded record: its grade, then benefit and stopping for side effects on one scale (how
    many more in 100, with the 95% range, each as a 10 by 10 icon array), what the trials
    compared it with where that was not a dummy pill, and the quality and number of trials."""
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
        cited_by = record.quality_cited
        items.append(citer.item([cited_by] if cited_by else cited, said, essential=True))
    return items


def answer_items(
    citer: Citer, option: Option | None, question: str, refs: list[FactRef], brief: bool = False
) -> list[Item]:
    """The items that answer one question: for an option (`refs` its answer), or for what
    all options share (`option` None)."""
    treatment = option.treatment if option else None
    if question == "help" and option is not None:
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
            items += _evidence_items(citer, record, brief, named)
        if not option.evidence and not (option.members and option.treatment.group):
            items.append(Item(w.capital(w.NOT_GRADED) + ".", style="strong"))
        return items + _fact_items(citer, refs, treatment)
    if question == "risks":
        return _risk_items(citer, refs, treatment)
    if question == "involves" and option is not None:
        doses = {id(r.dose): r for r in option.evidence if r.dose is not None}
        items = []
        for ref in refs:
            dosed = doses.get(id(ref.fact))
            if dosed is None:
                continue
            lead = f"{w.capital(dosed.medicine)}: " if len(doses) > 1 else ""
            items.append(citer.fact(ref.fact, f"{lead}{w.plain(ref.fact.text)} {w.DOSE_NOTE}"))
        rest = [r for r in refs if id(r.fact) not in doses]
        return _fact_items(citer, rest, treatment) + items
    if question == "trust" and option is not None:
        kinds: dict[str, list[Source]] = {}
        for source in sources_of(citer.catalogue, option.cited(), option.evidence):
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
    return _fact_items(citer, refs, treatment)


def _flags(citer: Citer, options: list[Option]) -> list[Item]:
    """Options whose sources describe them for another kind of pain."""
    out = []
    for o in options:
        if not o.for_nerve_pain:
            names = " and ".join(c.name.lower() for c in o.described_for)
            facts = [r.fact for r in facts_for(citer.catalogue, o.treatment, "used_for")]
            out.append(
                citer.item(
                    facts,
                    f"Note: the sources describe {o.treatment.name} for {names}, "
                    "not for nerve pain.",
                    "strong",
                )
            )
    return out


def _all_label(n: int) -> str:
    return "Both" if n == 2 else f"All {['three', 'four'][n - 3]}" if n <= 4 else f"All {n}"


def _option_record(catalogue: Catalogue, o: Option) -> dict[str, Any]:
    return {
        **treatment_brief(catalogue, o.treatment),
        "summary": fact_record(catalogue, o.treatment.summary),
        "how_given": routes(catalogue, o.treatment),
        "evidence": [evidence_record(catalogue, r) for r in o.evidence],
        "graded": bool(o.evidence),
        "answers": {q: [fact_record(catalogue, r) for r in refs] for q, refs in o.answers.items()},
        "conditions": [condition_brief(c) for c in o.described_for],
        "for_nerve_pain": o.for_nerve_pain,
        "cautions_from": family_record(o.cautions_family),
        "members": [m.id for m in o.members],
        "origin": {"file": o.origin.file, "replaces_bundled": o.origin.replaces_bundled},
    }


def _ids_line(catalogue: Catalogue, options: list[Option]) -> Item:
    parts = []
    for o in options:
        t = o.treatment
        also = f", also called {', '.join(t.aliases)}" if t.aliases else ""
        parts.append(f"{t.name}: id {t.id}{also}; from {_origin_text(o.origin)}")
    return _dim(". ".join(parts) + ".")


def _do_not_stop(doc: Document, records: Iterable[EvidenceRecord], one: bool = False) -> None:
    """Beside a medicine recommended against for nerve pain: do not stop one taken for
    another reason (such as epilepsy) without the doctor."""
    if any(r.line == "against" for r in records):
        doc.para(Item(w.DO_NOT_STOP_ONE if one else w.DO_NOT_STOP, style="strong"))


def _decision(doc: Document, citer: Citer, decision: Decision) -> None:
    """The decision in plain words, what the sources describe each option for, and what they
    say happens without treatment (IPDAS: the decision stated, the natural course)."""
    names = [o.treatment.name for o in decision.options]
    doc.para(Item(f"{w.DECISION_HEADING}: {w.decision(names)}", style="strong"))
    items = []
    for o in decision.options:
        facts = [r.fact for r in facts_for(citer.catalogue, o.treatment, "used_for")]
        said = ", ".join(c.name.lower() for c in o.described_for)
        text = w.described_for(o.treatment.name, said)
        items.append(citer.item(facts, text) if facts else Item(text))
    items.append(Item(w.WITHOUT_TREATMENT))
    doc.bullets(items)


def show_doc(catalogue: Catalogue, decision: Decision, quotes: bool = False) -> Document:
    """One option, question by question: the summary a patient reads first."""
    (o,) = decision.options
    citer = Citer(catalogue)
    t = o.treatment
    how = _how_given(catalogue, t)
    doc = Document(t.name, subtitle=w.capital(t.kind) + (f" · {how}" if how else ""), quotes=quotes)
    _decision(doc, citer, decision)
    for flag in _flags(citer, [o]):
        doc.para(flag)
    doc.para(citer.fact(t.summary))
    _do_not_stop(doc, o.evidence, one=True)
    for question in QUESTIONS:
        if question in decision.silent:
            continue
        doc.heading(w.QUESTIONS[question][1])
        doc.bullets(answer_items(citer, o, question, o.answers.get(question, [])))
    doc.silent = [w.SILENT_ABOUT[q] for q in decision.silent]
    if decision.caveats:
        doc.blocks.append(_caveats(citer, decision.caveats))
    doc.colophon.append(_ids_line(catalogue, [o]).text)
    doc.blocks.append(NotesSpace())
    return _finish(doc, citer, {"command": "show", "treatment": _option_record(catalogue, o)})


def _caveats(citer: Citer, caveats: list[Fact]) -> Bullets:
    return Bullets(tuple(citer.fact(f) for f in caveats), w.SECTION_TITLES["evidence_notes"] + ":")


def compare_doc(catalogue: Catalogue, decision: Decision, quotes: bool = False) -> Document:
    """Two to four options side by side, one row per question, what they share merged."""
    citer = Citer(catalogue)
    options = decision.options
    doc = Document(" vs ".join(o.treatment.name for o in options), quotes=quotes)
    _decision(doc, citer, decision)
    for flag in _flags(citer, options):
        doc.para(flag)
    _do_not_stop(doc, [r for o in options for r in o.evidence])
    rows = []
    label = _all_label(len(options))
    for question in QUESTIONS:
        if question in decision.silent:
            continue
        answers = [answer_items(citer, o, question, o.answers.get(question, [])) for o in options]
        shared = answer_items(citer, None, question, decision.shared.get(question, []))
        lead = Item(f"{label}:", style="label")
        short = w.QUESTIONS[question][0]
        if shared and not any(answers):  # the same answer for every option: one merged line
            rows.append(Row((tuple([lead, *shared]),), short))
            continue
        empty = w.NOTHING_MORE if shared else w.NOTHING
        cells = [tuple(a) or (_dim(empty),) for a in answers]
        rows.append(Row(tuple(cells), short))
        if shared:
            rows.append(Row((tuple([lead, *shared]),), None))
    doc.blocks.append(Grid(tuple(o.treatment.name for o in options), tuple(rows), ""))
    doc.silent = [w.SILENT_ABOUT[q] for q in decision.silent]
    if decision.caveats:
        doc.blocks.append(_caveats(citer, decision.caveats))
    doc.colophon.append(_ids_line(catalogue, options).text)
    doc.blocks.append(NotesSpace())
    record = {
        "command": "compare",
        "treatments": [_option_record(catalogue, o) for o in options],
        "shared": {
            q: [fact_record(catalogue, r) for r in refs] for q, refs in decision.shared.items()
        },
    }
    return _finish(doc, citer, record)


def _detail_items(
    citer: Citer, key: str, refs: list[FactRef], t: Treatment
) -> list[tuple[str | None, list[Item]]]:
    """A section's facts in full, grouped: the treatment's own, each family's, general ones."""
    groups: dict[tuple[str, bool], list[FactRef]] = {}
    for r in refs:
        groups.setdefault((r.family.id if r.family else "", r.general), []).append(r)
    out: list[tuple[str | None, list[Item]]] = []
    for (_, general), group in groups.items():
        family = group[0].family
        label = None
        if family is not None:
            label = general_label(family, t) if general else family_label(citer.catalogue, family)
        items = []
        for r in group:
            fact = r.fact
            if isinstance(fact, SideEffect):
                said = [x for x in (fact.frequency, fact.severity, fact.course) if x]
                text = w.plain(fact.text)
                if said:
                    text = text.rstrip(".") + f" ({'; '.join(said)})."
                items.append(citer.fact(fact, text))
                items += [citer.fact(m, "How it comes about: " + m.text) for m in fact.mechanisms]
                items += [citer.fact(h) for h in fact.handling if key != "handling"]
            else:
                items.append(citer.fact(fact))
        out.append((label, items))
    return out


def detail_doc(
    catalogue: Catalogue,
    details: list[Detail],
    quotes: bool = False,
    summarised: Decision | None = None,
) -> Document:
    """`--full`: every fact, section by section, evidence and safety before background; a fact
    said of all of them (compare) once. After a summary (`summarised`), the facts it printed
    whole are not printed again: side effects are (the summary names them; here they are in
    full, with how they come about and how they are handled)."""
    citer = Citer(catalogue)
    options = [d.option for d in details]
    doc = Document(" vs ".join(o.treatment.name for o in options) + ": in full", quotes=quotes)
    for flag in _flags(citer, options):
        doc.para(flag)
    shown: list[FactRef] = []
    if summarised is not None:
        shown = [
            r
            for refs in [
                *summarised.shared.values(),
                *(v for o in summarised.options for v in o.answers.values()),
            ]
            for r in refs
            if not isinstance(r.fact, SideEffect)
        ]
    silences: list[tuple[str, list[str]]] = []
    if len(details) > 1:
        common = [
            (key, [r for r in refs if all(r in dict(d.sections).get(key, []) for d in details[1:])])
            for key, refs in details[0].sections
        ]
        common = [(k, [r for r in refs if r not in shown]) for k, refs in common]
        common = [(k, refs) for k, refs in common if refs]
        if common:
            doc.heading(f"Shared by {_all_label(len(details)).lower()}", 2)
            for key, refs in common:
                doc.heading(w.SECTION_TITLES[key], 3)
                for label, items in _detail_items(citer, key, refs, details[0].option.treatment):
                    doc.bullets(items, label)
                shown += refs
    for d in details:
        t = d.option.treatment
        if len(details) > 1:
            doc.heading(t.name, 2)
        if summarised is None:
            doc.heading(w.QUESTIONS["help"][1], 3)
            doc.bullets(answer_items(citer, d.option, "help", []))
        keys = {k for k, _ in d.sections}
        said = {(r.fact.text, r.fact.source) for r in shown}
        for key, refs in d.sections:
            refs = [r for r in refs if r not in shown and (r.fact.text, r.fact.source) not in said]
            said |= {(r.fact.text, r.fact.source) for r in refs}
            if not refs or (key == "handling" and "side_effects" in keys):
                continue  # handling is printed under each side effect it handles
            doc.heading(w.SECTION_TITLES[key], 3)
            for label, items in _detail_items(citer, key, refs, t):
                doc.bullets(items, label)
        answered = {"handling"} | ({"benefits"} if d.option.evidence else set())
        if any(r.dose for r in d.option.evidence):  # the dose says how it is taken
            answered |= {"how_given", "session_length"}
        silences.append((t.name, [w.SILENT_SECTION[k] for k in d.silent if k not in answered]))
    sentence = w.silence_sentence(silences)
    if sentence:
        doc.para(Item(sentence, style="dim"))
    if any(d.option.evidence for d in details):
        doc.blocks.append(_caveats(citer, list(catalogue.evidence_notes)))
    doc.colophon.append(_ids_line(catalogue, options).text)
    doc.blocks.append(NotesSpace())
    record = {
        "command": "show" if len(details) == 1 else "compare",
        "treatments": [
            {
                **_option_record(catalogue, d.option),
                "sections": {
                    k: [fact_record(catalogue, r) for r in refs] for k, refs in d.sections
                },
            }
            for d in details
        ],
    }
    return _finish(doc, citer, record)


def full_doc(
    catalogue: Catalogue, decision: Decision, details: list[Detail], quotes: bool = False
) -> Document:
    """`--full`: the summary first (the grid, or one option's answers), then every fact in
    full. Footnote numbers are the same in both (a source's number is its place in the
    catalogue), so the two merge into one document with one list of sources."""
    summary = (
        show_doc(catalogue, decision, quotes)
        if len(decision.options) == 1
        else compare_doc(catalogue, decision, quotes)
    )
    full = detail_doc(catalogue, details, quotes, decision)
    doc = Document(summary.title, subtitle=summary.subtitle, quotes=quotes)
    doc.blocks = [b for b in summary.blocks if not isinstance(b, NotesSpace)]
    doc.heading("In full")
    shift = 1 if len(details) > 1 else 0  # option headings go under "In full"
    for block in full.blocks[len(_flags_of(full)) :]:  # the notes are in the summary already
        if isinstance(block, Heading):
            doc.heading(block.text, min(block.level + shift, 5))
        elif not isinstance(block, NotesSpace):
            doc.blocks.append(block)
    doc.blocks.append(NotesSpace())
    notes: dict[int, Footnote] = {}
    for note in [*summary.footnotes, *full.footnotes]:
        kept = notes.setdefault(note.number, Footnote(note.number, note.text, note.promotional, []))
        kept.quotes += [q for q in note.quotes if q not in kept.quotes]
    doc.footnotes = [notes[n] for n in sorted(notes)]
    # one silence sentence, the full view's (it names each section no source answers)
    doc.silent, doc.colophon, doc.footer = [], summary.colophon, summary.footer
    doc.about, doc.made = summary.about, summary.made
    doc.record = {**summary.record, "in_full": full.record["treatments"]}
    return doc


def _flags_of(doc: Document) -> list[Para]:
    """The leading notes of a document (options described for another kind of pain)."""
    flags = []
    for block in doc.blocks:
        if not (isinstance(block, Para) and block.items[0].style == "strong"):
            break
        flags.append(block)
    return flags


# --- list ----------------------------------------------------------------------------------------


def _list_title(listing: Listing, count: int) -> str:
    what = "treatments"
    if listing.kind:
        what = {"therapy": "therapies", "self-care": "self-care options"}.get(
            listing.kind, f"{listing.kind}s"
        )
    if listing.line == "against":
        what = f"{what} recommended against"
    elif listing.line:
        what = f"{listing.line}-line {what}"
    where = listing.condition.name.lower() if listing.condition else "nerve pain"
    return f"{w.capital(what)} for {where} ({count})"


def _evidence_cell(
    citer: Citer, catalogue: Catalogue, t: Treatment, members: list[Treatment]
) -> list[Item]:
    if members and t.group is not None:
        names = ", ".join(m.name.split(" (")[0] for m in members)
        return [citer.item([t.group], f"a type of medicine: see {names}")]
    records = evidence_for(catalogue, t)
    if not records:
        return [_dim("not graded")]
    items = []
    for r in records:
        if r.line == "against":
            items.append(
                citer.item([r.recommendation], f"recommended against for nerve pain ({r.strength})")
            )
            continue
        head = f"{r.line}-line, {r.strength}"
        if len(records) > 1:
            head = f"{r.medicine}: {head}"
        figures = w.brief_figures(r)
        cited = [r.recommendation, *([r.effect] if r.effect else [])]
        items.append(citer.item(cited, head + (f". {figures}" if figures else ".")))
    return items


def list_doc(catalogue: Catalogue, listing: Listing) -> Document:
    citer = Citer(catalogue)
    doc = Document(_list_title(listing, len(listing.items)), handout=False)
    if not listing.items:
        doc.para(_dim("No treatment in the catalogue matches these filters."))
        return _finish(doc, citer, {"command": "list", "count": 0, "treatments": []})
    rows = []
    missing_how = False
    for entry in listing.items:
        t = entry.treatment
        name = [Item(t.name, style="strong")]
        if entry.via is not None and entry.via.via is not None:
            name.append(_dim(_via_text(entry.via.via)))
        how = _how_given(catalogue, t)
        missing_how |= not how
        rows.append(
            Row(
                (
                    tuple(name),
                    (Item(t.kind),),
                    (Item(how) if how else _dim("—"),),
                    tuple(_evidence_cell(citer, catalogue, t, entry.members)),
                    (Item(w.plain(t.summary.text), promotional=citer.promotional([t.summary])),),
                )
            )
        )
    doc.blocks.append(
        Grid(
            ("Treatment", "Kind", "How given", "Graded evidence", "Summary"),
            tuple(rows),
            optional=frozenset({4}),
        )
    )
    notes = []
    if missing_how:
        notes.append("—: the sources do not say how it is given.")
    for note in notes:
        doc.para(_dim(note))
    doc.para(
        _hint(
            "More on one: nervecli show NAME (a name or its first words, "
            "e.g. nervecli show ketamine)."
        )
    )
    record = {
        "command": "list",
        "filters": {
            "kind": listing.kind,
            "condition": condition_brief(listing.condition) if listing.condition else None,
            "line": listing.line,
            "sort": listing.sort,
        },
        "count": len(listing.items),
        "treatments": [
            {
                **treatment_brief(catalogue, e.treatment),
                "how_given": routes(catalogue, e.treatment),
                "summary": fact_record(catalogue, e.treatment.summary),
                "evidence": [
                    evidence_record(catalogue, r) for r in evidence_for(catalogue, e.treatment)
                ],
                "members": [m.id for m in e.members],
                "via": _via_record(e.via.via) if e.via and e.via.via else None,
            }
            for e in listing.items
        ],
    }
    return _finish(doc, citer, record)


def _relation_text(b: Broader) -> str:
    name = b.condition.name.lower()
    if b.condition.id not in b.link.links:
        return f"Through that: {name}."
    return f"{'A kind of' if b.relation == 'kind_of' else 'Can cause'} {name}."


def _via_text(via: Broader) -> str:
    """'via nerve pain (neuropathic pain), which it can cause' / '..., of which it is a kind'."""
    how = "of which it is a kind" if via.relation == "kind_of" else "which it can cause"
    return f"via {via.condition.name.lower()}, {how}"


def _via_record(via: Broader) -> dict[str, Any]:
    return {"condition": condition_brief(via.condition), "relation": via.relation}


# --- conditions ----------------------------------------------------------------------------------


def conditions_doc(catalogue: Catalogue, answers: list[ConditionAnswer]) -> Document:
    citer = Citer(catalogue)
    doc = Document(f"Conditions ({len(answers)})", handout=False)
    rows = []
    for a in answers:
        direct = [lt for lt in a.treatments if lt.via is None]
        through = [lt for lt in a.treatments if lt.via is not None]
        counts = f"{len(direct)} linked"
        if through:
            vias = ", ".join(dict.fromkeys(lt.via.condition.name.lower() for lt in through))  # type: ignore[union-attr]
            counts += f"; {len(through)} more via {vias}"
        about = [citer.fact(f) for f in a.condition.about[:1]] or [_dim(w.NOTHING)]
        rows.append(Row(((Item(a.condition.name, style="strong"),), tuple(about), (Item(counts),))))
    doc.blocks.append(Grid(("Condition", "What the sources say", "Treatments"), tuple(rows)))
    doc.para(_hint("One in full, with its treatments: nervecli conditions NAME"))
    record = {
        "command": "conditions",
        "conditions": [_condition_record(catalogue, a) for a in answers],
    }
    return _finish(doc, citer, record)


def _condition_record(catalogue: Catalogue, a: ConditionAnswer) -> dict[str, Any]:
    c = a.condition
    return {
        **condition_brief(c),
        "aliases": list(c.aliases),
        "about": [fact_record(catalogue, f) for f in c.about],
        "symptoms": [fact_record(catalogue, f) for f in c.symptoms],
        "why_chronic": [fact_record(catalogue, f) for f in c.why_chronic],
        "effects": [fact_record(catalogue, f) for f in c.effects],
        "kind_of": [fact_record(catalogue, f) for f in c.kind_of],
        "causes": [fact_record(catalogue, f) for f in c.causes],
        "treatments": [
            {
                **treatment_brief(catalogue, lt.treatment),
                "via": _via_record(lt.via) if lt.via else None,
            }
            for lt in a.treatments
        ],
    }


def condition_doc(catalogue: Catalogue, a: ConditionAnswer, quotes: bool = False) -> Document:
    citer = Citer(catalogue)
    c = a.condition
    doc = Document(c.name, quotes=quotes)
    silent = []
    for key in ("about", "symptoms", "why_chronic", "effects"):
        facts = getattr(c, key)
        if facts:
            doc.heading(w.SECTION_TITLES[key])
            doc.bullets([citer.fact(f) for f in facts])
        else:
            silent.append(w.SECTION_TITLES[key].lower())
    if a.broader:
        doc.heading("How it stands to other conditions")
        doc.bullets(
            [
                citer.item(
                    [b.link],
                    _relation_text(b),
                )
                for b in a.broader
            ]
        )
    direct = [lt.treatment for lt in a.treatments if lt.via is None]
    doc.heading("Treatments linked to it")
    doc.bullets([_linked_line(citer, t, c) for t in direct] or [_dim("none linked to it directly")])
    by_via: dict[str, list[Treatment]] = {}
    vias: dict[str, Broader] = {}
    for lt in a.treatments:
        if lt.via is not None:
            by_via.setdefault(lt.via.condition.id, []).append(lt.treatment)
            vias[lt.via.condition.id] = lt.via
    for ident, treatments in by_via.items():
        doc.bullets(
            [_named_line(citer, t) for t in treatments],
            label="For " + _via_text(vias[ident])[4:] + ":",
        )
    if a.narrower:
        doc.heading("Kinds and causes of it")
        doc.bullets([Item(n.name) for n in a.narrower])
    doc.silent = silent
    doc.colophon.append(
        f"Id: {c.id}" + (f"; also called {', '.join(c.aliases)}" if c.aliases else "") + "."
    )
    return _finish(
        doc, citer, {"command": "conditions", "condition": _condition_record(catalogue, a)}
    )


# --- check ---------------------------------------------------------------------------------------


def check_doc(catalogue: Catalogue, result: Screen) -> Document:
    """What the sources raise for this person first, one row each; then one sentence for the
    treatments they say nothing about for this person, so that silence never reads as clear."""
    citer = Citer(catalogue)
    doc = Document("Personal check")
    said = [t.name for t in result.terms] + [c.name.lower() for c in result.conditions]
    given = said + [_unknown_words(u.given) for u in result.unknown]
    doc.para(Item("Your profile: " + ", ".join(given)))
    for u in result.unknown:
        names = ", ".join(u.known) if u.known else "none"
        close = f" Did you mean {' or '.join(u.suggestions)}?" if u.suggestions else ""
        doc.para(
            Item(
                f"The sources say nothing about {_unknown_words(u.given)}. The names they use "
                f"for --{u.asks}: {names}"
                + (", or a condition they describe." if u.asks == "has" else ".")
                + close,
                style="strong",
            )
        )
    if result.unmatched:
        names = ", ".join(c.name.lower() for c in result.unmatched)
        doc.para(_dim(f"No source names a caution for: {names}."))
    rows = []
    against = False
    silent: list[Treatment] = []
    for f in result.findings:
        if f.level == "nothing":
            silent.append(f.treatment)
            continue
        reasons = []
        for r in f.reasons:
            if r.ref is not None:
                text = w.plain(r.ref.fact.text)
                if r.ref.general and r.ref.family is not None:
                    text = f"{general_label(r.ref.family, f.treatment)}: {text}"
                reasons.append(citer.item([r.ref.fact], f"{text} (for: {', '.join(r.terms)})"))
            elif r.record is not None:
                against = True
                reasons.append(
                    citer.item([r.record.recommendation], f"{w.capital(w.grade(r.record))}.")
                )
        line = () if f.level == "against" else (_dim(line_words(catalogue, f.treatment)),)
        rows.append(
            Row(
                (
                    (Item(f.treatment.name, style="strong"), *line),
                    (Item(w.LEVELS[f.level]),),
                    tuple(reasons) or (_dim("—"),),
                )
            )
        )
    if rows:
        doc.blocks.append(Grid(("Treatment", "What the sources say", "Why"), tuple(rows)))
    if silent:
        about = " or ".join(given)
        these = "this one" if len(silent) == 1 else f"these {len(silent)}"
        doc.para(
            Item(
                f"For {these} the sources say nothing about {about}: ask your doctor about "
                "each. Silence is not a sign that a treatment is safe for you.",
                style="strong",
            )
        )
        doc.para(Item("; ".join(f"{t.name}: {line_words(catalogue, t)}" for t in silent) + "."))
    if against:
        doc.para(Item(w.DO_NOT_STOP, style="strong"))
    record = {
        "command": "check",
        "profile": {
            "terms": [{"id": t.id, "name": t.name} for t in result.terms],
            "conditions": [condition_brief(c) for c in result.conditions],
        },
        "findings": [
            {
                **treatment_brief(catalogue, f.treatment),
                "level": f.level,
                "reasons": [
                    {
                        "fact": fact_record(catalogue, r.ref) if r.ref else None,
                        "evidence": evidence_record(catalogue, r.record) if r.record else None,
                        "for": list(r.terms),
                    }
                    for r in f.reasons
                ],
            }
            for f in result.findings
        ],
        "silent_for": [t.id for t in silent],
        "unknown": [
            {"given": u.given, "asks": u.asks, "known": u.known, "suggestions": u.suggestions}
            for u in result.unknown
        ],
    }
    return _finish(doc, citer, record)


# --- alternatives --------------------------------------------------------------------------------


def line_words(catalogue: Catalogue, t: Treatment) -> str:
    """'first-line', 'second-line; third-line', 'recommended against', 'a type of medicine'
    (never a line itself) or 'not graded'."""
    if t.group is not None and members(catalogue, t):
        return "a type of medicine, not graded itself"
    records = evidence_for(catalogue, t)
    said = [f"{r.line}-line" if r.line != "against" else "recommended against" for r in records]
    return "; ".join(dict.fromkeys(said)) or "not graded"


def _named_line(citer: Citer, t: Treatment) -> Item:
    """A treatment's name with its line of treatment beside it."""
    return Item(f"{t.name}: {line_words(citer.catalogue, t)}")


def _linked_line(citer: Citer, t: Treatment, condition: Condition) -> Item:
    """A treatment linked to a condition, with its line of treatment and the sources of the
    link itself, so a link that rests only on a promotional source is marked as one."""
    links = [
        r.fact
        for r in facts_for(citer.catalogue, t, "used_for")
        if isinstance(r.fact, LinkedFact) and condition.id in r.fact.links
    ]
    text = f"{t.name}: {line_words(citer.catalogue, t)}"
    return citer.item(links, text) if links else Item(text)


def _unknown_words(given: str) -> str:
    """'kidney-disease' -> 'kidney disease': a name as typed, in words (nothing guessed)."""
    return " ".join(given.replace("-", " ").replace("_", " ").split()) or given


def _difference(catalogue: Catalogue, t: Treatment) -> list[Item]:
    """What tells options apart at a glance: kind, how given, whether graded."""
    how = _how_given(catalogue, t)
    records = evidence_for(catalogue, t)
    if t.group is not None and members(catalogue, t):
        names = ", ".join(m.name.split(" (")[0] for m in members(catalogue, t))
        return [Item(f"{t.kind}; a type of medicine: its graded members are {names}")]
    graded = "; ".join(
        dict.fromkeys(
            f"{r.line}-line" if r.line != "against" else "recommended against" for r in records
        )
    )
    parts = [t.kind]
    if how:
        parts.append(f"given: {how}")
    parts.append(graded or ("a type of medicine" if t.group is not None else "not graded"))
    return [Item("; ".join(parts))]


def alternatives_doc(
    catalogue: Catalogue,
    treatment: Treatment,
    found: list[Alternative],
    outside: Sequence[Fact] = (),
) -> Document:
    citer = Citer(catalogue)
    doc = Document(f"Alternatives to {treatment.name}", handout=False)
    if not found and not outside:
        doc.para(
            _dim("The sources name no alternatives, and no other treatment shares its conditions.")
        )
    if outside:
        doc.para(Item("The sources also name, outside this catalogue:", style="strong"))
        doc.bullets([citer.item([f], f.text) for f in outside])
    rows = []
    for a in found:
        if a.named_by is not None:
            why = citer.item([a.named_by], "named by the sources")
        elif a.shared:
            why = Item("also for " + ", ".join(c.name.lower() for c in a.shared))
        else:
            mine, via = a.through[0]
            how = "is a kind of it" if via.relation == "kind_of" else "can cause it"
            why = citer.item(
                [via.link],
                f"for {via.condition.name.lower()}; {mine.name.lower()} {how}",
            )
        rows.append(
            Row(
                (
                    (Item(a.treatment.name, style="strong"),),
                    (why,),
                    tuple(_difference(catalogue, a.treatment)),
                )
            )
        )
    if rows:
        doc.blocks.append(Grid(("Alternative", "Why it is listed", "How it differs"), tuple(rows)))
    record = {
        "command": "alternatives",
        "treatment": treatment_brief(catalogue, treatment),
        "named_outside_catalogue": [fact_record(catalogue, f) for f in outside],
        "alternatives": [
            {
                **treatment_brief(catalogue, a.treatment),
                "named_by": fact_record(catalogue, a.named_by) if a.named_by else None,
                "shares": [condition_brief(c) for c in a.shared],
                "through": [
                    {"condition": condition_brief(mine), "via": _via_record(via)}
                    for mine, via in a.through
                ],
            }
            for a in found
        ],
    }
    return _finish(doc, citer, record)


# --- questions -----------------------------------------------------------------------------------


def _quoted(citer: Citer, ref: FactRef, ask: str) -> Item:
    """'The sources say: “<the quote itself>” <ask>': only a quote goes in quotation marks."""
    fact = ref.fact
    return citer.item([fact], f"The sources say: “{fact.quote}” {ask}")


def _topic_items(
    citer: Citer,
    key: str,
    refs: list[FactRef],
    records: list[EvidenceRecord],
    treatment: Treatment | None = None,
) -> list[Item]:
    """The question a topic asks: quoting its fact, drawing on all its facts, or saying the
    sources are silent on it."""
    if key == "evidence":
        asked = [
            citer.item(
                [r.recommendation], w.ASK_EVIDENCE.format(medicine=r.medicine, grade=w.grade(r))
            )
            for r in records
        ]
        return asked or [Item(w.ASK_UNGRADED)]
    if key == "risks" and refs:
        own = [r for r in refs if not r.general]
        general = [r for r in refs if r.general]
        names = ", ".join(dict.fromkeys(w.plain(r.fact.name) for r in own))  # type: ignore[attr-defined]
        if general and treatment is not None and general[0].family is not None:
            said = ", ".join(dict.fromkeys(w.plain(r.fact.name) for r in general))  # type: ignore[attr-defined]
            label = general_label(general[0].family, treatment)
            label = label[:1].lower() + label[1:]
            names = f"{names}; {label}: {said}" if names else f"{label}: {said}"
        return [citer.item([r.fact for r in refs], w.ASK_RISKS.format(names=names))]
    how, ask, silent = w.ASK[key]
    if not refs:
        return [Item(silent)] if silent else []
    if how == "quote":
        item = _quoted(citer, refs[0], ask)
        ref = refs[0]
        if ref.general and ref.family is not None and treatment is not None:
            item.text = f"{general_label(ref.family, treatment)}. {item.text}"
        return [item]
    return [citer.item([r.fact for r in refs], ask)]


def questions_doc(catalogue: Catalogue, groups: list[TreatmentQuestions]) -> Document:
    citer = Citer(catalogue)
    names = [g.treatment.name for g in groups]
    doc = Document("Questions to ask your doctor about " + " and ".join(names))
    record_groups = []
    for g in groups:
        doc.heading(g.treatment.name)
        items = [
            i for t in g.topics for i in _topic_items(citer, t.key, t.refs, t.records, g.treatment)
        ]
        doc.bullets(items)
        _do_not_stop(doc, evidence_for(catalogue, g.treatment), one=True)
        record_groups.append(
            {
                **treatment_brief(catalogue, g.treatment),
                "questions": [
                    {
                        "text": i.text,
                        "sources": [s for s in citer.records() if s["number"] in i.notes],
                    }
                    for i in items
                ],
            }
        )
    doc.heading("In general")
    doc.bullets([Item(q) for q in w.GENERAL_QUESTIONS])
    doc.blocks.append(NotesSpace(8))
    record = {
        "command": "questions",
        "treatments": record_groups,
        "general": list(w.GENERAL_QUESTIONS),
    }
    return _finish(doc, citer, record)


# --- sources -------------------------------------------------------------------------------------


def sources_doc(catalogue: Catalogue, views: list[SourceUses]) -> Document:
    citer = Citer(catalogue)
    doc = Document(f"Sources ({len(views)})", handout=False)
    rows = []
    for v in views:
        s = v.source
        n = citer.numbers[s.id]
        rows.append(
            Row(
                (
                    (Item(f"[{n}]"),),
                    (Item(s.title, style="strong"), _dim(s.id)),
                    (Item(w.capital(w.source_kind(s))),),
                    (Item(str(len(v.uses))),),
                )
            )
        )
    doc.blocks.append(Grid(("No.", "Source", "What kind", "Quotes"), tuple(rows)))
    doc.para(_hint("Every fact one source supports, with its quote: nervecli sources ID"))
    record = {
        "command": "sources",
        "sources": [
            {**source_record(v.source, citer.numbers[v.source.id]), "quotes": len(v.uses)}
            for v in views
        ],
    }
    return _finish(doc, citer, record)


def source_doc(catalogue: Catalogue, view: SourceUses) -> Document:
    from nervecli.domain.sources import owner_name

    citer = Citer(catalogue)
    s = view.source
    doc = Document(s.title, subtitle=w.capital(w.source_kind(s)), quotes=True, handout=False)
    doc.para(Item(w.source_line(s)))
    if s.note:
        doc.para(_dim(f"Note: {s.note}"))
    doc.para(_dim(f"{len(view.uses)} quotes from it support facts in the catalogue."))
    by_owner: dict[str, list[Item]] = {}
    for use in view.uses:
        title = w.SECTION_TITLES.get(use.section, use.section)
        by_owner.setdefault(use.owner, []).append(
            Item(
                f"{title}: {w.plain(use.text)}", quote=use.citation.quote, promotional=s.promotional
            )
        )
    for owner, items in by_owner.items():
        doc.heading(owner_name(catalogue, owner))
        doc.bullets(items)
    record = {
        "command": "sources",
        "source": source_record(s, citer.numbers[s.id]),
        "quotes": [
            {"entry": u.owner, "section": u.section, "text": u.text, "quote": u.citation.quote}
            for u in view.uses
        ],
    }
    return _finish(doc, citer, record)


# --- search --------------------------------------------------------------------------------------


def search_doc(
    catalogue: Catalogue, query: str, hits: list[Hit], suggestions: list[str]
) -> Document:
    citer = Citer(catalogue)
    doc = Document(f"Search: {query}", handout=False)
    if not hits:
        doc.para(_dim(f"No treatment or condition in the catalogue matches '{query}'."))
        if suggestions:
            doc.para(Item("Did you mean: " + ", ".join(suggestions) + "?"))
    else:
        doc.para(Item(f"{len(hits)} result{'s' if len(hits) != 1 else ''}, best first."))
    rows = []
    for hit in hits:
        entry = [Item(hit.entry_name, style="strong"), _dim(hit.kind)]
        if hit.kind == "family":
            members = [t.name for t in catalogue.treatments.values() if t.family == hit.entry_id]
            if members:
                entry.append(_dim("applies to: " + ", ".join(members)))
        cited = [hit.fact] if hit.fact is not None else []
        snippet = (
            citer.item(cited, hit.snippet, marks=tuple(hit.highlights))
            if cited
            else Item(hit.snippet, marks=tuple(hit.highlights))
        )
        match = [snippet]
        if hit.also:
            match.append(
                _dim(
                    "also in: "
                    + ", ".join(w.SECTION_TITLES.get(f, f).lower() for f in hit.also[:4])
                )
            )
        rows.append(
            Row((tuple(entry), (Item(w.SECTION_TITLES.get(hit.field, hit.field)),), tuple(match)))
        )
    if rows:
        doc.blocks.append(Grid(("Entry", "Matched in", "What it says"), tuple(rows)))
    record = {
        "command": "search",
        "query": query,
        "count": len(hits),
        "results": [
            {
                "kind": h.kind,
                "id": h.entry_id,
                "name": h.entry_name,
                "field": h.field,
                "snippet": h.snippet,
                "score": round(h.score, 3),
                "also": list(h.also),
                "cited": None
                if h.fact is None
                else {
                    "source": h.fact.source,
                    "quote": h.fact.quote,
                    "promotional": citer.promotional([h.fact]),
                },
            }
            for h in hits
        ],
        "suggestions": suggestions,
    }
    return _finish(doc, citer, record)


# --- validate and schema -------------------------------------------------------------------------


def problems_doc(problems: Sequence[Problem | str], summary: str) -> Document:
    """`validate`: every problem, one per line as FILE:LINE:COLUMN: message."""
    lines = [str(p) for p in problems]
    doc = Document("", handout=False)  # only the lines, for people and for tools alike
    doc.blocks.append(Code("\n".join(lines) if lines else summary))
    doc.record = {
        "command": "validate",
        "ok": not problems,
        "summary": summary,
        "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            if isinstance(p, Problem)
            else {"file": None, "line": None, "column": None, "message": str(p)}
            for p in problems
        ],
    }
    return doc


def schema_doc(schema: str) -> Document:
    import json

    doc = Document("", handout=False)
    doc.blocks.append(Code(schema.rstrip("\n")))
    doc.record = json.loads(schema)
    return doc
