"""nervecli: explore treatments for nerve (neuropathic) pain from a sourced catalogue.

The library API (`nervecli.open_catalogue`, `nervecli.lookup`, `nervecli.search`, ...) lives in
`nervecli.api`, imported on first use of one of its names, so that importing nervecli stays
cheap and the command line pays nothing for it."""

from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

    from nervecli.api import *  # noqa: F403  # what a checker sees of the names below


def _api() -> Any:
    from importlib import import_module

    return import_module("nervecli.api")


def __getattr__(name: str) -> Any:
    api = _api()
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'nervecli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_api().__all__])
