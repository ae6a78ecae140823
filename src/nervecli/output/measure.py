"""How wide a grid cell is, as the terminal drawer lays it out: the longest word (the least
its column can be) and the longest line (the most it needs). Plain text only, no Rich: the
wording layer measures every row of `list` once, for the listing index, with the very function
the drawer uses.
"""

from __future__ import annotations

from collections.abc import Iterable

from nervecli.output import words as w
from nervecli.output.document import Item, Style
from nervecli.output.text import visible

BULLET = "• "
ICON_GROUP = 10  # figures in a group; an array of 100 is ten groups


def citation_text(item: Item) -> str:
    """' [4]', ' [4, promotional]', or ' (promotional)' without a number."""
    numbers = ",".join(map(str, item.notes))
    if numbers and item.promotional:
        return f" [{numbers}, {w.PROMOTIONAL}]"
    if numbers:
        return f" [{numbers}]"
    if item.promotional:
        return f" ({w.PROMOTIONAL})"
    return ""


def plain(item: Item) -> str:
    """An item as it will read, without styles: for measuring."""
    return visible(item.text) + citation_text(item)


def bulleted(cell: tuple[Item, ...]) -> bool:
    """A cell's items are bulleted when it holds two or more main ones (a dim line, such as
    an entry's kind or 'and 3 more', qualifies what stands above it and is not bulleted)."""
    return sum(1 for it in cell if it.style not in (Style.DIM, Style.LABEL)) > 1


def lead(item: Item, bullets: bool) -> str:
    """A bullet for a main item among several; a dim line among them lines up with their text."""
    if not bullets or item.style is Style.LABEL:
        return ""
    return " " * len(BULLET) if item.style is Style.DIM else BULLET


def header_measure(header: str) -> tuple[int, int]:
    """(longest word, length) of a column's header."""
    return max((len(x) for x in header.split()), default=1), len(header)


def cell_measure(cell: tuple[Item, ...]) -> tuple[int, int]:
    """(longest word, longest line) of one cell, each with its bullet."""
    least = natural = 0
    bullets = bulleted(cell)
    for item in cell:
        text, indent = plain(item), len(lead(item, bullets))
        least = max(least, indent + max(map(len, text.split()), default=0))
        natural = max(natural, indent + len(text))
        if item.icons is not None:
            least = max(least, indent + ICON_GROUP)
    return least, natural


def column_measure(cells: Iterable[tuple[Item, ...]], header: str) -> tuple[int, int]:
    """(longest word, longest line) of a column: the least and the most it needs."""
    least, natural = header_measure(header)
    for cell in cells:
        a, b = cell_measure(cell)
        least, natural = max(least, a), max(natural, b)
    return least, natural
