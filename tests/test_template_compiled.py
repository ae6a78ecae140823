"""The handout template ships compiled (`output/handout_compiled.py`), so a run does not
compile it: the shipped code must be the template's, and render the same page."""

from __future__ import annotations

import pytest

from nervecli.output import draw_html, handout_compiled

from .conftest import Invoke


def test_the_shipped_compiled_template_is_up_to_date() -> None:
    path = draw_html.Path(handout_compiled.__file__)
    assert path.read_text(encoding="utf-8") == draw_html.compiled_source(), (
        "the template changed: run `python -m nervecli.output.draw_html` to compile it again"
    )


@pytest.mark.parametrize(
    "args", [["show", "ketamine"], ["compare", "steroid", "nerve-block", "--full"]]
)
def test_the_compiled_template_renders_what_jinja_renders(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    shipped = cli(*args, "-f", "html")
    monkeypatch.setattr(handout_compiled, "SOURCE_CRC", -1)  # stale: Jinja2 compiles it here
    compiled_here = cli(*args, "-f", "html")
    assert shipped.exit_code == compiled_here.exit_code == 0
    assert shipped.stdout == compiled_here.stdout and "<html" in shipped.stdout
