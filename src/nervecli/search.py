"""Full-text search over treatments, families and conditions, forgiving case, plurals and typos.

The catalogue is turned once into an index (`SearchIndex.build`): every searchable text, the
word stems in it, and a map from each stem to the texts that hold it. A query's words are
matched against the stems (exactly, by prefix, or within a small edit distance), so a search
does not re-read the catalogue.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from nervecli.model import (
    SECTIONS,
    Catalogue,
    Condition,
    Contraindication,
    Fact,
    Facts,
    Family,
    SideEffect,
    Treatment,
)

_WORD = re.compile(r"[a-z0-9]+")

# How much a match in each kind of field counts towards an entry's rank.
WEIGHTS = {"name": 6.0, "alias": 5.0, "summary": 3.0, "fact": 2.0, "quote": 1.0}
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


def _typo_limit(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Document:
    """One searchable text: which entry and field it belongs to, and the fact behind it."""

    kind: str  # "treatment", "family" or "condition"
    entry_id: str
    entry_name: str
    field: str  # e.g. "name", "Side effects and risks", "Quote (Who should not have it)"
    weight: float
    text: str  # what is shown
    extra: str = ""  # matched but not shown (tags such as 'blood-thinners')
    fact: Fact | None = None


@dataclass(frozen=True)
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
    fact: Fact | None


@dataclass
class SearchIndex:
    documents: list[Document] = field(default_factory=list)
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(cls, catalogue: Catalogue) -> SearchIndex:
        index = cls()
        for doc in _documents(catalogue):
            n = len(index.documents)
            index.documents.append(doc)
            for word, _, _ in words(f"{doc.text} {doc.extra}"):
                index.postings[word].add(n)
        return index

    def _expand(self, word: str) -> dict[str, float]:
        """Index stems that a query word stands for, with how well each matches."""
        found = {word: EXACT} if word in self.postings else {}
        limit = _typo_limit(word)
        for known in self.postings:
            if known in found:
                continue
            if len(word) >= 4 and known.startswith(word):
                found[known] = PREFIX
            elif limit and _within(word, known, limit):
                found[known] = FUZZY
        return found

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        terms = [w for w, _, _ in words(query)]
        if not terms:
            return []
        expansions = [self._expand(t) for t in terms]
        # A document matches when every query word matches one of its words.
        scores: dict[int, float] = {}
        for n in set.intersection(
            *(set().union(*(self.postings[k] for k in e)) if e else set() for e in expansions)
        ):
            doc = self.documents[n]
            quality = [max(q for k, q in e.items() if n in self.postings[k]) for e in expansions]
            scores[n] = doc.weight * sum(quality) / len(quality)
        by_entry: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n in sorted(scores, key=lambda n: (-scores[n], n)):  # ties: earlier field first
            doc = self.documents[n]
            by_entry[(doc.kind, doc.entry_id)].append(n)
        hits = [self._hit(ns, scores, expansions) for ns in by_entry.values()]
        hits.sort(key=lambda h: (-h.score, h.entry_name.lower()))
        return hits[:limit]

    def _hit(
        self, ns: list[int], scores: dict[int, float], expansions: list[dict[str, float]]
    ) -> Hit:
        best = self.documents[ns[0]]
        matched = set().union(*expansions)
        snippet, spans = _snippet(best.text, matched)
        fields = (self.documents[n].field for n in ns[1:])
        also = [f for f in dict.fromkeys(fields) if f != best.field and not f.startswith("Quote")]
        # Several matching fields raise an entry a little above one with a single match.
        score = scores[ns[0]] + 0.1 * (len(ns) - 1)
        return Hit(
            best.kind,
            best.entry_id,
            best.entry_name,
            best.field,
            snippet,
            spans,
            score,
            also,
            best.fact,
        )

    def suggestions(self, query: str, limit: int = 3) -> list[str]:
        """Words in the catalogue closest to the query's, for 'did you mean'."""
        import difflib

        out: list[str] = []
        for word, _, _ in words(query):
            out += difflib.get_close_matches(word, list(self.postings), n=limit, cutoff=0.7)
        return list(dict.fromkeys(out))[:limit]


def _snippet(text: str, matched: set[str], width: int = 90) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around its first matched word, and the spans of matched words."""
    spans = [(s, e) for w, s, e in words(text) if w in matched]
    if len(text) <= width or not spans:
        return text[:width] + ("…" if len(text) > width else ""), [
            s for s in spans if s[1] <= width
        ]
    start = max(0, min(spans[0][0] - 30, len(text) - width))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + width)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + text[start:end] + suffix, kept


def _fact_documents(kind: str, entry: Facts, name: str) -> Iterable[Document]:
    for section in SECTIONS:
        facts = entry.section(section.key)
        for fact in facts:
            extra = ""
            if isinstance(fact, Contraindication):
                extra = " ".join(fact.about).replace("-", " ")
            if isinstance(fact, SideEffect):
                extra = fact.name
            yield Document(
                kind, entry.id, name, section.title, WEIGHTS["fact"], fact.text, extra, fact
            )
            yield Document(
                kind,
                entry.id,
                name,
                f"Quote ({section.title})",
                WEIGHTS["quote"],
                fact.quote,
                "",
                fact,
            )


def _documents(catalogue: Catalogue) -> Iterable[Document]:
    from nervecli.queries import evidence_side_effects

    for t in catalogue.treatments.values():
        yield from _entry_names("treatment", t)
        yield Document(
            "treatment", t.id, t.name, "Summary", WEIGHTS["summary"], t.summary.text, "", t.summary
        )
        yield from _fact_documents("treatment", t, t.name)
        for se in evidence_side_effects(catalogue, t):
            yield Document(
                "treatment",
                t.id,
                t.name,
                "Side effects and risks",
                WEIGHTS["fact"],
                se.text,
                "",
                se,
            )
    for family in catalogue.families.values():
        name = f"{family.name} (family)"
        yield Document("family", family.id, name, "name", WEIGHTS["name"], family.name)
        yield from _fact_documents("family", family, name)
    for c in catalogue.conditions.values():
        yield from _entry_names("condition", c)
        for label, facts in (
            ("About", c.about),
            ("Symptoms", c.symptoms),
            ("Why it becomes chronic", c.why_chronic),
        ):
            for fact in facts:
                yield Document(
                    "condition", c.id, c.name, label, WEIGHTS["fact"], fact.text, "", fact
                )
                yield Document(
                    "condition",
                    c.id,
                    c.name,
                    f"Quote ({label})",
                    WEIGHTS["quote"],
                    fact.quote,
                    "",
                    fact,
                )


def _entry_names(kind: str, entry: Treatment | Condition | Family) -> Iterable[Document]:
    yield Document(
        kind, entry.id, entry.name, "name", WEIGHTS["name"], entry.name, entry.id.replace("-", " ")
    )
    for alias in getattr(entry, "aliases", []):
        yield Document(
            kind, entry.id, entry.name, "alias", WEIGHTS["alias"], alias, alias.replace("-", " ")
        )
