"""Shared fixtures: the bundled catalogue, the seed documents, a small catalogue builder, a CLI."""

from __future__ import annotations

import signal
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nervecli.cli.app import run
from nervecli.cli.environment import Environment
from nervecli.model.catalogue import Catalogue
from nervecli.reading.loader import load_catalogue

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SEEDS = REPO.parent / "shared" / "seeds"
EVIDENCE = REPO.parent / "shared" / "evidence"


def pytest_sessionstart(session: pytest.Session) -> None:
    """The Ctrl-C tests need SIGINT delivered. A test run started in the background of a script
    (`cmd &` without job control, or under nohup) inherits SIGINT ignored, and every process a
    test starts would keep it ignored: nervecli, rightly, would then never see a Ctrl-C and the
    test would wait for it. Restore Python's own handler (children start with the default)."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty cache directory of its own, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue([DATA])


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not beside this checkout ({SEEDS} is absent)")
    return SEEDS


@pytest.fixture(scope="session")
def evidence_dir() -> Path:
    if not EVIDENCE.is_dir():
        pytest.skip(f"the evidence documents are not beside this checkout ({EVIDENCE} is absent)")
    return EVIDENCE


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


Invoke = Callable[..., Result]


@pytest.fixture
def cli() -> Invoke:
    """Run nervecli in-process as the console script does (`nervecli.cli.app.run`), at a pinned
    width with colour off; stdout and stderr apart. Typer's public `CliRunner.isolation`
    captures the streams and sets the environment."""

    def invoke(*args: str, width: int = 100, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        with runner.isolation(env={"COLUMNS": str(width), **(env or {})}) as (out, err, _):
            code = run(list(args), Environment.from_process())
            sys.stdout.flush()
            sys.stderr.flush()
            return Result(code, out.getvalue().decode(), err.getvalue().decode())

    return invoke


MINIMAL = {
    "catalogue.yaml": """
        catalogue:
          version: "t1"
          last_reviewed: 2026-01-01
        sources:
          - id: doc
            kind: seed
            genre: web-article
            file: doc.txt
            title: A document
        screening:
          - {id: pregnancy, asks: pregnant, name: pregnancy, aliases: [pregnant]}
        """,
    "entries.yaml": """
        families:
          - id: fam
            name: Fam therapy
            avoid_if:
              - text: Not in pregnancy.
                about: [pregnancy]
                source: doc
                quote: not in pregnancy
            side_effects:
              - name: bruising
                text: Bruising.
                source: doc
                quote: bruising
        treatments:
          - id: alpha-infusion
            name: Alpha infusion
            aliases: [alpha]
            kind: infusion
            family: fam
            summary: {text: Alpha summary., source: doc, quote: alpha}
            side_effects:
              - {name: nausea, text: Nausea., frequency: common, source: doc,
                 quote: nausea is common}
          - id: beta-infusion
            name: Beta infusion
            kind: infusion
            family: fam
            summary: {text: Beta summary., source: doc, quote: beta}
            used_for:
              - {text: Cond., links: [cond], source: doc, quote: cond}
        conditions:
          - id: cond
            name: A condition
        """,
}


@pytest.fixture
def make_catalogue(tmp_path: Path) -> Callable[..., Path]:
    """Write the minimal catalogue, with files replaced or added, and return its folder."""

    def make(**files: str | bytes | None) -> Path:
        folder = tmp_path / "cat"
        folder.mkdir(exist_ok=True)
        merged: dict[str, str | bytes | None] = {**MINIMAL, **files}
        for name, body in merged.items():
            if body is None:
                continue
            path = folder / name
            if isinstance(body, bytes):
                path.write_bytes(body)
            else:
                path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
        return folder

    return make


def write_generated(count: int, folder: Path, **options: Any) -> Path:
    """A catalogue of `count` generated treatments written to `folder`, as the benchmarks make
    it (bench/make_catalogue.py)."""
    bench = str(REPO / "bench")
    sys.path.insert(0, bench)
    try:
        from make_catalogue import write
    finally:
        sys.path.remove(bench)
    write(count, folder, **options)
    return folder


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the rows read from the cache from now on (each time one is decoded)."""
    from nervecli.origin import proxies

    read: list[str] = []
    real = proxies._Table._entry

    def counting(self: proxies._Table[object], ident: str, *rest: object) -> object:
        read.append(ident)
        return real(self, ident, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(proxies._Table, "_entry", counting)
    return read
