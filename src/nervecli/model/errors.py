"""What can go wrong, as data: what was not found and the closest names, which problems a
catalogue has and where. The command line words these for people and maps them to exit
statuses; nothing here knows about commands or terminals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, where it is: `FILE:LINE:COLUMN: message`."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class NerveError(Exception):
    """A problem with what was asked, reported as one line."""


class NotFoundError(NerveError):
    """No `what` (treatment, condition, source, ...) answers to `name`; `suggestions` are the
    closest names; `known` lists what is accepted when the set is small."""

    def __init__(
        self, what: str, name: str, suggestions: Sequence[str] = (), known: Sequence[str] = ()
    ) -> None:
        self.what, self.name = what, name
        self.suggestions, self.known = list(suggestions), list(known)
        super().__init__(f"no {what} {name!r}")


class AmbiguousError(NerveError):
    """`name` answers to several entries."""

    def __init__(self, what: str, name: str, candidates: Sequence[str]) -> None:
        self.what, self.name, self.candidates = what, name, list(candidates)
        super().__init__(f"{name!r} matches more than one {what}")


class RequestError(NerveError):
    """A request that cannot be answered as asked (a treatment named twice, too many options,
    a query too long); `message` says why, in plain words."""


class CatalogueError(NerveError):
    """The catalogue could not be read or is invalid; `problems` lists every problem found."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        self.problems = list(problems)
        super().__init__(str(self.problems[0]) if self.problems else "invalid catalogue")


class ProfileError(NerveError):
    """A `check --profile` file could not be read or is invalid."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self.problems[0]) if self.problems else "invalid profile")
