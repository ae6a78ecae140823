"""The terminal drawer: a document as lines for a terminal, with Rich for styles and colour.

Grids are laid out here rather than by Rich's Table, so that a word or an id is never split:
each column is at least as wide as its longest word and otherwise as wide as its content
needs; a grid that cannot fit that way leaves out its optional columns, and failing that is
stacked (one row, or one question, per block). Lines never end in padding. Catalogue text goes
in as `Text`, never as markup, and passes through `visible` first.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from nervecli.output import words as w
from nervecli.output.document import (
    Block,
    Bullets,
    Code,
    Document,
    Grid,
    Heading,
    Icons,
    Item,
    NotesSpace,
    Para,
    Style,
    assert_never,
)
from nervecli.output.measure import (
    BULLET,
    ICON_GROUP,
    bulleted,
    column_measure,
    lead,
)
from nervecli.output.text import visible

GAP = 2  # spaces between grid columns
STYLES: dict[Style, str] = {
    Style.PLAIN: "",
    Style.STRONG: "bold",
    Style.DIM: "dim italic",
    Style.HINT: "dim italic",
    Style.LABEL: "bold cyan",
}
_WORD = re.compile(r"\S+")
_TRAILING = re.compile(r"[ ]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
# Without colour, lines are printed as their plain text (what Rich prints for them, trailing
# spaces stripped), without Rich's rendering; a test compares the two.
PLAIN = True


def icon_array(icons: Icons) -> str:
    """'■■■■■■■■■■ ■■■□□□□□□□ □□□□□□□□□□ ...' for 13 in 100, in groups of ten."""
    marks = "■" * icons.filled + "□" * (icons.total - icons.filled)
    return " ".join(marks[i : i + ICON_GROUP] for i in range(0, len(marks), ICON_GROUP))


def icon_lines(icons: Icons, width: int) -> list[str]:
    """An icon array as lines of whole groups, the same number of groups on every line (five,
    two or one, as the width allows), so that two arrays of 100 line up figure by figure."""
    groups = icon_array(icons).split(" ")
    per = next((k for k in (5, 2) if k * (ICON_GROUP + 1) - 1 <= width), 1)
    return [" ".join(groups[i : i + per]) for i in range(0, len(groups), per)]


def item_text(item: Item, color: bool) -> Text:
    body = visible(item.text)
    text = Text(body, style=STYLES[item.style])
    if body == item.text:
        for start, end in item.marks:
            text.stylize("bold reverse" if color else "bold underline", start, end)
    text.append_text(citation(item))
    return text


def citation(item: Item) -> Text:
    """' [4]', ' [4, promotional]', or ' (promotional)' without a number."""
    numbers = ",".join(map(str, item.notes))
    if numbers and item.promotional:
        return (
            Text(" [")
            + Text(numbers, style=Style.DIM)
            + Text(f", {w.PROMOTIONAL}]", style="yellow")
        )
    if numbers:
        return Text(f" [{numbers}]", style=Style.DIM)
    if item.promotional:
        return Text(f" ({w.PROMOTIONAL})", style="yellow")
    return Text()


class _Lines:
    """The lines of a view, wrapped at word boundaries to the width. With a `sink`, finished
    lines are handed on in batches as they are laid out (the last line is kept: the next
    block looks at it)."""

    BATCH = 64

    def __init__(
        self,
        console: Console,
        width: int,
        quotes: bool,
        sink: Callable[[list[Text]], None] | None = None,
    ) -> None:
        self.console, self.width, self.quotes = console, width, quotes
        self.lines: list[Text] = []
        self.sink = sink

    def flush(self) -> None:
        if self.sink is not None and len(self.lines) > self.BATCH:
            done = self.lines[:-1]
            del self.lines[:-1]
            self.sink(done)

    def wrap(self, text: Text, width: int) -> list[Text]:
        """Lines of at most `width` cells, broken between words (a word longer than a whole
        line is the only thing ever cut). Plain narrow text is broken here, by offsets, which is
        several times faster than Rich's general wrap; anything else goes to Rich."""
        width = max(1, width)
        plain = text.plain
        if cell_len(plain) != len(plain) or "\n" in plain:
            return list(text.wrap(self.console, width, overflow="fold")) or [Text()]
        spans: list[tuple[int, int]] = []
        start = end = -1
        for word in _WORD.finditer(plain):
            a, b = word.span()
            if start >= 0 and b - start <= width:
                end = b
                continue
            if start >= 0:
                spans.append((start, end))
            while b - a > width:  # a word longer than the line: folded, as Rich would
                spans.append((a, a + width))
                a += width
            start, end = a, b
        if start >= 0:
            spans.append((start, end))
        if not spans:
            return [Text()]
        # One divide for every line: slicing a Text line by line re-divides all of it each time
        # (quadratic in a long paragraph). Spans are ordered and disjoint, so the piece that
        # starts at a span's start ends at its end.
        cuts = sorted({x for span in spans for x in span})
        pieces = text.divide(cuts)
        after = {cut: pieces[i + 1] for i, cut in enumerate(cuts)}
        return [after[a] for a, _ in spans]

    def add(self, text: Text, indent: int = 0, first: str = "") -> None:
        """A paragraph with a hanging indent: `first` before its first line."""
        lead = indent + len(first)
        for n, line in enumerate(self.wrap(text, self.width - lead)):
            prefix = (" " * indent + first) if n == 0 else " " * lead
            self.lines.append(Text(prefix) + line)

    def blank(self) -> None:
        if self.lines and self.lines[-1].plain:
            self.lines.append(Text())

    def item(self, item: Item, color: bool, indent: int = 0, first: str = "") -> None:
        if item.icons is not None:  # the array on its own lines, its sentence under it
            lead = indent + len(first)
            for n, line in enumerate(icon_lines(item.icons, self.width - lead)):
                prefix = (" " * indent + first) if n == 0 else " " * lead
                self.lines.append(Text(prefix) + Text(line, style="bold"))
            indent, first = lead, ""
        self.add(item_text(item, color), indent, first)
        if self.quotes and item.quote:
            quote = Text(f"“{visible(item.quote)}”", style="dim italic")
            self.add(quote, indent + len(first))


def _cell_texts(cell: tuple[Item, ...], color: bool) -> list[tuple[str, Text]]:
    """A cell's paragraphs: (first-line lead, text)."""
    bullets = bulleted(cell)
    return [(lead(it, bullets), item_text(it, color)) for it in cell]


def _allocate(mins: list[int], naturals: list[int], room: int) -> list[int] | None:
    """Column widths within `room`: natural if it fits, else each at least its longest word,
    the rest shared out in proportion to what each still wants; None if even that won't fit."""
    if sum(naturals) <= room:
        return naturals
    if sum(mins) > room:
        return None
    widths = list(mins)
    spare = room - sum(mins)
    wants = [n - m for n, m in zip(naturals, mins, strict=True)]
    total = sum(wants)
    for i, want in enumerate(wants):
        widths[i] += spare * want // total if total else 0
    left = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -(naturals[i] - widths[i])):
        if left <= 0:
            break
        if widths[i] < naturals[i]:
            widths[i] += 1
            left -= 1
    return widths


class TableDrawer:
    def __init__(self, width: int, color: bool) -> None:
        self.width = max(20, width)
        self.color = color
        self.console = Console(
            file=io.StringIO(),  # a drawer returns text; only the CLI writes to stdout
            width=self.width,
            color_system="standard" if color else None,
            force_terminal=color,
            no_color=not color,
            markup=False,
            highlight=False,
            emoji=False,
            legacy_windows=False,
        )

    def draw(self, doc: Document) -> str:
        parts: list[str] = []
        self.draw_to(doc, parts.append)
        return "".join(parts)

    def draw_to(self, doc: Document, write: Callable[[str], None]) -> None:
        """Draw the document, handing its text to `write` in pieces as it is laid out: a long
        grid is written row by row, so a reader that stops early stops the drawing."""
        out = _Lines(self.console, self.width, doc.quotes, lambda ls: write(self.render(ls)))
        if doc.title:
            out.add(Text(visible(doc.title), style="bold"))
        if doc.subtitle:
            out.add(Text(visible(doc.subtitle), style=Style.DIM))
        for block in doc.blocks:
            self.block(out, block)
            out.flush()
        if doc.rest is not None:  # rows drawn as they were built: what they leave to say
            drawn, rest, doc.rest = len(doc.blocks), doc.rest, None  # said once
            rest(doc)
            for block in doc.blocks[drawn:]:
                self.block(out, block)
                out.flush()
        if doc.silent:
            out.blank()
            out.add(Text(w.silent_line(doc.silent), style="italic"))
        if doc.footnotes:
            out.blank()
            out.add(Text("Sources", style="bold"))
            for note in doc.footnotes:
                text = Text(visible(note.text))
                out.add(text, 0, f"[{note.number}] ")
        if doc.about:  # one paragraph on a screen; a list on paper
            out.blank()
            out.add(Text(f"{w.ABOUT_GUIDE}: " + " ".join(doc.about), style=Style.DIM))
        if doc.colophon:
            out.blank()
            for line in doc.colophon:
                out.add(Text(visible(line), style=Style.DIM))
        if doc.footer:
            out.blank()
            for line in doc.footer:
                out.add(Text(line, style=Style.DIM))
        write(self.render(out.lines))

    def render(self, lines: list[Text]) -> str:
        if not self.color and PLAIN:
            plain = [line.plain for line in lines]
            if not any("\t" in p or "\n" in p or "\r" in p for p in plain):
                return "".join(p.rstrip(" ") + "\n" for p in plain)  # what Rich prints
        with self.console.capture() as captured:
            for line in lines:
                self.console.print(line, soft_wrap=True)
        return _TRAILING.sub(r"\1", captured.get())

    def block(self, out: _Lines, block: Block) -> None:
        if isinstance(block, Heading):
            out.blank()
            out.add(Text(visible(block.text), style="bold" if block.level <= 2 else "bold dim"))
        elif isinstance(block, Para):
            out.blank()
            text = Text(" ").join(item_text(i, self.color) for i in block.items)
            out.add(text)
            for item in block.items:
                if out.quotes and item.quote:
                    out.add(Text(f"“{visible(item.quote)}”", style="dim italic"), 2)
        elif isinstance(block, Bullets):
            if block.label:
                if out.lines and out.lines[-1].plain.startswith("  "):
                    out.blank()  # a labelled group after another group
                out.add(Text(visible(block.label), style="cyan"), 2)
            for item in block.items:
                out.item(item, self.color, 2, BULLET)
        elif isinstance(block, Grid):
            out.blank()
            self.grid(out, block)
        elif isinstance(block, Code):
            for line in visible(block.text, lines=True).split("\n"):
                out.lines.append(Text(line))
        elif isinstance(block, NotesSpace):
            pass  # room for notes belongs on paper
        else:
            assert_never(block)

    # --- grids ---------------------------------------------------------------------------------

    def grid(self, out: _Lines, grid: Grid) -> None:
        labelled = grid.label_header is not None
        columns = list(range(len(grid.headers)))
        for dropped in (frozenset(), grid.optional):
            keep = [c for c in columns if c not in dropped]
            widths = self.fit(grid, keep, labelled)
            if widths is not None:
                self.lay_out(out, grid, keep, widths, labelled)
                return
        self.stack(out, grid, labelled)

    def fit(self, grid: Grid, keep: list[int], labelled: bool) -> list[int] | None:
        if grid.measures is not None:  # known beforehand: no row is looked at
            mins = [grid.measures[c][0] for c in keep]
            naturals = [grid.measures[c][1] for c in keep]
            return _allocate(mins, naturals, self.width - GAP * (len(mins) - 1))
        mins, naturals = [], []
        full_rows = [r for r in grid.rows if len(r.cells) == len(grid.headers)]
        if labelled:
            least, natural = column_measure(
                [(Item(r.label),) for r in grid.rows if r.label], grid.label_header or ""
            )
            mins.append(least)
            naturals.append(natural)
        for c in keep:
            least, natural = column_measure([r.cells[c] for r in full_rows], grid.headers[c])
            mins.append(least)
            naturals.append(natural)
        room = self.width - GAP * (len(mins) - 1)
        if labelled and naturals[0] + sum(mins[1:]) <= room:
            mins[0] = naturals[0]  # questions read whole when there is room
        widths = _allocate(mins, naturals, room)
        if widths is None:
            return None
        if labelled and len(widths) > 2:  # options side by side get equal room
            options = widths[1:]
            fair = sum(options) // len(options)
            if all(m <= fair for m in mins[1:]):
                widths = [widths[0], *[fair] * len(options)]
        # A row spanning the option columns must fit their width, word by word.
        span = sum(widths[1:] if labelled else widths) + GAP * (len(keep) - 1)
        for row in grid.rows:
            if len(row.cells) == 1 and len(grid.headers) > 1:
                least, _ = column_measure([row.cells[0]], "")
                if least > span:
                    return None
        return widths

    def cell_lines(self, out: _Lines, cell: tuple[Item, ...], width: int) -> list[Text]:
        lines: list[Text] = []
        for item, (first, text) in zip(cell, _cell_texts(cell, self.color), strict=True):
            room = width - len(first)
            icons = icon_lines(item.icons, room) if item.icons is not None else []
            body = [Text(line, style="bold") for line in icons] + out.wrap(text, room)
            if out.quotes and item.quote:  # --sources: the words it rests on, under it
                body += out.wrap(Text(f"“{visible(item.quote)}”", style="dim italic"), room)
            for n, line in enumerate(body):
                lines.append(Text(first if n == 0 else " " * len(first)) + line)
        return lines

    def lay_out(
        self, out: _Lines, grid: Grid, keep: list[int], widths: list[int], labelled: bool
    ) -> None:
        headers = ([grid.label_header or ""] if labelled else []) + [grid.headers[c] for c in keep]
        head_cells = [
            out.wrap(Text(visible(h), style="bold"), wd)
            for h, wd in zip(headers, widths, strict=True)
        ]
        self.join_cells(out, head_cells, widths)
        out.lines.append(
            Text("─" * min(self.width, sum(widths) + GAP * (len(widths) - 1)), style=Style.DIM)
        )
        span = sum(widths[1:] if labelled else widths) + GAP * (len(keep) - 1)
        for n, row in enumerate(grid.rows):
            spanning = len(row.cells) == 1 and len(grid.headers) > 1
            if labelled and n and row.label:
                out.lines.append(Text())
            label = (
                [self.cell_lines(out, (Item(row.label or "", style=Style.STRONG),), widths[0])]
                if labelled
                else []
            )
            if spanning:
                cells = [*label, self.cell_lines(out, row.cells[0], span)]
                if not labelled:
                    cells = [self.cell_lines(out, row.cells[0], span)]
                self.join_cells(out, cells, [widths[0], span] if labelled else [span])
                continue
            cells = label + [
                self.cell_lines(out, row.cells[c], widths[i + labelled]) for i, c in enumerate(keep)
            ]
            self.join_cells(out, cells, widths)
            out.flush()

    def join_cells(self, out: _Lines, cells: list[list[Text]], widths: list[int]) -> None:
        """Cells side by side, each padded to its column, the last one never padded."""
        for k in range(max(len(c) for c in cells)):
            line = Text()
            for i, cell in enumerate(cells):
                part = cell[k] if k < len(cell) else Text()
                line.append(part)
                if i < len(cells) - 1:
                    line.append(" " * (widths[i] - part.cell_len + GAP))
            out.lines.append(line)

    def stack(self, out: _Lines, grid: Grid, labelled: bool) -> None:
        """One block per row (per question, for a labelled grid), when the grid cannot fit."""
        for n, row in enumerate(grid.rows):
            spanning = len(row.cells) == 1 and len(grid.headers) > 1
            if labelled and spanning and row.label:
                if n:
                    out.blank()
                out.add(Text(visible(row.label), style="bold"))
                for item in row.cells[0]:
                    out.item(item, self.color, 2, lead(item, True))
            elif labelled and not spanning:
                if n:
                    out.blank()
                out.add(Text(visible(row.label or ""), style="bold"))
                for header, cell in zip(grid.headers, row.cells, strict=True):
                    out.add(Text(visible(header) + ":", style="cyan"), 2)
                    for item in cell:
                        out.item(item, self.color, 4, lead(item, bulleted(cell)))
            elif spanning:
                for item in row.cells[0]:
                    out.item(item, self.color, 2, lead(item, True))
            else:
                if n:
                    out.blank()
                first, *rest = row.cells
                for item in first:
                    out.item(item, self.color)
                for header, cell in zip(grid.headers[1:], rest, strict=True):
                    out.add(Text(visible(header) + ":", style=Style.DIM), 2)
                    for item in cell:
                        out.item(item, self.color, 4, lead(item, bulleted(cell)))


def draw(doc: Document, width: int = 80, color: bool = False) -> str:
    return TableDrawer(width, color).draw(doc)


def draw_to(
    doc: Document, write: Callable[[str], None], width: int = 80, color: bool = False
) -> None:
    """`draw`, written piece by piece as it is laid out (the pieces join to `draw`'s text)."""
    TableDrawer(width, color).draw_to(doc, write)
