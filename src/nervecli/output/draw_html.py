"""The HTML drawer: a document as one self-contained page to print and take to an appointment.

Inline CSS only, with a print stylesheet (A4 and US Letter); no scripts, fonts, images or
requests. Jinja2 escapes every string (autoescaping is on, and nothing is marked safe by hand).
Risk and benefit figures are drawn as icon arrays in inline SVG, each with its sentence as the
text alternative, and filled and hollow figures differ in shape as well as colour, so the page
reads the same printed in black and white.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, Template, select_autoescape

from nervecli.output import words as w
from nervecli.output.document import BlockKind, Document, Icons, Item, Style
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
# The templates match blocks and item styles on the document's own enums, never on names
# spelled again here.
_ENV.globals.update(pieces=pieces, icon_rows=icon_rows, words=w, kinds=BlockKind, styles=Style)


def render_template(name: str, **context: Any) -> str:
    """Render another of the package's templates (the decision guide's) with the handout's
    own environment: the same escaping, filters and helpers."""
    return _ENV.get_template(name).render(**context)


TEMPLATE = "handout.html.j2"
_TEMPLATE_FILE = Path(__file__).parent / "templates" / TEMPLATE


def compiled_source() -> str:
    """The template compiled to Python by Jinja2, as `handout_compiled.py` holds it (written by
    `python -m nervecli.output.draw_html`; a test checks that it is up to date)."""
    source = _TEMPLATE_FILE.read_text(encoding="utf-8")
    code = _ENV.compile(source, TEMPLATE, str(_TEMPLATE_FILE), raw=True, defer_init=True)
    return (
        f"# Generated from templates/{TEMPLATE} by `python -m nervecli.output.draw_html`.\n"
        "# Do not edit: change the template and run that again.\n"
        "# fmt: off\n# ruff: noqa\n# mypy: ignore-errors\n"
        f"SOURCE_CRC = {zlib.crc32(_TEMPLATE_FILE.read_bytes()):#010x}\n{code}\n"
    )


def _template() -> Template:
    """The handout template, compiled once: from the module shipped beside it (Python keeps
    its bytecode, as for any module) while it matches the template's source; else compiled
    here, as Jinja2 does on every run."""
    from nervecli.output import handout_compiled as compiled

    if zlib.crc32(_TEMPLATE_FILE.read_bytes()) == compiled.SOURCE_CRC:
        return _ENV.template_class.from_module_dict(_ENV, vars(compiled), _ENV.make_globals(None))
    return _ENV.get_template(TEMPLATE)


def draw(doc: Document) -> str:
    return _template().render(doc=doc)


if __name__ == "__main__":
    (Path(__file__).parent / "handout_compiled.py").write_text(compiled_source(), encoding="utf-8")
