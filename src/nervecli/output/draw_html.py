"""The HTML drawer: a document as one self-contained page to print and take to an appointment.

Inline CSS only, with a print stylesheet (A4 and US Letter); no scripts, fonts, images or
requests. Jinja2 escapes every string (autoescaping is on, and nothing is marked safe by hand).
Risk and benefit figures are drawn as icon arrays in inline SVG, each with its sentence as the
text alternative, and filled and hollow figures differ in shape as well as colour, so the page
reads the same printed in black and white.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from nervecli.output import words as w
from nervecli.output.document import Document, Icons, Item
from nervecli.output.text import visible


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool


def pieces(item: Item) -> list[Piece]:
    """An item's text split into marked (search match) and plain pieces, made visible."""
    text = item.text
    if not item.marks or visible(text) != text:
        return [Piece(visible(text), False)]
    out, last = [], 0
    for start, end in item.marks:
        out += [Piece(text[last:start], False), Piece(text[start:end], True)]
        last = end
    out.append(Piece(text[last:], False))
    return [p for p in out if p.text]


def icon_rows(icons: Icons, per_row: int = 10) -> list[list[bool]]:
    figures = [n < icons.filled for n in range(icons.total)]
    return [figures[i : i + per_row] for i in range(0, len(figures), per_row)]


_ENV = Environment(
    loader=PackageLoader("nervecli.output", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["visible"] = visible
_ENV.globals.update(
    pieces=pieces, icon_rows=icon_rows, words=w, type_name=lambda b: type(b).__name__
)


def draw(doc: Document) -> str:
    return _ENV.get_template("handout.html.j2").render(doc=doc)
