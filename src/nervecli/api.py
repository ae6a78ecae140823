"""nervecli as a library: open a catalogue, then ask it what the command line asks, and get
the domain's answers as typed objects (the same facts, sources and quotes the commands print).

    import nervecli

    catalogue = nervecli.open_catalogue()  # the bundled catalogue
    for hit in nervecli.search(catalogue, "burning feet"):
        print(hit.entry_name, hit.field)

Importing this needs neither Typer nor Rich: it sits below the output and command-line layers.
Every name here is also `nervecli.NAME`, imported on first use. Failures are the model's
errors: `NotFoundError` (with the closest names), `AmbiguousError`, `RequestError`,
`CatalogueError` (every problem, with its file, line and column).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nervecli.domain.decision import Decision, decide
from nervecli.domain.listing import Listing, list_treatments
from nervecli.domain.lookup import resolve_condition, resolve_source, resolve_treatment
from nervecli.domain.screening import Screen
from nervecli.domain.screening import screen as _screen
from nervecli.domain.search import Hit
from nervecli.model.catalogue import Catalogue, Condition, Source, Treatment
from nervecli.model.errors import (
    AmbiguousError,
    CatalogueError,
    NerveError,
    NotFoundError,
    RequestError,
)
from nervecli.model.profile import Profile

__all__ = [
    "AmbiguousError",
    "Catalogue",
    "CatalogueError",
    "Condition",
    "Decision",
    "Hit",
    "Listing",
    "NerveError",
    "NotFoundError",
    "Profile",
    "RequestError",
    "Screen",
    "Source",
    "Treatment",
    "condition",
    "decide",
    "list_treatments",
    "lookup",
    "open_catalogue",
    "screen",
    "search",
    "source",
]


def open_catalogue(
    paths: Sequence[str | Path] = (), bundled: bool = True, cache: str | Path | None = None
) -> Catalogue:
    """The catalogue the command line would read: the bundled one (unless `bundled` is false)
    with the files and folders in `paths` laid over it, validated and cross-checked. With a
    `cache` folder, it is read from there when current and cached there otherwise (as the
    command line does in its cache folder); without one, it is read from the files."""
    from nervecli.origin.store import open_catalogue as open_from

    return open_from([Path(p) for p in paths], bundled, None if cache is None else Path(cache))


def lookup(catalogue: Catalogue, name: str) -> Treatment:
    """The treatment with this id, name or alias (as `nervecli show NAME` finds it)."""
    return resolve_treatment(catalogue, name)


def condition(catalogue: Catalogue, name: str) -> Condition:
    """The condition with this id, name or alias (as `nervecli conditions NAME` finds it)."""
    return resolve_condition(catalogue, name)


def source(catalogue: Catalogue, name: str) -> Source:
    """The source with this id, or the start of its id or file name (as `nervecli sources`)."""
    return resolve_source(catalogue, name)


def search(catalogue: Catalogue, query: str) -> list[Hit]:
    """The entries whose text matches the query, best first (as `nervecli search`)."""
    from nervecli.domain.search import search as run

    hits, _ = run(catalogue, query)
    return hits


def screen(
    catalogue: Catalogue,
    has: Sequence[str] = (),
    takes: Sequence[str] = (),
    pregnant: bool = False,
) -> Screen:
    """For every treatment, whether the sources raise something for what a person has, takes
    or is, and why (as `nervecli check`): information to discuss with a doctor."""
    return _screen(catalogue, Profile(has=list(has), takes=list(takes), pregnant=pregnant))
