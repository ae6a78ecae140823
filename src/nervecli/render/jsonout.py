"""JSON output for scripts: stable keys, every fact with its source and quote, no colour.

Absent information is the string "not stated in sources", never null or an empty string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from nervecli.model import (
    NOT_STATED,
    Catalogue,
    Citation,
    EvidenceRecord,
    Fact,
    Family,
    RouteFact,
    SideEffect,
    Treatment,
)
from nervecli.queries import (
    Comparison,
    FactRef,
    TreatmentView,
    best_nnt,
    evidence_for,
    linked_conditions,
    routes,
)
from nervecli.render.common import (
    DISCLAIMER,
    NOT_GRADED,
    evidence_caveats,
    evidence_sentences,
    line_label,
)

if TYPE_CHECKING:
    from nervecli.explore import Alternative, ConditionView, QuestionGroup, Screen, SourceView
    from nervecli.search import Hit


def _dump(payload: dict[str, Any]) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _meta(catalogue: Catalogue) -> dict[str, str]:
    return {
        "version": catalogue.meta.version,
        "last_reviewed": catalogue.meta.last_reviewed.isoformat(),
    }


def _fact(fact: Fact, family: Family | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"text": fact.text}
    if isinstance(fact, SideEffect):
        out.update(
            name=fact.name,
            frequency=fact.frequency or NOT_STATED,
            severity=fact.severity or NOT_STATED,
            course=fact.course or NOT_STATED,
        )
    if isinstance(fact, RouteFact):
        out["route"] = fact.route
    links = getattr(fact, "links", None)
    if links is not None:
        out["links"] = list(links)
    out.update(
        source=fact.source,
        quote=fact.quote,
        from_family=family.id if family else None,
    )
    return out


def _evidence(catalogue: Catalogue, records: list[EvidenceRecord]) -> dict[str, Any]:
    """Evidence records with their figures, plain-words reading and citations."""
    return {
        "graded": bool(records),
        "note": None if records else NOT_GRADED,
        "line": line_label(records),
        "records": [
            {
                **asdict(record),
                "explained": [
                    {"text": text, "source": by.source, "quote": by.quote}
                    for text, by in evidence_sentences(record)
                ],
            }
            for record in records
        ],
        "caveats": [_fact(f) for f in evidence_caveats(catalogue, records)],
    }


def _refs(refs: Iterable[FactRef]) -> list[dict[str, Any]]:
    return [_fact(r.fact, r.family) for r in refs]


def _sources(catalogue: Catalogue, facts: Iterable[Fact]) -> list[dict[str, Any]]:
    ids = dict.fromkeys(f.source for f in facts)
    return [asdict(catalogue.sources[i]) for i in ids]


def _how_given(catalogue: Catalogue, treatment: Treatment) -> str:
    return ", ".join(routes(catalogue, treatment)) or NOT_STATED


def render_list(catalogue: Catalogue, treatments: list[Treatment]) -> str:
    return _dump(
        {
            "catalogue": _meta(catalogue),
            "count": len(treatments),
            "treatments": [
                {
                    "id": t.id,
                    "name": t.name,
                    "aliases": list(t.aliases),
                    "kind": t.kind,
                    "family": t.family,
                    "how_given": _how_given(catalogue, t),
                    "summary": _fact(t.summary),
                    "conditions": [c.id for c in linked_conditions(catalogue, t)],
                    "line": line_label(evidence_for(catalogue, t)),
                    "best_nnt": best_nnt(catalogue, t),
                }
                for t in treatments
            ],
            "disclaimer": DISCLAIMER,
        }
    )


def _treatment_head(catalogue: Catalogue, view: TreatmentView) -> dict[str, Any]:
    t = view.treatment
    return {
        "id": t.id,
        "name": t.name,
        "aliases": list(t.aliases),
        "kind": t.kind,
        "family": {"id": view.family.id, "name": view.family.name} if view.family else None,
        "how_given": ", ".join(view.routes) or NOT_STATED,
        "summary": _fact(t.summary),
        "conditions": [{"id": c.id, "name": c.name} for c in view.conditions],
        "evidence": _evidence(catalogue, view.evidence),
        "origin": view.origin,
        "replaces_bundled": view.replaces_bundled,
    }


def _section(refs: list[FactRef], shared: bool = False) -> dict[str, Any]:
    """Facts under one heading; `note` says why there are none ('not stated in sources')."""
    note = None if refs else ("see same_for_all" if shared else NOT_STATED)
    return {"facts": _refs(refs), "note": note}


def render_show(catalogue: Catalogue, view: TreatmentView) -> str:
    return _dump(
        {
            "catalogue": _meta(catalogue),
            "treatment": _treatment_head(catalogue, view),
            "sections": [
                {"key": s.section.key, "title": s.section.title, **_section(s.facts)}
                for s in view.sections
            ],
            "sources": _sources(catalogue, view.all_facts()),
            "disclaimer": DISCLAIMER,
        }
    )


def render_compare(catalogue: Catalogue, comparison: Comparison) -> str:
    ids = [t.id for t in comparison.treatments]
    rows = [
        {
            "key": row.section.key,
            "title": row.section.title,
            "cells": {
                tid: _section(refs, bool(row.same_for_all))
                for tid, refs in zip(ids, row.cells, strict=True)
            },
            "same_for_all": _refs(row.same_for_all),
        }
        for row in comparison.rows
    ]
    facts = [f for v in comparison.views for f in v.all_facts()]
    return _dump(
        {
            "catalogue": _meta(catalogue),
            "treatments": [_treatment_head(catalogue, v) for v in comparison.views],
            "side_effects": {
                "shared_by_all": [
                    {
                        "name": s.name,
                        "facts": {tid: _refs(refs) for tid, refs in zip(ids, s.refs, strict=True)},
                    }
                    for s in comparison.shared_side_effects
                ],
                "not_shared_by_all": {
                    tid: _section(refs)
                    for tid, refs in zip(ids, comparison.own_side_effects, strict=True)
                },
            },
            "rows": rows,
            "sources": _sources(catalogue, facts),
            "disclaimer": DISCLAIMER,
        }
    )


# --- the exploring commands --------------------------------------------------------------------


def _cite(cited: Fact | Citation | None) -> dict[str, Any]:
    if cited is None:
        return {"source": None, "quote": None}
    return {"source": cited.source, "quote": cited.quote}


def _envelope(catalogue: Catalogue, **body: Any) -> str:
    return _dump({"catalogue": _meta(catalogue), **body, "disclaimer": DISCLAIMER})


def render_search(catalogue: Catalogue, query: str, hits: list[Hit], suggestions: list[str]) -> str:
    results = [
        {
            "kind": h.kind,
            "id": h.entry_id,
            "name": h.entry_name,
            "field": h.field,
            "snippet": h.snippet,
            "highlights": [list(span) for span in h.highlights],
            "score": round(h.score, 3),
            "also": h.also,
            **_cite(h.fact),
        }
        for h in hits
    ]
    return _envelope(
        catalogue, query=query, count=len(results), results=results, suggestions=suggestions
    )


def _facts_or_note(facts: list[Fact]) -> dict[str, Any]:
    return {"facts": [_fact(f) for f in facts], "note": None if facts else NOT_STATED}


def _condition(view: ConditionView, full: bool) -> dict[str, Any]:
    from nervecli.walk import CONDITION_SECTIONS

    c = view.condition
    out: dict[str, Any] = {"id": c.id, "name": c.name, "aliases": list(c.aliases)}
    if full:
        out.update({key: _facts_or_note(getattr(c, key)) for key, _ in CONDITION_SECTIONS})
        out["related"] = [{"id": r.id, "name": r.name} for r in view.related]
    else:
        out["about"] = [_fact(f) for f in c.about]
    out["treatments"] = [{"id": t.id, "name": t.name} for t in view.treatments]
    return out


def render_conditions(catalogue: Catalogue, views: list[ConditionView]) -> str:
    return _envelope(catalogue, conditions=[_condition(v, full=False) for v in views])


def render_condition(catalogue: Catalogue, view: ConditionView) -> str:
    return _envelope(catalogue, condition=_condition(view, full=True))


def render_check(catalogue: Catalogue, result: Screen) -> str:
    from nervecli.explore import LEVEL_TEXT

    return _envelope(
        catalogue,
        profile={
            "terms": [{"id": t.id, "name": t.name, "asks": t.asks} for t in result.terms],
            "conditions": [{"id": c.id, "name": c.name} for c in result.conditions],
        },
        results=[
            {
                "id": f.treatment.id,
                "name": f.treatment.name,
                "level": f.level,
                "verdict": LEVEL_TEXT[f.level],
                "reasons": [
                    {"text": r.text, "for": r.term or None, **_cite(r.cited)} for r in f.reasons
                ],
            }
            for f in result.findings
        ],
    )


def render_alternatives(
    catalogue: Catalogue, treatment: Treatment, found: list[Alternative]
) -> str:
    return _envelope(
        catalogue,
        treatment={"id": treatment.id, "name": treatment.name},
        alternatives=[
            {
                "id": a.treatment.id,
                "name": a.treatment.name,
                "why": a.why,
                "difference": a.difference,
                **_cite(a.cited),
            }
            for a in found
        ],
    )


def render_questions(catalogue: Catalogue, groups: list[QuestionGroup]) -> str:
    return _envelope(
        catalogue,
        groups=[
            {
                "title": g.title,
                "treatment": g.treatment.id if g.treatment else None,
                "questions": [{"text": q.text, **_cite(q.cited)} for q in g.questions],
            }
            for g in groups
        ],
    )


def render_sources(catalogue: Catalogue, views: list[SourceView]) -> str:
    return _envelope(
        catalogue,
        sources=[{**asdict(v.source), "quotes": len(v.uses)} for v in views],
    )


def render_source(catalogue: Catalogue, view: SourceView) -> str:
    from nervecli.explore import owner_name

    return _envelope(
        catalogue,
        source=asdict(view.source),
        uses=[
            {
                "owner": u.owner,
                "owner_name": owner_name(catalogue, u.owner),
                "section": u.section,
                "text": u.text,
                "quote": u.citation.quote,
            }
            for u in view.uses
        ],
    )
