"""What `list` keeps of every treatment so that it can order, filter and lay out its rows
without reading every treatment on each run: the listing index, as data.

The domain fills its keys (each treatment's kind, lines of treatment and its place in each
order) and the wording layer its measures (how wide each cell of its row is); the catalogue
keeps the index (`Catalogue.stored_listing`, `keep_listing`): one read from the cache in a file
beside its own, so that `nervecli list | head` reads only the rows it shows.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import field

from nervecli.model.slots import lean

ORDER = "order:"  # a column that is an order: "order:name" lists positions, by name


@lean
class ListingIndex:
    """Per-treatment columns, each as long as `ids` (catalogue order): named arrays of
    unsigned integers. `groups` maps a type of medicine's position to its members' positions.
    `totals` holds named figures over every treatment (a column's widest cell, say).
    `stamp` names the code that made it: an index made by other code is never used."""

    stamp: str
    ids: Sequence[str] = field(default_factory=list)
    columns: dict[str, array[int]] = field(default_factory=dict)
    groups: dict[int, list[int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def whole(self) -> bool:
        """Every column as long as `ids`, and every group's position within it (an order's
        positions are checked as they are used)."""
        n = len(self.ids)
        if any(len(c) != n for c in self.columns.values()):
            return False
        return all(0 <= g < n and all(0 <= m < n for m in ms) for g, ms in self.groups.items())
