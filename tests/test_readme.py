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
