"""Renderers: catalogue text stays literal, absence is spelled out, JSON keys are stable."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from nervecli.loader import load_catalogue
from nervecli.model import NOT_STATED, Catalogue
from nervecli.queries import compare, resolve_treatment, treatment_view
from nervecli.render import jsonout, markdown, table
from nervecli.render.common import DISCLAIMER

HOSTILE = """
    treatments:
      - id: gamma
        name: "Gamma [bold]x[/] | *y*"
        kind: medicine
        summary:
          text: "Uses [link=http://evil]click[/link] and [red]red[/red] # | <b>"
          source: doc
          quote: g
        what_it_is:
          - {text: "A [/] stray close tag and [bold", source: doc, quote: g}
    """


def _rich(render: Callable[..., None], *args: object, width: int = 80) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, markup=False, highlight=False)
    render(console, *args)
    return buffer.getvalue()


def _hostile(make_catalogue: Callable[..., Path]) -> Catalogue:
    return load_catalogue([make_catalogue(**{"hostile.yaml": HOSTILE})])


def test_rich_prints_markup_in_catalogue_text_literally(
    make_catalogue: Callable[..., Path],
) -> None:
    cat = _hostile(make_catalogue)
    out = _rich(
        table.render_show, cat, treatment_view(cat, resolve_treatment(cat, "gamma")), width=200
    )
    assert "Gamma [bold]x[/] | *y*" in out
    assert "[link=http://evil]click[/link]" in out
    assert "A [/] stray close tag and [bold" in out
    listing = _rich(table.render_list, cat, list(cat.treatments.values()), width=200)
    assert "[red]red[/red]" in listing


def test_markdown_escapes_catalogue_text(make_catalogue: Callable[..., Path]) -> None:
    cat = _hostile(make_catalogue)
    out = markdown.render_list(cat, list(cat.treatments.values()))
    assert r"Gamma \[bold\]x\[/\] \| \*y\*" in out
    assert r"\<b\>" in out and "<b>" not in out.replace(r"\<b\>", "")


def test_show_spells_out_what_the_sources_do_not_state(catalogue: Catalogue) -> None:
    view = treatment_view(catalogue, resolve_treatment(catalogue, "tens"))
    out = _rich(table.render_show, catalogue, view, width=120)
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip() == "Side effects and risks")
    assert lines[i + 1].strip() == NOT_STATED
    md = markdown.render_show(catalogue, view)
    assert f"## Side effects and risks\n\n*{NOT_STATED}*" in md
    data = json.loads(jsonout.render_show(catalogue, view))
    side = next(s for s in data["sections"] if s["key"] == "side_effects")
    assert side == {
        "key": "side_effects",
        "title": "Side effects and risks",
        "facts": [],
        "note": NOT_STATED,
    }


def test_side_effect_qualifiers_are_never_blank(catalogue: Catalogue) -> None:
    view = treatment_view(catalogue, resolve_treatment(catalogue, "steroid"))
    data = json.loads(jsonout.render_show(catalogue, view))
    effects = next(s for s in data["sections"] if s["key"] == "side_effects")["facts"]
    weight = next(e for e in effects if e["name"] == "weight gain")
    assert weight["frequency"] == NOT_STATED
    assert weight["severity"] == "significant"
    infection = next(e for e in effects if e["name"] == "infection")
    assert infection["from_family"] == "infusion-therapy"
    assert infection["severity"] == "can be serious if not treated promptly"


def test_json_keys_are_stable(catalogue: Catalogue) -> None:
    treatments = list(catalogue.treatments.values())
    listing = json.loads(jsonout.render_list(catalogue, treatments))
    assert list(listing) == ["catalogue", "count", "treatments", "disclaimer"]
    assert list(listing["treatments"][0]) == [
        "id", "name", "aliases", "kind", "family", "how_given", "summary", "conditions", "line",
        "best_nnt",
    ]  # fmt: skip
    assert list(listing["treatments"][0]["summary"]) == ["text", "source", "quote", "from_family"]
    view = treatment_view(catalogue, resolve_treatment(catalogue, "ketamine"))
    shown = json.loads(jsonout.render_show(catalogue, view))
    assert list(shown) == ["catalogue", "treatment", "sections", "sources", "disclaimer"]
    compared = json.loads(
        jsonout.render_compare(catalogue, compare(catalogue, ["steroid", "tens"]))
    )
    assert list(compared) == [
        "catalogue",
        "treatments",
        "side_effects",
        "rows",
        "sources",
        "disclaimer",
    ]
    assert compared["disclaimer"] == DISCLAIMER


def test_markdown_handout_has_footnoted_sources(catalogue: Catalogue) -> None:
    md = markdown.render_compare(catalogue, compare(catalogue, ["steroid", "ketamine"]))
    assert md.startswith("# Comparing Steroid infusion, Ketamine infusion\n")
    assert "[^1]:" in md and "[^2]:" in md
    assert "## Side effects shared by all" in md and "## Same for all" in md
    assert md.rstrip().endswith("last reviewed 2026-11-21.")
    assert DISCLAIMER in md


def test_compare_cells_are_never_blank(catalogue: Catalogue) -> None:
    data = json.loads(
        jsonout.render_compare(catalogue, compare(catalogue, ["tens", "prolotherapy"]))
    )
    for row in data["rows"]:
        for cell in row["cells"].values():
            assert cell["facts"] or cell["note"] in (NOT_STATED, "see same_for_all")
    out = _rich(
        table.render_compare, catalogue, compare(catalogue, ["tens", "prolotherapy"]), width=120
    )
    assert "Reversibility" in out and NOT_STATED in out


def test_narrow_terminal_wraps_without_losing_words(catalogue: Catalogue) -> None:
    view = treatment_view(catalogue, resolve_treatment(catalogue, "ketamine"))
    out = _rich(table.render_show, catalogue, view, width=40)
    assert max(len(line) for line in out.splitlines()) <= 40
    assert "ondansetron" in out
