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
class Owner:
    """An entry that texts belong to. An entry's texts are numbered together: `first` to
    `first + count - 1`."""

    kind: str  # "treatment", "family" or "condition"
    entry_id: str
    name: str
    first: int = 0
    count: int = 0


@lean
class Layout:
    """What ranking needs of every document, compact: its entry, field and weight."""

    fields: list[str] = field(default_factory=list)
    doc_entry: array[int] = field(default_factory=lambda: array("I"))
    doc_field: array[int] = field(default_factory=lambda: array("H"))
    doc_weight: array[float] = field(default_factory=lambda: array("f"))


@lean
class EntryList:
    """A word's entries, best first (by `domain.search_rank.bound`): for each entry whose texts
    hold the word, the largest weight among those that show it and among those that hold it
    only unshown (0.0 for none), and how many of the entry's fields hold it. Only the best few
    thousand may be kept (`complete` False): those left out rank no higher than the last kept."""

    entries: array[int] = field(default_factory=lambda: array("I"))
    shown: array[float] = field(default_factory=lambda: array("f"))
    hidden: array[float] = field(default_factory=lambda: array("f"))
    fields: array[int] = field(default_factory=lambda: array("H"))
    complete: bool = True


class StoreDamaged(Exception):
    """What a catalogue stores turned out damaged while a search read it (the index, or the
    entries while an index was built from them): the search is answered again from an index
    built in memory, and the catalogue has already set the damaged copy aside."""


class Store(Protocol):
    """Where an index keeps its words and texts: in memory, or stored by the catalogue."""

    @property
    def layout(self) -> Layout: ...  # every document's: read only by a query that needs it

    def vocabulary(self) -> Iterable[str]: ...  # every word (for 'did you mean')

    def candidates(self, word: str, prefix: bool, typos: int) -> Iterable[str]:
        """Words that may be the query word itself, start with it (when `prefix`) or lie within
        `typos` edits of it: at least every such word, perhaps more (the domain decides)."""
        ...

    def postings(self, word: str) -> tuple[Sequence[int], Sequence[int]]:
        """The numbers of the texts that show the word, and of those that hold it only in what
        is matched but not shown (a quote, a tag), each ascending."""
        ...

    def columns(
        self, numbers: Sequence[int]
    ) -> tuple[
        Sequence[int], Sequence[int], Sequence[float]
    ]: ...  # the entry, field and weight of each of these texts, as the layout holds them

    def field_names(self) -> Sequence[str]: ...  # the layout's fields, without the layout

    def entry_list(self, word: str) -> EntryList | None: ...  # None: not a word of the index

    def owner(self, entry: int) -> Owner: ...

    def order(self) -> Sequence[int]: ...  # each entry's place in the order of names

    def document(self, n: int) -> SearchText: ...  # its weight as the layout holds it


class Build(Protocol):
    """An index being built, handed to the catalogue to keep: its texts, numbered, are indexed
    as they are drawn, so that neither side holds them all; once they are drawn, the layout,
    the entries and the word lists are complete."""

    @property
    def layout(self) -> Layout: ...

    @property
    def owners(self) -> Sequence[Owner]: ...

    @property
    def words(self) -> Mapping[str, array[int]]: ...  # word: the texts that show it

    @property
    def hidden(self) -> Mapping[str, array[int]]: ...  # word: the texts holding it unshown

    def documents(self) -> Iterator[tuple[int, SearchText]]: ...

    def entry_list(self, word: str) -> EntryList: ...

    def order(self) -> array[int]: ...
