"""`list`: the treatments, one row each."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

from nervecli.model.catalogue import Catalogue
from nervecli.model.listing import ListingIndex
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Item, Row, Style
from nervecli.output.measure import cell_measure, header_measure

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
    if listing.condition is None:  # some are described for other kinds of pain: marked
        return f"{w.capital(what)} in the catalogue ({count})"
    return f"{w.capital(what)} for {listing.condition.name.lower()} ({count})"


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
        if r.applies_to == "peripheral only":  # the scope, where it is narrower than "all"
            head += ", peripheral neuropathic pain only"
        if len(records) > 1:
            head = f"{r.medicine}: {head}"
        figures = w.brief_figures(r)
        cited = [r.recommendation, *([r.effect] if r.effect else [])]
        items.append(citer.item(cited, head + (f". {figures}" if figures else ".")))
    return items


HEADERS = ("Treatment", "Kind", "How given", "Graded evidence", "Summary")
OPTIONAL = frozenset({4})  # left out, rather than stack the grid, on a narrow terminal
LEAST, NATURAL = "least:", "natural:"  # the listing index's measures of column n: "least:3"


def list_row(citer: Citer, entry: Listed) -> tuple[Row, bool]:
    """One treatment's row, and whether the sources do not say how it is given."""
    t = entry.treatment
    name = [Item(t.name, style=Style.STRONG)]
    if entry.via is not None and entry.via.via is not None:
        name.append(dim(via_text(entry.via.via)))
    if not entry.for_nerve_pain:
        name.append(dim(w.NOT_FOR_NERVE_PAIN))
    how = how_given(entry.routes)
    row = Row(
        (
            tuple(name),
            (Item(t.kind),),
            (citer.item(entry.route_facts, how) if how else dim("—"),),
            tuple(evidence_cell(citer, entry)),
            (Item(w.plain(t.summary.text), promotional=citer.promotional([t.summary])),),
        )
    )
    return row, not how


def _empty(doc: Document, citer: Citer) -> Document:
    doc.para(dim("No treatment in the catalogue matches these filters."))
    return finish(doc, citer)


def _end(doc: Document, citer: Citer, missing_how: bool) -> Document:
    """What follows the rows: the note on '—', the hint, the sources and the footer."""
    if missing_how:
        doc.para(dim("—: the sources do not say how it is given."))
    doc.para(
        hint(
            "More on one: nervecli show NAME (a name or its first words, "
            "e.g. nervecli show ketamine)."
        )
    )
    return finish(doc, citer)


def list_doc(catalogue: Catalogue, listing: Listing) -> Document:
    citer = Citer(catalogue)
    doc = Document(list_title(listing, len(listing.items)), handout=False)
    if not listing.items:
        return _empty(doc, citer)
    rows, missing_how = [], False
    for entry in listing.items:
        row, missing = list_row(citer, entry)
        rows.append(row)
        missing_how |= missing
    doc.blocks.append(Grid(HEADERS, tuple(rows), optional=OPTIONAL))
    return _end(doc, citer, missing_how)


class _DrawnRows(Sequence[Row]):
    """A listing's rows, each built when the drawer reaches it (and then let go)."""

    def __init__(self, citer: Citer, items: Sequence[Listed]) -> None:
        self.citer, self.items = citer, items
        self.missing_how = False

    def __len__(self) -> int:
        return len(self.items)

    def _row(self, entry: Listed) -> Row:
        row, missing = list_row(self.citer, entry)
        self.missing_how |= missing
        return row

    @overload
    def __getitem__(self, k: int) -> Row: ...
    @overload
    def __getitem__(self, k: slice) -> list[Row]: ...
    def __getitem__(self, k: int | slice) -> Row | list[Row]:
        if isinstance(k, slice):
            return [self._row(e) for e in self.items[k]]
        return self._row(self.items[k])

    def __iter__(self) -> Iterator[Row]:
        return map(self._row, self.items)


def list_view(catalogue: Catalogue, listing: Listing, index: ListingIndex) -> Document:
    """`list_doc` for the terminal, from a listing made from the listing index: its columns
    laid out from the index's measures, so that each row is built only when it is drawn (a
    reader that stops early stops the reading). The same text as `list_doc` drawn."""
    citer = Citer(catalogue)
    doc = Document(list_title(listing, len(listing.items)), handout=False)
    if not listing.items:
        return _empty(doc, citer)
    rows = _DrawnRows(citer, listing.items)
    grid = Grid(HEADERS, rows, optional=OPTIONAL, measures=_measures(index, listing))
    doc.blocks.append(grid)

    def rest(drawn: Document) -> None:  # once every row is drawn: all that they cite is known
        _end(drawn, citer, rows.missing_how)

    doc.rest = rest
    return doc


def _measures(index: ListingIndex, listing: Listing) -> tuple[tuple[int, int], ...]:
    """Each column's (longest word, longest line) over the listed rows, headers included."""
    out = []
    positions = listing.positions
    whole = positions is None or len(positions) == len(index.ids)
    for c, header in enumerate(HEADERS):
        least, natural = header_measure(header)
        for name in (LEAST, NATURAL):
            key = f"{name}{c}"
            column = index.columns[key]
            if whole:
                found = index.totals[key]
            else:
                assert positions is not None
                found = max(map(column.__getitem__, positions), default=0)
            if name == LEAST:
                least = max(least, found)
            else:
                natural = max(natural, found)
        out.append((least, natural))
    return tuple(out)


class RowMeasures:
    """The listing index's measures: each treatment's row (`add`, in the index's order,
    unfiltered) measured cell by cell as the terminal drawer measures it."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.citer = Citer(catalogue)
        self.columns = {
            f"{name}{c}": array("I") for c in range(len(HEADERS)) for name in (LEAST, NATURAL)
        }

    def add(self, entry: Listed) -> None:
        row, _ = list_row(self.citer, entry)
        for c, cell in enumerate(row.cells):
            least, natural = cell_measure(cell)
            self.columns[f"{LEAST}{c}"].append(least)
            self.columns[f"{NATURAL}{c}"].append(natural)

    def fill(self, index: ListingIndex) -> None:
        index.columns.update(self.columns)
        index.totals.update({k: max(v, default=0) for k, v in self.columns.items()})


def code_stamp() -> str:
    """Names the code a listing index depends on: nervecli's version and the text of the
    modules that order, word and measure the rows. An index made by other code (a developer's
    edit, say) is never used."""
    import zlib
    from pathlib import Path

    from nervecli import __version__

    root = Path(__file__).resolve().parent.parent
    total = 0
    for part in STAMPED:
        try:
            total = zlib.crc32((root / part).read_bytes(), total)
        except OSError:
            return f"{__version__}-unstamped"
    return f"{__version__}-{total:08x}"


STAMPED = (
    "present/listing.py",
    "present/common.py",
    "output/words.py",
    "output/measure.py",
    "output/text.py",
    "domain/listing.py",
    "domain/conditions.py",
    "facts/applicable.py",
    "model/vocabulary.py",
    "model/listing.py",
)
