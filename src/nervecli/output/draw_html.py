"""The HTML drawer: a document as one self-contained page to print and take to an appointment.

Inline CSS only, with a print stylesheet (A4 and US Letter); no scripts, fonts, images or
requests. Every string is escaped (Jinja2's autoescaping, compiled ahead: `template_runtime`
runs it with MarkupSafe's `escape`, and nothing is marked safe by hand).
Risk and benefit figures are drawn as icon arrays in inline SVG, each with its sentence as the
text alternative, and filled and hollow figures differ in shape as well as colour, so the page
reads the same printed in black and white.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nervecli.output import template_runtime
from nervecli.output import words as w
from nervecli.output.document import BlockKind, Document, Icons, Item, Style, complete
from nervecli.output.text import visible

if TYPE_CHECKING:
    import jinja2


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


_GLOBALS: dict[str, Any] = {
    "pieces": pieces,
    "icon_rows": icon_rows,
    "words": w,
    # The templates match blocks and item styles on the document's own enums, never on names
    # spelled again here.
    "kinds": BlockKind,
    "styles": Style,
}
_FILTERS: dict[str, Any] = {"visible": visible}


@cache
def _jinja() -> jinja2.Environment:
    """The Jinja2 environment: for the decision guide's template, for compiling the handout's,
    and for rendering it while the shipped compiled module is stale."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nervecli.output", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(_FILTERS)
    env.globals.update(_GLOBALS)
    return env


def render_template(name: str, **context: Any) -> str:
    """Render another of the package's templates (the decision guide's) with the handout's
    own environment: the same escaping, filters and helpers."""
    return _jinja().get_template(name).render(**context)


TEMPLATE = "handout.html.j2"
_TEMPLATE_FILE = Path(__file__).parent / "templates" / TEMPLATE
_RUNTIME_IMPORT = re.compile(r"^from jinja2\.runtime import (.*)$", re.M)
# Jinja2 looks each filter and test up in a try block, to name a missing one when it is used;
# the names are checked here instead, when the template is compiled.
_LOOKUP = re.compile(
    r"^( +)try:\n\1    (t_\d+) = environment\.(filters|tests)\[('[^'\n]+')\]\n"
    r"\1except KeyError:\n\1    @internalcode\n\1    def \2\(\*unused\):\n"
    r"\1        raise TemplateRuntimeError\(\"No \w+ named '[^'\n]+' found\.\"\)\n",
    re.M,
)


def compiled_source() -> str:
    """The template compiled to Python by Jinja2, as `handout_compiled.py` holds it (written by
    `python -m nervecli.output.draw_html`; a test checks that it is up to date), importing
    its runtime from `template_runtime` rather than from Jinja2."""
    source = _TEMPLATE_FILE.read_text(encoding="utf-8")
    code = _jinja().compile(source, TEMPLATE, str(_TEMPLATE_FILE), raw=True, defer_init=True)
    code, count = _LOOKUP.subn(r"\1\2 = environment.\3[\4]\n", code)
    used = set(re.findall(r"environment\.(filters|tests)\['([^']+)'\]", code))
    if len(used) != count:
        raise RuntimeError("Jinja2 compiled a filter or test lookup in an unknown form")
    runtime = template_runtime.Environment(_FILTERS)
    unknown = [n for kind, n in used if n not in getattr(runtime, kind)]
    header = _RUNTIME_IMPORT.search(code)
    if header is None:
        raise RuntimeError("Jinja2's compiled code no longer imports its runtime in one line")
    names = [n for n in header.group(1).split(", ") if re.search(rf"\b{n}\b", code[header.end() :])]
    unknown += [n for n in names if n not in template_runtime.NAMES]
    if unknown:
        raise RuntimeError(f"template_runtime lacks what the template needs: {unknown}")
    imports = f"from nervecli.output.template_runtime import {', '.join(names)}"
    return (
        f"# Generated from templates/{TEMPLATE} by `python -m nervecli.output.draw_html`.\n"
        "# Do not edit: change the template and run that again.\n"
        "# fmt: off\n# ruff: noqa\n# mypy: ignore-errors\n"
        f"SOURCE_CRC = {zlib.crc32(_TEMPLATE_FILE.read_bytes()):#010x}\n"
        f"{code[: header.start()]}{imports}{code[header.end() :]}\n"
    )


_ENVIRONMENT = template_runtime.Environment(_FILTERS)


def draw(doc: Document) -> str:
    """The handout: rendered by the compiled module shipped beside the template (no Jinja2
    imported) while it matches the template's source; else by Jinja2, compiling it here."""
    from nervecli.output import handout_compiled as compiled

    doc = complete(doc)
    if zlib.crc32(_TEMPLATE_FILE.read_bytes()) == compiled.SOURCE_CRC:
        return template_runtime.render(compiled, _ENVIRONMENT, {**_GLOBALS, "doc": doc})
    return _jinja().get_template(TEMPLATE).render(doc=doc)


if __name__ == "__main__":
    (Path(__file__).parent / "handout_compiled.py").write_text(compiled_source(), encoding="utf-8")
