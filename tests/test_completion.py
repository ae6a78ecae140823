"""The Tab fast path (nervecli.cli.quick_complete) prints exactly what Typer's completion prints,
for every shell and a corpus of command lines, without Typer, and never writes a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FULL = "import sys; from nervecli.cli.app import main; sys.argv[0] = 'nervecli'; main()"

# (words typed so far, the word being completed)
LINES = [
    ("show", "keta"),
    ("show", ""),
    ("show", "xyz"),
    ("show -f json", "keta"),
    ("show --format=json --full", "pre"),
    ("compare steroid", "nerve"),
    ("compare steroid nerve-block", "k"),
    ("alternatives", "p"),
    ("questions ketamine", "pre"),
    ("conditions", "dia"),
    ("conditions", ""),
    ("list --condition", "tri"),
    ("list --sort name --condition", ""),
    ("--no-bundled --catalog {alpha} show", "al"),
    ("--catalog={alpha} show", "al"),
    # handed to the full CLI: command names, options, values that are not names, too many
    ("", "sh"),
    ("show", "--f"),
    ("show ketamine", "pre"),
    ("list --sort", "n"),
    ("--no-cache show", "keta"),
    ("show --", "keta"),
    ("show", "KETA"),
]
FAST = {line for line in LINES[:15]}  # the lines the fast path answers itself


def _env(home: Path, shell: str, typed: str, incomplete: str, action: str = "") -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home),
        "LANG": "C.UTF-8",
        "_NERVECLI_COMPLETE": f"complete_{shell}",
    }
    if shell == "bash":
        parts = ["nervecli", *typed.split()]
        env["COMP_WORDS"] = (
            " ".join([*parts, incomplete]) if incomplete else " ".join(parts) + " ''"
        )
        env["COMP_CWORD"] = str(len(parts))
    else:
        env["_TYPER_COMPLETE_ARGS"] = " ".join(["nervecli", *typed.split(), incomplete])
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = action
    return env


def _run(code: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", *code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warm cache for the bundled catalogue and for a small one of its own."""
    home = tmp_path_factory.mktemp("home")
    alpha = home / "alpha"
    alpha.mkdir()
    import textwrap

    from .conftest import MINIMAL  # the minimal catalogue

    for name, body in MINIMAL.items():
        if isinstance(body, str):
            (alpha / name).write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "XDG_CACHE_HOME": str(home)}
    for args in (
        ["list"],
        ["--no-bundled", "--catalog", str(alpha), "list"],
        ["--catalog", str(alpha), "list"],
    ):
        subprocess.run(
            [sys.executable, "-m", "nervecli", *args], env=env, capture_output=True, check=True
        )
    return home


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()}


@pytest.mark.parametrize(
    "shell,action", [("bash", ""), ("zsh", ""), ("fish", "get-args"), ("fish", "is-args")]
)
@pytest.mark.parametrize("typed,incomplete", LINES)
def test_the_fast_path_prints_what_typer_prints(
    home: Path, shell: str, action: str, typed: str, incomplete: str
) -> None:
    line = (typed, incomplete)
    typed = typed.format(alpha=home / "alpha")
    env = _env(home, shell, typed, incomplete, action)
    before = _snapshot(home / "nervecli")
    fast = _run(["-m", "nervecli"], env)
    assert _snapshot(home / "nervecli") == before or line not in FAST  # never writes a file
    full = _run(["-c", FULL], env)
    assert (fast.returncode, fast.stdout) == (full.returncode, full.stdout), (shell, line)
    assert "Traceback" not in fast.stderr
    typer_loaded = "| typer" in fast.stderr
    assert typer_loaded == (line not in FAST), (
        "the fast path answered" if typer_loaded else "handed over"
    )
    assert ("| pydantic" in fast.stderr) == typer_loaded and (
        "| rich" in fast.stderr
    ) <= typer_loaded


def test_the_fast_path_finds_the_files_the_full_cli_finds(tmp_path: Path) -> None:
    """The same catalogue files in the same order (the cache's name depends on it): nested
    folders, names that sort around the separator, upper-case and short suffixes, a dot file,
    a linked file and a linked folder (not followed)."""
    from nervecli.cli.quick_complete import _files
    from nervecli.reading.files import catalogue_files

    root = tmp_path / "cat"
    for name in ["a/x.yaml", "a-b/x.yaml", "a.b.yaml", "a/b/c.yml", "B.YAML", "ab.Yml", ".yaml",
                 "z/.yml", "notes.txt", "yaml", "a/x.yaml.bak", "Z.yaml"]:  # fmt: skip
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("treatments: []\n")
    (tmp_path / "elsewhere.yaml").write_text("treatments: []\n")
    (root / "linked.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (root / "folder-link").symlink_to(root / "a", target_is_directory=True)
    expected = [str(p.resolve()) for p in catalogue_files([root])]
    assert len(expected) >= 7
    assert _files([str(root)]) == expected


@pytest.mark.parametrize("mixed", [False, True])
def test_the_scan_stamps_each_file_as_the_cache_does(tmp_path: Path, mixed: bool) -> None:
    """The stamps a Tab compares are the ones the cache stores (`format.stamps`), and the
    newest time is the newest of theirs: for a folder of catalogue files only and for one
    with a subfolder and other files."""
    import os

    from nervecli.cli.quick_complete import _scan
    from nervecli.origin import format as fmt

    root = tmp_path / "cat"
    names = ["b.yaml", "a.yml", "c.YAML"] + (["sub/d.yaml", "notes.txt"] if mixed else [])
    for i, name in enumerate(names):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("treatments: []\n" * (i + 1))
        os.utime(path, ns=(0, 4 * 10**18 + i * 10**9))  # the newest: a mtime
    scan = _scan([str(root)])
    assert scan is not None
    records = fmt.fingerprints(scan.files)
    assert len(records) == (4 if mixed else 3)
    assert fmt.joined(scan.stamps) == fmt.stamps(records)
    assert scan.newest == max(t for r in records for t in r[2:4])


@pytest.mark.parametrize(
    "row",
    [
        ("ketamine", "ketamine-infusion", 1, 0),
        ("caf\u00e9-na\u00efve", "x", 0, 123456),
        ("lone-\udcff-surrogate", "\ud800", 1, 7),
        ("", "", 0, 0),
    ],
)
def test_the_inline_name_check_is_the_row_checksum(row: tuple[str, str, int, int]) -> None:
    """`format.names_whole` checks the name index's rows as `format.row_sum` wrote them, and
    finds any column changed."""
    from nervecli.origin import format as fmt

    name, ident, tab, pos = row
    good = (*row, fmt.row_sum("treatments", *row))
    assert fmt.names_whole("treatments", [good, good])
    assert not fmt.names_whole("conditions", [good])
    for i, changed in enumerate([name + "x", ident + "x", 1 - tab, pos + 1]):
        bad = list(good)
        bad[i] = changed
        assert not fmt.names_whole("treatments", [good, tuple(bad)]), i


@pytest.mark.parametrize("kind", ["fifo", "dangling-link", "device-link", "folder-link"])
def test_a_catalogue_name_on_what_is_no_file_is_reported_and_never_answered_fast(
    tmp_path: Path, kind: str, cli: Any
) -> None:
    """A FIFO, a link to nothing, to a device or to a folder, named as a catalogue file: the
    full CLI names it as what it is (never skips it in silence), and a Tab hands over to it."""

    from nervecli.cli.quick_complete import _scan

    root = tmp_path / "cat"
    root.mkdir()
    (root / "good.yaml").write_text("treatments: []\n")
    odd = root / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "dangling-link":
        odd.symlink_to(tmp_path / "nowhere.yaml")
    elif kind == "device-link":
        odd.symlink_to("/dev/null")
    else:
        odd.symlink_to(tmp_path, target_is_directory=True)
    what = {
        "fifo": "a FIFO (named pipe)",
        "dangling-link": "a symbolic link to nothing",
        "device-link": "a link to a character device",
        "folder-link": "a link to a folder",
    }[kind]
    result = cli("validate", "--no-bundled", str(root))
    assert result.exit_code == 1
    assert f"{odd}:1:1: is {what}, not a file" in result.stdout
    assert _scan([str(root)]) is None
