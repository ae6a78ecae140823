"""`compare`: two to four options side by side, one row per question."""

from __future__ import annotations

from nervecli.domain.decision import Decision
from nervecli.model.catalogue import Catalogue
from nervecli.model.vocabulary import Question
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Item, NotesSpace, Row, Style
from nervecli.present.answers import answer_items, decision_items, flags
from nervecli.present.common import Citer, all_label, caveats, dim, do_not_stop, finish, ids_line


def compare_doc(catalogue: Catalogue, decision: Decision, quotes: bool = False) -> Document:
    """Two to four options side by side, one row per question, what they share merged."""
    citer = Citer(catalogue)
    options = decision.options
    doc = Document(" vs ".join(o.treatment.name for o in options), quotes=quotes)
    decision_items(doc, citer, decision)
    for flag in flags(citer, options):
        doc.para(flag)
    do_not_stop(doc, [r for o in options for r in o.evidence])
    rows = []
    label = all_label(len(options))
    for question in Question:
        if question in decision.silent:
            continue
        answers = [
            answer_items(citer, o, question, o.answers.get(question, []), decision.serious)
            for o in options
        ]
        shared = answer_items(
            citer, None, question, decision.shared.get(question, []), decision.serious
        )
        lead = Item(f"{label}:", style=Style.LABEL)
        short = w.QUESTIONS[question][0]
        if shared and not any(answers):  # the same answer for every option: one merged line
            rows.append(Row((tuple([lead, *shared]),), short))
            continue
        empty = w.NOTHING_MORE if shared else w.NOTHING
        cells = [tuple(a) or (dim(empty),) for a in answers]
        rows.append(Row(tuple(cells), short))
        if shared:
            rows.append(Row((tuple([lead, *shared]),), None))
    doc.blocks.append(Grid(tuple(o.treatment.name for o in options), tuple(rows), ""))
    doc.silent = w.silent_about(decision.silent, len(options))
    if decision.caveats:
        doc.blocks.append(caveats(citer, decision.caveats))
    doc.colophon.append(ids_line(options).text)
    doc.blocks.append(NotesSpace())
    return finish(doc, citer)
