"""The library API: `nervecli.open_catalogue` and the domain's answers, importable without
Typer or Rich; the README's Python example runs; exit statuses are defined once."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import nervecli
from nervecli import api
from nervecli.cli.status import ExitCode
from nervecli.reading.loader import load_catalogue

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
HEAVY = ("typer", "rich", "pydantic", "yaml", "jinja2")


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _loaded_after(code: str, *args: str) -> list[str]:
    """The heavy libraries in sys.modules after running `code` in a fresh interpreter."""
    report = f"import sys, json\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    result = _python(textwrap.dedent(code) + "\n" + report, *args)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.splitlines()[-1]))


def test_importing_nervecli_loads_no_library() -> None:
    assert _loaded_after("import nervecli; nervecli.__version__") == []
    assert _loaded_after("import nervecli.api") == []


def test_a_first_load_needs_neither_typer_nor_rich(tmp_path: Path) -> None:
    loaded = _loaded_after(
        """
        import sys, nervecli
        catalogue = nervecli.open_catalogue(cache=sys.argv[1])
        nervecli.lookup(catalogue, "pregabalin")
        nervecli.search(catalogue, "burning")
        """,
        str(tmp_path),
    )
    assert "typer" not in loaded and "rich" not in loaded


def test_a_cached_lookup_needs_no_typer_rich_yaml_or_pydantic(tmp_path: Path) -> None:
    nervecli.open_catalogue(cache=tmp_path)  # fill the cache
    loaded = _loaded_after(
        """
        import sys, nervecli
        catalogue = nervecli.open_catalogue(cache=sys.argv[1])
        assert type(catalogue).__name__ == "CachedCatalogue"
        print(nervecli.lookup(catalogue, "pregabalin").name)
        nervecli.decide(catalogue, ["pregabalin", "duloxetine"])
        nervecli.screen(catalogue, has=["pregnancy"])
        """,
        str(tmp_path),
    )
    assert loaded == []


def test_every_api_name_is_a_package_attribute() -> None:
    for name in api.__all__:
        assert getattr(nervecli, name) is getattr(api, name)
        assert name in dir(nervecli)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        nervecli.nothing_here  # noqa: B018


def test_the_api_answers_as_the_files_say(tmp_path: Path) -> None:
    from_files = load_catalogue()
    for catalogue in (
        nervecli.open_catalogue(),
        nervecli.open_catalogue(cache=tmp_path),
        nervecli.open_catalogue(cache=tmp_path),  # the second from the cache
    ):
        for ident, expected in from_files.treatments.items():
            found = nervecli.lookup(catalogue, expected.name)
            assert found.id == ident and found.summary.quote == expected.summary.quote
        for ident in from_files.conditions:
            assert nervecli.condition(catalogue, ident).id == ident
        for ident in from_files.sources:
            assert nervecli.source(catalogue, ident).id == ident
        for query in ("dizzyness", "needle strike", "blood thinners"):  # a kept index, too
            found = [(h.entry_id, h.field, h.snippet) for h in nervecli.search(catalogue, query)]
            expected_hits = nervecli.search(from_files, query)
            assert found == [(h.entry_id, h.field, h.snippet) for h in expected_hits], query
    assert list(tmp_path.rglob("*.search.sqlite"))  # the cached catalogue kept its index


def test_lookup_failures_are_the_models_errors() -> None:
    catalogue = nervecli.open_catalogue()
    with pytest.raises(nervecli.NotFoundError) as raised:
        nervecli.lookup(catalogue, "pregabalinn")
    assert "pregabalin" in raised.value.suggestions
    with pytest.raises(nervecli.RequestError):
        nervecli.decide(catalogue, ["pregabalin", "pregabalin"])
    with pytest.raises(nervecli.CatalogueError):
        nervecli.open_catalogue(bundled=False)


def test_decide_search_and_screen_answer_for_what_was_asked() -> None:
    catalogue = nervecli.open_catalogue()
    decision = nervecli.decide(catalogue, ["pregabalin", "duloxetine"])
    assert [o.treatment.id for o in decision.options] == [
        nervecli.lookup(catalogue, "pregabalin").id,
        nervecli.lookup(catalogue, "duloxetine").id,
    ]
    hits = nervecli.search(catalogue, "burning")
    assert hits and all("burning" in h.snippet.lower() for h in hits)
    found = nervecli.screen(catalogue, has=["pregnancy"])
    assert {f.treatment.id for f in found.findings} == set(catalogue.treatments)
    assert [t.id for t in found.terms] == ["pregnancy"]
    assert any(f.level == "discuss" for f in found.findings)


def test_a_missing_catalogue_path_is_a_catalogue_error(tmp_path: Path) -> None:
    with pytest.raises(nervecli.CatalogueError):
        nervecli.open_catalogue(paths=[tmp_path / "missing.yaml"])


def _readme_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    assert len(blocks) == 1
    return str(blocks[0])


def test_the_readme_python_example_runs() -> None:
    code = _readme_example()
    assert len([line for line in code.splitlines() if line.strip()]) <= 6  # import + five
    result = _python(code)
    assert result.returncode == 0, result.stderr
    first, *hits = result.stdout.splitlines()
    pregabalin = load_catalogue().treatments["pregabalin"]
    assert first == f"{pregabalin.name} - {pregabalin.summary.text} [{pregabalin.summary.source}]"
    names = {t.name for t in load_catalogue().treatments.values()}
    names |= {c.name for c in load_catalogue().conditions.values()}
    assert hits and all(line.split(" - ")[0] in names for line in hits)


def test_exit_statuses_are_one_int_enum_documented_in_the_readme() -> None:
    table = README.split("## Exit status", 1)[1].split("\n## ", 1)[0]
    documented = {int(n) for n in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)}
    assert documented == {int(code) for code in ExitCode}
    assert ExitCode.INTERRUPTED == 130 and ExitCode.TERMINATED == 143
    entry = (Path(nervecli.__file__).parent / "entry.py").read_text(encoding="utf-8")
    assert not re.search(r"SystemExit\(\d", entry)  # statuses by name, never as numbers


INDEXES = (
    "nervecli.origin.search_index",
    "nervecli.origin.listing_index",
    "nervecli.model.search",
    "nervecli.model.listing",
    "nervecli.domain.listing",
)


@pytest.mark.parametrize(
    "argv,reads",
    [
        (["show", "ketamine"], []),
        (["show", "ketamine", "--format", "json"], []),
        (["show", "ketamine", "--format", "html"], []),
        (["compare", "steroid", "nerve-block"], []),
        (["list"], ["nervecli.origin.listing_index", "nervecli.domain.listing"]),
        (["search", "burning"], ["nervecli.origin.search_index", "nervecli.model.search"]),
    ],
)
def test_a_warm_run_imports_only_the_indexes_it_reads(
    tmp_path: Path, argv: list[str], reads: list[str]
) -> None:
    """Start-up is paid on every run: a warm `show` or `compare` imports neither the search
    nor the listing index (nor the listing's domain), while `list` and `search` do."""
    nervecli.open_catalogue(cache=tmp_path / "nervecli")  # fill the cache
    code = f"""
        import os, sys, json
        os.environ["XDG_CACHE_HOME"] = sys.argv[1]
        os.environ.pop("NERVECLI_CATALOG", None)
        sys.argv = ["nervecli", *{argv!r}]
        from nervecli.entry import main
        try:
            main()
        except SystemExit as exc:
            assert exc.code in (0, None), exc.code
        sys.stderr.write(json.dumps([m for m in {INDEXES!r} if m in sys.modules]))
        """
    result = _python(code, str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "first_run" not in result.stderr
    loaded = json.loads(result.stderr.splitlines()[-1])
    assert set(reads) <= set(loaded) if reads else loaded == []
