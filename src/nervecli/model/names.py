"""How entries are named: an id, aliases and a display name, all looked up the same way.

`Names` is what a lookup needs of a name index; `MemoryNames` answers it from entries in memory
and the cache answers it from SQL, so `show` on a large catalogue reads only what it shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol


class Named(Protocol):
    id: str
    name: str
    aliases: list[str]


def normalise(name: str) -> str:
    """'  Ketamine Infusion ' -> 'ketamine-infusion'."""
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")


def entry_names(entry: Named) -> list[str]:
    """Every name an entry answers to: its id, its aliases and its name, normalised."""
    return list(dict.fromkeys([entry.id, *entry.aliases, normalise(entry.name)]))


class Names(Protocol):
    """Looks names up without reading every entry."""

    def exact(self, name: str) -> list[str]:
        """Ids of the entries with exactly this (normalised) name."""
        ...

    def leading(self, name: str) -> list[str]:
        """Ids of the entries with a name that starts with 'name-' (whole leading words)."""
        ...

    def everything(self) -> dict[str, str]:
        """Every name and the id it belongs to, for suggestions."""
        ...


class MemoryNames:
    """A name index over entries held in memory."""

    def __init__(self, entries: Iterable[Named]) -> None:
        self.owner: dict[str, list[str]] = {}
        for entry in entries:
            for name in entry_names(entry):
                self.owner.setdefault(name, []).append(entry.id)

    def exact(self, name: str) -> list[str]:
        return list(dict.fromkeys(self.owner.get(name, [])))

    def leading(self, name: str) -> list[str]:
        prefix = name + "-"
        ids = (i for n, owners in self.owner.items() if n.startswith(prefix) for i in owners)
        return list(dict.fromkeys(ids))

    def everything(self) -> dict[str, str]:
        return {n: owners[0] for n, owners in self.owner.items()}
