"""Markdown output: a handout to print and bring to an appointment, sources as footnotes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from nervecli.model import (
    NOT_STATED,
    Catalogue,
    Citation,
    EvidenceRecord,
    Fact,
    SideEffect,
    Treatment,
)
from nervecli.queries import Comparison, FactRef, TreatmentView, routes
from nervecli.render.common import (
    DISCLAIMER,
    NOT_GRADED,
    SEE_SHARED,
    SIDE_EFFECT_COLUMNS,
    Footnotes,
    by_family,
    evidence_brief,
    evidence_caveats,
    evidence_rows,
    evidence_sentences,
    family_label,
    line_label,
    list_line,
    origin_text,
    side_effect_brief,
    side_effect_cells,
    source_line,
)

if TYPE_CHECKING:
    from nervecli.render.doc import Document, Item

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def esc(text: str) -> str:
    """Catalogue text as literal Markdown: special characters escaped, lines joined."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows), ""]


class _Doc:
    def __init__(self, catalogue: Catalogue, quotes: bool = False) -> None:
        self.catalogue = catalogue
        self.notes = Footnotes(catalogue)
        self.lines: list[str] = []
        self.quotes = quotes  # add each fact's quote after it (show --sources)

    def cite(self, ref: FactRef, text: str | None = None) -> str:
        return self.cited(text if text is not None else ref.fact.text, ref.fact)

    def cited(self, text: str, by: Fact | Citation) -> str:
        body = f"{esc(text)} [^{self.notes.mark(by)}]"
        return f"{body}<br>*“{esc(by.quote)}”*" if self.quotes else body

    def evidence_cell(self, records: list[EvidenceRecord], key: str) -> str:
        parts = [evidence_brief(r).get(key) for r in records]
        cells = [self.cited(*p) for p in parts if p]
        return "<br>".join(cells) if cells else f"*{NOT_GRADED}*"

    def evidence(self, records: list[EvidenceRecord]) -> str:
        if not records:
            return f"*{NOT_GRADED}*"
        lines = []
        for record in records:
            sentences = evidence_sentences(record)
            lines.append(f"- **{self.cited(*sentences[0])}**")
            lines += [f"  - {self.cited(text, by)}" for text, by in sentences[1:]]
        notes = evidence_caveats(self.catalogue, records)
        lines += ["", "*About these figures:*", ""] if notes else []
        lines += [f"- {self.cited(f.text, f)}" for f in notes]
        return "\n".join(lines)

    def finish(self) -> str:
        meta = self.catalogue.meta
        out = [*self.lines]
        if self.notes.numbers:
            out += ["## Sources", ""]
            out += [f"[^{n}]: {esc(source_line(s))}" for n, s in self.notes.sources()]
        out += [
            "",
            "---",
            "",
            f"*{DISCLAIMER}* Catalogue {esc(meta.version)}, "
            f"last reviewed {meta.last_reviewed.isoformat()}.",
            "",
        ]
        return "\n".join(out)


def render_list(catalogue: Catalogue, treatments: list[Treatment]) -> str:
    doc = _Doc(catalogue)
    doc.lines += [f"# Treatments for nerve pain ({len(treatments)})", ""]
    if not treatments:
        doc.lines += ["*No treatment in the catalogue matches these filters.*", ""]
        return doc.finish()
    rows = [
        [
            f"**{esc(t.name)}** (`{t.id}`)",
            t.kind,
            esc(", ".join(routes(catalogue, t)) or NOT_STATED),
            esc(list_line(catalogue, t)),
            doc.cite(FactRef(t.summary)),
        ]
        for t in treatments
    ]
    doc.lines += _table(["Treatment", "Kind", "How given", "Line", "Summary"], rows)
    return doc.finish()


def _facts_md(doc: _Doc, refs: list[FactRef], brief: bool = False) -> list[str]:
    if not refs:
        return [f"*{NOT_STATED}*", ""]
    lines: list[str] = []
    for family, group in by_family(refs):
        if family is not None:
            lines += [f"*{esc(family_label(family))}:*", ""]
        lines += [f"- {doc.cite(r, _brief(r) if brief else None)}" for r in group]
        lines.append("")
    return lines


def _brief(ref: FactRef) -> str | None:
    return side_effect_brief(ref.fact) if isinstance(ref.fact, SideEffect) else None


def _side_effects_md(doc: _Doc, refs: list[FactRef]) -> list[str]:
    if not refs:
        return [f"*{NOT_STATED}*", ""]
    rows = []
    for family, group in by_family(refs):
        if family is not None:
            rows.append([f"*{esc(family_label(family))}:*", "", "", ""])
        for ref in group:
            assert isinstance(ref.fact, SideEffect)
            text, *rest = side_effect_cells(ref.fact)
            rows.append([doc.cite(ref, text), *(esc(c) for c in rest)])
    return _table(list(SIDE_EFFECT_COLUMNS), rows)


def _head(doc: _Doc, view: TreatmentView) -> list[str]:
    t = view.treatment
    facts = [
        f"**Kind:** {t.kind}",
        f"**How given:** {esc(', '.join(view.routes) or NOT_STATED)}",
        f"**Line of treatment:** {esc(line_label(view.evidence))}",
    ]
    if view.family:
        facts.append(f"**Family:** {esc(view.family.name)}")
    if t.aliases:
        facts.append(f"**Also called:** {esc(', '.join(t.aliases))}")
    facts.append(f"**From:** {esc(origin_text(view))}")
    return [" · ".join(facts), "", f"> {doc.cite(FactRef(t.summary))}", ""]


def render_show(catalogue: Catalogue, view: TreatmentView, quotes: bool = False) -> str:
    doc = _Doc(catalogue, quotes)
    doc.lines += [f"# {esc(view.treatment.name)}", "", *_head(doc, view)]
    for s in view.sections:
        doc.lines += [f"## {s.section.title}", ""]
        if s.section.key == "side_effects":
            doc.lines += _side_effects_md(doc, s.facts)
        else:
            doc.lines += _facts_md(doc, s.facts)
    doc.lines += ["## Evidence (graded sources)", "", doc.evidence(view.evidence), ""]
    return doc.finish()


def _cell(doc: _Doc, refs: list[FactRef], fallback: str = NOT_STATED, brief: bool = False) -> str:
    if not refs:
        return f"*{fallback}*"
    parts = []
    for family, group in by_family(refs):
        if family is not None:
            parts.append(f"*{esc(family_label(family))}:*")
        parts += [f"• {doc.cite(r, _brief(r) if brief else None)}" for r in group]
    if fallback == SEE_SHARED:
        parts.append(f"*(and {SEE_SHARED})*")
    return "<br>".join(parts)


def render_compare(catalogue: Catalogue, comparison: Comparison) -> str:
    doc = _Doc(catalogue)
    names = [esc(t.name) for t in comparison.treatments]
    doc.lines += [f"# Comparing {', '.join(names)}", ""]
    rows = [
        ["**Kind**", *(t.kind for t in comparison.treatments)],
        ["**How given**", *(esc(", ".join(v.routes) or NOT_STATED) for v in comparison.views)],
        ["**Summary**", *(doc.cite(FactRef(t.summary)) for t in comparison.treatments)],
        *(
            [f"**{esc(title)}**", *(doc.evidence_cell(v.evidence, key) for v in comparison.views)]
            for key, title in evidence_rows([v.evidence for v in comparison.views])
        ),
        [
            "**Side effects not shared by all**",
            *(_cell(doc, refs, brief=True) for refs in comparison.own_side_effects),
        ],
    ]
    for row in comparison.rows:
        fallback = SEE_SHARED if row.same_for_all else NOT_STATED
        rows.append(
            [f"**{esc(row.section.title)}**", *(_cell(doc, refs, fallback) for refs in row.cells)]
        )
    doc.lines += _table(["Aspect", *names], rows)

    doc.lines += ["## Side effects shared by all", ""]
    shared = comparison.shared_side_effects
    if not shared:
        doc.lines += ["*None in common in the sources.*", ""]
    identical = [r for s in shared if s.same_for_all for r in s.refs[0]]
    doc.lines += _facts_md(doc, identical, brief=True) if identical else []
    for s in shared:
        if s.same_for_all:
            continue
        per = "; ".join(
            f"{esc(t.name)}: " + ", ".join(doc.cite(r, _brief(r)) for r in refs)
            for t, refs in zip(comparison.treatments, s.refs, strict=True)
        )
        doc.lines += [f"- **{esc(s.name)}**: {per}", ""]

    caveats = evidence_caveats(catalogue, [r for v in comparison.views for r in v.evidence])
    if caveats:
        doc.lines += ["## About the evidence figures", ""]
        doc.lines += [*(f"- {doc.cited(f.text, f)}" for f in caveats), ""]

    same = [row for row in comparison.rows if row.same_for_all]
    if same:
        doc.lines += ["## Same for all", ""]
        for row in same:
            doc.lines += [f"### {esc(row.section.title)}", "", *_facts_md(doc, row.same_for_all)]
    return doc.finish()


def _item(doc: _Doc, item: Item) -> str:
    text = item.text
    if item.highlights:  # bold the matched words, escaping everything else
        parts, last = [], 0
        for start, end in item.highlights:
            parts += [esc(text[last:start]), f"**{esc(text[start:end])}**"]
            last = end
        body = "".join(parts) + esc(text[last:])
    else:
        body = esc(text)
    if item.strong:
        body = f"**{body}**"
    elif item.dim:
        body = f"*{body}*"
    if item.cited is not None:
        body += f" [^{doc.notes.mark(item.cited)}]"
    return body


def _with_quote(doc: _Doc, item: Item, quotes: bool, sep: str) -> str:
    body = _item(doc, item)
    if quotes and item.quote:
        body += f"{sep}> {esc(item.quote)}" if sep == "\n\n  " else f"{sep}“{esc(item.quote)}”"
    return body


def render_doc(catalogue: Catalogue, document: Document, quotes: bool = False) -> str:
    """Draw a format-neutral document as a Markdown handout."""
    from nervecli.render.doc import Bullets, Heading, Para

    doc = _Doc(catalogue)
    quotes = quotes or document.quotes
    doc.lines += [f"# {esc(document.title)}", ""]
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.lines += [f"{'#' * (block.level + 1)} {esc(block.text)}", ""]
        elif isinstance(block, Para):
            doc.lines += [" ".join(_item(doc, i) for i in block.items), ""]
        elif isinstance(block, Bullets):
            if block.label:
                doc.lines += [f"*{esc(block.label)}*", ""]
            doc.lines += [
                f"- {_with_quote(doc, i, quotes, chr(10) * 2 + '  ')}" for i in block.items
            ]
            doc.lines.append("")
        else:
            rows = [
                ["<br>".join(_with_quote(doc, i, quotes, "<br>") for i in cell) for cell in row]
                for row in block.rows
            ]
            doc.lines += _table([esc(h) for h in block.headers], rows)
    return doc.finish()
