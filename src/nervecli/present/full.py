"""`--full`: every fact, section by section, after the summary."""

from __future__ import annotations

from nervecli.domain.decision import Decision, Detail, Option
from nervecli.facts.applicable import FactRef
from nervecli.model.catalogue import Catalogue, SideEffect
from nervecli.model.vocabulary import Question, Section
from nervecli.output import words as w
from nervecli.output.document import Document, Footnote, Heading, Item, NotesSpace, Style
from nervecli.present.answers import answer_items, flags
from nervecli.present.common import (
    Citer,
    all_label,
    caveats,
    family_label,
    finish,
    general_label,
    ids_line,
)
from nervecli.present.compare import compare_doc
from nervecli.present.show import show_doc


def detail_items(
    citer: Citer, key: str, refs: list[FactRef], option: Option
) -> list[tuple[str | None, list[Item]]]:
    """A section's facts in full, grouped: the treatment's own, each family's, general ones."""
    t, size = option.treatment, option.family_size
    groups: dict[tuple[str, bool], list[FactRef]] = {}
    for r in refs:
        groups.setdefault((r.family.id if r.family else "", r.general), []).append(r)
    out: list[tuple[str | None, list[Item]]] = []
    for (_, general), group in groups.items():
        family = group[0].family
        label = None
        if family is not None:
            label = general_label(family, t) if general else family_label(family, size)
        items = []
        for r in group:
            fact = r.fact
            if isinstance(fact, SideEffect):
                text = w.plain(fact.text)
                said = [  # the source's words, each once: not those the text already says
                    x
                    for x in (fact.frequency, fact.severity, fact.course)
                    if x and x.lower() not in text.lower()
                ]
                if said:
                    text = text.rstrip(".") + f" ({'; '.join(said)})."
                items.append(citer.fact(fact, text))
                items += [citer.fact(m, "How it comes about: " + m.text) for m in fact.mechanisms]
                items += [citer.fact(h) for h in fact.handling if key is not Section.HANDLING]
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
    for flag in flags(citer, options):
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
            doc.heading(f"Shared by {all_label(len(details)).lower()}", 2)
            for key, refs in common:
                doc.heading(w.SECTION_TITLES[key], 3)
                for label, items in detail_items(citer, key, refs, details[0].option):
                    doc.bullets(items, label)
                shown += refs
    for d in details:
        t = d.option.treatment
        if len(details) > 1:
            doc.heading(t.name, 2)
        if summarised is None:
            doc.heading(w.QUESTIONS[Question.HELP][1], 3)
            doc.bullets(answer_items(citer, d.option, Question.HELP, []))
        keys = {k for k, _ in d.sections}
        said = {(r.fact.text, r.fact.source) for r in shown}
        for key, refs in d.sections:
            refs = [r for r in refs if r not in shown and (r.fact.text, r.fact.source) not in said]
            said |= {(r.fact.text, r.fact.source) for r in refs}
            if not refs or (key is Section.HANDLING and Section.SIDE_EFFECTS in keys):
                continue  # handling is printed under each side effect it handles
            doc.heading(w.SECTION_TITLES[key], 3)
            for label, items in detail_items(citer, key, refs, d.option):
                doc.bullets(items, label)
        answered = {Section.HANDLING} | ({Section.BENEFITS} if d.option.evidence else set())
        if any(r.dose for r in d.option.evidence):  # the dose says how it is taken
            answered |= {Section.HOW_GIVEN, Section.SESSION_LENGTH}
        silences.append((t.name, [w.SILENT_SECTION[k] for k in d.silent if k not in answered]))
    sentence = w.silence_sentence(silences)
    if sentence:
        doc.para(Item(sentence, style=Style.DIM))
    if any(d.option.evidence for d in details):
        doc.blocks.append(caveats(citer, list(catalogue.evidence_notes)))
    doc.colophon.append(ids_line(options).text)
    doc.blocks.append(NotesSpace())
    return finish(doc, citer)


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
    flagged = sum(1 for d in details if not d.option.for_nerve_pain)
    for block in full.blocks[flagged:]:  # its leading notes (`flags`) are in the summary already
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
    return doc
