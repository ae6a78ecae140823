"""For catalogue authors: --catalog and NERVECLI_CATALOG, validate, schema, and a catalogue
that is broken or hostile."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from nervecli.reading.schema import SCHEMA_FILE, catalogue_schema

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"

MINE = """
    sources:
      - {id: clinic, kind: seed, genre: web-article, file: clinic.txt,
         title: "Our leaflet [bold]not bold[/]"}
    treatments:
      - id: hydrotherapy
        name: "Hydrotherapy [red]not red[/red] [link=http://x]y[/link]"
        kind: therapy
        summary: {text: "Warm water [/] exercise.", source: clinic, quote: warm water}
      - id: tens
        name: TENS (our unit)
        kind: device
        summary: {text: Our TENS unit., source: clinic, quote: our unit}
    """


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "clinic.yaml").write_text(textwrap.dedent(MINE))
    return folder


def test_schema_command_matches_the_published_file(cli: Any) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert result.stdout == catalogue_schema() == (DATA / SCHEMA_FILE).read_text()
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "catalogue", "sources", "families", "treatments", "conditions", "evidence",
        "evidence_notes", "screening",
    }  # fmt: skip


def _as_json(value: Any) -> Any:
    """YAML values as JSON would carry them (dates as ISO strings)."""
    return json.loads(
        json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    )


def test_bundled_files_name_the_schema_and_follow_it() -> None:
    schema = json.loads((DATA / SCHEMA_FILE).read_text())
    files = sorted(DATA.rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == (DATA / SCHEMA_FILE).resolve(), path
        jsonschema.validate(_as_json(yaml.safe_load(path.read_text())), schema)


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads((DATA / SCHEMA_FILE).read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"treatments": [{"id": "x", "side_efects": []}]}, schema)


def test_validate_the_bundled_catalogue(cli: Any) -> None:
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: 10 files, ") and result.stdout.count("\n") == 1


def test_validate_reports_every_problem_one_per_line(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("treatments:\n  - id: X\n    name: no\n")
    (tmp_path / "b.yaml").write_text("conditions:\n\t- id: y\n")
    result = cli("validate", str(tmp_path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) >= 4
    assert all(":" in line and line.split(":")[1].isdigit() for line in lines)
    assert "a.yaml:2:9: treatments[X].id: an id is lowercase letters and digits" in result.stdout
    assert (
        "a.yaml:3:11: treatments[X].name: Input should be a valid string (YAML read"
        in result.stdout
    )
    assert any("b.yaml:2:1: a tab character" in line for line in lines)
    assert result.stderr.strip().endswith("problems found.")


def test_validate_user_catalogue_over_and_without_the_bundled(cli: Any, mine: Path) -> None:
    assert cli("validate", str(mine)).exit_code == 0
    alone = cli("validate", str(mine), "--no-bundled")
    assert alone.exit_code == 1 and "no file declares `catalogue:`" in alone.stdout


@pytest.mark.parametrize("how", ["option", "env"])
def test_own_catalogue_adds_and_overrides(cli: Any, mine: Path, how: str) -> None:
    if how == "option":
        result = cli("--catalog", str(mine), "show", "tens", "-f", "json")
    else:
        result = cli("show", "tens", "-f", "json", env={"NERVECLI_CATALOG": str(mine)})
    treatment = json.loads(result.stdout)["treatment"]
    assert treatment["name"] == "TENS (our unit)"
    assert treatment["origin"]["file"].endswith("clinic.yaml")
    assert treatment["origin"]["replaces_bundled"] is True
    ketamine = json.loads(cli("--catalog", str(mine), "show", "ketamine", "-f", "json").stdout)
    assert ketamine["treatment"]["origin"] == {"file": None, "replaces_bundled": False}


def test_show_says_where_an_entry_came_from(cli: Any, mine: Path) -> None:
    out = " ".join(cli("--catalog", str(mine), "show", "tens", width=200).stdout.split())
    assert f"from {(mine / 'clinic.yaml').resolve()} (replaces the bundled entry)" in out


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_markup_in_catalogue_text_prints_literally(cli: Any, mine: Path, fmt: str) -> None:
    out = cli("--catalog", str(mine), "show", "hydrotherapy", "-f", fmt, width=200).stdout
    plain = out.replace("\\", "")  # markdown escapes brackets
    assert "Hydrotherapy [red]not red[/red] [link=http://x]y[/link]" in plain
    assert "Warm water [/] exercise." in plain
    assert "Our leaflet [bold]not bold[/]" in plain
    assert "\x1b" not in out


def test_broken_catalogue_refuses_to_start(cli: Any, tmp_path: Path) -> None:
    for i in range(8):
        (tmp_path / f"bad{i}.yaml").write_text(f"treatments: [{{id: x{i}}}]\n")
    result = cli("--catalog", str(tmp_path), "list")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == "Error: the catalogue has problems; nervecli will not start until they are fixed:"
    )
    assert len([line for line in lines if line.startswith("  ") and ".yaml:" in line]) == 5
    assert (
        lines[-2].startswith("  ... and ")
        and lines[-1] == "Run 'nervecli validate' to see every problem."
    )
    assert "Traceback" not in (result.stdout + result.stderr)


def test_control_characters_never_reach_the_terminal(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "evil.yaml").write_text(
        'treatments:\n  - id: evil\n    name: "Evil \\e[2J\\e]0;owned\\a"\n    kind: therapy\n'
        "    summary: {text: x, source: infusion-side-effects, quote: x}\n"
    )
    result = cli("--catalog", str(tmp_path), "list")
    assert result.exit_code == 1
    assert "\x1b" not in (result.stdout + result.stderr) and "\x07" not in (
        result.stdout + result.stderr
    )
    assert (
        "evil.yaml:3:11: treatments[evil].name: contains the control character U+001B"
        in result.stderr
    )


# --- validate --coverage: the sentences no quote covers ------------------------------------------

UNCOVERED = Path(__file__).with_name("uncovered-sentences.yaml")


def test_what_no_quote_covers_is_listed_with_a_reason(
    cli: Any, seeds: Path, evidence_dir: Path
) -> None:
    result = cli(
        "validate", "--sources", str(seeds), "--sources", str(evidence_dir), "--coverage",
        "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)["coverage"]
    assert {d["file"] for d in report} == {
        p.name for p in (*seeds.iterdir(), *evidence_dir.iterdir())
    }
    found = {(d["file"], s) for d in report for s in d["uncovered"]}
    listed = yaml.safe_load(UNCOVERED.read_text(encoding="utf-8"))
    assert all(entry["reason"].strip() for entry in listed)
    assert found == {(e["file"], e["sentence"]) for e in listed}
    for d in report:
        assert d["percent"] == round(100 * d["covered"] / d["sentences"], 1)
        assert d["covered"] == d["sentences"] - len(d["uncovered"])


def test_coverage_in_text_names_each_document_and_its_share(
    cli: Any, seeds: Path, evidence_dir: Path
) -> None:
    result = cli(
        "validate", "--sources", str(seeds), "--sources", str(evidence_dir), "--coverage",
        width=200,
    )  # fmt: skip
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    heads = [x for x in lines if not x.startswith("  ")]
    assert any(x.startswith("003_92d08045e55dedbe.txt: ") and x.endswith("%)") for x in heads)
    assert "  not covered: Contact us today to schedule a consultation and take the first step " \
        "toward reclaiming your quality of life." in lines  # fmt: skip
    assert lines[-1].startswith("OK: ")


def test_coverage_of_a_users_catalogue(cli: Any, make_catalogue: Any, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "doc.txt").write_text(
        "Alpha Infusion\n"  # a heading: not a sentence
        "The beta infusion is one kind. It helps some people.\n"
        "alpha beta cond nausea is common bruising not in pregnancy\n",
        encoding="utf-8",
    )
    extra = """
        conditions:
          - id: other
            name: Other
            about:
              - {text: One kind., source: doc, quote: The beta infusion is one kind.}
        """
    folder = make_catalogue(**{"extra.yaml": extra})
    result = cli("validate", "--no-bundled", str(folder), "--sources", str(docs), "--coverage")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[:3] == [
        "doc.txt: 1 of 3 sentences covered (33%)",
        "  not covered: It helps some people.",
        "  not covered: alpha beta cond nausea is common bruising not in pregnancy",
    ]


def test_coverage_needs_sources(cli: Any) -> None:
    result = cli("validate", "--coverage")
    assert result.exit_code == 2
    assert "--coverage" in result.stderr and "--sources" in result.stderr
