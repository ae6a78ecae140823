"""A person's decision guide: what `nervecli decide` asks and saves, and the format of the YAML
file they own. Modelled on the steps of the Ottawa Personal Decision Guide (clarify the
decision, your role, weigh the options by what matters to you, your needs, next steps), in our
own words. It holds answers only: the facts behind each rated reason stay in the catalogue, and
the file keeps just enough of them (their wording and a fingerprint of their content) to say,
when reopened on another catalogue, which rated facts changed or went.

There is no score here and nothing that adds ratings up: each weight belongs to one reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from nervecli.model.errors import NerveError, Problem

_FORMAT = {"extra": "forbid"}  # checked by pydantic when a file is read

FORMAT_VERSION = 1
NONE_OPTION = "none"  # "none of these for now": always an option
MAX_TREATMENTS = 4
MAX_WEIGHT = 5
MAX_TEXT = 2000  # one answer in a person's own words
MAX_ITEMS = 60  # reasons, own reasons, questions: a person types a few


class _Typed:
    """How a person's text is checked when the file is read back: strictly a string (YAML's
    `no` or `1:30` are not), at most a length. Any character is kept: it is shown made
    visible, never raw."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __get_pydantic_core_schema__(self, source: object, handler: object) -> object:
        from pydantic_core import core_schema

        return core_schema.str_schema(strict=True, max_length=self.max_length)


class _Strict:
    """A number or a yes/no read strictly: YAML's `"3"` is not 3, and 1 is not yes."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __get_pydantic_core_schema__(self, source: object, handler: object) -> object:
        from pydantic_core import core_schema

        if self.kind == "int":
            return core_schema.int_schema(strict=True)
        return core_schema.bool_schema(strict=True)


Typed = Annotated[str, _Typed(MAX_TEXT)]
Int = Annotated[int, _Strict("int")]
Bool = Annotated[bool, _Strict("bool")]
Ident = Annotated[str, _Typed(200)]

Stage = Literal["not-yet", "considering", "close", "chosen"]
Role = Literal["myself", "shared", "someone-else"]
Side = Literal["for", "against"]
NEEDS: tuple[str, ...] = ("sure", "informed", "values", "support")


@dataclass(kw_only=True)
class Rating:
    """How much one reason the sources give matters to the person: `key` names the reason in
    the catalogue (stable while the facts stay), `fingerprint` its content when rated, `text`
    its wording then (shown if it has gone since)."""

    __pydantic_config__ = _FORMAT
    key: Ident
    side: Side
    text: Typed
    fingerprint: Ident
    weight: Int


@dataclass(kw_only=True)
class OwnReason:
    """A reason in the person's own words, for or against an option, with its weight."""

    __pydantic_config__ = _FORMAT
    side: Side
    text: Typed
    weight: Int = 3


@dataclass(kw_only=True)
class GuideOption:
    """One option: a catalogue treatment (its id), or `none` for "none of these for now"."""

    __pydantic_config__ = _FORMAT
    treatment: Ident
    name: Typed = ""  # its name when chosen, for a treatment that has gone since
    ratings: list[Rating] = field(default_factory=list)
    own: list[OwnReason] = field(default_factory=list)


@dataclass(kw_only=True)
class Needs:
    """The four yes/no questions on what the person needs to decide; None: not answered."""

    __pydantic_config__ = _FORMAT
    sure: Bool | None = None
    informed: Bool | None = None
    values: Bool | None = None
    support: Bool | None = None


@dataclass(kw_only=True)
class Guide:
    """Everything a person answered, saved after every answer."""

    __pydantic_config__ = _FORMAT
    nervecli_decision: Int = FORMAT_VERSION  # marks the file as a decision guide
    created: Ident = ""  # ISO date
    updated: Ident = ""
    catalogue_version: Ident = ""
    decision: Typed = ""
    conditions: list[Ident] = field(default_factory=list)
    by_when: Typed = ""
    stage: Stage | None = None
    role: Role | None = None
    role_with: Typed = ""
    options: list[GuideOption] = field(default_factory=list)
    leaning: Ident = ""  # an option's treatment id, only if the person states one
    needs: Needs = field(default_factory=Needs)
    next_steps: Typed = ""
    to_ask: list[Typed] = field(default_factory=list)  # questions they chose to take along
    finished: Bool = False

    def option(self, treatment: str) -> GuideOption | None:
        return next((o for o in self.options if o.treatment == treatment), None)


class GuideFileError(NerveError):
    """A decision file that cannot be read: one `FILE:LINE:COLUMN: message`."""

    def __init__(self, problem: Problem | str) -> None:
        self.problem = problem
        super().__init__(str(problem))
