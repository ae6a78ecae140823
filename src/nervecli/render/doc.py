"""A small, format-neutral document: what a command says, before it is drawn as Rich or Markdown.

Commands beyond list/show/compare build one of these from their query result (see `views`);
`table.render_doc` and `markdown.render_doc` draw it, numbering sources as footnotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nervecli.model import Citation, Fact


@dataclass(frozen=True)
class Item:
    """One piece of text, with the fact or citation behind it and spans to highlight."""

    text: str
    cited: Fact | Citation | None = None
    highlights: tuple[tuple[int, int], ...] = ()
    dim: bool = False  # for "not stated in sources" and other absences
    quote: str | None = None  # shown under the item when quotes are asked for
    strong: bool = False


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[Item, ...]
    label: str | None = None  # a lead-in such as "For all infusion therapy (family facts):"


@dataclass(frozen=True)
class Grid:
    """A table; each cell is a list of items (shown one per line). Stacked when narrow."""

    headers: tuple[str, ...]
    rows: tuple[tuple[tuple[Item, ...], ...], ...]
    widths: tuple[int, ...] = ()  # relative column widths; default: first 3, middle 2, last 5


Block = Heading | Para | Bullets | Grid


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    quotes: bool = False  # show each item's quote under it

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(Heading(text, level))

    def para(self, *items: Item) -> None:
        self.blocks.append(Para(tuple(items)))

    def bullets(self, items: list[Item], label: str | None = None) -> None:
        self.blocks.append(Bullets(tuple(items), label))

    def grid(
        self, headers: list[str], rows: list[list[list[Item]]], widths: tuple[int, ...] = ()
    ) -> None:
        cells = tuple(tuple(tuple(cell) for cell in row) for row in rows)
        self.blocks.append(Grid(tuple(headers), cells, widths))
