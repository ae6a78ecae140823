"""`sources`: the documents behind the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nervecli.model.catalogue import Catalogue
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Item, Row, Style

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.sources import SourceUses


from nervecli.present.common import Citer, dim, finish, hint


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
                    (Item(s.title, style=Style.STRONG), dim(s.id)),
                    (Item(w.capital(w.source_kind(s))),),
                    (Item(str(len(v.uses))),),
                )
            )
        )
    doc.blocks.append(Grid(("No.", "Source", "What kind", "Quotes"), tuple(rows)))
    doc.para(hint("Every fact one source supports, with its quote: nervecli sources ID"))
    return finish(doc, citer)


def source_doc(catalogue: Catalogue, view: SourceUses) -> Document:
    citer = Citer(catalogue)
    s = view.source
    doc = Document(s.title, subtitle=w.capital(w.source_kind(s)), quotes=True, handout=False)
    doc.para(Item(w.source_line(s)))
    if s.note:
        doc.para(dim(f"Note: {s.note}"))
    doc.para(dim(f"{len(view.uses)} quotes from it support facts in the catalogue."))
    by_owner: dict[str, list[Item]] = {}
    for use in view.uses:
        title = w.section_title(use.section)
        by_owner.setdefault(use.owner, []).append(
            Item(
                f"{title}: {w.plain(use.text)}", quote=use.citation.quote, promotional=s.promotional
            )
        )
    for owner, items in by_owner.items():
        doc.heading(view.owners.get(owner, owner))
        doc.bullets(items)
    return finish(doc, citer)
