"""What a person tells `check` about themselves; also the format of a `--profile` YAML file."""

from __future__ import annotations

from dataclasses import dataclass, field

_FORMAT = {"extra": "forbid"}  # checked by pydantic when a profile file is read


@dataclass(frozen=True, kw_only=True)
class Profile:
    """`has` (conditions and situations), `takes` (medicines) and `pregnant`."""

    __pydantic_config__ = _FORMAT
    has: list[str] = field(default_factory=list)
    takes: list[str] = field(default_factory=list)
    pregnant: bool = False

    def __add__(self, other: Profile) -> Profile:
        return Profile(
            has=[*self.has, *other.has],
            takes=[*self.takes, *other.takes],
            pregnant=self.pregnant or other.pregnant,
        )

    @property
    def empty(self) -> bool:
        return not (self.has or self.takes or self.pregnant)
