"""The house: layers that import only downward, Typer's public API only, the environment read
in one place, and every import (function-local ones included) resolving."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nervecli"
TESTS = Path(__file__).resolve().parent

# model -> reading -> origin -> facts -> domain -> api -> output -> present -> records -> cli:
# each imports only its own layer and those before it. `origin` (files read by `reading`, and
# the cache) is where a catalogue comes from, below everything that asks it anything.
# `nervecli.api` is the library's front door, below output and cli so that a script needs
# neither Rich nor Typer. The package itself holds the version and hands out the api's names on
# first use (it may import nervecli.api, and nothing else).
LAYERS = (
    "model",
    "reading",
    "origin",
    "facts",
    "domain",
    "api",
    "output",
    "present",
    "records",
    "cli",
)


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:  # nervecli itself: the version
        return -1
    if parts[1] in ("entry", "__main__"):
        return LAYERS.index("cli")
    return LAYERS.index(parts[1])


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every nervecli import in a file, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nervecli"):
            found.append((node.module, node.lineno))
            for alias in node.names:  # `from nervecli.origin import codec`
                candidate = f"{node.module}.{alias.name}"
                if importlib.util.find_spec(node.module) and _is_module(candidate):
                    found.append((candidate, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("nervecli")]
    return found


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_every_module_is_in_a_layer() -> None:
    for path in _sources():
        module = _module(path)
        assert _layer(module) >= -1, module


def test_layers_import_only_downward() -> None:
    upward = []
    for path in _sources():
        module = _module(path)
        for imported, line in _imports(path):
            if module == "nervecli" and imported == "nervecli.api":
                continue  # the package's lazy front door
            if _layer(imported) > _layer(module):
                upward.append(f"{path.relative_to(SRC)}:{line}: {module} imports {imported}")
    assert not upward, "\n".join(upward)


def test_no_import_cycles() -> None:
    graph = {_module(p): {m for m, _ in _imports(p) if _is_module(m)} for p in _sources()}
    # The package reaches the api only when one of its names is first used (or for a type
    # checker), never while it is being imported: not an import-time edge.
    graph["nervecli"].discard("nervecli.api")
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == node:
                continue
            assert state.get(nxt) != 1, "import cycle: " + " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_the_package_imports_only_the_api() -> None:
    imported = {m for m, _ in _imports(SRC / "__init__.py")}
    assert imported == {"nervecli.api"}, imported
    assert _layer("nervecli.api") < _layer("nervecli.output.document") < _layer("nervecli.cli.app")
    assert _layer("nervecli.api") > _layer("nervecli.domain.search") > _layer("nervecli.origin")


def test_the_layer_check_would_catch_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from nervecli.cli.app import run\n")
    assert _imports(bad) == [("nervecli.cli.app", 2)]
    assert _layer("nervecli.cli.app") > _layer("nervecli.model.catalogue")


@pytest.mark.parametrize("folder", [SRC, TESTS])
def test_typer_through_its_public_api_only(folder: Path) -> None:
    private = []
    for path in sorted(folder.rglob("*.py")):
        if path.name == Path(__file__).name:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in (
            "typer._",
            "typer.testing._",
            "get_command_from_info",
            "registered_commands",
        ):
            if needle in text:
                private.append(f"{path.name}: {needle}")
    assert not private


def test_only_the_environment_module_reads_the_process_environment() -> None:
    readers = [
        _module(p)
        for p in _sources()
        if "os.environ" in p.read_text(encoding="utf-8")
        or "os.getenv" in p.read_text(encoding="utf-8")
    ]
    # and the Tab fast path, before anything else is imported
    assert readers == ["nervecli.cli.environment", "nervecli.cli.quick_complete"]


def test_nothing_writes_the_environment() -> None:
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = ast.unparse(node.func)
                assert target not in ("os.environ.setdefault", "os.putenv", "os.environ.update"), (
                    path
                )


@pytest.mark.parametrize(
    "path",
    [p for p in _sources() if p.name != "__main__.py"],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_every_import_resolves(path: Path) -> None:
    """Function-local imports stay for start-up time; each must name something that exists,
    so a missing one fails here, not in front of a user."""
    importlib.import_module(_module(path))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            module = importlib.import_module(node.module)
            for alias in node.names:
                if alias.name == "*":
                    continue
                assert hasattr(module, alias.name) or _is_module(f"{node.module}.{alias.name}"), (
                    f"{path.name}:{node.lineno}: {node.module} has no {alias.name}"
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)


# --- the wording layer and the records: from the domain, answers only -------------------------


def _modules_of(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def _lower_names(path: Path) -> list[tuple[str, str, int]]:
    """(module, name, line) for every name a file imports from nervecli.domain or facts."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[1:2] in (["domain"], ["facts"]):
                found += [(node.module, a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[1:2] in (["domain"], ["facts"]):
                    found.append((a.name, "", node.lineno))
    return found


def _is_type(value: object) -> bool:
    """A class, an enum or a type alias (a `Literal[...]`, a union): never a function."""
    import typing

    return isinstance(value, type) or typing.get_origin(value) is not None


@pytest.mark.parametrize("package", ["present", "records"])
def test_wording_and_records_take_only_types_from_the_domain(package: str) -> None:
    """The domain's answer carries everything a document or a record says: the wording and
    the records import from nervecli.domain and nervecli.facts only types, never a function
    or a module to call into (so they cannot recompute facts)."""
    wrong = []
    for path in _modules_of(package):
        for module, name, line in _lower_names(path):
            where = f"{path.relative_to(SRC)}:{line}: {module} {name}".rstrip()
            if not name or _is_module(f"{module}.{name}"):
                wrong.append(f"{where} (a module)")
                continue
            if not _is_type(getattr(importlib.import_module(module), name)):
                wrong.append(where)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package", ["present", "records"])
def test_wording_and_records_call_nothing_they_take_from_the_domain(package: str) -> None:
    """What they import from the domain and facts is for annotations and isinstance checks:
    no call builds or recomputes a domain answer (a call of an imported name is refused)."""
    called = []
    for path in _modules_of(package):
        taken = {name for _, name, _ in _lower_names(path)}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            if call and ast.unparse(node.func) in taken:
                called.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)}")
    assert not called, "\n".join(called)


def test_the_type_check_would_catch_a_function() -> None:
    from nervecli.domain.decision import Decision, decide
    from nervecli.domain.screening import Level

    assert _is_type(Decision) and _is_type(Level)
    assert not _is_type(decide)


def test_the_wording_never_reads_the_records() -> None:
    """Documents are built without JSON: no wording module imports a record module."""
    for path in _modules_of("present"):
        imported = [m for m, _ in _imports(path)]
        assert not [m for m in imported if m.startswith("nervecli.records")], path


def test_records_build_no_document() -> None:
    """The records are data from the domain's answer: none builds a printable document."""
    for path in _modules_of("records"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                assert not called.endswith(("Document", "_doc")), f"{path.name}: {called}"


def test_a_document_holds_no_json() -> None:
    from dataclasses import fields

    from nervecli.output.document import Document

    names = {f.name for f in fields(Document)}
    assert "record" not in names and "title" in names


def test_validate_and_schema_load_no_decision_module() -> None:
    """`validate` and `schema` word literal lines: their modules reach no domain module."""
    for name in ("problems",):
        for package in ("present", "records"):
            imported = [m for m, _ in _imports(SRC / package / f"{name}.py")]
            assert not [m for m in imported if ".domain" in m], (package, imported)


# None exempt: the generated handout module is kept under the limit too.
LONG_BUT_EXEMPT: set[str] = set()
MAX_LINES = 500


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in _sources()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert set(long) <= LONG_BUT_EXEMPT, long
