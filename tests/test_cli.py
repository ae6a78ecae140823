"""The command line: every command in every format, exit statuses, errors on stderr."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from typing import Any

import pytest

from nervecli import __version__
from nervecli.render.common import DISCLAIMER

Invoke = Any  # the `cli` fixture (conftest.py)


def test_version(cli: Invoke) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"nervecli {__version__}\n"


def test_no_arguments_shows_help(cli: Invoke) -> None:
    result = cli()
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: nervecli ") or result.stdout.startswith("Usage: root ")
    assert result.stdout == cli("--help").stdout


def test_help_examples_all_run(cli: Invoke) -> None:
    help_text = cli("--help").stdout
    examples = re.findall(r"^\s+nervecli (.+)$", help_text, flags=re.MULTILINE)
    assert len(examples) >= 5
    for example in examples:
        args = shlex.split(example.split(">")[0])
        result = cli(*args)
        assert result.exit_code == 0, (example, result.stderr)


def test_list_table(cli: Invoke) -> None:
    result = cli("list")
    assert result.exit_code == 0
    for name in ["Ketamine infusion", "Prolotherapy", "TENS", "Gabapentin", "Chiropractic"]:
        assert name in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith(DISCLAIMER)
    assert result.stderr == ""


def test_list_filters(cli: Invoke) -> None:
    medicines = json.loads(cli("list", "--kind", "medicine", "-f", "json").stdout)
    assert {t["kind"] for t in medicines["treatments"]} == {"medicine"}
    trig = json.loads(cli("list", "--condition", "trigeminal-neuralgia", "--format", "json").stdout)
    assert "ketamine-infusion" in {t["id"] for t in trig["treatments"]}
    assert all("trigeminal-neuralgia" in t["conditions"] for t in trig["treatments"])


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_list_with_no_match_says_so(cli: Invoke, fmt: str) -> None:
    result = cli("list", "--kind", "device", "--condition", "diabetes", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        assert json.loads(result.stdout)["treatments"] == []
    else:
        assert "No treatment in the catalogue matches these filters." in result.stdout


@pytest.mark.parametrize("width", ["40", "60", "80"])
def test_list_at_any_width_keeps_every_id(cli: Invoke, width: str) -> None:
    out = cli("list", width=int(width)).stdout
    assert max(len(line) for line in out.splitlines()) <= int(width)
    for tid in ["local-anesthetic-infusion", "anticonvulsant-medicines", "psychological-therapy"]:
        assert tid in out


def test_list_markdown(cli: Invoke) -> None:
    out = cli("list", "--format", "markdown").stdout
    assert out.startswith("# Treatments for nerve pain (")
    assert "| Treatment | Kind | How given | Line | Summary |" in out


def test_show_ketamine_table(cli: Invoke) -> None:
    result = cli("show", "ketamine", width=120)
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    for needle in [
        "N-methyl-D-aspartate", "up to six hours", "Tiredness", "very common", "Nausea",
        "ondansetron", "dose or the rate of infusion can be lowered", "For all infusion therapy",
        "Reversibility", "not stated in sources", "Sources", DISCLAIMER,
    ]:  # fmt: skip
        assert needle in out, needle


def test_show_json_and_markdown(cli: Invoke) -> None:
    data = json.loads(cli("show", "ketamine", "--format", "json").stdout)
    assert data["treatment"]["id"] == "ketamine-infusion"
    assert data["treatment"]["how_given"] == "IV"
    assert {s["id"] for s in data["sources"]} == {
        "ketamine-what-to-expect",
        "infusion-side-effects",
    }
    md = cli("show", "KETAMINE", "-f", "markdown").stdout
    assert md.startswith("# Ketamine infusion\n")
    assert "ondansetron" in md and "\x1b[" not in md


def test_compare_every_format(cli: Invoke) -> None:
    table = cli("compare", "steroid", "nerve-block", width=120)
    assert table.exit_code == 0
    assert "Weight gain" in table.stdout and "Numbness" in table.stdout
    assert "Side effects shared by all" in table.stdout
    data = json.loads(cli("compare", "steroid", "nerve-block", "-f", "json").stdout)
    assert [t["id"] for t in data["treatments"]] == ["steroid-infusion", "nerve-block-infusion"]
    assert "infection" in {s["name"] for s in data["side_effects"]["shared_by_all"]}
    md = cli("compare", "steroid", "nerve-block", "-f", "markdown").stdout
    assert "| Aspect | Steroid infusion | Nerve block infusion |" in md


def test_unknown_name_is_one_line_on_stderr(cli: Invoke) -> None:
    result = cli("show", "ketamin")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no treatment 'ketamin' — did you mean 'ketamine'?\n"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["show", "anticonvulsant"], "anticonvulsant-infusion, anticonvulsant-medicines"),
        (["compare", "ketamine"], "2 to 4"),
        (["compare", "ketamine", "ketamin"], "did you mean"),
        (["list", "--condition", "trigeminal-neuralgi"], "did you mean 'trigeminal-neuralgia'"),
    ],
)
def test_domain_errors_exit_1(cli: Invoke, args: list[str], needle: str) -> None:
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and needle in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [["show"], ["frobnicate"], ["show", "ketamine", "--format", "xml"], ["list", "--kind", "pill"]],
)
def test_usage_errors_exit_2_on_one_line(cli: Invoke, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and "--help" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_ctrl_c_exits_130(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    import nervecli.queries

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(nervecli.queries, "resolve_treatment", interrupted)
    result = cli("show", "ketamine")
    assert result.exit_code == 130
    assert result.stderr == "Error: interrupted\n"


def test_bad_catalogue_is_exit_1(cli: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import nervecli.files
    import nervecli.loader

    (tmp_path / "catalogue.yaml").write_text("catalogue: [\n")
    monkeypatch.setattr(nervecli.files, "bundled_data_dir", lambda: tmp_path)
    monkeypatch.setattr(nervecli.loader, "bundled_data_dir", lambda: tmp_path)
    result = cli("list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the catalogue has problems;")
    assert "catalogue.yaml:2:1: " in result.stderr and "nervecli validate" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, False),
        ({}, False),  # not a terminal
    ],
)
def test_colour_only_on_a_terminal_that_wants_it(cli: Invoke, env: dict, coloured: bool) -> None:
    out = cli("show", "ketamine", env=env).stdout
    assert ("\x1b[" in out) is coloured


def test_closed_pipe_is_not_an_error() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "nervecli", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader goes away before nervecli writes, as `| head -0` would
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"Traceback" not in err and err == b""
