"""Loading and validating catalogue files: every problem reported, nothing accepted silently."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nervecli.errors import CatalogueError
from nervecli.loader import bundled_data_dir, load_catalogue

Make = Callable[..., Path]


def problems(folder: Path) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        load_catalogue([folder])
    return info.value.problems


def test_minimal_catalogue_loads(make_catalogue: Make) -> None:
    cat = load_catalogue([make_catalogue()])
    assert list(cat.treatments) == ["alpha-infusion", "beta-infusion"]
    assert cat.families["fam"].side_effects[0].name == "bruising"


def test_bundled_catalogue_is_found_and_valid() -> None:
    cat = load_catalogue()
    assert bundled_data_dir().joinpath("catalogue.yaml").is_file()
    assert len(cat.treatments) >= 19
    assert len([s for s in cat.sources.values() if s.kind == "seed"]) == 5
    assert len([s for s in cat.sources.values() if s.kind == "evidence"]) == 2


def test_yaml_syntax_error_names_file_line_and_column(make_catalogue: Make) -> None:
    found = problems(make_catalogue(**{"bad.yaml": "treatments:\n  - id: [unclosed\n"}))
    assert len(found) == 1
    assert found[0].startswith("cat/bad.yaml:") or "bad.yaml:" in found[0]
    assert ":3:" in found[0] or ":2:" in found[0]


def test_duplicate_keys_are_refused(make_catalogue: Make) -> None:
    body = "conditions:\n  - id: x\n    name: X\n    name: Y\n"
    (problem,) = problems(make_catalogue(**{"dup.yaml": body}))
    assert "duplicate key 'name'" in problem
    assert "dup.yaml:4:" in problem


def test_unknown_field_is_refused(make_catalogue: Make) -> None:
    body = """
        treatments:
          - id: gamma
            name: Gamma
            kind: medicine
            summary: {text: G., source: doc, quote: g}
            side_efects: []
        """
    (problem,) = problems(make_catalogue(**{"typo.yaml": body}))
    assert "treatments[gamma].side_efects" in problem
    assert "Extra inputs are not permitted" in problem


def test_missing_quote_and_wrong_types_are_all_reported(make_catalogue: Make) -> None:
    body = """
        treatments:
          - id: gamma
            name: no
            kind: medicine
            summary: {text: G., source: doc}
        """
    found = problems(make_catalogue(**{"bad.yaml": body}))
    assert any("treatments[gamma].name: Input should be a valid string" in p for p in found)
    assert any("treatments[gamma].summary.quote: Field required" in p for p in found)


def test_undeclared_source_unknown_link_and_family(make_catalogue: Make) -> None:
    body = """
        treatments:
          - id: gamma
            name: Gamma
            kind: medicine
            family: nope
            summary: {text: G., source: elsewhere, quote: g}
            alternatives:
              - {text: A., links: [missing-entry], source: doc, quote: a}
        """
    found = "\n".join(problems(make_catalogue(**{"refs.yaml": body})))
    assert "unknown family 'nope'" in found
    assert "cites undeclared source 'elsewhere'" in found
    assert "unknown entry 'missing-entry'" in found


def test_duplicate_ids_across_files(make_catalogue: Make) -> None:
    body = "conditions:\n  - id: cond\n    name: Again\n"
    (problem,) = problems(make_catalogue(**{"more.yaml": body}))
    assert "duplicate id 'cond'" in problem


def test_alias_colliding_with_another_entry(make_catalogue: Make) -> None:
    body = """
        treatments:
          - id: gamma
            name: Gamma
            aliases: [alpha]
            kind: medicine
            summary: {text: G., source: doc, quote: g}
        """
    (problem,) = problems(make_catalogue(**{"alias.yaml": body}))
    assert "name 'alpha' is also used by" in problem


def test_frequency_must_be_the_sources_own_words(make_catalogue: Make) -> None:
    body = """
        treatments:
          - id: gamma
            name: Gamma
            kind: medicine
            summary: {text: G., source: doc, quote: g}
            side_effects:
              - {name: rash, text: Rash., frequency: rare, source: doc, quote: a rash may occur}
        """
    (problem,) = problems(make_catalogue(**{"freq.yaml": body}))
    assert "frequency 'rare' is not in its quote" in problem


def test_empty_and_non_utf8_files(make_catalogue: Make) -> None:
    found = problems(
        make_catalogue(**{"empty.yaml": "", "latin.yaml": "name: caf\xe9".encode("latin-1")})
    )
    assert any("empty.yaml: the file is empty" in p for p in found)
    assert any("latin.yaml: not UTF-8" in p for p in found)


def test_missing_path_and_no_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="no such file"):
        load_catalogue([tmp_path / "nowhere"])
    with pytest.raises(CatalogueError, match="no catalogue files"):
        load_catalogue([tmp_path])


def test_error_message_counts_the_other_problems(make_catalogue: Make) -> None:
    with pytest.raises(CatalogueError) as info:
        load_catalogue([make_catalogue(**{"a.yaml": "", "b.yaml": ""})])
    assert "(and 1 more problem)" in str(info.value)
