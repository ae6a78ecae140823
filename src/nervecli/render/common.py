"""Wording and bookkeeping shared by every renderer."""

from __future__ import annotations

import math
from dataclasses import field

from nervecli.model import (
    NOT_STATED,
    Catalogue,
    Citation,
    Estimate,
    EvidenceRecord,
    Fact,
    Family,
    SideEffect,
    Source,
    Treatment,
    lean,
)
from nervecli.queries import FactRef, TreatmentView, evidence_for

DISCLAIMER = "This is information to discuss with a doctor, not medical advice."


def family_label(family: Family) -> str:
    """How family facts are introduced: 'For all infusion therapy (family facts)'."""
    return f"For all {family.name.lower()} (family facts)"


def by_family(refs: list[FactRef]) -> list[tuple[Family | None, list[FactRef]]]:
    """A treatment's own facts first, then each family's facts as a group of its own."""
    groups: dict[str | None, tuple[Family | None, list[FactRef]]] = {}
    for ref in refs:
        key = ref.family.id if ref.family else None
        groups.setdefault(key, (ref.family, []))[1].append(ref)
    return sorted(groups.values(), key=lambda g: g[0] is not None)


SEE_SHARED = "see 'Same for all' below"


@lean
class Footnotes:
    """Numbers sources in the order output first cites them."""

    catalogue: Catalogue
    numbers: dict[str, int] = field(default_factory=dict)

    def mark(self, cited: Fact | Citation) -> int:
        return self.numbers.setdefault(cited.source, len(self.numbers) + 1)

    def sources(self) -> list[tuple[int, Source]]:
        return [(n, self.catalogue.sources[sid]) for sid, n in self.numbers.items()]


def source_line(source: Source) -> str:
    kind = "seed document" if source.kind == "seed" else "supplementary evidence"
    line = f"{source.title} — {source.file} ({kind})"
    if source.citation:
        line += f". {source.citation}"
    if source.doi:
        line += f" doi:{source.doi}"
    if source.note:
        line += f" Note: {source.note}"
    return line


SIDE_EFFECT_COLUMNS = ("Side effect", "How often", "How serious", "Temporary or lasting")


def side_effect_cells(fact: SideEffect) -> tuple[str, str, str, str]:
    """A side effect's description and qualifiers, each 'not stated in sources' when absent."""
    return (
        fact.text,
        fact.frequency or NOT_STATED,
        fact.severity or NOT_STATED,
        fact.course or NOT_STATED,
    )


def side_effect_brief(fact: SideEffect) -> str:
    """'Nausea (common)': the name and what the source says of how often, for narrow cells."""
    return f"{fact.name[:1].upper()}{fact.name[1:]} ({fact.frequency or 'frequency ' + NOT_STATED})"


def origin_text(view: TreatmentView) -> str:
    """Where an entry came from: 'bundled catalogue' or 'mine.yaml (replaces the bundled entry)'."""
    return view.origin + (" (replaces the bundled entry)" if view.replaces_bundled else "")


NOT_GRADED = "not graded by these sources"
NOT_GIVEN = "not given by these sources"


def _one_in(printed: str) -> str:
    value = Estimate.parse(printed).value
    return f"about 1 in {max(1, math.floor(value + 0.5))}"


def _with_ci(label: str, printed: str) -> str:
    """'NNT 7.7 (6.5-9.4)' -> 'NNT 7.7 (95% CI 6.5-9.4)'."""
    return f"{label} " + printed.replace("(", "(95% CI ", 1)


def grade_text(record: EvidenceRecord) -> str:
    if record.line == "against":
        return f"{record.medicine}: recommended against ({record.strength} recommendation against)."
    scope = (
        "all neuropathic pain" if record.applies_to == "all" else "peripheral neuropathic pain only"
    )
    if record.applies_to is None:
        scope = "neuropathic pain"
    return f"{record.medicine}: {record.line}-line, {record.strength} recommendation, for {scope}."


def line_label(records: list[EvidenceRecord]) -> str:
    """'first', 'second, third', 'against' or 'not graded by these sources'."""
    lines = list(dict.fromkeys(r.line for r in records))
    return ", ".join(lines) if lines else NOT_GRADED


def evidence_sentences(record: EvidenceRecord) -> list[tuple[str, Citation]]:
    """The record in words a patient understands, each sentence with the citation behind it."""
    out = [(grade_text(record), record.recommendation)]
    if record.line != "against":
        if record.nnt and record.effect:
            out.append(
                (
                    f"{_with_ci('NNT', record.nnt)}: {_one_in(record.nnt)} people treated got at "
                    "least half their pain relieved who would not have with placebo.",
                    record.effect,
                )
            )
        elif record.note:
            out.append((f"NNT: {NOT_GIVEN}; the source notes: {record.note.quote}", record.note))
        else:
            out.append((f"NNT: {NOT_GIVEN}.", record.recommendation))
        if record.nnh and record.effect:
            out.append(
                (
                    f"{_with_ci('NNH', record.nnh)}: {_one_in(record.nnh)} people treated had the "
                    "harm counted who would not have on placebo. Higher is better.",
                    record.effect,
                )
            )
        else:
            out.append((f"NNH: {NOT_GIVEN}.", record.effect or record.recommendation))
    if record.note and (record.nnt or record.line == "against"):
        out.append((record.note.quote, record.note))
    if record.side_effects and record.side_effects_cited:
        names = ", ".join(record.side_effects)
        out.append((f"Common side effects the source names: {names}.", record.side_effects_cited))
    return out


def evidence_caveats(catalogue: Catalogue, records: list[EvidenceRecord]) -> list[Fact]:
    """The caveats that go with any figures shown."""
    return list(catalogue.evidence_notes) if records else []


def list_line(catalogue: Catalogue, treatment: Treatment) -> str:
    """The line of treatment for a listing, with each record's NNT (never a blended figure)."""
    records = evidence_for(catalogue, treatment)
    nnts = [Estimate.parse(r.nnt).value for r in records if r.nnt]
    label = line_label(records) if records else "not graded"
    return f"{label} (NNT {'; '.join(f'{n:g}' for n in nnts)})" if nnts else label


def evidence_rows(records_per_column: list[list[EvidenceRecord]]) -> tuple[tuple[str, str], ...]:
    """The evidence rows a comparison needs: all three when any column is graded, else one."""
    if any(records_per_column):
        return EVIDENCE_ROWS
    return (("line", "Evidence (graded sources)"),)


EVIDENCE_ROWS = (
    ("line", "Line of treatment (graded sources)"),
    ("nnt", "NNT: treated for one more to get half their pain relieved (lower is better)"),
    ("nnh", "NNH: treated for one more to have the harm counted (higher is better)"),
)


def evidence_brief(record: EvidenceRecord) -> dict[str, tuple[str, Citation]]:
    """Short forms for comparison rows: line, NNT and NNH of one record."""
    if record.line == "against":
        grade = f"recommended against ({record.strength})"
    else:
        scope = "all" if record.applies_to == "all" else "peripheral only"
        grade = f"{record.line}-line, {record.strength}, {scope}"
    out = {"line": (f"{record.medicine}: {grade}", record.recommendation)}
    for key, printed in (("nnt", record.nnt), ("nnh", record.nnh)):
        if record.line == "against":
            continue
        if printed and record.effect:
            text = f"{record.medicine}: {_with_ci(key.upper(), printed)}, {_one_in(printed)}"
            out[key] = (text, record.effect)
        else:
            out[key] = (f"{record.medicine}: {NOT_GIVEN}", record.note or record.recommendation)
    return out
