"""`nervecli decide`: reading what the person types: a line (Tab completing treatment names
while the options are asked), and each kind of answer checked, or refused with a line that
says why (`Invalid`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from nervecli.model.errors import AmbiguousError, NerveError, NotFoundError
from nervecli.model.guide import (
    MAX_WEIGHT,
)
from nervecli.output.text import visible
from nervecli.present import guide as words

if TYPE_CHECKING:
    from nervecli.model.catalogue import Catalogue


class Invalid(Exception):
    """An answer that cannot be taken; its text says why, and the question is asked again."""


def read_line() -> str:
    """A line from the terminal through `input` (line editing and Tab completion, where
    readline is available); the prompt has already been written to stderr."""
    try:
        return input() + "\n"
    except EOFError:
        raise KeyboardInterrupt from None


class name_completion:
    """Tab completes catalogue treatment names while the options are asked (readline)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.names = sorted({n for t in catalogue.treatments.values() for n in (t.id, *t.aliases)})
        self.readline: object | None = None

    def __enter__(self) -> None:
        try:
            import readline
        except ImportError:  # pragma: no cover - readline is absent on some builds
            return
        self.readline = readline
        self.old = (readline.get_completer(), readline.get_completer_delims())

        def complete(text: str, state: int) -> str | None:
            matches = [n for n in self.names if n.startswith(text.lower())]
            return matches[state] if state < len(matches) else None

        readline.set_completer(complete)
        readline.set_completer_delims(", ")
        readline.parse_and_bind("tab: complete")

    def __exit__(self, *exc: object) -> None:
        if self.readline is not None:
            import readline

            readline.set_completer(self.old[0])
            readline.set_completer_delims(self.old[1])


def problem_words(exc: NerveError) -> str:
    if isinstance(exc, NotFoundError):
        text = f"No {exc.what} '{exc.name}'"
        if exc.suggestions:
            return text + " — did you mean " + " or ".join(f"'{s}'" for s in exc.suggestions) + "?"
        return text + "."
    if isinstance(exc, AmbiguousError):
        return f"'{exc.name}' fits more than one {exc.what}: {', '.join(exc.candidates)}."
    return str(exc)


def as_text(answer: str) -> str:
    return "" if answer == "-" else answer


def as_raw(answer: str) -> str:
    return answer


def choice_of(keys: list[str]) -> Callable[[str], str]:
    def parse(answer: str) -> str:
        if answer.isdigit() and 1 <= int(answer) <= len(keys):
            return keys[int(answer) - 1]
        raise Invalid(f"Type a number from 1 to {len(keys)}.")

    return parse


def as_weight(answer: str) -> int | None:
    if answer == "":
        return None
    if answer.isdigit() and 0 <= int(answer) <= MAX_WEIGHT:
        return int(answer)
    raise Invalid(f"Type a number from 0 ({words.WEIGHTS[0]}) to 5 ({words.WEIGHTS[5]}).")


def as_yes_no(answer: str) -> bool | None:
    said = answer.lower()
    if said == "":
        return None
    if said in ("y", "yes"):
        return True
    if said in ("n", "no"):
        return False
    raise Invalid("Type y for yes or n for no.")


def shell_quoted(path: Path) -> str:
    import shlex

    return shlex.quote(visible(str(path)))
