"""`list`: the treatments, one row each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nervecli.model.catalogue import Catalogue
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Item, Row, Style

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.listing import Listed, Listing


from nervecli.present.common import Citer, dim, finish, hint, how_given, via_text


def list_title(listing: Listing, count: int) -> str:
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


def evidence_cell(citer: Citer, entry: Listed) -> list[Item]:
    t, members = entry.treatment, entry.members
    if members and t.group is not None:
        names = ", ".join(m.name.split(" (")[0] for m in members)
        return [citer.item([t.group], f"a type of medicine: see {names}")]
    records = entry.evidence
    if not records:
        return [dim("not graded")]
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
    doc = Document(list_title(listing, len(listing.items)), handout=False)
    if not listing.items:
        doc.para(dim("No treatment in the catalogue matches these filters."))
        return finish(doc, citer)
    rows = []
    missing_how = False
    for entry in listing.items:
        t = entry.treatment
        name = [Item(t.name, style=Style.STRONG)]
        if entry.via is not None and entry.via.via is not None:
            name.append(dim(via_text(entry.via.via)))
        how = how_given(entry.routes)
        missing_how |= not how
        rows.append(
            Row(
                (
                    tuple(name),
                    (Item(t.kind),),
                    (Item(how) if how else dim("—"),),
                    tuple(evidence_cell(citer, entry)),
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
        doc.para(dim(note))
    doc.para(
        hint(
            "More on one: nervecli show NAME (a name or its first words, "
            "e.g. nervecli show ketamine)."
        )
    )
    return finish(doc, citer)
