"""What a search index is made of, as data: its texts, its compact layout, and where its words
and texts are kept (`Store`: in memory, or stored by the catalogue's origin).

The domain builds an index (`nervecli.domain.search`) and asks the catalogue for one it keeps
(`Catalogue.stored_search`), or hands it one to keep as it is built (`Catalogue.keep_search`); a
catalogue read from the cache answers both from its own file, so the index is built once.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import Protocol

from nervecli.model.slots import lean


class Quoted(Protocol):
    """What a search text cites: a fact (`catalogue.Fact`), or its `Citation` when read back
    from a stored index (this module stands apart from the catalogue, which refers to it)."""

    @property
    def source(self) -> str: ...

    @property
    def quote(self) -> str: ...


@lean
class SearchText:
    """One searchable text: which entry and field it belongs to, and the fact behind it."""

    kind: str  # "treatment", "family" or "condition"
    entry_id: str
    entry_name: str
    field: str  # e.g. "name", "alias", "Summary", "Side effects and risks"
    weight: float
    text: str  # what is shown
    extra: str = ""  # matched but not shown (tags such as 'blood-thinners')
    fact: Quoted | None = None  # a Citation when read back from the cache


@lean
class Layout:
    """What ranking needs of every document, compact: its entry, field and weight."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)  # kind, id, name
    fields: list[str] = field(default_factory=list)
    doc_entry: array[int] = field(default_factory=lambda: array("I"))
    doc_field: array[int] = field(default_factory=lambda: array("H"))
    doc_weight: array[float] = field(default_factory=lambda: array("f"))


class StoreDamaged(Exception):
    """What a catalogue stores turned out damaged while a search read it (the index, or the
    entries while an index was built from them): the search is answered again from an index
    built in memory, and the catalogue has already set the damaged copy aside."""


class Store(Protocol):
    """Where an index keeps its words and texts: in memory, or stored by the catalogue."""

    @property
    def layout(self) -> Layout: ...

    def vocabulary(self) -> Iterable[str]: ...  # every word (for 'did you mean')

    def candidates(self, word: str, prefix: bool, typos: int) -> Iterable[str]:
        """Words that may be the query word itself, start with it (when `prefix`) or lie within
        `typos` edits of it: at least every such word, perhaps more (the domain decides)."""
        ...

    def postings(self, word: str) -> tuple[Sequence[int], Sequence[int]]:
        """The numbers of the texts that show the word, and of those that hold it only in what
        is matched but not shown (a quote, a tag), each ascending."""
        ...

    def document(self, n: int) -> SearchText: ...


class Build(Protocol):
    """An index being built, handed to the catalogue to keep: its texts, numbered, are indexed
    as they are drawn, so that neither side holds them all; once they are drawn, the layout
    and the word lists are complete."""

    @property
    def layout(self) -> Layout: ...

    @property
    def words(self) -> Mapping[str, array[int]]: ...  # word: the texts that show it

    @property
    def hidden(self) -> Mapping[str, array[int]]: ...  # word: the texts holding it unshown

    def documents(self) -> Iterator[tuple[int, SearchText]]: ...
