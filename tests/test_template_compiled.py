"""The handout template ships compiled (`output/handout_compiled.py`), so a run does not
compile it, and runs without Jinja2 (`output/template_runtime.py` holds the few pieces of its
runtime the compiled code uses): the shipped code must be the template's, and render the same
bytes as Jinja2 itself, hostile catalogue text included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nervecli.output import draw_html, handout_compiled, template_runtime

from .conftest import Invoke
from .test_handout import EVERY_VIEW, HOSTILE


def test_the_shipped_compiled_template_is_up_to_date() -> None:
    path = draw_html.Path(handout_compiled.__file__)
    assert path.read_text(encoding="utf-8") == draw_html.compiled_source(), (
        "the template changed: run `python -m nervecli.output.draw_html` to compile it again"
    )


def test_the_compiled_template_is_under_the_module_size_limit() -> None:
    assert len(Path(handout_compiled.__file__).read_text(encoding="utf-8").splitlines()) < 500


VIEWS = [
    *EVERY_VIEW,
    ["show", "ketamine", "--full", "--sources"],
    ["compare", "ketamine", "pregabalin", "--sources"],
    ["questions", "pregabalin"],
    ["search", "burning pain"],
]


def _both_ways(cli: Invoke, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, str]:
    shipped = cli(*args, "-f", "html")
    with monkeypatch.context() as patch:
        patch.setattr(handout_compiled, "SOURCE_CRC", -1)  # stale: Jinja2 compiles it here
        by_jinja = cli(*args, "-f", "html")
    assert shipped.exit_code == by_jinja.exit_code == 0, shipped.stderr + by_jinja.stderr
    assert "<html" in shipped.stdout
    return shipped.stdout, by_jinja.stdout


@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_the_compiled_template_renders_what_jinja_renders(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    shipped, by_jinja = _both_ways(cli, monkeypatch, *args)
    assert shipped == by_jinja


def test_hostile_text_is_escaped_as_jinja_escapes_it(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "evil.yaml").write_text(HOSTILE)
    for args in (["show", "hostile", "--full", "--sources"], ["search", "evil"], ["list"]):
        shipped, by_jinja = _both_ways(cli, monkeypatch, "--catalog", str(tmp_path), *args)
        assert shipped == by_jinja
    assert "<script>" not in shipped and "&lt;script&gt;" in shipped


def test_a_handout_run_imports_no_jinja2(tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from nervecli.cli.app import main\n"
        "sys.argv = ['nervecli', 'show', 'ketamine', '-f', 'html']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(json.dumps(sorted(m for m in sys.modules if 'jinja2' in m)))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert "</html>" in done.stdout, done.stderr
    assert json.loads(done.stderr.splitlines()[-1]) == []


def test_the_runtime_undefined_value_behaves_as_jinjas() -> None:
    import jinja2

    ours, theirs = template_runtime.Undefined(name="x"), jinja2.Undefined(name="x")
    for probe in (bool, str, len, list):
        assert probe(ours) == probe(theirs)  # type: ignore[operator]
    for fails in (lambda u: u + 1, lambda u: u.attribute, lambda u: u[0], lambda u: u < 1):
        with pytest.raises(jinja2.UndefinedError):
            fails(theirs)
        with pytest.raises(template_runtime.UndefinedError):
            fails(ours)
