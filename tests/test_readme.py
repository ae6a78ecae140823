"""The README's commands work, and its example output is what nervecli really prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _examples() -> list[tuple[str, list[str]]]:
    """(command, output lines) for each ``$ nervecli ...`` block in the README."""
    found = []
    for block in re.findall(r"```\n(\$ nervecli .*?)```", README, flags=re.DOTALL):
        command, *output = block.rstrip("\n").split("\n")
        found.append((command.removeprefix("$ nervecli "), output))
    return found


def test_readme_has_examples_for_every_command() -> None:
    commands = {c.split()[0] for c, _ in _examples()}
    assert {"list", "show", "compare"} <= commands


def test_readme_example_output_is_real(cli: Any) -> None:
    for command, expected in _examples():
        result = cli(*shlex.split(command), width=100)
        actual = [line.rstrip() for line in (result.stdout + result.stderr).splitlines()]
        for line in expected:
            if line.strip() in ("", "…"):
                continue
            assert line.rstrip() in actual, f"README line not in `nervecli {command}`: {line!r}"


def test_readme_documents_the_commands_help_lists(cli: Any) -> None:
    help_text = cli("--help").stdout
    commands = re.findall(r"^  (\w+)\s{2,}", help_text.split("Commands:")[1], flags=re.MULTILINE)
    for command in commands:
        assert f"`nervecli {command}" in README


def test_ci_runs_the_readme_test_command_with_its_constraints() -> None:
    """`.ci/run` does what the README says, pinned by constraints.txt, which pins every
    dependency the ranges in pyproject.toml name."""
    top = Path(__file__).resolve().parents[1]
    command = re.search(r"## Run the tests\n\n```sh\n(.*?)\n```", README, flags=re.DOTALL)
    assert command is not None
    ci = (top / ".ci/run").read_text(encoding="utf-8").replace("\\\n", " ").replace("--quiet ", "")
    ci = " ".join(ci.split())
    for step in command.group(1).split(" && "):
        assert " ".join(step.split()) in ci, step
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (top / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    pyproject = (top / "pyproject.toml").read_text(encoding="utf-8")
    named = re.findall(r'^\s+"([A-Za-z0-9_.-]+)[<>=]', pyproject, flags=re.MULTILINE)
    assert named and {n.lower().replace("_", "-") for n in named} <= pinned
