"""Commands to browse the catalogue: list, show, compare, search, conditions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from nervecli.cli.group import command
from nervecli.cli.options import (
    Format,
    FormatOption,
    Kind,
    Line,
    NoPagerOption,
    QuotesOption,
    Sort,
    TreatmentArg,
    complete_condition,
    complete_treatment,
    emit,
)
from nervecli.cli.root import load
from nervecli.model.errors import RequestError

if TYPE_CHECKING:
    from nervecli.domain.decision import Decision
    from nervecli.domain.listing import Listing
    from nervecli.domain.search import Hit
    from nervecli.model.catalogue import Catalogue, Treatment
    from nervecli.model.listing import ListingIndex
    from nervecli.output.document import Document


@command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[Optional[Kind], typer.Option(help="Only this kind.")] = None,  # noqa: UP045
    condition: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="NAME",
            help="Only treatments for this condition (or for what it is a kind of or causes).",
            autocompletion=complete_condition,
        ),
    ] = None,
    line: Annotated[
        Line | None, typer.Option(help="Only this line of treatment (graded sources).")
    ] = None,
    sort: Annotated[
        Sort, typer.Option(help="Order: kind, name, or nnt (within each line of treatment).")
    ] = Sort["kind"],
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """List the treatments: kind, how given, graded evidence, a one-line summary.

    \b
    Examples:
      nervecli list
      nervecli list --condition diabetes
      nervecli list --line first --sort nnt
    """
    catalogue = load(ctx)
    filters = {"kind": kind.value if kind else None, "line": line.value if line else None}
    if fmt is Format.table and condition is None:  # drawn as it is read (`list | head`)
        from nervecli.domain.listing import list_indexed
        from nervecli.present.listing import list_view

        index = _listing_index(catalogue)
        shown = list_indexed(catalogue, index, sort=sort.value, **filters)
        emit(
            ctx,
            fmt,
            lambda: list_view(catalogue, shown, index),
            lambda: _listing_record(catalogue, shown),
            no_pager,
        )
        return
    from nervecli.domain.listing import list_treatments

    listing = list_treatments(catalogue, condition=condition, sort=sort.value, **filters)
    emit(
        ctx,
        fmt,
        lambda: _listing_doc(catalogue, listing),
        lambda: _listing_record(catalogue, listing),
        no_pager,
    )


def _listing_index(catalogue: Catalogue) -> ListingIndex:
    """The listing index the catalogue keeps, made by this code; else made now (reading every
    treatment once, keeping none) and kept for the next run."""
    from nervecli.model.search import StoreDamaged
    from nervecli.present.listing import code_stamp

    stamp = code_stamp()
    index = catalogue.stored_listing(stamp)
    if index is not None and len(index.ids) == len(catalogue.treatments):
        return index
    try:
        index = _made_index(catalogue, stamp)
    except StoreDamaged:  # met on the way: the catalogue now answers from its files
        index = _made_index(catalogue, stamp)
    catalogue.keep_listing(index)
    return index


def _made_index(catalogue: Catalogue, stamp: str) -> ListingIndex:
    from nervecli.domain.listing import listing_keys
    from nervecli.present.listing import RowMeasures

    measures = RowMeasures(catalogue)  # each row measured as its keys are read
    index = listing_keys(catalogue, stamp, measures.add)
    measures.fill(index)
    return index


def _listing_doc(catalogue: Catalogue, listing: Listing) -> Document:
    from nervecli.present.listing import list_doc

    return list_doc(catalogue, listing)


def _listing_record(catalogue: Catalogue, listing: Listing) -> dict[str, Any]:
    from nervecli.records.listing import list_record

    return list_record(catalogue, listing)


@command("show")
def show(
    ctx: typer.Context,
    name: TreatmentArg,
    full: Annotated[
        bool, typer.Option("--full", help="Then every fact, section by section.")
    ] = False,
    sources: QuotesOption = False,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """One treatment: how likely it is to help, what it involves, its risks, who should not
    have it, and which sources say so.

    \b
    Examples:
      nervecli show ketamine
      nervecli show pregabalin --full
      nervecli show ketamine --format html > ketamine.html
    """
    from nervecli.domain.decision import decide

    catalogue = load(ctx)
    _decision(ctx, catalogue, decide(catalogue, [name]), full, sources, fmt, no_pager)


def _decision(
    ctx: typer.Context,
    catalogue: Catalogue,
    decision: Decision,
    full: bool,
    quotes: bool,
    fmt: Format,
    no_pager: bool,
) -> None:
    """`show` and `compare`: the summary, or with `full` the summary then every fact. Each
    wording or record module is imported only when its format is asked for."""
    from nervecli.domain.decision import detail

    details = [detail(catalogue, t) for t in decision.treatments] if full else []

    def doc() -> Document:
        if full:
            from nervecli.present.full import full_doc

            return full_doc(catalogue, decision, details, quotes)
        if len(decision.options) == 1:
            from nervecli.present.show import show_doc

            return show_doc(catalogue, decision, quotes)
        from nervecli.present.compare import compare_doc

        return compare_doc(catalogue, decision, quotes)

    def record() -> dict[str, Any]:
        from nervecli.records import decision as records

        if full:
            return records.full_record(catalogue, decision, details)
        if len(decision.options) == 1:
            return records.show_record(catalogue, decision)
        return records.compare_record(catalogue, decision)

    emit(ctx, fmt, doc, record, no_pager)


@command("compare")
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="A B [C [D]]",
            help="Two to four treatments.",
            autocompletion=complete_treatment,
        ),
    ],
    full: Annotated[
        bool, typer.Option("--full", help="Then every fact of each, section by section.")
    ] = False,
    sources: QuotesOption = False,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Two to four treatments side by side, question by question.

    \b
    Examples:
      nervecli compare steroid nerve-block
      nervecli compare ketamine pregabalin tramadol prolotherapy
      nervecli compare steroid nerve-block --format html > visit.html
    """
    if not 2 <= len(names) <= 4:
        raise typer.BadParameter(
            f"give 2 to 4 treatments, not {len(names)}", param_hint="'A B [C [D]]'"
        )
    from nervecli.domain.decision import decide

    catalogue = load(ctx)
    _decision(ctx, catalogue, decide(catalogue, names), full, sources, fmt, no_pager)


@command("search")
def search(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(metavar="WORDS", help="Words to look for, e.g. 'dizziness'.")
    ],
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Search every treatment and condition: names, side effects, risks, quotes, ...

    \b
    Examples:
      nervecli search dizziness
      nervecli search "blood thinners"
    """
    from nervecli.domain.listing import family_members
    from nervecli.domain.search import query_words
    from nervecli.domain.search import search as run_search

    try:
        if not query_words(text):
            raise typer.BadParameter("give at least one word to search for", param_hint="'WORDS'")
    except RequestError as exc:
        raise typer.BadParameter(str(exc), param_hint="'WORDS'") from None
    catalogue = load(ctx)
    hits, suggestions = run_search(catalogue, text)
    families = [h.entry_id for h in hits if h.kind == "family"]
    members = {f: family_members(catalogue, f) for f in families}
    emit(
        ctx,
        fmt,
        lambda: _search_doc(catalogue, text, hits, suggestions, members),
        lambda: _search_record(catalogue, text, hits, suggestions),
        no_pager,
    )


def _search_doc(
    catalogue: Catalogue,
    text: str,
    hits: list[Hit],
    suggestions: list[str],
    members: dict[str, list[Treatment]],
) -> Document:
    from nervecli.present.search import search_doc

    return search_doc(catalogue, text, hits, suggestions, members)


def _search_record(
    catalogue: Catalogue, text: str, hits: list[Hit], suggestions: list[str]
) -> dict[str, Any]:
    from nervecli.records.search import search_record

    return search_record(catalogue, text, hits, suggestions)


@command("conditions")
def conditions(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[NAME]",
            help="A condition; leave out to list them all.",
            autocompletion=complete_condition,
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """The conditions, what the sources say of each, and the treatments linked to them.

    \b
    Examples:
      nervecli conditions
      nervecli conditions trigeminal-neuralgia
      nervecli conditions diabetes --format json
    """
    from nervecli.domain.conditions import all_conditions, condition_answer
    from nervecli.domain.lookup import resolve_condition
    from nervecli.present.conditions import condition_doc, conditions_doc
    from nervecli.records.conditions import condition_record, conditions_record

    catalogue = load(ctx)
    if name is None:
        answers = all_conditions(catalogue)
        emit(
            ctx,
            fmt,
            lambda: conditions_doc(catalogue, answers),
            lambda: conditions_record(catalogue, answers),
            no_pager,
        )
        return
    answer = condition_answer(catalogue, resolve_condition(catalogue, name))
    emit(
        ctx,
        fmt,
        lambda: condition_doc(catalogue, answer),
        lambda: condition_record(catalogue, answer),
        no_pager,
    )
