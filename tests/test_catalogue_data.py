"""The bundled catalogue: valid, complete, and every quote word for word in its document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nervecli.model import NOT_STATED, Catalogue
from nervecli.queries import resolve_condition, resolve_treatment
from nervecli.walk import iter_cited, iter_facts


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_quote_is_word_for_word_in_its_document(
    catalogue: Catalogue, seeds: Path, evidence_dir: Path
) -> None:
    folders = {"seed": seeds, "evidence": evidence_dir}
    documents = {}
    for source in catalogue.sources.values():
        path = folders[source.kind] / source.file
        assert path.is_file(), f"source {source.id}: {source.file} not in {path.parent}"
        documents[source.id] = _squash(path.read_text(encoding="utf-8"))
    missing = [
        f"{c.owner}: {c.citation.quote!r} is not in {c.citation.source}"
        for c in iter_cited(catalogue)
        if _squash(c.citation.quote) not in documents[c.citation.source]
    ]
    assert not missing, "\n".join(missing)
    assert sum(1 for _ in iter_cited(catalogue)) > 200


def test_all_five_seed_documents_are_sources(catalogue: Catalogue, seeds: Path) -> None:
    files = {s.file for s in catalogue.sources.values() if s.kind == "seed"}
    assert files == {p.name for p in seeds.iterdir() if p.suffix == ".txt"}


def test_source_titles_are_the_documents_own_first_lines(catalogue: Catalogue, seeds: Path) -> None:
    for source in catalogue.sources.values():
        if source.kind != "seed":
            continue
        first = (seeds / source.file).read_text(encoding="utf-8").splitlines()[0].strip()
        if source.note and "no title line" in source.note:
            assert source.title.lower() in _squash((seeds / source.file).read_text()).lower()
        else:
            assert source.title == first


@pytest.mark.parametrize(
    "name",
    [
        "steroid", "nerve-block", "anticonvulsant-infusion", "local-anesthetic", "ketamine",
        "permanent-nerve-block", "radiofrequency-ablation", "prolotherapy", "dextrose",
        "acetaminophen", "ibuprofen", "gabapentin", "pregabalin", "antidepressants",
        "anticonvulsants", "opioids", "physical-therapy", "massage", "lifestyle-changes", "tens",
        "acupuncture", "chiropractic", "psychological-therapy", "cbt", "mindfulness",
    ],
)  # fmt: skip
def test_every_treatment_in_the_documents_is_in_the_catalogue(
    catalogue: Catalogue, name: str
) -> None:
    resolve_treatment(catalogue, name)


@pytest.mark.parametrize(
    "name",
    [
        "chronic-nerve-pain", "severe-nerve-pain", "cancer-nerve-pain", "peripheral-neuropathy",
        "trigeminal-neuralgia", "diabetes", "multiple-sclerosis", "shingles", "nerve-injury",
        "chronic-back-pain", "vulvar-varicosities", "neuropathic-pain",
    ],
)  # fmt: skip
def test_every_condition_in_the_documents_is_in_the_catalogue(
    catalogue: Catalogue, name: str
) -> None:
    resolve_condition(catalogue, name)


def test_ketamine_carries_the_facts_of_its_document(catalogue: Catalogue) -> None:
    ketamine = resolve_treatment(catalogue, "ketamine")
    text = " ".join(f.text for owner, _, f in iter_facts(catalogue) if owner == ketamine.id)
    for needle in ["NMDA", "up to six hours", "ondansetron", "dose or the rate"]:
        assert needle in text
    effects = {s.name: s.frequency for s in ketamine.side_effects}
    assert effects["tiredness"] == "very common"
    assert effects["dizziness"] == "very common"
    assert effects["nausea"] == "common"
    assert effects["hallucinations"] == "sometimes"
    assert [r.route for r in ketamine.how_given] == ["IV"]


def test_family_facts_are_written_once(catalogue: Catalogue) -> None:
    members = [t for t in catalogue.treatments.values() if t.family == "infusion-therapy"]
    assert {t.id for t in members} >= {
        "steroid-infusion",
        "nerve-block-infusion",
        "anticonvulsant-infusion",
        "local-anesthetic-infusion",
        "ketamine-infusion",
    }
    family_quotes = {f.quote for f in catalogue.families["infusion-therapy"].avoid_if}
    for t in members:
        assert not family_quotes & {f.quote for f in t.avoid_if}


def test_catalogue_has_a_version_and_review_date(catalogue: Catalogue) -> None:
    assert catalogue.meta.version
    assert catalogue.meta.last_reviewed.year >= 2026


def test_no_fact_pretends_to_be_not_stated(catalogue: Catalogue) -> None:
    # Absence is rendered from empty sections; a fact never says it.
    assert all(NOT_STATED not in f.text for _, _, f in iter_facts(catalogue))
