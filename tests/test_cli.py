"""The command line as a user meets it: help with examples that run, usage errors that say what
to do, one line per error on stderr, the documented exit statuses, completion that honours the
options given before it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from nervecli import __version__
from nervecli.cli.app import COMMANDS
from nervecli.output.words import DISCLAIMER

from .conftest import DATA, Invoke


def test_version(cli: Invoke) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"nervecli {__version__}\n"


def test_no_arguments_and_help_show_the_same_help(cli: Invoke) -> None:
    bare, flag, word = cli(), cli("--help"), cli("help")
    assert bare.exit_code == flag.exit_code == word.exit_code == 0
    assert bare.stdout.startswith("Usage: nervecli [OPTIONS] COMMAND")
    assert bare.stdout == flag.stdout == word.stdout
    assert bare.stderr == ""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_examples_that_run(cli: Invoke, command: str) -> None:
    text = cli(command, "--help").stdout
    assert cli("help", command).stdout == text
    examples = re.findall(r"^\s+nervecli (.+)$", text.split("Examples:")[1], flags=re.MULTILINE)
    assert 1 <= len(examples) <= 4, command
    for example in examples:
        args = shlex.split(example.split(">")[0].replace("~/clinic-catalogue", str(DATA)))
        args = [
            str(DATA.parents[1] / "shared" / a.split("/", 2)[2]) if a.startswith("../shared") else a
            for a in args
        ]
        if "--profile" in args:
            continue  # needs a file of the user's
        result = cli(*args)
        if args[0] == "decide" and "--file" not in args:  # asks on a terminal; none here
            assert result.exit_code == 2 and "terminal" in result.stderr, result.stderr
            continue
        assert result.exit_code in (0, 1) and "Traceback" not in result.stderr, (
            example,
            result.stderr,
        )


def test_help_shows_words_not_python_types(cli: Invoke) -> None:
    root = cli("--help").stdout
    assert "--catalog PATH" in root and "list[" not in root and "Path" not in root
    listing = cli("list", "--help").stdout
    assert "<infusion|injection|procedure|medicine|device|therapy|self-care>" in listing
    assert "<first|second|third|against>" in listing and "<kind|name|nnt>" in listing
    assert "--format <table|json|markdown|md|html>" in listing


def test_check_help_lists_the_screening_terms_it_accepts(cli: Invoke, catalogue: object) -> None:
    text = " ".join(cli("check", "--help").stdout.split())
    for term in catalogue.screening.values():  # type: ignore[attr-defined]
        if term.asks != "pregnant":
            assert term.id in text, term.id


def test_a_misspelt_command_gets_a_suggestion(cli: Invoke) -> None:
    result = cli("shwo", "ketamine")
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr == "Error: no command 'shwo' — did you mean 'show'? Try 'nervecli --help'.\n"
    )


@pytest.mark.parametrize(
    "names", [["steroid"], ["steroid", "nerve-block", "ketamine", "tens", "acupuncture"]]
)
def test_compare_takes_two_to_four(cli: Invoke, names: list[str]) -> None:
    result = cli("compare", *names)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert (
        "give 2 to 4 treatments" in result.stderr
        and "Try 'nervecli compare --help'." in result.stderr
    )


def test_usage_errors_are_one_line_with_a_help_hint(cli: Invoke) -> None:
    for args in (
        ["show"],
        ["list", "--kind", "pills"],
        ["list", "--bogus"],
        ["--catalog", "", "list"],
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
        assert "--help'." in result.stderr


def test_md_is_markdown(cli: Invoke) -> None:
    assert (
        cli("show", "ketamine", "-f", "md").stdout
        == cli("show", "ketamine", "--format", "markdown").stdout
    )


def test_an_unknown_name_suggests_the_closest(cli: Invoke) -> None:
    result = cli("show", "ketamin")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "Error: no treatment 'ketamin' — did you mean 'ketamine'?\n"
    nothing = cli("show", "zzzzqqq")
    assert nothing.stderr == "Error: no treatment 'zzzzqqq' — run 'nervecli list' to see them all\n"


def test_names_resolve_by_id_alias_name_and_leading_words(cli: Invoke) -> None:
    for name in ("ketamine-infusion", "ketamine", "Ketamine Infusion", "KETAMINE"):
        record = json.loads(cli("show", name, "-f", "json").stdout)
        assert record["treatment"]["id"] == "ketamine-infusion", name
    assert (
        json.loads(cli("show", "nerve-block", "-f", "json").stdout)["treatment"]["id"]
        == "nerve-block-infusion"
    )


def test_an_ambiguous_name_lists_the_candidates(cli: Invoke) -> None:
    result = cli("show", "anticonvulsant")
    assert result.exit_code == 1
    assert "matches more than one treatment" in result.stderr


def test_a_bad_profile_is_one_line_at_its_line(cli: Invoke, tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text("has: [bleeding-disorder]\npregnant: perhaps\n")
    result = cli("check", "--profile", str(profile))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert f"{profile}:2:11: pregnant:" in result.stderr and "Value error" not in result.stderr


def test_profile_keys_may_not_repeat(cli: Invoke, tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text("has: [bleeding-disorder]\nhas: [active-infection]\n")
    result = cli("check", "--profile", str(profile))
    assert result.exit_code == 1
    assert f"{profile}:2:1: duplicate key 'has' (first at line 1)" in result.stderr


def test_check_reads_the_profile_and_the_options_together(cli: Invoke, tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text("has: [bleeding-disorder]\n")
    out = " ".join(cli("check", "--profile", str(profile), "--pregnant", width=300).stdout.split())
    assert "Your profile: a bleeding disorder, pregnancy" in out


def test_validate_and_schema_in_json(cli: Invoke, tmp_path: Path) -> None:
    ok = json.loads(cli("validate", "-f", "json").stdout)
    assert ok["ok"] is True and ok["problems"] == []
    (tmp_path / "bad.yaml").write_text("treatments:\n  - id: X\n")
    bad = cli("validate", str(tmp_path), "-f", "json")
    assert bad.exit_code == 1
    problems = json.loads(bad.stdout)["problems"]
    assert problems and set(problems[0]) == {"file", "line", "column", "message"}
    schema = json.loads(cli("schema", "--format", "json").stdout)
    assert schema["title"] == "nervecli catalogue file"


def test_validate_sources_refuses_an_altered_quote_at_its_line(
    cli: Invoke, make_catalogue: object, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "doc.txt").write_text(
        "alpha; beta infusion; cond; nausea is common;\nnot in pregnancy; bruising\n"
    )
    folder = make_catalogue()  # type: ignore[operator]
    good = cli("validate", str(folder), "--no-bundled", "--sources", str(docs))
    assert good.exit_code == 0, good.stdout
    entries = folder / "entries.yaml"
    entries.write_text(entries.read_text().replace("quote: bruising", "quote: bruised badly"))
    bad = cli("validate", str(folder), "--no-bundled", "--sources", str(docs))
    assert bad.exit_code == 1
    line = next(
        n for n, text in enumerate(entries.read_text().splitlines(), 1) if "bruised badly" in text
    )
    assert f"{entries}:{line}:" in bad.stdout and "quote not found in doc.txt" in bad.stdout


def test_validate_catches_bidi_controls_in_catalogue_text(
    cli: Invoke, make_catalogue: object
) -> None:
    folder = make_catalogue(**{"x.yaml": 'conditions:\n  - id: x\n    name: "1\\u202e05 mg"\n'})  # type: ignore[operator]
    result = cli("validate", str(folder), "--no-bundled")
    assert result.exit_code == 1
    assert "bidirectional formatting character U+202E" in result.stdout


COMPLETIONS = [
    ("nervecli show keta", {"ketamine-infusion", "ketamine"}),
    ("nervecli compare steroid nerve", {"nerve-block-infusion", "nerve-block"}),
    ("nervecli conditions trig", {"trigeminal-neuralgia"}),
    ("nervecli check --takes bl", {"blood-thinners"}),
    ("nervecli list --condition vulv", {"vulvar-varicosities"}),
    ("nervecli list --kind inj", {"injection"}),
    ("nervecli list --line fi", {"first"}),
    ("nervecli list --sort n", {"name", "nnt"}),
    ("nervecli sources neup", {"neupsig-2015"}),
    ("nervecli sh", {"show"}),
]


def _complete(cli: Invoke, words: str) -> set[str]:
    env = {
        "_NERVECLI_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    return set(cli(env=env).stdout.split())


@pytest.mark.parametrize(("words", "expected"), COMPLETIONS, ids=[w for w, _ in COMPLETIONS])
def test_completion_offers_names_and_values(cli: Invoke, words: str, expected: set[str]) -> None:
    assert expected <= _complete(cli, words)


def test_completion_honours_catalog_and_no_bundled(cli: Invoke, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "m.yaml").write_text(
        "treatments:\n  - id: hydrotherapy\n    name: Hydrotherapy\n    kind: therapy\n"
        "    summary: {text: Warm water., source: infusion-side-effects, quote: x}\n"
    )
    assert "hydrotherapy" in _complete(cli, f"nervecli --catalog {mine} show hydro")
    assert _complete(cli, "nervecli show hydro") == set()


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("zsh", "#compdef nervecli"),
        ("bash", "complete -o"),
        ("fish", "complete --command nervecli"),
    ],
)
def test_show_completion_prints_the_named_shell(cli: Invoke, shell: str, marker: str) -> None:
    result = cli("--show-completion", shell)
    assert result.exit_code == 0 and marker in result.stdout


def test_install_completion_writes_the_shown_script_and_says_where(
    cli: Invoke, tmp_path: Path
) -> None:
    result = cli("--install-completion", "bash", env={"HOME": str(tmp_path)})
    script = tmp_path / ".bash_completions" / "nervecli.sh"
    assert result.exit_code == 0 and result.stdout == (
        f"bash completion installed in {script}; it takes effect in a new terminal.\n"
    )
    shown = cli("--show-completion", "bash").stdout
    assert script.read_text().strip("\n") == shown.strip("\n")
    assert str(script) in (tmp_path / ".bashrc").read_text()


def test_install_completion_with_an_unwritable_home_is_one_line(
    cli: Invoke, tmp_path: Path
) -> None:
    home = tmp_path / "home-is-a-file"
    home.write_text("")
    result = cli("--install-completion", "bash", env={"HOME": str(home)})
    assert result.exit_code == 1 and result.stderr.startswith(
        "Error: cannot install completion for bash"
    )


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html"])
@pytest.mark.parametrize(
    "args",
    [["list"], ["show", "ketamine"], ["compare", "steroid", "nerve-block"], ["search", "dizziness"],
     ["conditions"], ["conditions", "diabetes"], ["check", "--pregnant"],
     ["alternatives", "ketamine"],
     ["questions", "ketamine"], ["sources"], ["sources", "neupsig-2015"]],
    ids=" ".join,
)  # fmt: skip
def test_every_view_in_every_format(cli: Invoke, args: list[str], fmt: str) -> None:
    result = cli(*args, "--format", fmt)
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["disclaimer"] == DISCLAIMER
    else:
        assert DISCLAIMER in result.stdout


@pytest.mark.parametrize("name", ["\n", "a\nb", "tab\there", "cr\rlf"])
def test_a_name_with_a_line_break_is_named_in_one_error_line(cli: Invoke, name: str) -> None:
    result = cli("show", name)
    assert result.exit_code != 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "\r" not in result.stderr
    assert "<U+000A>" in result.stderr or "<U+0009>" in result.stderr or "<U+000D>" in result.stderr
