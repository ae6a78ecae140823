"""Finding entries by name: treatments, conditions, sources and screening terms.

A name is an id, an alias or the display name, in any case, or their leading whole words
(`nerve-block` finds nerve-block-infusion). An unknown name raises NotFoundError with the closest
names; one that fits several entries raises AmbiguousError with all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from nervecli.domain.close import close_matches
from nervecli.model.catalogue import Catalogue, Condition, ScreeningTerm, Source, Treatment
from nervecli.model.errors import AmbiguousError, NotFoundError
from nervecli.model.names import MemoryNames, Names, normalise

Entry = TypeVar("Entry", Treatment, Condition, ScreeningTerm, "Treatment | Condition")


def resolve(entries: Mapping[str, Entry], names: Names, name: str, what: str) -> Entry:
    """Find an entry by id, alias or name (any case), or by its leading whole words.

    `nerve-block` and `Nerve Block` find 'nerve-block-infusion'; `ketamin` is not a whole
    word, so it is not found and the closest names are suggested instead.
    """
    query = normalise(name)
    if query:
        for found in (names.exact(query), names.leading(query)):
            if len(found) == 1:
                return entries[found[0]]
            if found:
                raise AmbiguousError(what, name, found)
    raise NotFoundError(what, name, suggest(names, query) if query else [])


def suggest(names: Names, query: str, limit: int = 3) -> list[str]:
    """Names close to a mistyped one, one per entry: names it begins, else near spellings."""
    owner = names.everything()
    candidates = sorted((n for n in owner if n.startswith(query)), key=len)
    if not candidates:
        candidates = close_matches(query, owner, n=10, cutoff=0.6)
    picked: dict[str, str] = {}
    for name in candidates:
        picked.setdefault(owner[name], name)
    return list(picked.values())[:limit]


def resolve_treatment(catalogue: Catalogue, name: str) -> Treatment:
    return resolve(catalogue.treatments, catalogue.names("treatments"), name, "treatment")


def resolve_condition(catalogue: Catalogue, name: str) -> Condition:
    return resolve(catalogue.conditions, catalogue.names("conditions"), name, "condition")


def resolve_term(
    catalogue: Catalogue, name: str, asks: tuple[str, ...]
) -> ScreeningTerm | Condition:
    """A `check --has/--takes` word: a screening term of the right kind, or (for --has) a
    condition. Not found: the error lists the terms the sources name."""
    pool: dict[str, ScreeningTerm | Condition] = {
        k: v for k, v in catalogue.screening.items() if v.asks in asks
    }
    if "has" in asks:
        pool.update(catalogue.conditions)
    what = "condition" if "has" in asks else "medicine to screen for"
    try:
        return resolve(pool, MemoryNames(pool.values()), name, what)  # type: ignore[type-var]
    except NotFoundError as exc:
        known = [k for k, v in catalogue.screening.items() if v.asks in asks]
        raise NotFoundError(exc.what, exc.name, exc.suggestions, known) from None


def resolve_source(catalogue: Catalogue, name: str) -> Source:
    """A source by id, by the start of its id, or by the start of its file name."""
    key = name.strip().lower()
    if key in catalogue.sources:
        return catalogue.sources[key]
    matches = {
        s.id: s
        for s in catalogue.sources.values()
        if key and (s.id.startswith(key) or s.file.lower().startswith(key))
    }
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        raise AmbiguousError("source", name, list(matches))
    close = close_matches(key, catalogue.sources, n=3, cutoff=0.5)
    raise NotFoundError("source", name, close)
