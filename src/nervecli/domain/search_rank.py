"""A one-word search's best entries without scoring every text that matched.

An entry's rank (see `domain.search`) is its best text's weight times the match quality (half
that for a word held only where it is not shown), plus 0.1 for each further field that matched.
For a query word that stands for one word of the index, that depends only on three numbers per
entry, known when the index is built: its best weight among the texts that show the word, among
those that hold it unshown, and how many of its fields hold it (`EntryList`). Each word's
entries are kept in the order of their rank at full quality (`bound`), which no lesser quality
can raise: reading down the list, once the best `limit` found so far all rank above the bound
of the next entry, no entry further down can be among them, and the search stops there. A word
held by a hundred thousand entries is read a few hundred entries deep.

The same arithmetic as the text-by-text ranking, in the same order of operations (weights kept
as 32-bit floats, as the layout holds them; a product's rounding never reverses an order), so
both give the same ranks to the last bit: a test compares them.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Sequence

from nervecli.model.search import EntryList, Layout, Owner

HIDDEN = 0.5  # a match only in a fact's quote or tags, not in the text shown
KEPT = 4000  # entries kept per word: far more than a search that can stop ever reads


def rank(shown: float, hidden: float, fields: int, quality: float) -> float:
    """An entry's rank for one matched word of the index, of this match quality."""
    return max(shown * quality, hidden * (quality * HIDDEN)) + 0.1 * (fields - 1)


def bound(shown: float, hidden: float, fields: int) -> float:
    """The highest rank the entry can have for the word: at full quality."""
    return rank(shown, hidden, fields, 1.0)


def entry_list(
    shown: Sequence[int], hidden: Sequence[int], layout: Layout, kept: int | None = None
) -> EntryList:
    """A word's entries, best first, from the texts that show it and hold it unshown; the best
    `kept` (KEPT) of them."""
    kept = KEPT if kept is None else kept
    doc_entry, doc_field, doc_weight = layout.doc_entry, layout.doc_field, layout.doc_weight
    best: dict[int, tuple[list[float], set[int]]] = {}  # entry: ([shown, hidden], fields)
    for numbers, side in ((shown, 0), (hidden, 1)):
        for n in numbers:
            e, weight = doc_entry[n], doc_weight[n]
            found = best.get(e)
            if found is None:
                found = best[e] = ([0.0, 0.0], set())
            if weight > found[0][side]:
                found[0][side] = weight
            found[1].add(doc_field[n])
    bounds = {e: bound(w[0], w[1], len(fields)) for e, (w, fields) in best.items()}
    ordered = sorted(best, key=lambda e: (-bounds[e], e))
    out = EntryList(complete=len(ordered) <= kept)
    for e in ordered[:kept]:
        (s, h), fields = best[e]
        out.entries.append(e)
        out.shown.append(s)
        out.hidden.append(h)
        out.fields.append(len(fields))
    return out


def best_entries(found: EntryList, quality: float, limit: int) -> list[tuple[float, int]] | None:
    """(rank, entry) of every entry that can be among the best `limit` for a query word that
    matched this list's word with this quality (ties included), perhaps some more; None when
    the list is not complete and what it keeps cannot decide."""
    shown, hidden, fields = found.shown, found.hidden, found.fields
    ranked: list[tuple[float, int]] = []
    best: list[float] = []  # the `limit` highest ranks so far, lowest first (a heap)
    for i, e in enumerate(found.entries):
        s, h, k = shown[i], hidden[i], fields[i]
        if len(best) >= limit and bound(s, h, k) < best[0]:
            return ranked  # this entry and every one below it rank under the best `limit`
        r = rank(s, h, k, quality)
        ranked.append((r, e))
        if len(best) < limit:
            heapq.heappush(best, r)
        elif r > best[0]:
            heapq.heapreplace(best, r)
    if found.complete:
        return ranked
    if ranked and len(best) >= limit:
        i = len(ranked) - 1  # those left out rank no higher than the last kept can
        if bound(shown[i], hidden[i], fields[i]) < best[0]:
            return ranked
    return None


def name_order(owners: Sequence[Owner]) -> array[int]:
    """Each entry's place when entries are sorted by name (case aside), then number: ties in
    rank go by it."""
    ordered = sorted(range(len(owners)), key=lambda e: (owners[e].name.lower(), e))
    places = array("I", bytes(4 * len(owners)))
    for place, e in enumerate(ordered):
        places[e] = place
    return places
