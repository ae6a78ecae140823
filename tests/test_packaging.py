"""The catalogue ships inside the wheel, and an installed nervecli finds it from any directory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import nervecli
from nervecli.reading.loader import bundled_data_dir

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


def test_wheel_contains_every_catalogue_file(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(tmp_path)],
        check=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("nervecli-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"nervecli/data/{p.relative_to(DATA).as_posix()}" for p in DATA.rglob("*.yaml")}
    assert len(expected) >= 7
    assert expected <= names
    assert "nervecli/cli/app.py" in names
    assert "nervecli/output/templates/handout.html.j2" in names  # the handout's template


def test_installed_package_reads_its_own_copy() -> None:
    package = Path(nervecli.__file__).resolve().parent
    if package.is_relative_to(REPO / "src"):
        pytest.skip("editable install: the catalogue is read from the checkout's data/")
    assert bundled_data_dir() == package / "data"


def test_installed_command_runs_from_another_directory(tmp_path: Path) -> None:
    exe = shutil.which("nervecli", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("no nervecli console script beside this Python")
    result = subprocess.run(
        [exe, "list", "--format", "json"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["count"] >= 19


def test_entry_point_turns_off_the_collector_but_the_library_does_not(monkeypatch) -> None:
    import gc

    import nervecli.cli.app  # noqa: F401 - importing the library changes nothing
    from nervecli.entry import main

    assert gc.isenabled()
    monkeypatch.setattr("sys.argv", ["nervecli", "--version"])
    try:
        with pytest.raises(SystemExit):
            main()
        assert not gc.isenabled()
    finally:
        gc.enable()
