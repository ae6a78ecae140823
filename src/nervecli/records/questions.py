"""`questions`: the questions for each treatment, as data. A question's text is its data, so
it is worded here as the document words it (`present.questions.asked`), with the sources
behind each; no document is built."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nervecli.model.catalogue import Citation
from nervecli.output import words as w
from nervecli.present.common import Citer
from nervecli.present.questions import asked
from nervecli.records.common import envelope, numbered_sources, treatment_brief

if TYPE_CHECKING:
    from nervecli.domain.questions import TreatmentQuestions
    from nervecli.model.catalogue import Catalogue


def questions_record(catalogue: Catalogue, groups: list[TreatmentQuestions]) -> dict[str, Any]:
    citer = Citer(catalogue)
    ids = {n: sid for sid, n in citer.numbers.items()}
    treatments = []
    for g in groups:
        questions = [
            {"text": i.text, "sources": numbered_sources(catalogue, (ids[n] for n in i.notes))}
            for i in asked(citer, g)
        ]
        treatments.append({**treatment_brief(catalogue, g.treatment), "questions": questions})
    record = {
        "command": "questions",
        "treatments": treatments,
        "general": list(w.GENERAL_QUESTIONS),
    }
    return envelope(catalogue, record, [Citation(source=sid, quote="") for sid in citer.used])
