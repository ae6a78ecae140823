"""Errors the domain raises, and the exit statuses they map to (defined once, here)."""

from __future__ import annotations

from collections.abc import Sequence


class ExitCode:
    """Exit statuses, defined once (plain ints: an enum class costs every run start-up time)."""

    OK = 0
    ERROR = 1  # not found, ambiguous, bad catalogue data
    USAGE = 2  # bad command-line usage (click's own code)
    INTERRUPTED = 130  # Ctrl-C


class NerveError(Exception):
    """A problem to report to the user as one line, `Error: ...`, with exit status 1."""

    exit_code: int = ExitCode.ERROR


class NotFoundError(NerveError):
    def __init__(
        self, what: str, name: str, suggestions: Sequence[str] = (), hint: str | None = None
    ) -> None:
        self.what, self.name, self.suggestions = what, name, list(suggestions)
        msg = f"no {what} '{name}'"
        if suggestions:
            quoted = [f"'{s}'" for s in suggestions]
            alts = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
            msg += f" — did you mean {alts}?"
        else:
            msg += f" — {hint or f'run nervecli list to see every {what}'}"
        super().__init__(msg)


class AmbiguousError(NerveError):
    def __init__(self, what: str, name: str, candidates: Sequence[str]) -> None:
        self.what, self.name, self.candidates = what, name, list(candidates)
        super().__init__(
            f"'{name}' matches more than one {what}: {', '.join(candidates)} — be more specific"
        )


class CatalogueError(NerveError):
    """The catalogue could not be read or is invalid; `problems` lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "unknown problem"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(f"invalid catalogue: {first}{suffix}")


class CacheError(NerveError):
    """The cache turned out damaged while in use; it has been removed."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"the catalogue cache was damaged ({detail}); it has been removed, run again"
        )
