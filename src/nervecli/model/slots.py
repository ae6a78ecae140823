"""The two dataclass decorators nervecli's records use, written so that a type checker sees
them as dataclasses (`typing.dataclass_transform`, PEP 681).

Slotted, with no generated `__eq__`, `__hash__` or `__repr__`: each generated method costs
start-up time, which every run pays (see BENCHMARKS.md); records compare by identity. At run
time each decorator is `dataclasses.dataclass` with these options and nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # the marker informs a type checker only; Python 3.10's typing lacks it

    def dataclass_transform(**_: Any) -> Any:
        return lambda function: function


T = TypeVar("T")

_model = dataclass(slots=True, kw_only=True, repr=False, eq=False)
_lean = dataclass(slots=True, repr=False, eq=False)


@dataclass_transform(kw_only_default=True, eq_default=False, field_specifiers=(field,))
def model(cls: type[T]) -> type[T]:
    """A catalogue class: slotted and keyword-only."""
    return _model(cls)


@dataclass_transform(eq_default=False, field_specifiers=(field,))
def lean(cls: type[T]) -> type[T]:
    """A plain record other modules build (query results, indexes, document blocks)."""
    return _lean(cls)
