"""Shared by every command's wording: footnote numbers (`Citer`), the document's end matter, and
the small phrases several views use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from nervecli.domain.decision import Option
from nervecli.model.catalogue import (
    Catalogue,
    Citation,
    EvidenceRecord,
    Fact,
    Family,
    Origin,
    Source,
    Treatment,
)
from nervecli.model.vocabulary import Section
from nervecli.output import words as w
from nervecli.output.document import Bullets, Document, Footnote, Item, Style

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.conditions import Broader
    from nervecli.facts.applicable import FactRef


def quotes_of(cited: Sequence[Fact | Citation]) -> str | None:
    """The quote an item rests on; a merged line's quotes, each once, drawn as “a” “b”."""
    said = list(dict.fromkeys(c.quote for c in cited if c.quote))
    return "” “".join(said) if said else None


class Citer:
    """Footnote numbers for sources: a source's number is its place in the catalogue, so the
    same source has the same number in every view and every handout."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.numbers = {sid: n for n, sid in enumerate(catalogue.sources, 1)}
        self.used: set[str] = set()
        self.quoted: dict[str, dict[str, None]] = {}  # source id -> quotes cited, in order

    def source(self, c: Fact | Citation) -> Source | None:
        return self.catalogue.sources.get(c.source)

    def notes(self, cited: Iterable[Fact | Citation]) -> tuple[int, ...]:
        cited = list(cited)
        ids = {c.source for c in cited if c.source in self.numbers}
        self.used |= ids
        for c in cited:
            if c.quote and c.source in self.numbers:
                self.quoted.setdefault(c.source, {})[c.quote] = None
        return tuple(sorted(self.numbers[i] for i in ids))

    def promotional(self, cited: Iterable[Fact | Citation]) -> bool:
        return any((s := self.source(c)) is not None and s.promotional for c in cited)

    def item(
        self, cited: Sequence[Fact | Citation], text: str, style: Style = Style.PLAIN, **extra: Any
    ) -> Item:
        return Item(
            text,
            self.notes(cited),
            self.promotional(cited),
            style,
            quote=quotes_of(cited),
            **extra,
        )

    def fact(self, fact: Fact, text: str | None = None, style: Style = Style.PLAIN) -> Item:
        return self.item([fact], w.plain(fact.text) if text is None else text, style)

    def footnotes(self) -> list[Footnote]:
        return [
            Footnote(
                n,
                w.source_line(self.catalogue.sources[sid]),
                self.catalogue.sources[sid].promotional,
                list(self.quoted.get(sid, {})),
            )
            for sid, n in self.numbers.items()
            if sid in self.used
        ]


def finish(doc: Document, citer: Citer) -> Document:
    meta = citer.catalogue.meta
    doc.footnotes = citer.footnotes()
    doc.footer = [
        f"Catalogue {meta.version}, last reviewed {meta.last_reviewed.isoformat()}"
        + (f", next review {meta.next_review.isoformat()}." if meta.next_review else "."),
        w.DISCLAIMER,
    ]
    if doc.handout:  # the version and review dates are in "About this guide"
        doc.about = w.about_guide(meta)
        doc.made = today()
        doc.footer = [w.DISCLAIMER]
    return doc


def today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def dim(text: str) -> Item:
    return Item(text, style=Style.DIM)


def hint(text: str) -> Item:
    """A command line to type: for the terminal only, never on paper (Markdown, HTML)."""
    return Item(text, style=Style.HINT)


def family_label(family: Family, size: int) -> str:
    return f"These apply to all {size} kinds of {family.name.lower()}"


def general_label(family: Family, treatment: Treatment) -> str:
    return f"Said of {family.name.lower()} in general, not of {treatment.name}"


def said_of(ref: FactRef, treatment: Treatment | None) -> str | None:
    """How a fact a family states is labelled where it stands (None for a treatment's own):
    said of the family in general, of a kind the source names (`ref.general` False) or not,
    so that it is never read as said of the treatment itself."""
    family = ref.family
    if family is None:
        return None
    if treatment is None:  # shared by every option compared
        return f"Said of {family.name.lower()} in general"
    if ref.general:
        return general_label(family, treatment)
    return f"Said of {family.name.lower()} in general ({treatment.name} is one of its kinds)"


def origin_text(origin: Origin) -> str:
    if origin.file is None:
        return "the bundled catalogue"
    return origin.file + (" (replaces the bundled entry)" if origin.replaces_bundled else "")


def how_given(routes: Sequence[str]) -> str:
    return ", ".join(routes)


def all_label(n: int) -> str:
    return "Both" if n == 2 else f"All {['three', 'four'][n - 3]}" if n <= 4 else f"All {n}"


def ids_line(options: list[Option]) -> Item:
    parts = []
    for o in options:
        t = o.treatment
        also = f", other ids {', '.join(t.aliases)}" if t.aliases else ""
        parts.append(f"{t.name}: id {t.id}{also}; from {origin_text(o.origin)}")
    return dim(". ".join(parts) + ".")


def do_not_stop(doc: Document, records: Iterable[EvidenceRecord], one: bool = False) -> None:
    """Beside a medicine recommended against for nerve pain: do not stop one taken for
    another reason (such as epilepsy) without the doctor."""
    if any(r.line == "against" for r in records):
        doc.para(Item(w.DO_NOT_STOP_ONE if one else w.DO_NOT_STOP, style=Style.STRONG))


def caveats(citer: Citer, caveats: list[Fact]) -> Bullets:
    return Bullets(
        tuple(citer.fact(f) for f in caveats), w.SECTION_TITLES[Section.EVIDENCE_NOTES] + ":"
    )


def line_words(
    t: Treatment, records: Sequence[EvidenceRecord], members: Sequence[Treatment]
) -> str:
    """'first-line', 'second-line; third-line', 'recommended against', 'a type of medicine'
    (never a line itself) or 'not graded'."""
    if t.group is not None and members:
        return "a type of medicine, not graded itself"
    said = [f"{r.line}-line" if r.line != "against" else "recommended against" for r in records]
    return "; ".join(dict.fromkeys(said)) or "not graded"


def via_text(via: Broader) -> str:
    """'via nerve pain (neuropathic pain), which it can cause' / '..., of which it is a kind'."""
    how = "of which it is a kind" if via.relation == "kind_of" else "which it can cause"
    return f"via {via.condition.name.lower()}, {how}"


def unknown_words(given: str) -> str:
    """'kidney-disease' -> 'kidney disease': a name as typed, in words (nothing guessed)."""
    return " ".join(given.replace("-", " ").replace("_", " ").split()) or given
