"""Validate parsed YAML into the model's dataclasses, with pydantic (imported only here).

Only a run that must read YAML comes here: a run served from the cache never imports pydantic's
validation machinery.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from nervecli.model.catalogue import CatalogueFile

__all__ = ["ValidationError", "catalogue_adapter", "message", "validate_file"]

# pydantic's words for dataclass arguments, in the words of a file's author.
_MESSAGES = {
    "unexpected_keyword_argument": "unknown field (not part of the format)",
    "missing_keyword_only_argument": "missing; this field is required",
    "missing_argument": "missing; this field is required",
    "missing": "missing; this field is required",
    "dataclass_type": "expected a mapping of fields",
}


def message(error: Any) -> str:
    """One pydantic error's message, as an author would understand it."""
    text: str = _MESSAGES.get(error["type"], error["msg"])
    return text.removeprefix("Value error, ")


@cache
def catalogue_adapter() -> TypeAdapter[CatalogueFile]:
    return TypeAdapter(CatalogueFile)


def validate_file(data: Any) -> CatalogueFile:
    """One file's data as a `CatalogueFile`; raises pydantic's ValidationError."""
    return catalogue_adapter().validate_python(data)
