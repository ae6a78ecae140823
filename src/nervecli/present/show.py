"""`show`: one option, question by question."""

from __future__ import annotations

from nervecli.domain.decision import Decision
from nervecli.model.catalogue import Catalogue
from nervecli.model.vocabulary import Question
from nervecli.output import words as w
from nervecli.output.document import Document, NotesSpace
from nervecli.present.answers import answer_items, decision_items, flags
from nervecli.present.common import Citer, caveats, do_not_stop, finish, how_given, ids_line


def show_doc(catalogue: Catalogue, decision: Decision, quotes: bool = False) -> Document:
    """One option, question by question: the summary a patient reads first."""
    (o,) = decision.options
    citer = Citer(catalogue)
    t = o.treatment
    how = how_given([r for r in o.routes if r.lower() != t.kind])  # not "Injection · injection"
    doc = Document(t.name, subtitle=w.capital(t.kind) + (f" · {how}" if how else ""), quotes=quotes)
    decision_items(doc, citer, decision)
    for flag in flags(citer, [o]):
        doc.para(flag)
    doc.para(citer.fact(t.summary))
    do_not_stop(doc, o.evidence, one=True)
    for question in Question:
        if question in decision.silent:
            continue
        doc.heading(w.QUESTIONS[question][1])
        doc.bullets(answer_items(citer, o, question, o.answers.get(question, []), decision.serious))
    doc.silent = w.silent_about(decision.silent, 1)
    if decision.caveats:
        doc.blocks.append(caveats(citer, decision.caveats))
    doc.colophon.append(ids_line([o]).text)
    doc.blocks.append(NotesSpace())
    return finish(doc, citer)
