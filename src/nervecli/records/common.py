"""Explicit JSON records: the shape of each entity in every command's JSON, written out field
by field, so that renaming a model field cannot change the public JSON by accident. A missing
value is null; every fact keeps its source id, quote and promotional flag. Each command's
record is built from the domain's answer by its own module here (`records.show`, ...), apart
from the printable document, and wraps up with `envelope`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from nervecli.facts.applicable import FactRef
from nervecli.model.catalogue import (
    Catalogue,
    Citation,
    Condition,
    Contraindication,
    EvidenceRecord,
    Fact,
    Family,
    LinkedFact,
    Meta,
    RouteFact,
    SideEffect,
    Source,
    Treatment,
)
from nervecli.output import words as w
from nervecli.output.words import in_100, one_in, source_kind

if TYPE_CHECKING:
    from nervecli.domain.conditions import Broader, ConditionAnswer
    from nervecli.domain.decision import Option


def _in_100(printed: str | None) -> dict[str, int] | None:
    """How many more in 100, about and its 95% range, as every view words it."""
    if not printed:
        return None
    about, low, high = in_100(printed)
    return {"about": about, "low": low, "high": high}


def meta_record(meta: Meta) -> dict[str, Any]:
    return {
        "version": meta.version,
        "last_reviewed": meta.last_reviewed.isoformat(),
        "maintained_by": meta.maintained_by,
        "funding": meta.funding,
        "interests": meta.interests,
        "review": meta.review,
        "next_review": meta.next_review.isoformat() if meta.next_review else None,
    }


def source_record(source: Source, number: int) -> dict[str, Any]:
    return {
        "id": source.id,
        "number": number,
        "title": source.title,
        "role": source.kind,
        "genre": source.genre,
        "described": source_kind(source),
        "promotional": source.promotional,
        "publisher": source.publisher,
        "published": source.published,
        "url": source.url,
        "accessed": source.accessed.isoformat() if source.accessed else None,
        "citation": source.citation,
        "doi": source.doi,
        "file": source.file,
        "note": source.note,
    }


def family_record(family: Family | None) -> dict[str, Any] | None:
    return None if family is None else {"id": family.id, "name": family.name}


def condition_brief(condition: Condition) -> dict[str, Any]:
    return {"id": condition.id, "name": condition.name}


def treatment_brief(catalogue: Catalogue, treatment: Treatment) -> dict[str, Any]:
    family = catalogue.families.get(treatment.family) if treatment.family else None
    return {
        "id": treatment.id,
        "name": treatment.name,
        "kind": treatment.kind,
        "aliases": list(treatment.aliases),
        "family": family_record(family),
    }


def cited(catalogue: Catalogue, c: Fact | Citation) -> dict[str, Any]:
    source = catalogue.sources.get(c.source)
    return {
        "source": c.source,
        "quote": c.quote,
        "promotional": bool(source and source.promotional),
    }


def fact_record(catalogue: Catalogue, item: FactRef | Fact) -> dict[str, Any]:
    if isinstance(item, FactRef):  # as it applies to a treatment
        fact, family, general = item.fact, item.family, item.general
    else:
        fact, family, general = item, None, False
    out: dict[str, Any] = {"text": fact.text}
    if isinstance(fact, SideEffect):
        out.update(
            name=fact.name,
            frequency=fact.frequency,
            severity=fact.severity,
            course=fact.course,
            handling=[fact_record(catalogue, h) for h in fact.handling],
            mechanisms=[fact_record(catalogue, m) for m in fact.mechanisms],
        )
    if isinstance(fact, RouteFact):
        out["route"] = fact.route
    if isinstance(fact, LinkedFact):
        out["links"] = list(fact.links)
    if isinstance(fact, Contraindication):
        out["about"] = list(fact.about)
    out.update(cited(catalogue, fact))
    out["said_of"] = family_record(family)
    out["in_general"] = general
    return out


def evidence_record(catalogue: Catalogue, record: EvidenceRecord) -> dict[str, Any]:
    def citation(c: Citation | None) -> dict[str, Any] | None:
        return None if c is None else cited(catalogue, c)

    return {
        "id": record.id,
        "medicine": record.medicine,
        "line": record.line,
        "strength": record.strength,
        "applies_to": record.applies_to,
        "nnt": record.nnt,
        "nnh": record.nnh,
        "helps_one_in": one_in(record.nnt) if record.nnt else None,
        "stopped_for_side_effects_one_in": one_in(record.nnh) if record.nnh else None,
        "in_100": {
            "helped": _in_100(record.nnt),
            "stopped_for_side_effects": _in_100(record.nnh),
        },
        "recommendation": citation(record.recommendation),
        "effect": citation(record.effect),
        "note": citation(record.note),
        "side_effects": list(record.side_effects),
        "side_effects_cited": citation(record.side_effects_cited),
    }


def numbered_sources(catalogue: Catalogue, ids: Iterable[str]) -> list[dict[str, Any]]:
    """These sources, each once, in catalogue order, with their numbers (their place in the
    catalogue, as every footnote numbers them)."""
    wanted = set(ids)
    return [
        source_record(s, n)
        for n, (sid, s) in enumerate(catalogue.sources.items(), 1)
        if sid in wanted
    ]


def cited_sources(catalogue: Catalogue, cited: Iterable[Fact | Citation]) -> list[dict[str, Any]]:
    """The sources these rest on: the same sources the printed document lists as its
    footnotes."""
    return numbered_sources(catalogue, (c.source for c in cited))


def envelope(
    catalogue: Catalogue,
    record: dict[str, Any],
    cited: Iterable[Fact | Citation],
    silent: Sequence[str] = (),
) -> dict[str, Any]:
    """A command's record with what every record ends with: what the sources are silent
    about, the sources cited, the catalogue and the disclaimer."""
    return {
        **record,
        "silent_about": list(silent),
        "sources": cited_sources(catalogue, cited),
        "catalogue": meta_record(catalogue.meta),
        "disclaimer": w.DISCLAIMER,
    }


def via_record(via: Broader) -> dict[str, Any]:
    return {"condition": condition_brief(via.condition), "relation": via.relation}


def option_record(catalogue: Catalogue, o: Option) -> dict[str, Any]:
    return {
        **treatment_brief(catalogue, o.treatment),
        "summary": fact_record(catalogue, o.treatment.summary),
        "how_given": list(o.routes),
        "evidence": [evidence_record(catalogue, r) for r in o.evidence],
        "graded": bool(o.evidence),
        "answers": {q: [fact_record(catalogue, r) for r in refs] for q, refs in o.answers.items()},
        "conditions": [condition_brief(c) for c in o.described_for],
        "for_nerve_pain": o.for_nerve_pain,
        "cautions_from": family_record(o.cautions_family),
        "members": [m.id for m in o.members],
        "origin": {"file": o.origin.file, "replaces_bundled": o.origin.replaces_bundled},
    }


def condition_entry(catalogue: Catalogue, a: ConditionAnswer) -> dict[str, Any]:
    c = a.condition
    return {
        **condition_brief(c),
        "aliases": list(c.aliases),
        "about": [fact_record(catalogue, f) for f in c.about],
        "symptoms": [fact_record(catalogue, f) for f in c.symptoms],
        "why_chronic": [fact_record(catalogue, f) for f in c.why_chronic],
        "course": [fact_record(catalogue, f) for f in c.course],
        "effects": [fact_record(catalogue, f) for f in c.effects],
        "kind_of": [fact_record(catalogue, f) for f in c.kind_of],
        "causes": [fact_record(catalogue, f) for f in c.causes],
        "treatments": [
            {
                **treatment_brief(catalogue, lt.treatment),
                "via": via_record(lt.via) if lt.via else None,
            }
            for lt in a.treatments
        ],
    }
