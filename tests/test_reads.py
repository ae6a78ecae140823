"""A command reads from the cache only what it shows: at a thousand treatments, `show`,
`compare` and their other formats read a handful of rows, never every treatment (a family's
size, say, comes from the cache's table of each family's kinds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Invoke, count_reads, write_generated


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_generated(1000, tmp_path_factory.mktemp("generated"))


@pytest.mark.parametrize(
    "args",
    [
        ["show", "alias-7"],
        ["show", "treatment-7", "--format", "json"],
        ["show", "t7", "--format", "html"],
        ["show", "alias-7", "--full"],
        ["compare", "alias-7", "alias-8"],
        ["compare", "alias-7", "alias-8", "--format", "markdown"],
    ],
)
def test_a_command_reads_only_the_rows_it_shows(
    cli: Invoke, generated: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    where = ("--catalog", str(generated), "--no-bundled")
    first = cli(*where, *args)  # from the files; the cache written
    assert first.exit_code == 0, first.stderr
    read = count_reads(monkeypatch)
    again = cli(*where, *args)
    assert again.exit_code == 0 and again.stdout.replace(
        _made(again.stdout), ""
    ) == first.stdout.replace(_made(first.stdout), "")
    assert 0 < len(read) < 40, len(read)


def _made(text: str) -> str:
    """A handout's date of making (not what is compared)."""
    import re

    found = re.search(r"\d{4}-\d{2}-\d{2}", text)
    return found.group() if found else "\0"
