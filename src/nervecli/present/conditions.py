"""`conditions`: every condition, or one with its treatments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nervecli.model.catalogue import Catalogue, Citation, Condition, Fact
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Item, Row, Style

if TYPE_CHECKING:  # each command imports the domain module it uses, no more
    from nervecli.domain.conditions import Broader, ConditionAnswer, LinkedTreatment


from nervecli.model.vocabulary import Section
from nervecli.present.common import Citer, dim, finish, hint, line_words, via_text

# What a condition's view shows, in order, or says the sources are silent on.
CONDITION_SECTIONS = (
    Section.ABOUT,
    Section.SYMPTOMS,
    Section.WHY_CHRONIC,
    Section.COURSE,
    Section.EFFECTS,
)


def conditions_doc(catalogue: Catalogue, answers: list[ConditionAnswer]) -> Document:
    citer = Citer(catalogue)
    doc = Document(f"Conditions ({len(answers)})", handout=False)
    rows = []
    for a in answers:
        direct = [lt for lt in a.treatments if lt.via is None]
        through = [lt for lt in a.treatments if lt.via is not None]
        counts = f"{len(direct)} linked"
        if through:
            vias = ", ".join(dict.fromkeys(lt.via.condition.name.lower() for lt in through))  # type: ignore[union-attr]
            counts += f"; {len(through)} more via {vias}"
        about = [citer.fact(f) for f in a.condition.about[:1]] or [dim(w.NOTHING)]
        rows.append(
            Row(((Item(a.condition.name, style=Style.STRONG),), tuple(about), (Item(counts),)))
        )
    doc.blocks.append(Grid(("Condition", "What the sources say", "Treatments"), tuple(rows)))
    doc.para(hint("One in full, with its treatments: nervecli conditions NAME"))
    return finish(doc, citer)


def relation_text(b: Broader) -> str:
    name = b.condition.name.lower()
    if b.condition.id not in b.link.links:
        return f"Through that: {name}."
    return f"{'A kind of' if b.relation == 'kind_of' else 'Can cause'} {name}."


def condition_doc(catalogue: Catalogue, a: ConditionAnswer, quotes: bool = False) -> Document:
    citer = Citer(catalogue)
    c = a.condition
    doc = Document(c.name, quotes=quotes)
    for key in CONDITION_SECTIONS:
        facts = getattr(c, key)
        if facts:
            doc.heading(w.SECTION_TITLES[key])
            doc.bullets([citer.fact(f) for f in facts])
    if a.broader:
        doc.heading("How it stands to other conditions")
        doc.bullets(
            [
                citer.item(
                    [b.link],
                    relation_text(b),
                )
                for b in a.broader
            ]
        )
    direct = [lt for lt in a.treatments if lt.via is None]
    doc.heading("Treatments linked to it")
    doc.bullets([linked_line(citer, lt) for lt in direct] or [dim("none linked to it directly")])
    by_via: dict[str, list[LinkedTreatment]] = {}
    vias: dict[str, Broader] = {}
    for lt in a.treatments:
        if lt.via is not None:
            by_via.setdefault(lt.via.condition.id, []).append(lt)
            vias[lt.via.condition.id] = lt.via
    for ident, treatments in by_via.items():
        doc.bullets(
            [linked_line(citer, lt) for lt in treatments],
            label="For " + via_text(vias[ident])[4:] + ":",
        )
    if a.narrower:
        doc.heading("Kinds and causes of it")
        doc.bullets([Item(n.name) for n in a.narrower])
    doc.silent = condition_silent(c)
    doc.colophon.append(
        f"Id: {c.id}" + (f"; also called {', '.join(c.aliases)}" if c.aliases else "") + "."
    )
    return finish(doc, citer)


def condition_silent(c: Condition) -> list[str]:
    """The sections the sources say nothing about, for a condition."""
    return [w.SECTION_TITLES[k].lower() for k in CONDITION_SECTIONS if not getattr(c, k)]


def named_line(lt: LinkedTreatment) -> Item:
    """A treatment's name with its line of treatment beside it."""
    return Item(f"{lt.treatment.name}: {line_words(lt.treatment, lt.evidence, lt.members)}")


def linked_line(citer: Citer, lt: LinkedTreatment) -> Item:
    """A treatment for a condition, with its line of treatment; cited to the sources that grade
    it and, for one linked directly, to those of the link itself (so a link that rests only on
    a promotional source is marked as one)."""
    links = lt.links if lt.via is None else []
    cited: list[Fact | Citation] = [*links, *(r.recommendation for r in lt.evidence)]
    text = named_line(lt).text
    return citer.item(cited, text) if cited else Item(text)
