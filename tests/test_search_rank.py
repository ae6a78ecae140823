"""A one-word search ranks entries from each word's entry list (`domain.search_rank`), stopping
early, instead of every matched text: the same hits, in the same order, with the same scores,
fields, snippets and citations as the text-by-text ranking it replaced (kept here, as it was,
for the comparison), on a generated catalogue full of ties, from memory and from the cache."""

from __future__ import annotations

import heapq
import operator
import random
from array import array
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from nervecli.domain import search_rank
from nervecli.domain.search import (
    HIDDEN,
    Hit,
    IndexBuilder,
    MemoryStore,
    SearchIndex,
    _snippet,
    index_of,
    texts,
)
from nervecli.model.catalogue import Catalogue, Citation, Fact
from nervecli.model.search import EntryList, SearchText
from nervecli.origin import search_index
from nervecli.origin.store import open_catalogue

from .conftest import write_generated


def _old_search(index: SearchIndex, builder: IndexBuilder, query: str, limit: int) -> list[Hit]:
    """The ranking as it was before entry lists: every matched text scored, ties by name."""
    from nervecli.domain.search import query_words

    terms = query_words(query)
    expansions = [index._expand(t) for t in terms]
    per_term: list[dict[int, float]] = []
    for expansion in expansions:
        layers: list[tuple[float, Sequence[int]]] = []
        for word, quality in expansion.items():
            shown, hidden = builder.words.get(word, ()), builder.hidden.get(word, ())
            layers += [(quality * HIDDEN, hidden), (quality, shown)]
        best: dict[int, float] = {}
        for quality, numbers in sorted(layers, key=lambda layer: layer[0]):
            best.update(dict.fromkeys(numbers, quality))
        per_term.append(best)
    matched: set[str] = set().union(*expansions)
    layout, entries = builder.layout, builder.owners
    if len(per_term) == 1:
        quality = per_term[0]
    else:
        common = set(per_term[0]).intersection(*per_term[1:])
        quality = {n: sum(t[n] for t in per_term) / len(per_term) for n in sorted(common)}
    numbers = list(quality)
    owners = list(map(layout.doc_entry.__getitem__, numbers))
    weights = map(layout.doc_weight.__getitem__, numbers)
    scores = list(map(operator.mul, weights, quality.values()))
    order = sorted(range(len(scores)), key=scores.__getitem__)
    top = dict(zip(map(owners.__getitem__, order), map(scores.__getitem__, order), strict=True))
    pairs = set(zip(owners, map(layout.doc_field.__getitem__, numbers), strict=True))
    fields = Counter(map(operator.itemgetter(0), pairs))
    ranks = {e: best + 0.1 * (fields[e] - 1) for e, best in top.items()}
    chosen = list(ranks)
    if len(ranks) > limit:
        floor = heapq.nlargest(limit, ranks.values())[-1]
        chosen = [e for e, r in ranks.items() if r >= floor]
    chosen.sort(key=lambda e: (-ranks[e], entries[e].name.lower(), e))
    chosen = chosen[:limit]
    docs: dict[int, list[tuple[float, int]]] = {e: [] for e in chosen}
    for n, e, score in zip(numbers, owners, scores, strict=True):
        if e in docs:
            docs[e].append((score, n))
    out = []
    for e in chosen:
        docs[e].sort(key=lambda d: (-d[0], d[1]))
        owner = entries[e]
        best_doc = index.store.document(docs[e][0][1])
        snippet, spans = _snippet(best_doc.text, matched)
        also = (layout.fields[layout.doc_field[n]] for _, n in docs[e][1:])
        others = [f for f in dict.fromkeys(also) if f != best_doc.field]
        fact = best_doc.fact if isinstance(best_doc.fact, (Fact, Citation)) else None
        out.append(
            Hit(
                owner.kind,
                owner.entry_id,
                owner.name,
                best_doc.field,
                snippet,
                spans,
                ranks[e],
                others,
                fact,
            )
        )
    return out


def _seen(hits: list[Hit]) -> list[tuple[object, ...]]:
    return [
        (h.kind, h.entry_id, h.entry_name, h.field, h.snippet, h.highlights, h.score, h.also,
         None if h.fact is None else (h.fact.source, h.fact.quote))
        for h in hits
    ]  # fmt: skip


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_generated(240, tmp_path_factory.mktemp("generated") / "catalogue", seed=21)
    return folder


@pytest.fixture(scope="module")
def built(generated: Path) -> tuple[IndexBuilder, list[SearchText]]:
    catalogue = open_catalogue([generated], bundled=False)
    builder = IndexBuilder(texts(catalogue))
    return builder, [doc for _, doc in builder.documents()]


def _queries(builder: IndexBuilder, count: int) -> list[str]:
    """Words of every size of posting list, their typos and prefixes, and pairs of them."""
    rng = random.Random(7)
    vocabulary = sorted(builder.words)
    common = sorted(vocabulary, key=lambda w: -len(builder.words[w]))[:40]
    picked = [*common, *rng.sample(vocabulary, count)]
    typos = []
    for word in picked[:60]:
        i = rng.randrange(len(word))
        typos += [word[:i] + word[i + 1 :], word[:i] + "x" + word[i + 1 :], word[: max(4, i)]]
    pairs = [f"{rng.choice(common)} {rng.choice(picked)}" for _ in range(20)]
    return [*picked, *typos, *pairs, "xylophone"]


@pytest.mark.parametrize("limit", [1, 3, 50])
@pytest.mark.parametrize("kept", [None, 2])
def test_entry_lists_rank_as_every_text_did(
    built: tuple[IndexBuilder, list[SearchText]],
    limit: int,
    kept: int | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`kept` 2: every list cut short, so that the search must see when the part kept cannot
    decide and rank the texts instead."""
    if kept is not None:
        monkeypatch.setattr(search_rank, "KEPT", kept)
    builder, documents = built
    index = SearchIndex(MemoryStore(builder, documents))  # its entry lists made now
    decided = []
    best_entries = search_rank.best_entries

    def spy(found: EntryList, quality: float, limit: int) -> list[tuple[float, int]] | None:
        ranked = best_entries(found, quality, limit)
        decided.append(ranked is not None)
        return ranked

    monkeypatch.setattr(search_rank, "best_entries", spy)
    for query in _queries(builder, 120):
        expected = _old_search(index, builder, query, limit)
        assert _seen(index.search(query, limit)) == _seen(expected), query
    assert len(decided) > 100  # most went to the entry lists
    assert sum(decided) > 100 if kept is None else not all(decided)  # cut short: some could not


@pytest.mark.parametrize("few", [None, 0])
def test_the_stored_index_ranks_as_every_text_did(
    generated: Path,
    built: tuple[IndexBuilder, list[SearchText]],
    tmp_path: Path,
    few: int | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`few` 0: the texts ranked one by one are looked up in the whole layout, not their rows."""
    if few is not None:
        monkeypatch.setattr(search_index, "FEW", few)
    builder, documents = built
    index = SearchIndex(MemoryStore(builder, documents))
    open_catalogue([generated], bundled=False, directory=tmp_path)  # writes the cache
    cached = open_catalogue([generated], bundled=False, directory=tmp_path)
    stored = index_of(cached)
    assert stored.store is not None and not isinstance(stored.store, MemoryStore)
    for query in _queries(builder, 60):
        for limit in (2, 50):
            assert _seen(stored.search(query, limit)) == _seen(
                _old_search(index, builder, query, limit)
            ), query


def test_an_entry_list_stops_at_the_first_that_cannot_rank_among_the_best() -> None:
    found = EntryList()
    listed = [(6.0, 0.0, 3), (6.0, 0.0, 1), (5.0, 0.0, 2), (2.0, 4.0, 22), (2.0, 0.0, 1)]
    for e, (shown, hidden, fields) in enumerate(listed):  # best first: 6.2, 6.0, 5.1, 4.1, 2.0
        found.entries.append(e)
        found.shown.append(shown)
        found.hidden.append(hidden)
        found.fields.append(fields)
    assert [e for _, e in search_rank.best_entries(found, 1.0, 2) or []] == [0, 1]
    assert [e for _, e in search_rank.best_entries(found, 1.0, 1) or []] == [0]
    assert len(search_rank.best_entries(found, 1.0, 5) or []) == 5
    # at a lesser quality the list's order is only a bound: entry 3 (1.2 + 2.1) passes 2 (3.1)
    ranked = search_rank.best_entries(found, 0.6, 3) or []
    assert [e for _, e in sorted(ranked, reverse=True)] == [0, 1, 3, 2]
    found.complete = False  # what was left out might rank with the last kept
    assert search_rank.best_entries(found, 1.0, 5) is None
    assert search_rank.best_entries(found, 1.0, 2) is not None
    ties = EntryList(array("I", [0, 1, 2]), array("f", [6, 6, 5]), array("f", [0, 0, 0]))
    ties.fields.extend([1, 1, 1])
    assert [e for _, e in search_rank.best_entries(ties, 1.0, 1) or []] == [0, 1]  # both 6.0


def test_ties_in_rank_go_by_name(catalogue: Catalogue) -> None:
    builder = IndexBuilder(texts(catalogue))
    for _ in builder.documents():
        pass
    order = builder.order()
    names = sorted(range(len(builder.owners)), key=lambda e: order[e])
    assert [builder.owners[e].name.lower() for e in names] == sorted(
        o.name.lower() for o in builder.owners
    )
