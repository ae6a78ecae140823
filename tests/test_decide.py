"""`nervecli decide`: the real program driven through a pseudo-terminal as a person would type,
the file it saves after every answer (Ctrl-C at every prompt keeps what came before), the
filled guide in every format, a file reopened on a changed catalogue, hostile answers and
hostile files, and no output that ranks or recommends."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pexpect
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nervecli.domain.guide import guide_reasons, reasons_for
from nervecli.model.catalogue import Catalogue
from nervecli.model.guide import Guide, GuideOption, Needs, OwnReason, Rating
from nervecli.present.guide import guide_doc
from nervecli.reading.guide import read_guide, write_guide

from .conftest import Invoke

NERVECLI = str(Path(sys.executable).with_name("nervecli"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdfinfo")
HOSTILE = "[bold]loud[/bold] <b>x</b> \x1b[31mred \u202eevil"
# As typed at a terminal: line editing takes an escape as a key, so Ctrl-V quotes it.
TYPED = HOSTILE.replace("\x1b", "\x16\x1b")


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "HOME": str(tmp_path / "home"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "COLUMNS": "100",
        "NO_COLOR": "1",
        "PAGER": "cat",
        "TERM": "dumb",
    }


def _spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        NERVECLI,
        list(args),
        env=_env(tmp_path),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 100),
    )
    child.logfile_read = io.StringIO()
    return child


def _finish(child: pexpect.spawn) -> tuple[int, str]:
    """The exit status, and everything the terminal showed."""
    child.expect(pexpect.EOF)
    child.close()
    log = child.logfile_read
    return child.exitstatus, log.getvalue() if isinstance(log, io.StringIO) else child.before


def _interrupt(child: pexpect.spawn) -> None:
    """Ctrl-C at the prompt on screen, once nervecli is waiting for a key, as a person's press
    comes. CPython checks for a signal at a prompt only when the wait for a key (readline's
    select(), or the read of the terminal) is interrupted: a SIGINT that lands between the
    prompt's writing and the start of that wait is seen only at the next key press
    (python/cpython#112585 is of the kind). The test therefore waits until the process sleeps
    (Linux's /proc tells: the prompt has been read, so it sleeps only in that wait), which holds
    on a loaded machine where a fixed pause does not; where /proc cannot tell, it pauses."""
    where = Path(f"/proc/{child.pid}/stat")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = where.read_text().rpartition(")")[2].split()[0]
        except (OSError, IndexError):
            time.sleep(0.3)
            break
        if state == "S":
            break
        time.sleep(0.005)
    child.sendintr()


# --- a whole session, typed as a person would ---------------------------------------------------


def test_a_whole_session_is_saved_and_printed(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    child = _spawn(tmp_path, "decide", "--file", str(path))
    child.expect(r"What are you deciding\? \[which treatment to try next for my nerve pain\]: ")
    child.sendline("?")
    child.expect("In a few words")
    child.expect("What are you deciding")
    child.sendline("")  # the default
    child.expect("Which condition")
    child.sendline("diabetis")
    child.expect("did you mean 'diabetes'")
    child.sendline("diabetes")
    child.expect("By when")
    child.sendline("before my appointment on Friday")
    child.expect(r"(?s)How far along are you\?.*Type 1 to 4 \[2\]: ")
    child.sendline("7")
    child.expect("Type a number from 1 to 4")
    child.sendline("3")
    child.expect(r"Who makes the decision\?")
    child.sendline("2")
    child.expect("With whom")
    child.sendline("my GP")
    child.expect("Which treatments are you weighing")
    child.sendline("pregabalin, ketamin")
    child.expect("did you mean 'ketamine'")
    child.sendline("pregabalin, steroid")
    ratings = iter("543210" * 10)
    own_given = {"for": False, "against": False}
    while True:
        i = child.expect(
            [
                r"How much does this matter to you\? \(0-5; Enter to skip\)",
                r"Your own reasons to (choose|avoid) (.*), in your own words",
                r"Add a reason \(Enter when done[^)]*\): ",
                r"How much does it matter to you\? \(0-5\) \[3\]: ",
                r"Are you leaning towards one option\?",
            ]
        )
        if i == 0:
            child.sendline(next(ratings))
        elif i == 1:
            side = "for" if child.match.group(1) == "choose" else "against"
            name = child.match.group(2)
        elif i == 2:
            if name == "Pregabalin" and not own_given[side]:
                own_given[side] = True
                child.sendline(TYPED if side == "for" else "I drive for work")
            else:
                child.sendline("")
        elif i == 3:
            child.sendline("5" if side == "for" else "")
        else:
            break
    child.sendline("")  # no leaning
    for answer in ("n", "y", "maybe", "y", ""):
        child.expect(r"\(y/n\)|Type y for yes")
        child.sendline(answer)
    child.expect("What will you do next")
    child.sendline("ask about driving")
    child.expect("Which will you take along")
    child.sendline("1,3")
    code, out = _finish(child)
    assert code == 0, out
    assert "Traceback" not in out

    guide = read_guide(path)
    assert guide.decision == "which treatment to try next for my nerve pain"
    assert guide.conditions == ["diabetes"]
    assert guide.by_when == "before my appointment on Friday"
    assert (guide.stage, guide.role, guide.role_with) == ("close", "shared", "my GP")
    assert [o.treatment for o in guide.options] == ["pregabalin", "steroid-infusion", "none"]
    pregabalin = guide.options[0]
    assert [r.weight for r in pregabalin.ratings] == [5, 4, 3, 2]
    assert [(r.side, r.text, r.weight) for r in pregabalin.own] == [
        ("for", HOSTILE, 5),
        ("against", "I drive for work", 3),
    ]
    assert (guide.needs.sure, guide.needs.informed, guide.needs.values) == (False, True, True)
    assert guide.needs.support is None
    assert guide.next_steps == "ask about driving" and len(guide.to_ask) == 2
    assert guide.leaning == "" and guide.finished

    # What nervecli shows back (the list of own reasons, the printed guide) has the typed text
    # made visible, never raw: no escape or bidi character, and markup not interpreted. (The
    # terminal's own echo of the typing is before each answer.)
    shown = out.split("I drive for work", 1)[1]
    assert "\x1b[31m" not in shown and "\u202e" not in shown
    assert "1. ●●●●● [bold]loud[/bold] <b>x</b> <U+001B>[31mred <U+202E>evil" in out
    guide_printed = shown.split("Done.", 1)[1]
    flat = " ".join(guide_printed.split())
    assert "[bold]loud[/bold] <b>x</b> <U+001B>[31mred" in flat
    # The printed guide on stdout: the options side by side, ratings drawn and in words.
    assert "3. The options, and what matters to you" in flat
    assert "●●●●● very much" in flat and "●●●●○ a lot" in flat
    assert "Do you feel sure about which option to choose? No. What you can do:" in flat
    assert "leaning towards" not in flat.split("3. The options")[1]


def test_names_on_the_command_line_are_the_options(tmp_path: Path) -> None:
    child = _spawn(tmp_path, "decide", "nerve-block", "steroid")
    for _ in range(4):
        child.expect(r"\]: |skip\): ")
        child.sendline("")
    child.expect(r"Who makes")
    child.sendline("1")
    child.expect("Weighing: Nerve block infusion, Steroid infusion")
    child.expect("Option 1 of 3: Nerve block infusion")
    child.expect(r"skip\): ")
    _interrupt(child)
    code, out = _finish(child)
    assert code == 130 and "Error: interrupted." in out
    saved = list((tmp_path / "data" / "nervecli" / "decisions").glob("decision-*.yaml"))
    assert len(saved) == 1
    guide = read_guide(saved[0])
    assert [o.treatment for o in guide.options] == [
        "nerve-block-infusion",
        "steroid-infusion",
        "none",
    ]
    assert guide.role == "myself"


# --- Ctrl-C at every prompt keeps every earlier answer ------------------------------------------

Check = Callable[[Guide], bool]
# (what the prompt says, what is typed, what the saved file then holds)
STEPS: list[tuple[str, str, Check]] = [
    ("What are you deciding", "which painkiller", lambda g: g.decision == "which painkiller"),
    ("Which condition", "diabetes", lambda g: g.conditions == ["diabetes"]),
    ("By when", "June", lambda g: g.by_when == "June"),
    ("How far along", "1", lambda g: g.stage == "not-yet"),
    ("Who makes", "3", lambda g: g.role == "someone-else"),
    ("Who decides", "my son", lambda g: g.role_with == "my son"),
    ("How much does this", "5", lambda g: g.options[0].ratings[0].weight == 5),
    ("How much does this", "0", lambda g: g.options[0].ratings[1].weight == 0),
    ("Add a reason", "cheap", lambda g: g.options[0].own[0].text == "cheap"),
    ("How much does it", "4", lambda g: g.options[0].own[0].weight == 4),
    ("Add a reason", "", lambda g: True),
    ("How much does this", "2", lambda g: g.options[0].ratings[2].weight == 2),
    ("How much does this", "1", lambda g: g.options[0].ratings[3].weight == 1),
    ("Add a reason", "", lambda g: True),
    ("Add a reason", "wait and see", lambda g: g.options[1].own[0].text == "wait and see"),
    ("How much does it", "2", lambda g: g.options[1].own[0].weight == 2),
    ("Add a reason", "", lambda g: True),
    ("Add a reason", "", lambda g: True),
    ("leaning towards", "2", lambda g: g.leaning == "none"),
    ("sure about which", "n", lambda g: g.needs.sure is False),
    ("benefits and risks of each", "y", lambda g: g.needs.informed is True),
    ("which benefits and risks matter", "y", lambda g: g.needs.values is True),
    ("enough support", "n", lambda g: g.needs.support is False),
    ("What will you do next", "call the clinic", lambda g: g.next_steps == "call the clinic"),
    ("Which will you take along", "2", lambda g: len(g.to_ask) == 1 and g.finished),
]


def _session(tmp_path: Path, path: Path, stop_at: int | None) -> tuple[int, str]:
    child = _spawn(tmp_path, "decide", "pregabalin", "--file", str(path))
    for n, (prompt, answer, _) in enumerate(STEPS):
        child.expect(prompt)
        child.expect(r": $")
        if n == stop_at:
            _interrupt(child)
            return _finish(child)
        child.sendline(answer)
    return _finish(child)


def test_the_steps_are_a_whole_session(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    code, out = _session(tmp_path, path, None)
    assert code == 0, out
    guide = read_guide(path)
    assert all(check(guide) for _, _, check in STEPS)


@pytest.mark.parametrize("stop_at", range(len(STEPS)))
def test_ctrl_c_at_any_prompt_keeps_every_earlier_answer(tmp_path: Path, stop_at: int) -> None:
    path = tmp_path / "g.yaml"
    code, out = _session(tmp_path, path, stop_at)
    assert code == 130, out
    assert "Error: interrupted." in out and "Traceback" not in out
    if stop_at == 0:
        assert not path.exists() or read_guide(path).decision == ""
        return
    guide = read_guide(path)
    for prompt, _, check in STEPS[:stop_at]:
        assert check(guide), prompt
    assert not guide.finished
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_ctrl_d_stops_like_ctrl_c(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    child = _spawn(tmp_path, "decide", "--file", str(path))
    child.expect("What are you deciding")
    child.sendline("moving on")
    child.expect("Which condition")
    child.sendeof()
    code, out = _finish(child)
    assert code == 130 and "Traceback" not in out
    assert read_guide(path).decision == "moving on"


# --- without a terminal -------------------------------------------------------------------------


def test_without_a_terminal_and_without_a_file_it_says_what_it_needs(cli: Invoke) -> None:
    result = cli("decide")
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "--file PATH" in lines[0] and "terminal" in lines[0]


def test_too_many_names_is_a_usage_error(cli: Invoke) -> None:
    result = cli("decide", "a", "b", "c", "d", "e")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1


# --- the filled guide ---------------------------------------------------------------------------


def _filled(catalogue: Catalogue, names: list[str], leaning: str = "") -> Guide:
    options = []
    for n, name in enumerate(names):
        t = catalogue.treatments[name]
        reasons = reasons_for(catalogue, t)
        ratings = [
            Rating(
                key=r.key, side=r.side, text=r.key, fingerprint=r.fingerprint, weight=(n + i) % 6
            )  # type: ignore[arg-type]
            for i, r in enumerate(reasons.reasons)
        ]
        own = [OwnReason(side="for", text=f"mine for {name}", weight=2)]
        options.append(GuideOption(treatment=name, name=t.name, ratings=ratings, own=own))
    options.append(GuideOption(treatment="none", own=[OwnReason(side="for", text="time")]))
    return Guide(
        created="2026-01-02",
        updated="2026-01-03",
        catalogue_version=catalogue.meta.version,
        conditions=["diabetes"],
        stage="considering",
        role="shared",
        role_with="my GP",
        options=options,
        leaning=leaning,
        needs=Needs(sure=False, informed=True, values=None, support=False),
        next_steps="book a visit",
        finished=True,
    )


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_every_format_prints_the_filled_guide(
    cli: Invoke, catalogue: Catalogue, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "g.yaml"
    write_guide(path, _filled(catalogue, ["pregabalin", "steroid-infusion"], leaning="none"))
    before = path.read_bytes()
    result = cli("decide", "--file", str(path), "--format", fmt, width=1000)
    assert result.exit_code == 0, result.stderr
    assert path.read_bytes() == before  # printing never writes
    out = result.stdout
    if fmt == "json":
        record = json.loads(out)
        assert record["command"] == "decide"
        assert [o["id"] for o in record["options"]] == ["pregabalin", "steroid-infusion", "none"]
        reasons = record["options"][0]["reasons"]
        assert {r["weight"] for r in reasons} <= set(range(6))
        assert all(r["facts"] or r["evidence"] for r in reasons)
        assert record["leaning"] == "none" and record["disclaimer"]
        return
    flat = " ".join(out.split())
    for words in (
        "My decision guide",
        "Pregabalin",
        "Steroid infusion",
        "None of these for now",
        "I share the decision, with my GP",
        "About 13 in 100 more people get at least half their pain relieved",
        "mine for pregabalin",
        "You said you are leaning towards: None of these for now.",
        "What you can do: Think of who could help",
        "book a visit",
        "This is information to discuss with a doctor, not medical advice.",
        "Ottawa Personal Decision Guide",
        "Saved 2026-01-03",
    ):
        assert words in flat.replace("&#39;", "'"), words
    assert "○" in out and "●" in out


def test_the_markdown_renders_as_a_table_with_text_kept_literal(
    cli: Invoke, catalogue: Catalogue, tmp_path: Path
) -> None:
    from markdown_it import MarkdownIt

    guide = _filled(catalogue, ["pregabalin", "ketamine-infusion"])
    guide.options[0].own.append(OwnReason(side="against", text=HOSTILE + " | *not bold*", weight=4))
    guide.next_steps = "# not a heading <script>alert(1)</script>"
    path = tmp_path / "g.yaml"
    write_guide(path, guide)
    result = cli("decide", "--file", str(path), "--format", "md")
    assert result.exit_code == 0, result.stderr
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)

    class Parse(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.text: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.tags.append(tag)

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    page = Parse()
    page.feed(html)
    text = "".join(page.text)
    assert "table" in page.tags and "th" in page.tags
    assert "script" not in page.tags and "<script>alert(1)</script>" in text
    assert "[bold]loud[/bold] <b>x</b>" in text and "*not bold*" in text
    assert "\x1b" not in html and "\u202e" not in html and "<U+202E>evil" in text
    assert "[4, promotional]" in " ".join(text.split())  # the ketamine article's flag
    assert "Not graded by these sources." in text
    headers = re.findall(r"<th>(.*?)</th>", html)
    assert headers[1:] == ["Pregabalin", "Ketamine infusion", "None of these for now"]


@pytest.mark.skipif(not (CHROMIUM and POPPLER), reason="needs headless Chromium and poppler-utils")
@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_the_html_guide_prints_on_two_pages_for_two_options(
    cli: Invoke, catalogue: Catalogue, tmp_path: Path, paper: str
) -> None:
    path = tmp_path / "g.yaml"
    write_guide(path, _filled(catalogue, ["steroid-infusion", "nerve-block-infusion"]))
    result = cli("decide", "--file", str(path), "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert "<script" not in result.stdout and 'lang="en"' in result.stdout
    page = tmp_path / "guide.html"
    page.write_text(result.stdout.replace("size: auto;", f"size: {paper};"), encoding="utf-8")
    pdf = tmp_path / "guide.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, flags=re.M).group(1))  # type: ignore[union-attr]
    assert 1 <= pages <= 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Steroid infusion" in text and "not medical advice" in text


# --- a file reopened on a changed catalogue -----------------------------------------------------

CATALOGUE = {
    "catalogue.yaml": """
        catalogue: {version: "v1", last_reviewed: 2026-01-01}
        sources:
          - {id: doc, kind: seed, genre: web-article, file: doc.txt, title: A document}
        """,
    "entries.yaml": """
        treatments:
          - id: alpha
            name: Alpha
            kind: medicine
            summary: {text: Alpha summary., source: doc, quote: alpha}
            benefits:
              - {text: It may ease pain., source: doc, quote: it may ease pain}
            side_effects:
              - {name: nausea, text: Nausea., frequency: common, source: doc,
                 quote: nausea is common}
            avoid_if:
              - {text: Not in pregnancy., source: doc, quote: not in pregnancy}
        """,
}


def _write_catalogue(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return folder


def test_a_file_reopened_on_a_changed_catalogue_names_the_changed_facts(
    cli: Invoke, tmp_path: Path
) -> None:
    from nervecli.reading.loader import load_catalogue

    folder = _write_catalogue(tmp_path / "cat", CATALOGUE)
    old = load_catalogue([folder], bundled=False)
    path = tmp_path / "g.yaml"
    guide = _filled(old, ["alpha"])
    write_guide(path, guide)
    rated = {r.key: r.text for r in guide.options[0].ratings}
    assert len(rated) == 3

    changed = dict(CATALOGUE)
    changed["catalogue.yaml"] = CATALOGUE["catalogue.yaml"].replace('"v1"', '"v2"')
    changed["entries.yaml"] = (
        CATALOGUE["entries.yaml"]
        .replace("It may ease pain.", "It may ease some pain.")
        .replace(
            "            avoid_if:\n"
            "              - {text: Not in pregnancy., source: doc, quote: not in pregnancy}\n",
            "",
        )
    )
    _write_catalogue(folder, changed)
    args = ["--no-bundled", "--catalog", str(folder), "decide", "--file", str(path)]
    result = cli(*args, "--format", "markdown", width=200)
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "Changed in the catalogue since you rated them" in flat
    assert "Alpha: changed: you rated “help:doc:" in flat and "It may ease some pain." in flat
    assert "Alpha: gone from the sources: avoid" in flat
    assert "risks:common" not in flat.split("Changed in the catalogue")[1]
    assert "you rated on catalogue v1" in flat
    record = json.loads(cli(*args, "--format", "json").stdout)
    assert sorted(c["status"] for c in record["changed"]) == ["changed", "gone"]

    # On a terminal, reopening says so before the first question.
    env = _env(tmp_path)
    child = pexpect.spawn(NERVECLI, args, env=env, encoding="utf-8", timeout=60)
    child.expect("saved with catalogue v1; this is catalogue v2")
    child.expect("2 of the reasons you rated have changed or gone")
    child.expect("Alpha: gone: avoid")
    child.expect(r"What are you deciding\? \[which treatment[^\]]*\]: ")
    _interrupt(child)
    code, _ = _finish(child)
    assert code == 130


# --- hostile files ------------------------------------------------------------------------------

HOSTILE_FILES = {
    "syntax": ("nervecli_decision: 1\ndecision: [unclosed\n", r":\d+:\d+: "),
    "duplicate": ("nervecli_decision: 1\ndecision: a\ndecision: b\n", r":3:1: duplicate key"),
    "not a guide": ("has: [x]\n", r":1:1: not a nervecli decision file"),
    "wrong type": ("nervecli_decision: 1\ndecision: [1, 2]\n", r":2:11: decision:"),
    "number as text": (
        "nervecli_decision: 1\noptions:\n- treatment: pregabalin\n  own:\n"
        "  - {side: for, text: x, weight: '3'}\n",
        r":5:\d+: options\.0\.own\.0\.weight",
    ),
    "weight out of range": (
        "nervecli_decision: 1\noptions:\n- treatment: pregabalin\n  own:\n"
        "  - {side: for, text: x, weight: 9}\n",
        r":5:\d+: options\.0\.own\.0\.weight: a weight is 0 to 5",
    ),
    "unknown key": ("nervecli_decision: 1\nscore: 10\n", r":2:\d+: score: unknown field"),
    "yes as a word": ("nervecli_decision: 1\nneeds: {sure: 'yes'}\n", r":2:\d+: needs\.sure"),
    "alias": ("nervecli_decision: 1\ndecision: &a x\nby_when: *a\n", r":2:\d+: anchors"),
    "deep": ("nervecli_decision: 1\nx: " + "[" * 40 + "]" * 40 + "\n", r":\d+:\d+: nested"),
    "control byte": ("nervecli_decision: 1\ndecision: \x1b[31m\n", r":2:11: the control"),
    "empty": ("# nothing\n", r":1:1: the file is empty"),
    "too large": ("nervecli_decision: 1\n" + "# pad\n" * 60_000, r":1:1: the file is larger"),
    "twice": (
        "nervecli_decision: 1\noptions:\n- {treatment: a}\n- {treatment: a}\n",
        r":4:\d+: options\.1\.treatment",
    ),
    "leaning elsewhere": ("nervecli_decision: 1\nleaning: ketamine\n", r":2:10: leaning"),
    "a newer format": (
        "nervecli_decision: 2\ndecision: x\n",
        r":1:20: nervecli_decision: format 2 is not one this nervecli reads",
    ),
    "format 0": ("nervecli_decision: 0\n", r":1:20: nervecli_decision: format 0 is not one"),
}


@pytest.mark.parametrize("case", list(HOSTILE_FILES))
def test_a_hostile_file_is_one_line_at_its_place_and_never_overwritten(
    cli: Invoke, tmp_path: Path, case: str
) -> None:
    body, where = HOSTILE_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_bytes(body.encode("utf-8"))
    before = path.read_bytes()
    for fmt in ("table", "json"):
        result = cli("decide", "--file", str(path), "--format", fmt)
        assert result.exit_code == 1 and result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert re.match(rf"Error: {re.escape(str(path))}{where}", lines[0]), lines[0]
        assert "\x1b" not in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_a_hostile_file_on_a_terminal_is_refused_before_any_question(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("nervecli_decision: 1\ndecision: a\ndecision: b\n", encoding="utf-8")
    before = path.read_bytes()
    code, out = _finish(_spawn(tmp_path, "decide", "--file", str(path)))
    assert code == 1 and f"{path}:3:1: duplicate key 'decision'" in out
    assert "What are you deciding" not in out and path.read_bytes() == before


@pytest.mark.parametrize("kind", ["folder", "fifo", "missing"])
def test_files_that_are_not_files_are_named(cli: Invoke, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.yaml"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    result = cli("decide", "--file", str(path), "--format", "table")
    assert result.exit_code == 1
    assert re.fullmatch(rf"Error: {re.escape(str(path))}:1:1: [^\n]+\n", result.stderr)


def test_a_guide_round_trips_any_text(tmp_path: Path) -> None:
    text = "naïve \x85 \x07 \u202e\u2066 [x] 'q' \"d\" : # - &*"
    guide = Guide(decision=text, next_steps="a\nb", to_ask=[text])
    path = tmp_path / "g.yaml"
    write_guide(path, guide)
    again = read_guide(path)
    assert again.decision == text and again.next_steps == "a\nb" and again.to_ask == [text]


# --- never a ranking or a recommendation --------------------------------------------------------

RANKING = re.compile(
    r"\b(best (option|choice)|rank(ed|ing|s)?|scores?|scored|winner|top choice|total|"
    r"we recommend|you should (choose|pick|take)|recommended (option|choice|for you)|"
    r"(highest|most) (weight|weighted)|comes? (first|out ahead))\b",
    re.IGNORECASE,
)


@st.composite
def answer_sets(draw: st.DrawFn, ids: list[str]) -> tuple[list[str], list[list[int]], str, bool]:
    names = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True))
    weights = draw(
        st.lists(st.lists(st.integers(0, 5), min_size=0, max_size=30), min_size=4, max_size=4)
    )
    leaning = draw(st.sampled_from(["", "none", *names]))
    unrated = draw(st.booleans())
    return names, weights, leaning, unrated


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_output_ranks_or_recommends_an_option(catalogue: Catalogue, data: st.DataObject) -> None:
    from nervecli.domain.guide import changes, to_ask
    from nervecli.output.draw_json import draw as draw_json
    from nervecli.output.draw_markdown import draw as draw_md
    from nervecli.output.draw_table import draw as draw_table
    from nervecli.present.guide import draw_html
    from nervecli.records.guide import guide_record

    names, weights, leaning, unrated = data.draw(answer_sets(list(catalogue.treatments)))
    options = []
    for name, ws in zip(names, weights, strict=False):
        reasons = reasons_for(catalogue, catalogue.treatments[name]).reasons
        ratings = [
            Rating(key=r.key, side=r.side, text="", fingerprint=r.fingerprint, weight=wt)  # type: ignore[arg-type]
            for r, wt in zip(reasons, ws, strict=False)
            if not (unrated and wt == 0)
        ]
        options.append(GuideOption(treatment=name, ratings=ratings))
    options.append(GuideOption(treatment="none"))
    guide = Guide(options=options, leaning=leaning)
    current = guide_reasons(catalogue, guide)
    treatments = [r.treatment for r in current if r.treatment]
    answer = (catalogue, guide, current, changes(guide, current), to_ask(catalogue, treatments))
    doc = guide_doc(*answer)
    outputs = [draw_table(doc, 120, False), draw_md(doc), draw_html(doc)]
    outputs.append(draw_json(guide_record(*answer)))
    for out in outputs:
        found = RANKING.search(out)
        assert found is None, found.group() if found else ""
    record = json.loads(outputs[-1])
    keys = json.dumps(record)
    assert not re.search(r'"(score|rank|total|best|recommended)"\s*:', keys)
    # The options stand in the order the person named them, whatever the weights.
    assert [o["id"] for o in record["options"]] == [*names, "none"]
    leaning_lines = [line for line in outputs[1].splitlines() if "leaning towards" in line]
    assert bool(leaning_lines) == bool(leaning)
    # Within an option, reasons stand by the person's weight, never by anything else.
    for o in record["options"]:
        for side in ("for", "against"):
            shown = [r["weight"] for r in o["reasons"] if r["side"] == side]
            assert len(shown) == len([r for r in o["reasons"] if r["side"] == side])


# --- the other commands do not load decide -----------------------------------------------------


def test_other_commands_never_import_decide() -> None:
    code = (
        "import sys\nfrom nervecli.cli.app import run\nrun(['list'])\n"
        "print(sorted(m for m in sys.modules if m.endswith(('.guide', '.decide'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_prompts_never_reach_stdout(tmp_path: Path) -> None:
    """stdout redirected to a file while the person types at the terminal: the file gets the
    filled guide alone, every prompt goes to the terminal."""
    path, out = tmp_path / "g.yaml", tmp_path / "out.txt"
    command = f"exec {NERVECLI} decide pregabalin --file {path} > {out}"
    child = pexpect.spawn(
        "/bin/sh", ["-c", command], env=_env(tmp_path), encoding="utf-8", timeout=60
    )
    child.logfile_read = io.StringIO()
    for prompt, answer, _ in STEPS:
        child.expect(prompt)
        child.expect(r": $")
        child.sendline(answer + "x" * 3000 if prompt == "By when" else answer)
        if prompt == "By when":  # an answer too long is refused, and asked again
            child.expect("longer than 2000 characters")
            child.expect("By when")
            child.sendline(answer)
    code, shown = _finish(child)
    assert code == 0, shown
    printed = out.read_text(encoding="utf-8")
    assert printed.startswith("My decision guide\n")
    for prompt in (
        "What are you deciding?",
        "By when do you want to decide?",
        "How much does this matter to you?",
        "Add a reason",
        "Are you leaning towards one option?",
        "Which will you take along?",
        "(y/n)",
    ):
        assert prompt not in printed and prompt in shown
    assert "How much does this matter" in shown and "Your answers are saved" not in printed
    assert read_guide(path).by_when == "June"


def test_reopening_a_file_keeps_every_answer_that_is_not_changed(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = tmp_path / "g.yaml"
    before = _filled(catalogue, ["pregabalin", "lidocaine-plasters"], leaning="pregabalin")
    write_guide(path, before)
    child = _spawn(tmp_path, "decide", "--file", str(path))
    child.expect(r"What are you deciding\? \[which treatment to try next for my nerve pain\]: ")
    child.sendline("whether to try plasters first")
    child.expect(r"Which condition.*\[diabetes\]: ")
    prompts = 0
    child.sendline("")
    while child.expect([r"\]: |\): ", pexpect.EOF]) == 0:
        prompts += 1
        child.sendline("")
    child.close()
    assert child.exitstatus == 0 and prompts > 10
    after = read_guide(path)
    assert after.decision == "whether to try plasters first"
    for field in ("conditions", "stage", "role", "role_with", "leaning", "needs", "next_steps"):
        assert getattr(after, field) == getattr(before, field), field
    assert [o.treatment for o in after.options] == [o.treatment for o in before.options]
    for old, new in zip(before.options, after.options, strict=True):
        assert {(r.key, r.weight) for r in old.ratings} == {(r.key, r.weight) for r in new.ratings}
        assert [(r.text, r.weight) for r in old.own] == [(r.text, r.weight) for r in new.own]


def test_tab_completes_treatment_names(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    child = _spawn(tmp_path, "decide", "--file", str(path))
    for _ in range(4):
        child.expect(r"(\]|skip\)): ")
        child.sendline("")
    child.expect("Type 1 to 3")
    child.sendline("1")
    child.expect("Which treatments are you weighing")
    child.expect(": $")
    child.send("pregab\t")
    child.expect("pregabalin")
    child.send(", lidocaine-pl\t")
    child.expect("aster")  # completed as far as the names agree
    child.sendline("")
    child.expect("Option 1 of 3: Pregabalin")
    child.expect(r"skip\): ")  # Ctrl-C once the rating prompt is up
    _interrupt(child)
    code, _ = _finish(child)
    assert code == 130
    assert [o.treatment for o in read_guide(path).options] == [
        "pregabalin",
        "lidocaine-plasters",
        "none",
    ]


def test_a_long_prompt_is_wrapped_between_words_at_the_terminal_width(tmp_path: Path) -> None:
    """A terminal cuts a line that is too long wherever it ends, mid-word ("Tab completes
    n|ames"): decide wraps its questions at the width, the answer typed after the last line."""
    child = pexpect.spawn(
        NERVECLI,
        ["decide"],
        env={k: v for k, v in _env(tmp_path).items() if k != "COLUMNS"},  # the terminal's
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 60),
    )
    child.logfile_read = io.StringIO()
    for _ in range(4):
        child.expect(r"\]: |skip\): ")
        child.sendline("")
    child.expect(r"Who makes")
    child.sendline("1")
    child.expect(r"Which treatments are you weighing\?(?s:.*?): ")
    asked = child.after
    _interrupt(child)
    code, _ = _finish(child)
    assert code == 130
    lines = asked.replace("\r", "").split("\n")
    assert len(lines) > 1, asked  # the question is longer than 60 columns
    assert all(len(line) <= 60 for line in lines), lines
    assert "Tab completes names" in " ".join(lines)  # whole words, in order
