"""The evidence layer: every grade and figure as the NeuPSIG 2015 / BJA Education 2018 file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nervecli.errors import CatalogueError
from nervecli.loader import load_catalogue
from nervecli.model import Catalogue
from nervecli.queries import evidence_for, list_treatments, resolve_treatment
from nervecli.render.common import NOT_GRADED, evidence_sentences

# Written by hand from ../shared/evidence/neuropathic-pain-pharmacotherapy.md:
# record id -> (line, strength, applies to, NNT (95% CI), NNH (95% CI)).
EXPECTED = {
    "snri": ("first", "strong", "all", "6.4 (5.2-8.4)", "11.8 (9.5-15.2)"),
    "tca": ("first", "strong", "all", "3.6 (3.0-4.4)", "13.4 (9.3-24.4)"),
    "pregabalin": ("first", "strong", "all", "7.7 (6.5-9.4)", "13.9 (11.6-17.4)"),
    "gabapentin": ("first", "strong", "all", "6.3 (5.0-8.3)", "25.6 (15.3-78.6)"),
    "gabapentin-er": ("first", "strong", "all", "8.3 (6.2-13.0)", "31.9 (17.1-230.0)"),
    "lidocaine-plaster": ("second", "weak", "peripheral only", None, None),
    "capsaicin-patch": ("second", "weak", "peripheral only", "10.6 (7.4-18.8)", None),
    "tramadol": ("second", "weak", "all", "4.7 (3.6-6.7)", "12.6 (8.4-25.3)"),
    "strong-opioids": ("third", "weak", "all", "4.3 (3.4-5.8)", "11.7 (8.4-19.3)"),
    "botulinum-toxin-a": ("third", "weak", "peripheral only", "1.9 (1.5-2.4)", None),
    "levetiracetam": ("against", "strong", None, None, None),
    "mexiletine": ("against", "strong", None, None, None),
    "cannabinoids": ("against", "weak", None, None, None),
    "valproate": ("against", "weak", None, None, None),
}

UNGRADED = [
    "steroid", "nerve-block", "anticonvulsant-infusion", "local-anesthetic", "ketamine",
    "permanent-nerve-block", "prolotherapy", "tens", "acupuncture", "chiropractic",
    "physical-therapy", "psychological-therapy", "lifestyle-changes",
]  # fmt: skip


def test_every_figure_matches_the_evidence_file(catalogue: Catalogue) -> None:
    actual = {
        r.id: (r.line, r.strength, r.applies_to, r.nnt, r.nnh) for r in catalogue.evidence.values()
    }
    assert actual == EXPECTED


def test_evidence_sources_are_cited_in_full(catalogue: Catalogue) -> None:
    neupsig, bja = catalogue.sources["neupsig-2015"], catalogue.sources["bja-education-2018"]
    assert neupsig.kind == bja.kind == "evidence"
    assert neupsig.doi == "10.1016/S1474-4422(14)70251-0"
    assert bja.doi == "10.1016/j.bjae.2018.06.002"
    assert neupsig.citation and "Lancet Neurol. 2015;14(2):162-173" in neupsig.citation


@pytest.mark.parametrize(
    ("name", "records"),
    [
        ("antidepressants", ["tca", "snri"]),
        ("gabapentin", ["gabapentin", "gabapentin-er"]),
        ("opioids", ["tramadol", "strong-opioids"]),
        ("amitriptyline", ["tca"]),
        ("duloxetine", ["snri"]),
        ("pregabalin", ["pregabalin"]),
        ("lidocaine", ["lidocaine-plaster"]),
        ("capsaicin", ["capsaicin-patch"]),
        ("botox", ["botulinum-toxin-a"]),
        ("oxycodone", ["strong-opioids"]),
        ("levetiracetam", ["levetiracetam"]),
        ("cannabis", ["cannabinoids"]),
    ],
)
def test_broad_entries_keep_per_medicine_records(
    catalogue: Catalogue, name: str, records: list[str]
) -> None:
    assert [r.id for r in evidence_for(catalogue, resolve_treatment(catalogue, name))] == records


@pytest.mark.parametrize("name", UNGRADED)
def test_ungraded_treatments_have_no_evidence(catalogue: Catalogue, name: str) -> None:
    assert evidence_for(catalogue, resolve_treatment(catalogue, name)) == []


def test_numbers_in_plain_words(catalogue: Catalogue) -> None:
    texts = [t for t, _ in evidence_sentences(catalogue.evidence["tca"])]
    assert texts[1] == (
        "NNT 3.6 (95% CI 3.0-4.4): about 1 in 4 people treated got at least half their pain "
        "relieved who would not have with placebo."
    )
    assert "about 1 in 13 people treated had the harm counted" in texts[2]
    assert "Higher is better." in texts[2]
    lidocaine = [t for t, _ in evidence_sentences(catalogue.evidence["lidocaine-plaster"])]
    assert "no NNT given (few trials)" in lidocaine[1]


def test_list_by_line_and_nnt(catalogue: Catalogue) -> None:
    first = {t.id for t in list_treatments(catalogue, line="first")}
    assert first == {"gabapentin", "pregabalin", "antidepressants", "tcas", "snris"}
    against = {t.id for t in list_treatments(catalogue, line="against")}
    assert against == {"levetiracetam", "mexiletine", "cannabinoids", "valproate"}
    order = [t.id for t in list_treatments(catalogue, sort="nnt")]
    assert order[:3] == ["botulinum-toxin-a", "tcas", "antidepressants"]
    assert order.index("capsaicin-patches") < order.index("lidocaine-plasters")
    assert order.index("lidocaine-plasters") > order.index("pregabalin")


def test_a_figure_not_in_its_quote_is_refused(make_catalogue: Callable[..., Path]) -> None:
    body = """
        evidence:
          - id: x
            medicine: x
            line: first
            strength: strong
            applies_to: all
            recommendation: {source: doc, quote: "| first | x | strong | all |"}
            nnt: "3.6 (3.0-4.4)"
            effect: {source: doc, quote: "| x | 3.7 (3.0-4.4) |"}
        """
    with pytest.raises(CatalogueError) as info:
        load_catalogue([make_catalogue(**{"ev.yaml": body})], bundled=False)
    (problem,) = info.value.problems
    assert problem.endswith("ev.yaml:8:10: nnt '3.6 (3.0-4.4)' is not in its effect quote")


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_show_pregabalin_has_an_evidence_section(cli: Any, fmt: str) -> None:
    result = cli("show", "pregabalin", "--format", fmt, width=120)
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    if fmt == "json":
        evidence = json.loads(result.stdout)["treatment"]["evidence"]
        assert evidence["graded"] is True and evidence["line"] == "first"
        assert evidence["records"][0]["nnt"] == "7.7 (6.5-9.4)"
        assert any("about 1 in 8" in e["text"] for e in evidence["records"][0]["explained"])
        assert any("about 10%" in c["text"] for c in evidence["caveats"])
    else:
        assert "NNT 7.7 (95% CI 6.5-9.4): about 1 in 8 people treated" in out
        assert "NNH 13.9 (95% CI 11.6-17.4)" in out
        assert "overstate effects by about 10%" in out
        assert "doi:10.1016/S1474-4422(14)70251-0" in out


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_compare_has_evidence_rows(cli: Any, fmt: str) -> None:
    # Wide enough that no cell wraps, so each phrase stands on one line.
    result = cli("compare", "gabapentin", "amitriptyline", "duloxetine", "-f", fmt, width=400)
    assert result.exit_code == 0
    if fmt == "json":
        heads = json.loads(result.stdout)["treatments"]
        assert [h["evidence"]["records"][0]["nnt"] for h in heads] == [
            "6.3 (5.0-8.3)", "3.6 (3.0-4.4)", "6.4 (5.2-8.4)",
        ]  # fmt: skip
    else:
        out = " ".join(result.stdout.split())
        needles = [
            "Line of treatment",
            "NNT 3.6 (95% CI 3.0-4.4)",
            "NNH 11.8 (95% CI 9.5-15.2)",
            "gabapentin extended release / enacarbil: NNT 8.3 (95% CI 6.2-13.0)",
        ]
        for needle in needles:
            assert needle in out, needle


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_list_line_first(cli: Any, fmt: str) -> None:
    result = cli("list", "--line", "first", "--sort", "nnt", "-f", fmt, width=120)
    assert result.exit_code == 0
    if fmt == "json":
        ids = [t["id"] for t in json.loads(result.stdout)["treatments"]]
        assert ids == ["tcas", "antidepressants", "gabapentin", "snris", "pregabalin"]
    else:
        assert "Pregabalin" in result.stdout and "Ketamine" not in result.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_ketamine_is_not_graded(cli: Any, fmt: str) -> None:
    result = cli("show", "ketamine", "-f", fmt, width=120)
    if fmt == "json":
        evidence = json.loads(result.stdout)["treatment"]["evidence"]
        assert evidence == {
            "graded": False, "note": NOT_GRADED, "line": NOT_GRADED, "records": [], "caveats": [],
        }  # fmt: skip
    else:
        assert NOT_GRADED in result.stdout
        assert "NNT" not in result.stdout


def test_recommended_against_says_so(cli: Any) -> None:
    out = " ".join(cli("show", "valproate", width=120).stdout.split())
    assert "valproate: recommended against (weak recommendation against)." in out
