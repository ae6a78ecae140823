"""What commands share: the output format and pager options, writing a command's answer in
the chosen format (its record for JSON, else its document), and completion of names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nervecli.cli.emit import page_drawn, write
from nervecli.cli.environment import Environment
from nervecli.cli.root import load, settings_for
from nervecli.model.errors import NerveError
from nervecli.model.vocabulary import KINDS, LINES, SORTS

if TYPE_CHECKING:
    from nervecli.model.catalogue import Catalogue
    from nervecli.output.document import Document


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    md = "md"
    html = "html"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table for people (default), json for scripts, markdown (md) or html for a handout.",
    ),
]


NoPagerOption = Annotated[
    bool,
    typer.Option("--no-pager", help="Never page long output (a pager is used only on a terminal)."),
]

QuotesOption = Annotated[  # show and compare
    bool, typer.Option("--sources", help="Print each fact's word-for-word quote under it.")
]


Kind = Enum("Kind", {k.replace("-", "_"): k for k in KINDS}, type=str)  # type: ignore[misc]


Line = Enum("Line", {k: k for k in LINES}, type=str)  # type: ignore[misc]


Sort = Enum("Sort", {k: k for k in SORTS}, type=str)  # type: ignore[misc]


def emit(
    ctx: typer.Context,
    fmt: Format,
    doc: Callable[[], Document],
    record: Callable[[], Any],
    no_pager: bool = False,
) -> None:
    """Write a command's answer in the chosen format: its record for JSON, else its document,
    drawn (through the pager on a terminal). Only the one that is asked for is built."""
    env = settings_for(ctx).env
    if fmt is Format.json:
        from nervecli.output.draw_json import draw

        write(env, draw(record()))
        return
    drawn = doc()
    emit_doc(env, drawn, fmt, no_pager)


def emit_doc(env: Environment, doc: Document, fmt: Format, no_pager: bool = False) -> None:
    """Draw a document in a format other than JSON and write it."""
    if fmt in (Format.markdown, Format.md):
        from nervecli.output.draw_markdown import draw as draw_md

        write(env, draw_md(doc))
    elif fmt is Format.html:
        from nervecli.output.draw_html import draw as draw_html

        write(env, draw_html(doc))
    else:
        from nervecli.output.draw_table import draw_to

        page_drawn(env, lambda out: draw_to(doc, out, env.width, env.color), not no_pager)


def completer(
    names: Callable[[Catalogue], Sequence[str]],
) -> Callable[[typer.Context, str], list[str]]:
    """Shell completion of catalogue names (a broken catalogue completes nothing)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            catalogue = load(ctx)
            found = names(catalogue)
        except (NerveError, OSError, ValueError):
            return []
        prefix = incomplete.lower()
        return [n for n in dict.fromkeys(found) if n.startswith(prefix)]

    return complete


complete_treatment = completer(
    lambda c: [n for t in c.treatments.values() for n in (t.id, *t.aliases)]
)


complete_condition = completer(
    lambda c: [n for x in c.conditions.values() for n in (x.id, *x.aliases)]
)


complete_has = completer(
    lambda c: [t.id for t in c.screening.values() if t.asks == "has"] + list(c.conditions)
)


complete_takes = completer(lambda c: [t.id for t in c.screening.values() if t.asks == "takes"])


complete_source = completer(lambda c: list(c.sources))


TreatmentArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME", help="A treatment's id, alias or name.", autocompletion=complete_treatment
    ),
]
