"""The evidence layer: every grade and figure as the NeuPSIG 2015 / BJA Education 2018 file."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nervecli.domain.listing import list_treatments
from nervecli.domain.lookup import resolve_treatment
from nervecli.facts.applicable import evidence_for
from nervecli.model.catalogue import Catalogue
from nervecli.model.errors import CatalogueError
from nervecli.output import words
from nervecli.reading.loader import load_catalogue

from .conftest import DATA

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
        ("antidepressants", []),  # a type of medicine: its members carry the records
        ("gabapentin", ["gabapentin", "gabapentin-er"]),
        ("opioids", []),
        ("tcas", ["tca"]),
        ("tramadol", ["tramadol"]),
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
    tca = catalogue.evidence["tca"]
    assert words.helps(tca) == (
        "About 28 in 100 more people get at least half their pain relieved than with a dummy "
        "treatment (range 23 to 33)"
    )
    assert words.stops(tca) == (
        "About 7 in 100 more stop because of side effects than with a dummy treatment "
        "(range 4 to 11)"
    )
    assert words.in_100("7.7 (6.5-9.4)") == (13, 11, 15)  # the evidence file's own example
    assert words.in_100("13.9 (11.6-17.4)")[0] == 7
    assert words.stops(catalogue.evidence["gabapentin-er"]).endswith("(range fewer than 1 to 6)")  # type: ignore[union-attr]
    assert words.helps(catalogue.evidence["lidocaine-plaster"]) is None
    assert words.grade(catalogue.evidence["valproate"]) == (
        "recommended against for neuropathic pain (weak recommendation)"
    )


def _ids(catalogue: Catalogue, **filters: str) -> list[str]:
    return [i.treatment.id for i in list_treatments(catalogue, **filters).items]


def test_list_by_line_and_nnt(catalogue: Catalogue) -> None:
    assert set(_ids(catalogue, line="first")) == {
        "gabapentin",
        "pregabalin",
        "tcas",
        "snris",
    }
    assert set(_ids(catalogue, line="against")) == {
        "levetiracetam",
        "mexiletine",
        "cannabinoids",
        "valproate",
    }
    order = _ids(catalogue, sort="nnt")
    # within each line of treatment, lowest NNT first; a type of medicine after its members
    # (a type of medicine carries no line: it is placed after its members, ungraded)
    assert order[:6] == ["tcas", "gabapentin", "snris", "antidepressants", "pregabalin", "tramadol"]
    assert order.index("botulinum-toxin-a") > order.index("capsaicin-patches")  # third line


def test_a_type_of_medicine_never_carries_a_line_itself(catalogue: Catalogue) -> None:
    for treatment in catalogue.treatments.values():
        if treatment.group is not None:
            assert evidence_for(catalogue, treatment) == [], treatment.id
            assert treatment.id not in _ids(catalogue, line="first")


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
    assert str(problem).endswith("ev.yaml:8:10: nnt '3.6 (3.0-4.4)' is not in its effect quote")


# Written by hand from the evidence file's Table 3 section: record id -> (quality, trials).
QUALITY = {
    "snri": ("high", 14),
    "tca": ("moderate", 18),
    "pregabalin": ("high", 25),
    "gabapentin": ("high", 14),
    "gabapentin-er": ("high", 14),
    "tramadol": ("moderate", 7),
    "capsaicin-patch": ("high", 7),
    "lidocaine-plaster": ("low", None),
    "strong-opioids": ("moderate", 13),
    "botulinum-toxin-a": ("low", 6),
}


def test_quality_and_trials_match_the_evidence_file(catalogue: Catalogue) -> None:
    actual = {
        r.id: (r.quality, r.trials) for r in catalogue.evidence.values() if r.line != "against"
    }
    assert actual == QUALITY
    for record in catalogue.evidence.values():
        if record.quality is not None:
            assert record.quality_cited is not None
            assert record.quality_cited.quote.startswith("| ")


def test_every_graded_record_has_its_dose_and_every_against_its_reason(
    catalogue: Catalogue,
) -> None:
    for record in catalogue.evidence.values():
        if record.line == "against":
            assert record.against_reason is not None, record.id
            assert record.dose is None
        else:
            assert record.dose is not None, record.id
            assert record.against_reason is None
    valproate = catalogue.evidence["valproate"].against_reason
    assert valproate is not None and valproate.quote == "valproate: no reason is given."
    capsaicin = catalogue.evidence["capsaicin-patch"].comparator
    assert capsaicin is not None and "0.04% capsaicin cream" in capsaicin.text
    assert [r.id for r in catalogue.evidence.values() if r.comparator] == ["capsaicin-patch"]


def test_the_notes_say_what_the_figures_measure_and_cover(catalogue: Catalogue) -> None:
    quotes = " ".join(n.quote for n in catalogue.evidence_notes)
    assert "not everyone who had a side effect" in quotes
    assert "30% pain reduction or at least moderate pain relief" in quotes
    assert "do not cover trigeminal neuralgia" in quotes
    assert "infusions are not graded here" in quotes


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("quality: low", "quality 'low' is not in its quote's column"),
        ("trials: 9", "trials '9' is not its quote's last column"),
    ],
)
def test_a_quality_or_trial_count_not_in_its_row_is_refused(
    make_catalogue: Callable[..., Path], field: str, message: str
) -> None:
    body = f"""
        evidence:
          - id: x
            medicine: x
            line: first
            strength: strong
            recommendation: {{source: doc, quote: "| first | x | strong | all |"}}
            quality_cited: {{source: doc, quote: "| x | high | moderate | moderate | 14 |"}}
            {field}
            trials_cited: {{source: doc, quote: "| x | high | moderate | moderate | 9 |"}}
        """
    with pytest.raises(CatalogueError) as info:
        load_catalogue([make_catalogue(**{"ev.yaml": body})], bundled=False)
    (problem,) = info.value.problems
    column = 5 + field.index(" ") + 1  # at the value
    assert str(problem).endswith(f"ev.yaml:8:{column}: {message}")


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html"])
def test_show_pregabalin_answers_how_likely_it_is_to_help(cli: Any, fmt: str) -> None:
    result = cli("show", "pregabalin", "--format", fmt, width=120)
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    if fmt == "json":
        (record,) = json.loads(result.stdout)["treatment"]["evidence"]
        assert record["nnt"] == "7.7 (6.5-9.4)" and record["helps_one_in"] == 8
        assert record["in_100"]["helped"] == {"about": 13, "low": 11, "high": 15}
        assert record["in_100"]["stopped_for_side_effects"] == {"about": 7, "low": 6, "high": 9}
        assert (
            record["nnh"] == "13.9 (11.6-17.4)" and record["stopped_for_side_effects_one_in"] == 14
        )
        assert record["line"] == "first" and record["strength"] == "strong"
    else:
        assert (
            "First-line, strong recommendation, for all neuropathic pain but trigeminal neuralgia"
            " (graded evidence, 2015)" in out
        )
        assert (
            "About 13 in 100 more people get at least half their pain relieved than with a "
            "dummy treatment (range 11 to 15)" in out
        )
        assert (
            "About 7 in 100 more stop because of side effects than with a dummy treatment "
            "(range 6 to 9)" in out
        )
        assert not re.search(r"\bharms?\b", out.lower())  # NNH counts stopping, not harm
        assert "overstate effects by about 10%" in out
        assert "doi:10.1016/S1474-4422(14)70251-0" in out


def test_the_benefit_is_an_icon_array_too(cli: Any) -> None:
    out = cli("show", "pregabalin", width=120).stdout
    ten = "□" * 10
    assert f"■■■■■■■■■■ ■■■□□□□□□□ {ten} {ten} {ten}\n" in out  # 13 in 100, five groups a line
    assert f"■■■■■■■□□□ {ten} {ten} {ten} {ten}\n" in out  # 7 in 100
    assert out.count("■") == 20 and out.count("□") == 180


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_compare_puts_the_figures_side_by_side(cli: Any, fmt: str) -> None:
    result = cli("compare", "gabapentin", "amitriptyline", "duloxetine", "-f", fmt, width=400)
    assert result.exit_code == 0
    if fmt == "json":
        heads = json.loads(result.stdout)["treatments"]
        assert [h["evidence"][0]["nnt"] for h in heads] == [
            "6.3 (5.0-8.3)",
            "3.6 (3.0-4.4)",
            "6.4 (5.2-8.4)",
        ]
        assert [r["id"] for r in heads[0]["evidence"]] == ["gabapentin", "gabapentin-er"]
    else:
        out = " ".join(result.stdout.split())
        for needle in (
            "About 28 in 100 more people get at least half their pain relieved",
            "About 8 in 100 more stop because of side effects",
            "Gabapentin extended release / enacarbil: first-line",
            "About 3 in 100 more stop because of side effects than with a dummy treatment "
            "(range fewer than 1 to 6)",
        ):
            assert needle in out, needle


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_list_line_first(cli: Any, fmt: str) -> None:
    result = cli("list", "--line", "first", "--sort", "nnt", "-f", fmt, width=120)
    assert result.exit_code == 0
    if fmt == "json":
        ids = [t["id"] for t in json.loads(result.stdout)["treatments"]]
        assert ids == ["tcas", "gabapentin", "snris", "pregabalin"]
    else:
        assert "Pregabalin" in result.stdout and "Ketamine" not in result.stdout
        assert "First-line treatments in the catalogue (4)" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_ketamine_is_not_graded_and_says_so_first(cli: Any, fmt: str) -> None:
    result = cli("show", "ketamine", "-f", fmt, width=80)
    if fmt == "json":
        record = json.loads(result.stdout)["treatment"]
        assert record["evidence"] == [] and record["graded"] is False
    else:
        lines = result.stdout.splitlines()
        first = next(n for n, line in enumerate(lines) if "Not graded by these sources" in line)
        assert first < 20
        assert "NNT" not in result.stdout


def test_recommended_against_is_for_neuropathic_pain_with_a_do_not_stop(cli: Any) -> None:
    out = " ".join(cli("check", "--has", "diabetes", width=400).stdout.split())
    assert "recommended against for neuropathic pain" in out
    assert "for everyone" not in out
    assert "do not stop it without talking to your doctor" in out


def test_trial_counts_are_cited_to_the_table_that_counts_them(catalogue: Catalogue) -> None:
    """The evidence file takes the number of trials from BJA Education 2018 Table 1: each count
    cites that source, its row quoted; the quality of evidence cites NeuPSIG 2015."""
    for record in catalogue.evidence.values():
        if record.trials is None:
            continue
        assert record.trials_cited is not None, record.id
        assert record.trials_cited.source == "bja-education-2018"
        assert record.trials_cited.quote.strip(" |").split("|")[-1].strip() == str(record.trials)
        assert record.quality_cited is not None and record.quality_cited.source == "neupsig-2015"


@pytest.mark.parametrize(
    ("printed", "why"),
    [
        ("0 (0-0)", "cannot be below 1"),
        ("0.5 (0.1-0.9)", "cannot be below 1"),
        ("3.6 (4.4-3.0)", "is outside its own 95% range"),
        ("4.4 (3.0-3.6)", "is outside its own 95% range"),
    ],
)
def test_an_impossible_figure_is_refused_where_it_stands(
    cli: Any, tmp_path: Path, printed: str, why: str
) -> None:
    """An NNT is one over a difference of proportions: never below 1, and inside its range.
    Such a figure would print 'about 200 in 100' or divide by zero: the file is refused, at
    its line, by validate and by every command."""
    folder = tmp_path / "cat"
    shutil.copytree(DATA, folder)
    path = folder / "evidence.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("7.7 (6.5-9.4)", printed))
    result = cli("validate", str(folder))
    assert result.exit_code == 1
    assert re.search(rf"evidence\.yaml:\d+:\d+: nnt '{re.escape(printed)}' {why}", result.stdout)
    shown = cli("--catalog", str(folder), "--no-bundled", "show", "pregabalin")
    assert shown.exit_code == 1 and shown.stdout == ""
    assert f"nnt '{printed}' {why}" in shown.stderr and "Traceback" not in shown.stderr


def test_a_count_of_trials_below_one_is_refused(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "cat"
    shutil.copytree(DATA, folder)
    path = folder / "evidence.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    trials: 25\n" in text
    path.write_text(text.replace("    trials: 25\n", "    trials: 0\n"))
    result = cli("validate", str(folder))
    assert result.exit_code == 1
    assert "trials 0 is not a count of trials (at least 1)" in result.stdout
