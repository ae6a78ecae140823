"""Full-text search over treatments, families and conditions, forgiving case, plurals and typos.

The catalogue is turned once into an index: every searchable text (found by the model's walker,
`model.walk`), the word stems in it, and a map from each stem to the texts that hold it. A
query's words are matched against the stems (exactly, by prefix, or within a small edit
distance), so a search does not re-read the catalogue. The index's shapes are the model's
(`model.search`); a catalogue may keep one (a cached catalogue keeps it in a file, built once
and streamed there: see `Catalogue.stored_search` and `keep_search`), else it is built here in
memory. Whichever store holds it, a word's candidates are checked here by the same rules, so the
same query finds the same entries in the same order. A query word that stands for one word of
the index is ranked from that word's list of entries, best first, read only as deep as the best
can be told (`search_rank`); other queries rank every text that matched, in columns.
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
import operator
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from nervecli.domain import search_rank
from nervecli.domain.search_rank import HIDDEN
from nervecli.facts.applicable import evidence_side_effects
from nervecli.model.catalogue import (
    SECTION_KEYS,
    Catalogue,
    Citation,
    Condition,
    Contraindication,
    Fact,
    Family,
    Treatment,
    lean,
)
from nervecli.model.errors import RequestError
from nervecli.model.search import EntryList, Layout, Owner, SearchText, Store, StoreDamaged
from nervecli.model.walk import owned_facts, text_fields

_WORD = re.compile(r"[a-z0-9]+")

# How much a match in each kind of field counts towards an entry's rank.
WEIGHTS = {"name": 6.0, "alias": 5.0, "summary": 3.0, "fact": 2.0}
EXACT, PREFIX, FUZZY = 1.0, 0.8, 0.6


def stem(word: str) -> str:
    """A crude English stem that makes plurals meet their singular: 'thinners' -> 'thinner'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of every word in a text."""
    return [(stem(m.group()), m.start(), m.end()) for m in _WORD.finditer(text.lower())]


_stem_once = lru_cache(maxsize=None)(stem)  # a catalogue repeats its words: stem each once


def index_words(text: str) -> set[str]:
    """The distinct stems in a text, for indexing (no positions needed)."""
    return set(map(_stem_once, set(_WORD.findall(text.lower()))))


def _within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance between a and b is at most `limit` (banded, early exit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


MAX_QUERY_WORDS = 12
MAX_QUERY_CHARS = 200


def query_words(query: str) -> list[str]:
    """A query's word stems; a query longer than a search needs is refused."""
    if len(query) > MAX_QUERY_CHARS:
        raise RequestError(f"a search is at most {MAX_QUERY_CHARS} characters")
    terms = list(dict.fromkeys(w for w, _, _ in words(query)))
    if len(terms) > MAX_QUERY_WORDS:
        raise RequestError(f"a search is at most {MAX_QUERY_WORDS} words")
    return terms


def _typo_limit(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@lean
class Hit:
    """One entry that matched, with its best-matching field and a snippet of it."""

    kind: str
    entry_id: str
    entry_name: str
    field: str
    snippet: str
    highlights: list[tuple[int, int]]
    score: float
    also: list[str]
    fact: Fact | Citation | None  # a Citation when the index was read back from the cache


_NONE: array[int] = array("I")


class MemoryStore:
    """An index's words and texts held in memory (a catalogue that keeps none)."""

    def __init__(self, builder: IndexBuilder, documents: list[SearchText]) -> None:
        self.layout, self.documents, self.builder = builder.layout, documents, builder
        self.words, self.hidden = builder.words, builder.hidden
        self._vocabulary = list(dict.fromkeys([*self.words, *self.hidden]))
        self._lists: dict[str, EntryList] = {}

    def vocabulary(self) -> Iterable[str]:
        return self._vocabulary

    def candidates(self, word: str, prefix: bool, typos: int) -> Iterable[str]:
        return self._vocabulary  # every word: the bundled catalogue's few thousand

    def postings(self, word: str) -> tuple[Sequence[int], Sequence[int]]:
        return self.words.get(word, _NONE), self.hidden.get(word, _NONE)

    def entry_list(self, word: str) -> EntryList | None:
        if word not in self.words and word not in self.hidden:
            return None
        if word not in self._lists:
            self._lists[word] = self.builder.entry_list(word)
        return self._lists[word]

    def columns(self, numbers: Sequence[int]) -> tuple[list[int], list[int], list[float]]:
        layout = self.layout
        entries = list(map(layout.doc_entry.__getitem__, numbers))
        fields = list(map(layout.doc_field.__getitem__, numbers))
        return entries, fields, list(map(layout.doc_weight.__getitem__, numbers))

    def field_names(self) -> Sequence[str]:
        return self.layout.fields

    def owner(self, entry: int) -> Owner:
        return self.builder.owners[entry]

    def order(self) -> Sequence[int]:
        return self.builder.order()

    def document(self, n: int) -> SearchText:
        weight = self.layout.doc_weight[n]  # as the layout holds it (a 32-bit float)
        return dataclasses.replace(self.documents[n], weight=weight)


class SearchIndex:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._vocabulary: list[str] | None = None

    @classmethod
    def build(cls, catalogue: Catalogue) -> SearchIndex:
        """An index of the catalogue, held in memory."""
        builder = IndexBuilder(texts(catalogue))
        documents = [doc for _, doc in builder.documents()]
        return cls(MemoryStore(builder, documents))

    def _words(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = list(self.store.vocabulary())
        return self._vocabulary

    def _expand(self, word: str) -> dict[str, float]:
        """Index stems that a query word stands for, with how well each matches."""
        limit = _typo_limit(word)
        found: dict[str, float] = {}
        for known in self.store.candidates(word, len(word) >= 4, limit):
            if known == word:
                found[known] = EXACT
            elif len(word) >= 4 and known.startswith(word):
                found[known] = PREFIX
            elif limit and _within(word, known, limit):
                found[known] = FUZZY
        return found

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        terms = query_words(query)
        if not terms or limit < 1:
            return []
        expansions = [self._expand(t) for t in terms]
        if len(expansions) == 1 and len(expansions[0]) == 1:  # one word of the index
            ((word, quality),) = expansions[0].items()
            hits = self._one_word(word, quality, limit)
            if hits is not None:
                return hits
        # Each document's best match quality for each query word; all words must match. The
        # qualities are laid down lowest first, so each document keeps its best (at C speed).
        per_term: list[dict[int, float]] = []
        for expansion in expansions:
            layers: list[tuple[float, Sequence[int]]] = []
            for word, quality in expansion.items():
                shown, hidden = self.store.postings(word)
                layers += [(quality * HIDDEN, hidden), (quality, shown)]
            best: dict[int, float] = {}
            for quality, numbers in sorted(layers, key=lambda layer: layer[0]):
                best.update(dict.fromkeys(numbers, quality))
            per_term.append(best)
        return self._rank(per_term, set().union(*expansions), limit)

    def _rank(self, per_term: list[dict[int, float]], matched: set[str], limit: int) -> list[Hit]:
        """The best entries for the documents that matched every query word. An entry ranks by
        its best document's weight times match quality, plus a little for each further field
        that matched; ties go by name. Done a column at a time (`map`, `zip`, `sorted`), so a
        word held by a hundred thousand texts costs little Python per text."""
        if len(per_term) == 1:
            quality = per_term[0]
        else:
            common = set(per_term[0]).intersection(*per_term[1:])
            quality = {n: sum(t[n] for t in per_term) / len(per_term) for n in sorted(common)}
        numbers = list(quality)
        owners, doc_fields, weights = self.store.columns(numbers)
        scores = list(map(operator.mul, weights, quality.values()))
        # Each entry's best score: laid down lowest first, so the last (the best) stays.
        order = sorted(range(len(scores)), key=scores.__getitem__)
        top = dict(zip(map(owners.__getitem__, order), map(scores.__getitem__, order), strict=True))
        # Matches in several fields raise an entry a little above a match in one.
        pairs = set(zip(owners, doc_fields, strict=True))
        fields = Counter(map(operator.itemgetter(0), pairs))
        ranks = {e: best + 0.1 * (fields[e] - 1) for e, best in top.items()}
        chosen = list(ranks)
        if len(ranks) > limit:  # only those that can be among the best (ties included)
            floor = heapq.nlargest(limit, ranks.values())[-1]
            chosen = [e for e, r in ranks.items() if r >= floor]
        places = self.store.order()
        chosen.sort(key=lambda e: (-ranks[e], places[e]))  # ties: by name
        chosen = chosen[:limit]
        wanted = set(chosen)
        docs: dict[int, list[tuple[float, int, int]]] = {e: [] for e in chosen}
        for n, e, field, score in zip(numbers, owners, doc_fields, scores, strict=True):
            if e in wanted:
                docs[e].append((score, n, field))
        names, out = self.store.field_names(), []
        for e in chosen:
            docs[e].sort(key=lambda d: (-d[0], d[1]))  # ties: earlier field first
            also = [names[field] for _, _, field in docs[e][1:]]
            out.append(self._hit(ranks[e], e, docs[e][0][1], also, matched))
        return out

    def _one_word(self, word: str, quality: float, limit: int) -> list[Hit] | None:
        """The hits for a query word that stands for one word of the index, from its list of
        entries (`search_rank`), reading only the texts of the entries shown; None when the
        list cannot decide (the texts are then ranked one by one)."""
        found = self.store.entry_list(word)
        ranked = None if found is None else search_rank.best_entries(found, quality, limit)
        if ranked is None:
            return None
        order = self.store.order()
        ranked.sort(key=lambda r: (-r[0], order[r[1]]))  # ties: by name
        shown, hidden = self.store.postings(word)
        out = []
        for score, e in ranked[:limit]:
            owner = self.store.owner(e)
            first, end = owner.first, owner.first + owner.count
            docs = []
            for numbers, layer in ((shown, quality), (hidden, quality * HIDDEN)):
                at = bisect.bisect_left(numbers, first)
                for n in numbers[at : bisect.bisect_left(numbers, end, at)]:
                    doc = self.store.document(n)
                    docs.append((doc.weight * layer, n, doc.field))
            if not docs:  # the list names an entry whose texts do not hold the word
                return None  # (damage the texts' own check can judge)
            docs.sort(key=lambda d: (-d[0], d[1]))  # ties: earlier field first
            also = [f for _, _, f in docs[1:]]
            out.append(self._hit(score, e, docs[0][1], also, {word}))
        return out

    def _hit(
        self, score: float, entry: int, best_n: int, also: list[str], matched: set[str]
    ) -> Hit:
        """A hit: its entry, the text it shows (`best_n`) and the further fields that matched
        (`also`, in order, perhaps repeated)."""
        owner = self.store.owner(entry)
        best = self.store.document(best_n)
        snippet, spans = _snippet(best.text, matched)
        others = [f for f in dict.fromkeys(also) if f != best.field]
        fact = best.fact if isinstance(best.fact, (Fact, Citation)) else None  # all there are
        return Hit(owner.kind, owner.entry_id, owner.name, best.field, snippet, spans, score,
                   others, fact)  # fmt: skip

    def suggestions(self, query: str, limit: int = 3) -> list[str]:
        """Words in the catalogue closest to the query's, for 'did you mean'."""
        from nervecli.domain.close import close_matches

        out: list[str] = []
        for word, _, _ in words(query):
            out += close_matches(word, self._words(), n=limit, cutoff=0.7)
        return list(dict.fromkeys(out))[:limit]


class IndexBuilder:
    """Builds an index one document at a time, keeping only the compact parts in memory: the
    texts are indexed as `documents` hands them on (see `model.search.Build`)."""

    def __init__(self, source: Iterable[SearchText]) -> None:
        self.source = source
        self.layout = Layout()
        self.owners: list[Owner] = []
        self.words: dict[str, array[int]] = {}  # word: the texts that show it
        self.hidden: dict[str, array[int]] = {}  # word: the texts holding it only unshown
        self._entries: dict[tuple[str, str], int] = {}
        self._fields: dict[str, int] = {}
        self._order: array[int] | None = None

    def documents(self) -> Iterator[tuple[int, SearchText]]:
        for doc in self.source:
            yield self.add(doc), doc

    def add(self, doc: SearchText) -> int:
        """Index a document; returns its number."""
        layout = self.layout
        n = len(layout.doc_entry)
        key = (doc.kind, doc.entry_id)
        if key not in self._entries:
            self._entries[key] = len(self.owners)
            self.owners.append(Owner(doc.kind, doc.entry_id, doc.entry_name, n))
        if doc.field not in self._fields:
            self._fields[doc.field] = len(layout.fields)
            layout.fields.append(doc.field)
        entry = self._entries[key]
        owner = self.owners[entry]
        if owner.first + owner.count != n:  # an entry's texts are numbered together
            raise ValueError(f"the texts of {doc.kind} {doc.entry_id} are not together")
        owner.count += 1
        layout.doc_entry.append(entry)
        layout.doc_field.append(self._fields[doc.field])
        layout.doc_weight.append(doc.weight)
        shown = index_words(doc.text)
        # A word only in what is matched but not shown (a quote, a tag) counts for less.
        for found, these in ((self.words, shown), (self.hidden, index_words(doc.extra) - shown)):
            for word in these:
                postings = found.get(word)
                if postings is None:
                    postings = found[word] = array("I")
                postings.append(n)
        return n

    def entry_list(self, word: str) -> EntryList:
        """The word's entries, best first (once every document is in)."""
        shown, hidden = self.words.get(word, _NONE), self.hidden.get(word, _NONE)
        return search_rank.entry_list(shown, hidden, self.layout)

    def order(self) -> array[int]:
        """Each entry's place in the order of names (once every document is in)."""
        if self._order is None:
            self._order = search_rank.name_order(self.owners)
        return self._order


def texts(catalogue: Catalogue) -> Iterable[SearchText]:
    """Every searchable text of a catalogue, in index order."""
    return _texts(catalogue)


def index_of(catalogue: Catalogue) -> SearchIndex:
    """The catalogue's search index: the one it keeps, else one built now and handed to it to
    keep (streamed), else one built in memory."""
    stored = catalogue.stored_search()
    if stored is None:
        stored = catalogue.keep_search(IndexBuilder(texts(catalogue)))
    return SearchIndex.build(catalogue) if stored is None else SearchIndex(stored)


def search(catalogue: Catalogue, query: str) -> tuple[list[Hit], list[str]]:
    """A search's hits, and close words when there are none. A kept index found damaged on
    the way is set aside by the catalogue, and the search answered from one built in memory."""

    def run(index: SearchIndex) -> tuple[list[Hit], list[str]]:
        hits = index.search(query)
        return hits, ([] if hits else index.suggestions(query))

    try:
        return run(index_of(catalogue))
    except StoreDamaged:
        return run(SearchIndex.build(catalogue))


def _word_end(text: str, start: int, end: int, keep: int) -> int:
    """Where a window of the text ending near `end` stops: at the end of a whole word (the
    space before a word the window would cut), never before `keep`, the end of the first
    matched word; a window with no space to stop at is cut where it is."""
    if end >= len(text) or text[end].isspace() or text[end - 1].isspace():
        return min(end, len(text))
    space = text.rfind(" ", max(start, keep), end)
    return space if space > start else end


def _snippet(text: str, matched: set[str], width: int = 90) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around its first matched word, and the spans of matched words."""
    spans = [(s, e) for w, s, e in words(text) if w in matched]
    if len(text) <= width or not spans:
        end = _word_end(text, 0, width, 0)
        return text[:end] + ("…" if end < len(text) else ""), [s for s in spans if s[1] <= end]
    start = max(0, min(spans[0][0] - 30, len(text) - width))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = _word_end(text, start, start + width, spans[0][1])
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + text[start:end] + suffix, kept


def _fact_texts(kind: str, entry: Treatment | Family, name: str) -> Iterable[SearchText]:
    for key in SECTION_KEYS:
        for fact in entry.section(key):
            yield _fact_document(kind, entry.id, name, key, fact)


def _fact_document(kind: str, ident: str, name: str, field: str, fact: Fact) -> SearchText:
    """A fact as a searchable text. Its quote, and tags such as a side effect's name, are
    matched too, through the fact: a result shows the fact, with the quote behind it. So is
    every other text the fact holds (a side effect's frequency, severity, course)."""
    extra = " ".join(t for name, t in text_fields(fact) if name != "text")
    if isinstance(fact, Contraindication):  # the screening terms it concerns, as words
        extra += " " + " ".join(fact.about).replace("-", " ")
    return SearchText(kind, ident, name, field, WEIGHTS["fact"], fact.text, extra, fact)


def _more_texts(
    kind: str, entry: Treatment | Family | Condition, name: str
) -> Iterable[SearchText]:
    """What the sections above leave out, found by the model's own walker (`owned_facts`): a
    treatment's group, a side effect's mechanisms, a family's description. Added after an
    entry's other texts, so the order among those (which breaks ties) stays as it was."""
    for key, fact in owned_facts(entry):
        if key in ("group", "mechanisms"):
            yield _fact_document(kind, entry.id, name, key, fact)
    if isinstance(entry, Family) and entry.description:
        yield SearchText(kind, entry.id, name, "summary", WEIGHTS["summary"], entry.description)


def _texts(catalogue: Catalogue) -> Iterable[SearchText]:
    for t in catalogue.stream("treatments"):
        yield from _entry_names("treatment", t)
        yield SearchText(
            "treatment",
            t.id,
            t.name,
            "summary",
            WEIGHTS["summary"],
            t.summary.text,
            t.summary.quote,
            t.summary,
        )
        yield from _fact_texts("treatment", t, t.name)
        for se in evidence_side_effects(catalogue, t):
            yield _fact_document("treatment", t.id, t.name, "side_effects", se)
        yield from _more_texts("treatment", t, t.name)
    for family in catalogue.families.values():
        name = f"{family.name} (family)"
        yield SearchText("family", family.id, name, "name", WEIGHTS["name"], family.name)
        yield from _fact_texts("family", family, name)
        yield from _more_texts("family", family, name)
    for c in catalogue.stream("conditions"):
        yield from _entry_names("condition", c)
        for key, fact in owned_facts(c):  # every section, and the evidence's scope note
            yield _fact_document("condition", c.id, c.name, key, fact)


def _entry_names(kind: str, entry: Treatment | Condition | Family) -> Iterable[SearchText]:
    yield SearchText(
        kind, entry.id, entry.name, "name", WEIGHTS["name"], entry.name, entry.id.replace("-", " ")
    )
    for alias in getattr(entry, "aliases", []):
        yield SearchText(
            kind, entry.id, entry.name, "alias", WEIGHTS["alias"], alias, alias.replace("-", " ")
        )
