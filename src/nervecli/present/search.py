"""`search`: the entries that match, best first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from nervecli.model.catalogue import Catalogue, Treatment
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Item, Row, Style

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.search import Hit


from nervecli.present.common import Citer, dim, finish


def search_doc(
    catalogue: Catalogue,
    query: str,
    hits: list[Hit],
    suggestions: list[str],
    members: Mapping[str, Sequence[Treatment]],
) -> Document:
    """The hits, best first; a family hit names the treatments it applies to (`members`, by
    family id)."""
    citer = Citer(catalogue)
    doc = Document(f"Search: {query}", handout=False)
    if not hits:
        doc.para(dim(f"No treatment or condition in the catalogue matches '{query}'."))
        if suggestions:
            doc.para(Item("Did you mean: " + ", ".join(suggestions) + "?"))
    else:
        doc.para(Item(f"{len(hits)} result{'s' if len(hits) != 1 else ''}, best first."))
    rows = []
    for hit in hits:
        entry = [Item(hit.entry_name, style=Style.STRONG), dim(hit.kind)]
        if hit.kind == "family":
            names = [t.name for t in members.get(hit.entry_id, ())]
            if names:
                entry.append(dim("applies to: " + ", ".join(names)))
        cited = [hit.fact] if hit.fact is not None else []
        snippet = (
            citer.item(cited, hit.snippet, marks=tuple(hit.highlights))
            if cited
            else Item(hit.snippet, marks=tuple(hit.highlights))
        )
        match = [snippet]
        if hit.also:
            match.append(
                dim("also in: " + ", ".join(w.section_title(f).lower() for f in hit.also[:4]))
            )
        rows.append(Row((tuple(entry), (Item(w.section_title(hit.field)),), tuple(match))))
    if rows:
        doc.blocks.append(Grid(("Entry", "Matched in", "What it says"), tuple(rows)))
    return finish(doc, citer)
