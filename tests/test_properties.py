"""Property-based tests: whatever YAML, catalogue or arguments are thrown at nervecli, the only
outcomes are a normal result or a clear error with exit status 1 or 2, never a traceback."""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nervecli.cli.app import run
from nervecli.cli.environment import Environment
from nervecli.model.errors import CatalogueError
from nervecli.reading.loader import load_catalogue

DATA = Path(__file__).resolve().parents[1] / "data"
# CI runs a quick profile; HYPOTHESIS_PROFILE=deep runs many more examples.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "deep", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
SETTINGS = settings()

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=15), inner, max_size=5)
    ),
    max_leaves=30,
)


def _load_text(text: str | bytes, bundled: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_catalogue([Path(folder)], bundled=bundled)
        except CatalogueError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)


@SETTINGS
@given(st.text(max_size=400))
def test_random_text_is_loaded_or_refused_cleanly(text: str) -> None:
    _load_text(text.encode("utf-8", errors="replace"))


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_are_loaded_or_refused_cleanly(data: bytes) -> None:
    _load_text(data)


@SETTINGS
@given(documents)
def test_random_yaml_documents_are_loaded_or_refused_cleanly(document: Any) -> None:
    _load_text(yaml.safe_dump(document, allow_unicode=True))


BUNDLED = {p.relative_to(DATA): yaml.safe_load(p.read_text()) for p in DATA.rglob("*.yaml")}


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a document."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*path, i))
    return found


@st.composite
def mutations(draw: st.DrawFn) -> tuple[Path, Any]:
    """A bundled file with one random change: a value replaced, a key dropped or renamed,
    an entry duplicated."""
    name = draw(st.sampled_from(sorted(BUNDLED)))
    document = copy.deepcopy(BUNDLED[name])
    path = draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = draw(st.sampled_from(["replace", "drop", "rename", "duplicate"]))
    if action == "replace":
        parent[last] = draw(documents)
    elif action == "drop":
        del parent[last]
    elif action == "rename" and isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=12))] = parent.pop(last)
    elif isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    return name, document


@SETTINGS
@given(mutations())
def test_mutated_catalogues_are_loaded_or_refused_cleanly(mutation: tuple[Path, Any]) -> None:
    name, document = mutation
    with tempfile.TemporaryDirectory() as folder:
        for rel, original in BUNDLED.items():
            target = Path(folder) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            body = document if rel == name else original
            target.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False))
        try:
            load_catalogue([Path(folder)], bundled=False)
        except CatalogueError as exc:
            assert exc.problems


COMMANDS = ["list", "show", "compare", "search", "conditions", "check", "alternatives",
            "questions", "sources", "validate", "schema"]  # fmt: skip
words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)
options = st.sampled_from(
    ["--format", "-f", "json", "markdown", "table", "xml", "--kind", "--condition", "--line",
     "--sort", "nnt", "--has", "--takes", "--pregnant", "--profile", "--sources", "--no-pager",
     "--catalog", "--no-bundled", "--help", "ketamine", "steroid", "nerve-block", "diabetes"]
)  # fmt: skip


@SETTINGS
@given(st.sampled_from(COMMANDS), st.lists(st.one_of(words, options), max_size=5))
def test_random_arguments_never_crash(command: str, args: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        runner = CliRunner()
        # Relative paths (--profile x, --catalog x) land in an empty folder of our own.
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            with runner.isolation(env={"COLUMNS": "80"}) as (out, err, _):
                code = run([command, *args], Environment.from_process())
                stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
        finally:
            os.chdir(cwd)
    assert code in (0, 1, 2), (code, stdout, stderr)
    assert "Traceback" not in stdout + stderr
    if code:
        assert stderr.startswith("Error: ") and stderr.count("\n") == 1, stderr
