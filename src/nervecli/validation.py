"""Validate parsed YAML into the model's dataclasses, with pydantic (imported only here).

Only a run that must read YAML comes here: a run served from the cache never imports pydantic's
validation machinery.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from nervecli.model import CatalogueFile

__all__ = ["ValidationError", "catalogue_adapter", "validate_file"]


@cache
def catalogue_adapter() -> TypeAdapter[CatalogueFile]:
    return TypeAdapter(CatalogueFile)


def validate_file(data: Any) -> CatalogueFile:
    """One file's data as a `CatalogueFile`; raises pydantic's ValidationError."""
    return catalogue_adapter().validate_python(data)
