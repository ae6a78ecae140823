"""The type checker sees the types: `mypy --strict` over src/ is clean (the [tool.mypy] section
of pyproject.toml), with no unused `type: ignore`, beside ruff in the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytest.importorskip("mypy", reason="mypy is not installed (pip install '.[test]')")


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_mypy_strict_is_clean_over_src() -> None:
    result = _mypy("--strict", "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_mypy_reads_the_strict_configuration() -> None:
    """`mypy` alone checks src/ strictly, as pyproject.toml's [tool.mypy] says."""
    result = _mypy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "source files" in result.stdout  # src/, not one file


def test_the_checker_sees_through_the_dataclass_wrappers(tmp_path: Path) -> None:
    """A wrong field type in a record made with the slotted decorators is an error (before
    `dataclass_transform`, every such record was Any to the checker)."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from nervecli.model.catalogue import Fact, lean\n\n\n"
        "@lean\nclass Pair:\n    left: int\n\n\n"
        "Pair('one')\n"
        "Fact(text='t', source='s', quote=1)\n"
    )
    result = _mypy("--strict", str(bad))
    assert result.returncode == 1
    assert 'Argument 1 to "Pair" has incompatible type "str"' in result.stdout
    assert 'Argument "quote" to "Fact" has incompatible type "int"' in result.stdout
