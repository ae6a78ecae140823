"""Query results as format-neutral documents: what search, conditions, check, alternatives,
questions and sources say, before Rich or Markdown draws it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nervecli.model import NOT_STATED, Catalogue, Treatment
from nervecli.render.common import source_line
from nervecli.render.doc import Document, Item
from nervecli.walk import CONDITION_SECTIONS

if TYPE_CHECKING:  # the exploring queries are imported only by the commands that use them
    from nervecli.explore import Alternative, ConditionView, QuestionGroup, Screen, SourceView
    from nervecli.search import Hit


def _none(text: str = NOT_STATED) -> Item:
    return Item(text, dim=True)


def _members(catalogue: Catalogue, family_id: str) -> str:
    names = [t.name for t in catalogue.treatments.values() if t.family == family_id]
    return "applies to: " + ", ".join(names) if names else ""


def search_doc(
    catalogue: Catalogue, query: str, hits: list[Hit], suggestions: list[str]
) -> Document:
    doc = Document(f"Search: {query}")
    if not hits:
        doc.para(_none(f"No treatment or condition in the catalogue matches '{query}'."))
        if suggestions:
            doc.para(Item("Did you mean: " + ", ".join(suggestions) + "?"))
        return doc
    doc.para(Item(f"{len(hits)} result{'s' if len(hits) != 1 else ''}, best first."))
    rows = []
    for hit in hits:
        entry = [Item(hit.entry_name, strong=True), Item(f"{hit.kind} · {hit.entry_id}", dim=True)]
        if hit.kind == "family":
            entry.append(Item(_members(catalogue, hit.entry_id), dim=True))
        match = [Item(hit.snippet, hit.fact, tuple(hit.highlights))]
        if hit.also:
            match.append(Item("also in: " + ", ".join(hit.also[:4]), dim=True))
        rows.append([entry, [Item(hit.field)], match])
    doc.grid(["Entry", "Matched in", "Snippet"], rows)
    return doc


def _treatment_items(treatments: list[Treatment]) -> list[Item]:
    return [Item(f"{t.name} ({t.id})") for t in treatments] or [
        _none("no treatment in the catalogue is linked to it")
    ]


def conditions_doc(views: list[ConditionView]) -> Document:
    doc = Document(f"Conditions ({len(views)})")
    rows = [
        [
            [Item(v.condition.name, strong=True), Item(v.condition.id, dim=True)],
            [Item(f.text, f) for f in v.condition.about[:1]] or [_none()],
            [Item(t.name) for t in v.treatments] or [_none("none linked")],
        ]
        for v in views
    ]
    doc.grid(["Condition", "What the sources say", "Treatments linked to it"], rows)
    doc.para(Item("See one in full: nervecli conditions NAME", dim=True))
    return doc


def condition_doc(view: ConditionView) -> Document:
    c = view.condition
    doc = Document(c.name)
    doc.para(
        Item(
            f"id: {c.id}" + (f" · also called: {', '.join(c.aliases)}" if c.aliases else ""),
            dim=True,
        )
    )
    for key, title in CONDITION_SECTIONS:
        doc.heading(title)
        facts = getattr(c, key)
        doc.bullets([Item(f.text, f, quote=f.quote) for f in facts] or [_none()])
    doc.heading("Treatments linked to it")
    doc.bullets(_treatment_items(view.treatments))
    if view.related:
        doc.heading("Related conditions")
        doc.bullets([Item(f"{r.name} ({r.id})") for r in view.related])
    return doc


def check_doc(result: Screen) -> Document:
    from nervecli.explore import LEVEL_TEXT

    doc = Document("Personal check")
    said = [t.name for t in result.terms] + [c.name for c in result.conditions]
    doc.para(Item("Your profile: " + (", ".join(said) if said else "nothing given")))
    doc.para(
        Item(
            "For each treatment: whether the sources raise something for this profile. "
            "'Nothing stated' means the sources are silent, not that it is safe for you.",
            dim=True,
        )
    )
    if result.unmatched:
        doc.para(
            Item(
                "No source names a caution for: " + ", ".join(result.unmatched) + ".",
                dim=True,
            )
        )
    rows = []
    for finding in result.findings:
        reasons = [
            Item(r.text + (f" (for: {r.term})" if r.term else ""), r.cited, quote=r.cited.quote)
            for r in finding.reasons
        ] or [_none("nothing stated in sources")]
        rows.append(
            [
                [Item(finding.treatment.name, strong=True), Item(finding.treatment.id, dim=True)],
                [Item(LEVEL_TEXT[finding.level], dim=finding.level == "nothing")],
                reasons,
            ]
        )
    doc.grid(["Treatment", "What the sources say", "Why"], rows)
    return doc


def alternatives_doc(treatment: Treatment, found: list[Alternative]) -> Document:
    doc = Document(f"Alternatives to {treatment.name}")
    if not found:
        doc.para(
            _none("The sources name no alternatives, and no other treatment shares its conditions.")
        )
        return doc
    rows = [
        [
            [Item(a.treatment.name, strong=True), Item(a.treatment.id, dim=True)],
            [Item(a.why, a.cited)],
            [Item(a.difference)],
        ]
        for a in found
    ]
    doc.grid(["Alternative", "Why it is listed", "How it differs"], rows)
    return doc


def questions_doc(groups: list[QuestionGroup]) -> Document:
    names = [g.title for g in groups if g.treatment is not None]
    doc = Document("Questions to ask your doctor about " + ", ".join(names))
    for group in groups:
        doc.heading(group.title)
        doc.bullets([Item(q.text, q.cited) for q in group.questions])
    return doc


def sources_doc(views: list[SourceView]) -> Document:
    doc = Document(f"Sources ({len(views)})")
    rows = [
        [
            [Item(v.source.id, strong=True), Item(v.source.kind, dim=True)],
            [Item(source_line(v.source))],
            [Item(str(len(v.uses)))],
        ]
        for v in views
    ]
    doc.grid(["Source", "Document", "Quotes"], rows, widths=(3, 8, 1))
    doc.para(Item("Every fact one source supports: nervecli sources ID", dim=True))
    return doc


def source_doc(catalogue: Catalogue, view: SourceView) -> Document:
    from nervecli.explore import owner_name

    doc = Document(view.source.title, quotes=True)
    doc.para(Item(source_line(view.source)))
    doc.para(Item(f"{len(view.uses)} quotes support facts in the catalogue.", dim=True))
    by_owner: dict[str, list[Item]] = {}
    for use in view.uses:
        item = Item(f"{use.section}: {use.text}", quote=use.citation.quote)
        by_owner.setdefault(use.owner, []).append(item)
    for owner, items in by_owner.items():
        doc.heading(owner_name(catalogue, owner))
        doc.bullets(items)
    return doc
