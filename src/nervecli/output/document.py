"""A format-neutral document: what a command says, before a drawer prints it as a terminal
view (Rich), Markdown or HTML. Every command builds one (see `nervecli.present`), so a layout
is made once, and a new format is one drawer. JSON is not drawn from it: each command's record
is built apart, from the same domain answer (`nervecli.records`).

A document holds blocks of items. An item is text with the sources behind it (footnote
numbers, stable across every output: a source's number is its place in the catalogue), a flag
for facts from promotional sources, and optionally an icon array.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import field
from typing import ClassVar

if sys.version_info >= (3, 11):
    from typing import assert_never as assert_never
else:  # Python 3.10: the same function, from the backport Typer depends on
    from typing_extensions import assert_never as assert_never

from nervecli.model.slots import lean as _block
from nervecli.model.vocabulary import Word


class Style(Word):
    """How an item is set: plain; strong (a note that must be seen); dim (an aside); a label
    (a lead-in such as "Both:"); a hint (a command line to type: the terminal only)."""

    PLAIN = ""
    STRONG = "strong"
    DIM = "dim"
    LABEL = "label"
    HINT = "hint"


class BlockKind(Word):
    """Each kind of block, by the name a template matches it on (`block.kind`)."""

    HEADING = "heading"
    PARA = "para"
    BULLETS = "bullets"
    GRID = "grid"
    CODE = "code"
    NOTES_SPACE = "notes-space"


# Slotted, with no generated __eq__, __hash__ or __repr__: each dataclass's generated methods
# cost start-up time, which every run pays (see BENCHMARKS.md). Blocks compare by identity.


@_block
class Icons:
    """An icon array: `filled` of `total` figures, with the sentence it pictures as its text
    alternative."""

    filled: int
    total: int
    alt: str


@_block
class Item:
    """One piece of text. `notes` are footnote numbers; `promotional` marks a fact from a
    promotional source where it stands; `style` is how it is set (`Style`);
    `marks` are spans to highlight (search matches); `quote` is shown when quotes are asked
    for; `icons` is drawn before the text; an `essential` item is never left out to keep a
    view short."""

    text: str
    notes: tuple[int, ...] = ()
    promotional: bool = False
    style: Style = Style.PLAIN
    marks: tuple[tuple[int, int], ...] = ()
    quote: str | None = None
    icons: Icons | None = None
    essential: bool = False  # never left out to keep a view short (serious risks, evidence)


@_block
class Heading:
    kind: ClassVar[BlockKind] = BlockKind.HEADING

    text: str
    level: int = 2


@_block
class Para:
    kind: ClassVar[BlockKind] = BlockKind.PARA

    items: tuple[Item, ...]


@_block
class Bullets:
    kind: ClassVar[BlockKind] = BlockKind.BULLETS

    items: tuple[Item, ...]
    label: str | None = None  # a lead-in, e.g. "These apply to all 4 infusion therapies:"


@_block
class Row:
    """One row of a grid: an optional label (a question) and one cell per column."""

    cells: tuple[tuple[Item, ...], ...]
    label: str | None = None


@_block
class Grid:
    """A table. `headers` name the columns (after the label column when rows have labels).
    A terminal that cannot fit it without splitting words stacks it instead; `optional`
    columns are left out there rather than stack (other formats keep them)."""

    kind: ClassVar[BlockKind] = BlockKind.GRID

    headers: tuple[str, ...]
    rows: Sequence[Row]  # may be built as they are drawn: iterated once, in order
    label_header: str | None = None
    optional: frozenset[int] = frozenset()
    # Each column's (longest word, longest line) over every row, when known beforehand (the
    # listing index): the terminal drawer then lays out rows as they come, measuring none.
    # Only for a grid without labels whose every row has a cell per column.
    measures: tuple[tuple[int, int], ...] | None = None


@_block
class Code:
    """Literal text, printed as it is (JSON Schema, problems)."""

    kind: ClassVar[BlockKind] = BlockKind.CODE

    text: str


@_block
class NotesSpace:
    """Room for the patient's own notes and questions, on a handout."""

    kind: ClassVar[BlockKind] = BlockKind.NOTES_SPACE

    lines: int = 6


# Every kind of block: a drawer matches on them exhaustively (`assert_never`).
Block = Heading | Para | Bullets | Grid | Code | NotesSpace


@_block
class Footnote:
    """A source as cited: its number, how it is described, and the quotes from it that the
    document rests on (printed under it in a handout)."""

    number: int
    text: str
    promotional: bool
    quotes: list[str] = field(default_factory=list)


@_block
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subtitle: str | None = None
    footnotes: list[Footnote] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)  # "The sources say nothing about: ..."
    footer: list[str] = field(default_factory=list)  # catalogue version, disclaimer
    about: list[str] = field(default_factory=list)  # "About this guide", on a handout
    made: str | None = None  # the date a handout was made (Markdown and HTML print it)
    colophon: list[str] = field(default_factory=list)  # ids and origins, at the very end
    quotes: bool = False  # draw each item's quote under it
    handout: bool = True  # a view worth printing: room for notes in handout formats
    # What can only be said once the rows are drawn (a grid's rows built as they are drawn):
    # the terminal drawer calls it after the last block, and draws the blocks it adds (and the
    # footnotes it sets). Only `nervecli.present.listing`'s streamed view has it.
    rest: Callable[[Document], None] | None = None

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(Heading(text, level))

    def para(self, *items: Item) -> None:
        self.blocks.append(Para(tuple(items)))

    def bullets(self, items: list[Item], label: str | None = None) -> None:
        if items:
            self.blocks.append(Bullets(tuple(items), label))


def complete(doc: Document) -> Document:
    """The document whole, for a drawer that reads all of it at once: rows built as they are
    drawn are built now, and what they leave to say is said."""
    if doc.rest is not None:
        for block in doc.blocks:
            if isinstance(block, Grid):
                block.rows = tuple(block.rows)
        rest, doc.rest = doc.rest, None
        rest(doc)
    return doc
