"""`alternatives`: what else there is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nervecli.model.catalogue import Catalogue, Fact, Treatment
from nervecli.output.document import Document, Grid, Item, Row, Style

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.alternatives import Alternative


from nervecli.output import words as w
from nervecli.present.common import Citer, dim, finish, how_given, said_of


def difference(a: Alternative) -> list[Item]:
    """What tells options apart at a glance: kind, how given, whether graded."""
    t = a.treatment
    how = how_given(a.routes)
    records = a.evidence
    if t.group is not None and a.members:
        names = ", ".join(m.name.split(" (")[0] for m in a.members)
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


def uses(citer: Citer, a: Alternative) -> list[Item]:
    """Why a treatment for the same conditions is listed: what the sources say it is for, in
    the catalogue's words, a family's facts labelled as said of it in general."""
    items = []
    for ref in a.uses:
        label = said_of(ref, None)
        text = w.sentence(ref.fact.text)
        items.append(citer.item([ref.fact], f"{label}: {text}" if label else text))
    return items


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
            dim("The sources name no alternatives, and no other treatment shares its conditions.")
        )
    if outside:
        doc.para(Item("The sources also name, outside this catalogue:", style=Style.STRONG))
        doc.bullets([citer.item([f], f.text) for f in outside])
    rows = []
    for a in found:
        if a.named_by is not None:
            why = citer.item([a.named_by], "named by the sources")
            reasons = [why]
        else:  # what its sources say it is for, in their words; then the step through the graph
            reasons = uses(citer, a)
            if not a.shared:
                mine, via = a.through[0]  # the link, in its own words (never composed)
                said = f"How it reaches {mine.name.lower()}: {w.sentence(via.link.text)}"
                reasons.append(citer.item([via.link], said))
        rows.append(
            Row(
                (
                    (Item(a.treatment.name, style=Style.STRONG),),
                    tuple(reasons),
                    tuple(difference(a)),
                )
            )
        )
    if rows:
        doc.blocks.append(Grid(("Alternative", "Why it is listed", "How it differs"), tuple(rows)))
    return finish(doc, citer)
