"""The exploring commands through the CLI: every format, errors, quotes, pager, narrow terminals."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from nervecli.render.common import DISCLAIMER

COMMANDS = [
    ["search", "dizziness"],
    ["search", "blood thinners"],
    ["conditions"],
    ["conditions", "trigeminal-neuralgia"],
    ["check", "--has", "bleeding-disorder", "--takes", "blood-thinners", "--pregnant"],
    ["alternatives", "ketamine"],
    ["questions", "ketamine", "steroid"],
    ["sources"],
    ["sources", "ketamine-what-to-expect"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_every_command_in_every_format(cli: Any, args: list[str], fmt: str) -> None:
    result = cli(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["disclaimer"] == DISCLAIMER and "catalogue" in data
    else:
        assert DISCLAIMER in result.stdout
    if fmt == "markdown":
        assert result.stdout.startswith("# ")


def test_search_json_results(cli: Any) -> None:
    data = json.loads(cli("search", "dizziness", "-f", "json").stdout)
    ids = [r["id"] for r in data["results"]]
    assert {"ketamine-infusion", "local-anesthetic-infusion", "infusion-therapy"} <= set(ids)
    first = data["results"][0]
    start, end = first["highlights"][0]
    assert first["snippet"][start:end].lower() == "dizziness"
    assert first["quote"] and first["source"]


def test_search_markdown_bolds_matches(cli: Any) -> None:
    out = cli("search", "ondansetron", "-f", "markdown").stdout
    assert "**ondansetron**" in out


def test_search_with_no_results_says_so(cli: Any) -> None:
    result = cli("search", "xylophone")
    assert result.exit_code == 0
    assert "No treatment or condition in the catalogue matches 'xylophone'." in result.stdout
    data = json.loads(cli("search", "xylophone", "-f", "json").stdout)
    assert data["count"] == 0 and data["results"] == []


@pytest.mark.parametrize("args", [["search", ""], ["search", "!!!"], ["check"], ["questions"]])
def test_usage_errors(cli: Any, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["conditions", "trigeminal-neuralgi"], "did you mean 'trigeminal-neuralgia'"),
        (["check", "--has", "diabets"], "did you mean 'diabetes'"),
        (["check", "--takes", "aspirin"], "the sources name: blood-thinners"),
        (["alternatives", "ketamin"], "did you mean 'ketamine'"),
        (["questions", "ketamine", "nope-nope"], "no treatment 'nope-nope'"),
        (["sources", "nowhere"], "no source 'nowhere'"),
    ],
)
def test_unknown_names_exit_1(cli: Any, args: list[str], needle: str) -> None:
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and needle in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_check_profile_file(cli: Any, tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text("has: [active-infection]\n")
    data = json.loads(cli("check", "--profile", str(profile), "--pregnant", "-f", "json").stdout)
    ketamine = next(r for r in data["results"] if r["id"] == "ketamine-infusion")
    assert {r["for"] for r in ketamine["reasons"]} == {"an active infection", "pregnancy"}
    assert data["results"][0]["level"] == "discuss"
    assert data["results"][-1]["verdict"] == "nothing stated in sources"
    profile.write_text("takes: 3\n")
    result = cli("check", "--profile", str(profile))
    assert result.exit_code == 1 and "takes: Input should be a valid list" in result.stderr


def test_list_condition_agrees_with_conditions(cli: Any) -> None:
    listed = json.loads(cli("list", "--condition", "trigeminal-neuralgia", "-f", "json").stdout)
    shown = json.loads(cli("conditions", "trigeminal-neuralgia", "-f", "json").stdout)
    assert [t["id"] for t in listed["treatments"]] == [
        t["id"] for t in shown["condition"]["treatments"]
    ]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_show_sources_prints_quotes(cli: Any, fmt: str) -> None:
    quote = "Tiredness and dizziness are very common side effects."
    plain = " ".join(cli("show", "ketamine", "-f", fmt, width=200).stdout.split())
    assert quote not in plain
    quoted = " ".join(cli("show", "ketamine", "--sources", "-f", fmt, width=200).stdout.split())
    assert f"“{quote}”" in quoted


def _squash(text: str) -> str:
    return re.sub(r"[\s│┃]+", "", text)


NARROW = [
    (["show", "ketamine"], ["It can be hard to follow anything complex during the infusion."]),
    (["compare", "steroid", "ketamine"], ["Weight gain", "Hallucinations (sometimes)"]),
    (["check", "--pregnant"], ["the effects of the medicine on the fetus are not well known"]),
    (["search", "dizziness"], ["Adverse drug reactions such as dizziness"]),
    (["conditions"], ["Vulvar varicosities"]),
    (["sources"], ["doi:10.1016/j.bjae.2018.06.002"]),
    (["alternatives", "ketamine"], ["main risks named: somnolence, dizziness, weight gain"]),
    (["list"], ["local-anesthetic-infusion"]),
]


@pytest.mark.parametrize(
    ("args", "needles"),
    NARROW,
    ids=lambda v: " ".join(v) if isinstance(v, list) and v and v[0][0].islower() else "",
)
def test_at_40_columns_nothing_is_lost(cli: Any, args: list[str], needles: list[str]) -> None:
    result = cli(*args, width=40)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert "…" not in result.stdout.replace("…'", "")
    for needle in needles:
        assert _squash(needle) in _squash(result.stdout), needle


def test_long_output_is_paged_only_on_a_terminal(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import pydoc

    paged: list[str] = []
    monkeypatch.setattr(pydoc, "pager", paged.append)
    terminal = {"FORCE_COLOR": "1", "LINES": "20"}
    assert cli("show", "ketamine", env=terminal).stdout == ""
    assert len(paged) == 1 and "Ketamine infusion" in paged[0]
    assert "Ketamine" in cli("show", "ketamine", "--no-pager", env=terminal).stdout
    assert "Ketamine" in cli("show", "ketamine").stdout  # not a terminal
    assert "TENS" in cli("list", "--kind", "device", env={**terminal, "LINES": "200"}).stdout
    assert len(paged) == 1


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("nervecli show keta", {"ketamine-infusion", "ketamine"}),
        ("nervecli compare steroid nerve", {"nerve-block-infusion", "nerve-block"}),
        ("nervecli conditions trig", {"trigeminal-neuralgia"}),
        ("nervecli check --takes bl", {"blood-thinners"}),
        ("nervecli list --condition vulv", {"vulvar-varicosities"}),
        ("nervecli sources neup", {"neupsig-2015"}),
    ],
)
def test_completion_offers_catalogue_names(cli: Any, words: str, expected: set[str]) -> None:
    env = {
        "_NERVECLI_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    from typer.testing import CliRunner

    from nervecli.cli import app

    result = CliRunner().invoke(app, [], env=env, prog_name="nervecli")
    assert expected <= set(result.stdout.split())
