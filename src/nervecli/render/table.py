"""Human output on a terminal, with Rich. Catalogue text always goes in as `Text`, never markup."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from nervecli.model import (
    NOT_STATED,
    Catalogue,
    Citation,
    EvidenceRecord,
    Fact,
    SideEffect,
    Treatment,
)
from nervecli.queries import Comparison, FactRef, TreatmentView, evidence_for, routes
from nervecli.render.common import (
    DISCLAIMER,
    NOT_GRADED,
    SEE_SHARED,
    SIDE_EFFECT_COLUMNS,
    Footnotes,
    by_family,
    evidence_brief,
    evidence_caveats,
    evidence_rows,
    evidence_sentences,
    family_label,
    line_label,
    list_line,
    origin_text,
    side_effect_brief,
    side_effect_cells,
    source_line,
)

if TYPE_CHECKING:
    from nervecli.render.doc import Document, Item

DIM = "italic dim"


class _Bullet:
    """'• text' with a hanging indent: wrapped lines line up under the text. Cheaper than a
    two-column grid, which Rich measures cell by cell."""

    def __init__(self, text: Text, mark: str = "•", style: str | None = None) -> None:
        self.text, self.mark = text, mark
        self.style = Style.parse(style) if style else None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = len(self.mark) + 1
        width = max(1, options.max_width - indent)
        for i, line in enumerate(self.text.wrap(console, width, overflow="fold")):
            yield Segment(
                f"{self.mark} " if i == 0 else " " * indent, self.style if i == 0 else None
            )
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = len(self.mark) + 1
        narrower = options.update_width(max(1, options.max_width - indent))
        inner = Measurement.get(console, narrower, self.text)
        return Measurement(inner.minimum + indent, inner.maximum + indent)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich would exit with status 1; a reader that stops early is not an error, and the
        # CLI's one handler for it exits 0.
        self.quiet = True
        raise BrokenPipeError


def make_console() -> Console:
    """A console for this invocation: colour off for pipes, NO_COLOR and TERM=dumb."""
    plain = "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb"
    return _Console(
        file=sys.stdout,
        markup=False,
        highlight=False,
        emoji=False,
        color_system=None if plain else "auto",
    )


FAMILY = "cyan"


def _dim(text: str) -> Text:
    return Text(text, style=DIM)


def _indent(renderable: RenderableType, by: int = 2) -> Padding:
    return Padding(renderable, (0, 0, 0, by))


class _Out:
    """One rendering: a console, and the footnote numbers given to sources so far."""

    def __init__(self, console: Console, catalogue: Catalogue, quotes: bool = False) -> None:
        self.console = console
        self.catalogue = catalogue
        self.notes = Footnotes(catalogue)
        self.quotes = quotes  # print each fact's quote under it (show --sources)

    def cite(self, ref: FactRef, text: str | None = None) -> Text:
        return self.cited(text if text is not None else ref.fact.text, ref.fact)

    def cited(self, text: str, by: Fact | Citation) -> Text:
        line = Text(text) + Text(f" [{self.notes.mark(by)}]", style="dim")
        if self.quotes:
            line.append(f"\n“{by.quote}”", style="dim italic")
        return line

    def evidence_cell(self, records: list[EvidenceRecord], key: str) -> RenderableType:
        parts = [evidence_brief(r).get(key) for r in records]
        lines = [self.cited(*p) for p in parts if p]
        return Text("\n").join(lines) if lines else _dim(NOT_GRADED)

    def evidence(self, records: list[EvidenceRecord]) -> RenderableType:
        """Each evidence record in plain words, then the caveats; 'not graded' when none."""
        if not records:
            return _dim(NOT_GRADED)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(overflow="fold")
        for record in records:
            for i, (text, citation) in enumerate(evidence_sentences(record)):
                grid.add_row(Text("•" if i == 0 else ""), self.cited(text, citation))
        for fact in evidence_caveats(self.catalogue, records):
            grid.add_row(Text("!"), self.cited(fact.text, fact))
        return grid

    def cell(self, refs: list[FactRef], shared_below: bool) -> RenderableType:
        """A comparison cell: never blank, and pointing at the shared facts when there are some."""
        if not refs:
            return _dim(SEE_SHARED if shared_below else NOT_STATED)
        if shared_below:
            return Group(self.bullets(refs), _dim(f"(and {SEE_SHARED})"))
        return self.bullets(refs)

    def bullets(self, refs: list[FactRef], brief: bool = False) -> RenderableType:
        """Facts as bullets with hanging indents, family facts grouped under their own label."""
        parts: list[RenderableType] = []
        for family, group in by_family(refs):
            if family is not None:
                parts.append(Text(family_label(family) + ":", style=FAMILY))
            for ref in group:
                fact = ref.fact
                text = side_effect_brief(fact) if brief and isinstance(fact, SideEffect) else None
                parts.append(_Bullet(self.cite(ref, text)))
        return Group(*parts)

    def finish(self) -> None:
        if self.notes.numbers:
            self.console.print()
            self.console.print(Text("Sources", style="bold"))
            for n, source in self.notes.sources():
                self.console.print(_Bullet(Text(source_line(source)), f"[{n}]", "dim"))
        meta = self.catalogue.meta
        self.console.print()
        self.console.print(
            Text(
                f"Catalogue {meta.version}, last reviewed {meta.last_reviewed.isoformat()}.",
                style="dim",
            )
        )
        self.console.print(Text(DISCLAIMER, style="italic"))


NARROW = 60  # below this many columns, tables are stacked instead of squeezed


def render_list(console: Console, catalogue: Catalogue, treatments: list[Treatment]) -> None:
    out = _Out(console, catalogue)
    title = Text(f"Treatments for nerve pain ({len(treatments)})", style="bold")
    if not treatments:
        console.print(title)
        console.print(_dim("No treatment in the catalogue matches these filters."))
        out.finish()
        return
    if console.width < NARROW:
        console.print(title)
        for t in treatments:
            how = ", ".join(routes(catalogue, t)) or NOT_STATED
            console.print()
            console.print(Text(t.name, style="bold"))
            line = list_line(catalogue, t)
            console.print(Text(f"{t.id} · {t.kind} · how given: {how} · line: {line}", style="dim"))
            console.print(out.cite(FactRef(t.summary)))
        out.finish()
        return
    table = Table(title=title, box=box.SIMPLE_HEAD, expand=True)
    # Fixed widths keep ids and kinds whole; the ratios share out what is left.
    table.add_column("Treatment", overflow="fold", width=max(len(t.id) for t in treatments))
    table.add_column("Kind", overflow="fold", width=9)
    table.add_column("How given", overflow="fold", ratio=2)
    table.add_column("Line", overflow="fold", ratio=2)
    table.add_column("Summary", overflow="fold", ratio=4)
    for t in treatments:
        name = Text(t.name, style="bold") + Text(f"\n{t.id}", style="dim")
        how = ", ".join(routes(catalogue, t))
        line = list_line(catalogue, t)
        table.add_row(
            name,
            Text(t.kind),
            Text(how) if how else _dim(NOT_STATED),
            _dim(line) if not evidence_for(catalogue, t) else Text(line),
            out.cite(FactRef(t.summary)),
        )
    console.print(table)
    out.finish()


def _side_effect_table(out: _Out, refs: list[FactRef]) -> RenderableType:
    if out.console.width < NARROW:  # stacked: each side effect, then what the sources say of it
        parts: list[RenderableType] = []
        for family, group in by_family(refs):
            if family is not None:
                parts.append(Text(family_label(family) + ":", style=FAMILY))
            for ref in group:
                assert isinstance(ref.fact, SideEffect)
                text, *rest = side_effect_cells(ref.fact)
                parts.append(Text("• ") + out.cite(ref, text))
                for title, value in zip(SIDE_EFFECT_COLUMNS[1:], rest, strict=True):
                    line = Text(f"    {title.lower()}: ")
                    parts.append(line + (_dim(value) if value == NOT_STATED else Text(value)))
        return Group(*parts)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for i, title in enumerate(SIDE_EFFECT_COLUMNS):
        table.add_column(title, overflow="fold", ratio=3 if i == 0 else 2)
    for family, group in by_family(refs):
        if family is not None:
            table.add_section()
            table.add_row(Text(family_label(family) + ":", style=FAMILY))
        for ref in group:
            assert isinstance(ref.fact, SideEffect)
            text, *rest = side_effect_cells(ref.fact)
            table.add_row(
                out.cite(ref, text), *(_dim(c) if c == NOT_STATED else Text(c) for c in rest)
            )
    return table


def render_show(
    console: Console, catalogue: Catalogue, view: TreatmentView, quotes: bool = False
) -> None:
    out = _Out(console, catalogue, quotes)
    parts: list[RenderableType] = []  # printed at once: one render pass, one write
    t = view.treatment
    parts.append(Text(t.name, style="bold underline"))
    head = Text(f"id: {t.id} · kind: {t.kind} · how given: ", style="dim")
    head.append(", ".join(view.routes) or NOT_STATED)
    if view.family:
        head.append(f" · family: {view.family.name}")
    head.append(f" · line of treatment: {line_label(view.evidence)}")
    if t.aliases:
        head.append(f" · also called: {', '.join(t.aliases)}")
    head.append(f" · from: {origin_text(view)}")
    parts.append(head)
    parts.append(out.cite(FactRef(t.summary)))
    group = None
    for s in view.sections:
        if s.section.group != group:
            group = s.section.group
            parts.append(Text())
            parts.append(Text(group.upper(), style="bold magenta"))
        parts.append(Text(s.section.title, style="bold"))
        if not s.facts:
            body: RenderableType = _dim(NOT_STATED)
        elif s.section.key == "side_effects":
            body = _side_effect_table(out, s.facts)
        else:
            body = out.bullets(s.facts)
        parts.append(_indent(body))
    parts.append(Text())
    parts.append(Text("EVIDENCE (graded sources)", style="bold magenta"))
    parts.append(_indent(out.evidence(view.evidence)))
    console.print(Group(*parts))
    out.finish()


def render_compare(console: Console, catalogue: Catalogue, comparison: Comparison) -> None:
    out = _Out(console, catalogue)
    rows: list[tuple[str, list[RenderableType]]] = [
        ("Kind", [Text(t.kind) for t in comparison.treatments]),
        (
            "How given",
            [Text(", ".join(v.routes)) if v.routes else _dim(NOT_STATED) for v in comparison.views],
        ),
        ("Summary", [out.cite(FactRef(t.summary)) for t in comparison.treatments]),
    ]
    for key, title in evidence_rows([v.evidence for v in comparison.views]):
        rows.append((title, [out.evidence_cell(v.evidence, key) for v in comparison.views]))
    rows.append(
        (
            "Side effects not shared by all",
            [
                out.bullets(refs, brief=True) if refs else _dim(NOT_STATED)
                for refs in comparison.own_side_effects
            ],
        )
    )
    for row in comparison.rows:
        rows.append(
            (row.section.title, [out.cell(refs, bool(row.same_for_all)) for refs in row.cells])
        )
    if console.width < NARROW:  # one aspect after another, each treatment under it
        console.print(Text("Comparison", style="bold underline"))
        for title, cells in rows:
            console.print()
            console.print(Text(title, style="bold"))
            for t, cell in zip(comparison.treatments, cells, strict=True):
                console.print(_indent(Text(t.name + ":", style="cyan")))
                console.print(_indent(cell, 4))
    else:
        table = Table(box=box.SQUARE, show_lines=True, title=Text("Comparison"))
        table.add_column("Aspect", style="bold", overflow="fold", ratio=1)
        for t in comparison.treatments:
            table.add_column(Text(t.name), overflow="fold", ratio=2)
        for title, cells in rows:
            table.add_row(Text(title), *cells)
        console.print(table)

    console.print()
    console.print(Text("Side effects shared by all", style="bold"))
    if not comparison.shared_side_effects:
        console.print(_indent(_dim("None in common in the sources.")))
    identical = [s.refs[0] for s in comparison.shared_side_effects if s.same_for_all]
    if identical:  # one fact for all, e.g. from a family they share
        console.print(_indent(out.bullets([r for refs in identical for r in refs], brief=True)))
    for shared in comparison.shared_side_effects:
        if shared.same_for_all:
            continue
        lines = [Text(shared.name[:1].upper() + shared.name[1:], style="bold")]
        for t, refs in zip(comparison.treatments, shared.refs, strict=True):
            line = Text(f"  {t.name}: ")
            line += Text("; ").join(out.cite(r, side_effect_brief(r.fact)) for r in refs)  # type: ignore[arg-type]
            lines.append(line)
        console.print(_indent(Group(*lines)))

    caveats = evidence_caveats(catalogue, [r for v in comparison.views for r in v.evidence])
    if caveats:
        console.print()
        console.print(Text("About the evidence figures", style="bold"))
        console.print(_indent(out.bullets([FactRef(f) for f in caveats])))

    same = [row for row in comparison.rows if row.same_for_all]
    if same:
        console.print()
        console.print(Text("Same for all", style="bold"))
        for row in same:
            console.print(_indent(Text(row.section.title, style="bold")))
            console.print(_indent(out.bullets(row.same_for_all), 4))
    out.finish()


def _item(out: _Out, item: Item) -> Text:
    text = Text(item.text, style="dim italic" if item.dim else ("bold" if item.strong else ""))
    for start, end in item.highlights:
        text.stylize("bold reverse" if out.console.color_system else "bold underline", start, end)
    if item.cited is not None:
        text.append(f" [{out.notes.mark(item.cited)}]", style="dim")
    return text


def _items(
    out: _Out, items: tuple[Item, ...], quotes: bool, bullet: str | None = None
) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    if bullet is not None:
        grid.add_column(width=len(bullet), no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        cells = [Text(bullet)] if bullet is not None else []
        body = _item(out, item)
        if quotes and item.quote:
            body = Text.assemble(body, "\n", Text(f"“{item.quote}”", style="dim italic"))
        grid.add_row(*cells, body)
    return grid


def render_doc(console: Console, catalogue: Catalogue, doc: Document, quotes: bool = False) -> None:
    """Draw a format-neutral document; grids become stacked blocks on a narrow terminal."""
    from nervecli.render.doc import Bullets, Heading, Para

    out = _Out(console, catalogue)
    quotes = quotes or doc.quotes
    console.print(Text(doc.title, style="bold underline"))
    for block in doc.blocks:
        if isinstance(block, Heading):
            console.print()
            console.print(Text(block.text, style="bold" if block.level > 1 else "bold underline"))
        elif isinstance(block, Para):
            console.print(Text(" ").join(_item(out, i) for i in block.items))
        elif isinstance(block, Bullets):
            if block.label:
                console.print(_indent(Text(block.label, style=FAMILY)))
            console.print(_indent(_items(out, block.items, quotes, "•")))
        elif console.width < NARROW:
            for row in block.rows:
                console.print()
                console.print(_items(out, row[0], quotes))
                for header, cell in zip(block.headers[1:], row[1:], strict=True):
                    console.print(_indent(Text(f"{header}:", style="bold")))
                    console.print(_indent(_items(out, cell, quotes), 4))
        else:
            table = Table(box=box.SIMPLE_HEAD, expand=True)
            last = len(block.headers) - 1
            widths = block.widths or tuple(
                5 if i == last else 2 if i else 3 for i in range(last + 1)
            )
            for header, width in zip(block.headers, widths, strict=True):
                table.add_column(header, overflow="fold", ratio=width)
            for row in block.rows:
                table.add_row(*(_items(out, cell, quotes) for cell in row))
            console.print(table)
    out.finish()


def page(draw: Callable[[Console], None], allow_pager: bool = True) -> None:
    """Draw on a fresh console; on a terminal, send output taller than it through a pager
    ($PAGER, else less), never when piped or with --no-pager."""
    console = make_console()
    if not (allow_pager and console.is_terminal):
        draw(console)
        sys.stdout.flush()
        return
    with console.capture() as captured:
        draw(console)
    text = captured.get()
    if text.count("\n") <= console.height:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    import pydoc

    os.environ.setdefault("LESS", "-FRX")  # keep colours, quit if one screen
    pydoc.pager(text)
