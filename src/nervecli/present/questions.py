"""`questions`: questions to take to the doctor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nervecli.facts.applicable import FactRef
from nervecli.model.catalogue import Catalogue, EvidenceRecord, Treatment
from nervecli.model.vocabulary import TopicKey
from nervecli.output import words as w
from nervecli.output.document import Document, Item, NotesSpace

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.questions import TreatmentQuestions


from nervecli.present.common import Citer, do_not_stop, finish, said_of


def quoted(citer: Citer, ref: FactRef, ask: str) -> Item:
    """'The sources say: “<the quote itself>” <ask>': only a quote goes in quotation marks."""
    fact = ref.fact
    return citer.item([fact], f"The sources say: “{fact.quote}” {ask}")


def topic_items(
    citer: Citer,
    key: TopicKey,
    refs: list[FactRef],
    records: list[EvidenceRecord],
    treatment: Treatment | None = None,
) -> list[Item]:
    """The question a topic asks: quoting its fact, drawing on all its facts, or saying the
    sources are silent on it."""
    if key is TopicKey.EVIDENCE:
        asked = [
            citer.item(
                [r.recommendation], w.ASK_EVIDENCE.format(medicine=r.medicine, grade=w.grade(r))
            )
            for r in records
        ]
        return asked or [Item(w.ASK_UNGRADED)]
    if key is TopicKey.RISKS and refs:
        own = [r for r in refs if said_of(r, treatment) is None]
        names = ", ".join(dict.fromkeys(w.plain(r.fact.name) for r in own))  # type: ignore[attr-defined]
        labels: dict[str, list[FactRef]] = {}
        for r in refs:
            label = said_of(r, treatment)
            if label is not None:
                labels.setdefault(label, []).append(r)
        for label, part in labels.items():  # a family's risks said apart, labelled
            said = ", ".join(dict.fromkeys(w.plain(r.fact.name) for r in part))  # type: ignore[attr-defined]
            label = w.uncapital(label)
            names = f"{names}; {label}: {said}" if names else f"{label}: {said}"
        return [citer.item([r.fact for r in refs], w.ASK_RISKS.format(names=names))]
    how, ask, silent = w.ASK[key]
    if not refs:
        return [Item(silent)] if silent else []
    if how == "quote":
        item = quoted(citer, refs[0], ask)
        ref = refs[0]
        label = said_of(ref, treatment)
        if label is not None:
            item.text = f"{label}. {item.text}"
        return [item]
    if how == "say":  # the facts in the catalogue's words (a dose's quote is a table's row)
        said = " ".join(w.sentence(w.plain(r.fact.text)) for r in refs)
        return [citer.item([r.fact for r in refs], f"{said} {ask}")]
    return [citer.item([r.fact for r in refs], ask)]


def asked(citer: Citer, g: TreatmentQuestions) -> list[Item]:
    """The questions the sources raise for one treatment, topic by topic."""
    return [i for t in g.topics for i in topic_items(citer, t.key, t.refs, t.records, g.treatment)]


def questions_doc(catalogue: Catalogue, groups: list[TreatmentQuestions]) -> Document:
    citer = Citer(catalogue)
    names = [g.treatment.name for g in groups]
    doc = Document("Questions to ask your doctor about " + " and ".join(names))
    for g in groups:
        doc.heading(g.treatment.name)
        doc.bullets(asked(citer, g))
        do_not_stop(doc, g.evidence, one=True)
    doc.heading("In general")
    doc.bullets([Item(q) for q in w.GENERAL_QUESTIONS])
    doc.blocks.append(NotesSpace(8))
    return finish(doc, citer)
