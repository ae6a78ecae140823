"""Errors worded for people: a domain error in words, with what to do next; a catalogue's
problems, the first few."""

from __future__ import annotations

from collections.abc import Sequence

from nervecli.cli.emit import message
from nervecli.cli.environment import Environment
from nervecli.model.errors import (
    AmbiguousError,
    CatalogueError,
    NerveError,
    NotFoundError,
    ProfileError,
)
from nervecli.output.text import visible

SHOWN_PROBLEMS = 5  # how many catalogue problems a refusing run shows


def _typed(name: str) -> str:
    """A name as typed, every character shown: a line break or tab in it is named
    (<U+000A>), never printed, so an error stays one line."""
    return visible("".join(f"<U+{ord(c):04X}>" if c in "\r\n\t\v\f" else c for c in name))


def _quote_names(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def describe(exc: NerveError) -> str:
    """A domain error in words, with what to do next."""
    if isinstance(exc, NotFoundError):
        text = f"no {exc.what} '{_typed(exc.name)}'"
        if exc.suggestions:
            return f"{text} — did you mean {_quote_names(exc.suggestions)}?"
        if exc.known:
            return f"{text} — the sources name: {', '.join(exc.known)}"
        listing = {
            "treatment": "nervecli list",
            "condition": "nervecli conditions",
            "source": "nervecli sources",
        }
        return f"{text} — run '{listing.get(exc.what, 'nervecli --help')}' to see them all"
    if isinstance(exc, AmbiguousError):
        names = ", ".join(exc.candidates)
        return f"'{_typed(exc.name)}' matches more than one {exc.what}: {names} — be more specific"
    if isinstance(exc, ProfileError):
        return (
            f"the profile has a problem: {exc.problems[0]}"
            if exc.problems
            else "the profile has a problem"
        )
    return str(exc)


def catalogue_problems(env: Environment, exc: CatalogueError) -> None:
    message(env, "Error: the catalogue has problems; nervecli will not start until they are fixed:")
    for problem in exc.problems[:SHOWN_PROBLEMS]:
        message(env, f"  {problem}")
    if len(exc.problems) > SHOWN_PROBLEMS:
        message(env, f"  ... and {len(exc.problems) - SHOWN_PROBLEMS} more")
    message(env, "Run 'nervecli validate' to see every problem.")
