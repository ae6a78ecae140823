"""What people see: views that answer on one screen, never split a word, never pad a line;
JSON with one shape per entity; Markdown that renders cleanly in real renderers; snapshots of
the headline views."""

from __future__ import annotations

import json
import re
from typing import Any

import markdown
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from nervecli.model.catalogue import Catalogue
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Item, Row
from nervecli.output.draw_table import draw
from nervecli.output.text import visible

from .conftest import Invoke

VIEWS = [
    ["list"],
    ["list", "--condition", "diabetes"],
    ["show", "ketamine"],
    ["show", "pregabalin"],
    ["show", "prolotherapy", "--full"],
    ["compare", "steroid", "nerve-block"],
    ["compare", "ketamine", "pregabalin", "tramadol", "prolotherapy"],
    ["compare", "gabapentin", "amitriptyline", "duloxetine", "--full"],
    ["search", "dizziness"],
    ["conditions"],
    ["conditions", "diabetes"],
    ["check", "--has", "bleeding-disorder", "--takes", "blood-thinners", "--pregnant"],
    ["alternatives", "ketamine"],
    ["questions", "ketamine", "opioids"],
    ["sources"],
    ["sources", "ketamine-what-to-expect"],
]
WIDTHS = [40, 60, 80, 100, 120]
BOX = set("─│┌┐└┘├┤┬┴┼")


def _tokens(text: str) -> set[str]:
    """The words of an output; a stacked layout's 'Header:' counts as the header's word."""
    return {t.removesuffix(":") for t in text.split() if not set(t) <= BOX}


@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_no_word_is_ever_split_and_no_line_is_padded(cli: Invoke, args: list[str]) -> None:
    unwrapped = _tokens(cli(*args, width=1000).stdout)
    for width in WIDTHS:
        out = cli(*args, width=width).stdout
        split = sorted(_tokens(out) - unwrapped)
        assert not split, f"width {width}: {split[:10]}"
        lines = out.splitlines()
        assert all(len(line) <= width for line in lines), width
        assert not [line for line in lines if line.endswith(" ")], width
        assert lines[0] == lines[0].lstrip(), "titles are left-aligned"


def test_the_split_check_would_catch_a_split_word() -> None:
    wide = _tokens("Anti-inflammatory steroids")
    assert _tokens("Anti-inflammator y steroids") - wide == {"Anti-inflammator", "y"}


def test_a_grid_that_cannot_fit_is_stacked_not_squeezed() -> None:
    long_words = ("extraordinarily-long-identifier-number-one", "another-extraordinarily-long-word")
    doc = Document(
        "t", [Grid(("A", "B"), (Row(((Item(long_words[0]),), (Item(long_words[1]),))),))]
    )
    narrow = draw(doc, width=50)
    assert long_words[0] in narrow and long_words[1] in narrow
    assert "B:" in narrow  # stacked: the header introduces its cell
    wide = draw(doc, width=120)
    assert "B:" not in wide


@pytest.mark.parametrize(
    ("args", "most"),
    [
        # every named risk, the decision and "About this guide" are in the default view now
        # the uses in the catalogue's words (hedges kept, a family's labelled) and the
        # natural course, stated before the grid
        (["compare", "steroid", "nerve-block"], 95),
        (
            ["compare", "ketamine", "pregabalin", "tramadol", "prolotherapy"],
            200,
        ),  # 7 notes, more sourced facts
        (["show", "ketamine"], 90),
        (["list"], 160),  # how each is given cited, the scope and the non-nerve-pain marks
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_headline_views_fit_a_screen_or_two(cli: Invoke, args: list[str], most: int) -> None:
    lines = cli(*args, width=80).stdout.splitlines()
    assert len(lines) <= most
    default_view = "\n".join(lines).lower()
    assert default_view.count("not stated") <= 2


def test_show_answers_how_likely_it_is_to_help_first(cli: Invoke) -> None:
    lines = cli("show", "ketamine", width=80).stdout.splitlines()
    where = next(n for n, line in enumerate(lines) if "How likely is it to help?" in line)
    assert where < 20
    questions = [
        "How likely is it to help?",
        "What does it involve?",
        "How soon does it work",
        "What are the main and serious risks?",
        "Who should not have it?",
        "How far can the sources be trusted?",
    ]
    text = "\n".join(lines)
    assert [text.index(q) for q in questions] == sorted(text.index(q) for q in questions)


def test_silence_is_said_once_per_view(cli: Invoke) -> None:
    out = cli("compare", "steroid", "nerve-block", width=80).stdout
    assert out.count("The sources say nothing about") == 1
    assert "whether they can be stopped or undone" in out
    assert "Undo or stop" not in out  # no row for a question no source answers


def test_what_all_options_share_is_one_merged_line(cli: Invoke) -> None:
    out = cli("compare", "steroid", "nerve-block", width=120).stdout
    assert out.count("May be ruled out in pregnancy") == 1
    assert "Both:" in out
    three = cli("compare", "steroid", "nerve-block", "local-anesthetic", width=120).stdout
    assert "All three:" in three


def test_serious_risks_come_first_and_list_headings_are_no_frequency(cli: Invoke) -> None:
    out = " ".join(cli("show", "steroid", width=200).stdout.split())
    risks = out.index("What are the main and serious risks?")
    assert out.index("Can be serious or severe: infection", risks) < out.index("weight gain", risks)
    assert "some of the most common" not in out.lower()


def test_the_title_names_the_options_and_flags_another_kind_of_pain(cli: Invoke) -> None:
    out = cli("compare", "ketamine", "prolotherapy", width=120).stdout
    assert (
        out.splitlines()[0] == "Ketamine infusion vs Prolotherapy (regenerative injection therapy)"
    )
    assert "not for nerve pain" in out and "musculoskeletal" in out


def test_promotional_facts_are_marked_where_they_stand(cli: Invoke) -> None:
    out = cli("show", "ketamine", width=120).stdout
    summary = next(line for line in out.splitlines() if "NMDA" in line)
    assert "promotional" in summary
    md = cli("show", "ketamine", "-f", "md").stdout
    assert re.search(r"NMDA[^\n]*promotional", md)


def test_plain_words_first_and_family_facts_say_whom_they_cover(cli: Invoke) -> None:
    out = " ".join(cli("show", "pregabalin", width=200).stdout.split())
    assert "sleepiness (somnolence)" in out
    full = " ".join(cli("show", "steroid", "--full", width=200).stdout.split())
    assert "These apply to all 4 kinds of infusion therapy" in full


def test_ids_and_origins_come_last(cli: Invoke) -> None:
    lines = cli("show", "ketamine", width=80).stdout.splitlines()
    where = next(n for n, line in enumerate(lines) if "id ketamine-infusion" in line)
    assert where > len(lines) - 8
    assert "from the bundled catalogue" in " ".join(lines[where:])


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_full_is_the_summary_then_every_fact(cli: Invoke, fmt: str) -> None:
    out = cli("compare", "steroid", "nerve-block", "--full", "-f", fmt, width=120).stdout
    grid, _, detail = out.partition("In full")
    assert "Will it help?" in grid and "Both:" in grid
    assert "Shared by both" in detail and "Infection at the infusion site (can be serious" in detail
    rows = [line for line in out.splitlines() if "May be ruled out in pregnancy" in line]
    assert len(rows) == 1  # once, in the grid
    assert out.count("\nSources\n") + out.count("## Sources") == 1  # one list of sources


def test_full_view_orders_evidence_and_safety_before_background(cli: Invoke) -> None:
    out = cli("show", "prolotherapy", "--full", width=120).stdout
    order = [
        "How likely is it to help?",
        "Side effects and risks",
        "Where the risk is higher",
        "What it is and how it works",
    ]
    assert [out.index(h) for h in order] == sorted(out.index(h) for h in order)
    assert "The needle may strike a nerve" in out  # a side effect carries its mechanisms


# --- JSON: one shape per entity ------------------------------------------------------------------

BRIEF = {"id", "name", "kind", "aliases", "family"}
FACT = {"text", "source", "quote", "promotional", "said_of", "in_general"}


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


JSON_VIEWS = [*VIEWS, ["validate"], ["show", "ketamine", "--full"]]


@pytest.mark.parametrize("args", JSON_VIEWS, ids=" ".join)
def test_json_shapes_are_the_same_in_every_command(cli: Invoke, args: list[str]) -> None:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    for obj in _walk(data):
        if {"quote", "source", "text"} <= obj.keys():
            assert obj.keys() >= FACT, obj
            assert isinstance(obj["promotional"], bool)
            assert obj["said_of"] is None or set(obj["said_of"]) == {"id", "name"}
        if {"id", "kind", "aliases"} <= obj.keys():
            assert obj.keys() >= BRIEF, obj
            assert obj["family"] is None or set(obj["family"]) == {"id", "name"}
        for key, value in obj.items():
            assert not (isinstance(value, str) and "not stated" in value.lower()), (key, value)


def _keys(value: Any, path: str = "") -> set[str]:
    keys = set()
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(f"{path}.{k}")
            keys |= _keys(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            keys |= _keys(v, f"{path}[]")
    return keys


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "ketamine"],
        ["compare", "steroid", "nerve-block"],
        ["search", "dizziness"],
        ["conditions", "diabetes"],
        ["check", "--pregnant"],
        ["questions", "ketamine"],
    ],
    ids=" ".join,
)
def test_json_keys_are_pinned(cli: Invoke, args: list[str], snapshot: Any) -> None:
    """Renaming a model field cannot change the public JSON by accident."""
    assert sorted(_keys(json.loads(cli(*args, "-f", "json").stdout))) == snapshot


@pytest.mark.parametrize(
    "args",
    [
        ["search", "ketamine"],
        ["list"],
        ["questions", "ketamine"],
        ["conditions", "chronic-nerve-pain"],
    ],
    ids=" ".join,
)
def test_promotional_flags_reach_the_json_of_every_command(cli: Invoke, args: list[str]) -> None:
    data = json.loads(cli(*args, "-f", "json").stdout)
    flagged = [
        o
        for o in _walk(data)
        if o.get("source") == "ketamine-what-to-expect" or o.get("id") == "ketamine-what-to-expect"
    ]
    assert flagged and all(o["promotional"] is True for o in flagged)


def test_a_missing_value_is_null_never_an_english_sentence(cli: Invoke) -> None:
    data = json.loads(cli("show", "steroid", "-f", "json").stdout)["treatment"]
    (weight,) = [f for f in data["answers"]["risks"] if f.get("name") == "weight gain"]
    assert weight["frequency"] is None and weight["course"] is None


# --- Markdown rendered by real renderers ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["show", "ketamine"],
        ["compare", "steroid", "nerve-block"],
        ["questions", "ketamine"],
        ["list"],
    ],
    ids=" ".join,
)
def test_markdown_renders_cleanly(cli: Invoke, args: list[str]) -> None:
    text = cli(*args, "-f", "md").stdout
    renderers = [
        MarkdownIt("commonmark").enable("table").use(footnote_plugin).render,
        lambda t: markdown.markdown(t, extensions=["tables", "footnotes"]),
    ]
    for render in renderers:
        html = render(text)
        assert "footnote-backref" not in html and "↩" not in html
        assert not re.search(r"<h\d>\s*</h\d>", html)  # no empty heading
        assert "<h2>Sources</h2>" in html and re.search(r"<h2>Sources</h2>\s*<ul>", html)
        assert "&lt;br&gt;" not in html  # cell breaks are real breaks
        for cell in re.findall(r"<td>(.*?)</td>", html, flags=re.S):
            assert cell.count("<br") <= 5
        if args[0] in ("show", "compare", "questions"):
            assert "Your notes and questions" in html
        assert "This is information to discuss with a doctor" in html


def test_compare_markdown_is_a_grid(cli: Invoke) -> None:
    html = markdown.markdown(
        cli("compare", "steroid", "nerve-block", "-f", "md").stdout, extensions=["tables"]
    )
    assert "<th>Steroid infusion</th>" in html and "<strong>Will it help?</strong>" in html


def test_markdown_escapes_catalogue_text() -> None:
    from nervecli.output.draw_markdown import draw as draw_md

    doc = Document("T", [Grid(("A",), (Row(((Item("*not bold* | <b>x</b> [link](y)"),),)),))])
    html = markdown.markdown(draw_md(doc), extensions=["tables"])
    assert "<em>" not in html and "<b>x</b>" not in html and "<a " not in html


# --- text from outside is made visible -----------------------------------------------------------


def test_control_and_bidi_characters_are_made_visible() -> None:
    assert visible("1\u202e05\u202c mg") == "1<U+202E>05<U+202C> mg"
    assert visible("\x1b[31mred\x1b[0m\x07") == "<U+001B>[31mred<U+001B>[0m<U+0007>"
    assert visible("a\nb") == "a b" and visible("a\nb", lines=True) == "a\nb"


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_typed_names_never_reach_the_terminal_raw(cli: Invoke, fmt: str) -> None:
    result = cli("show", "keta\x1b[2Jmine\u202e", "-f", fmt)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "<U+001B>" in result.stderr
    search = cli("search", "dizzy\x1b]0;owned\x07", "-f", fmt)
    assert "\x1b" not in search.stdout and "\x07" not in search.stdout


# --- snapshots: what people see, reviewed as text ------------------------------------------------

HEADLINES = [
    ["list"],
    ["show", "ketamine"],
    ["compare", "steroid", "nerve-block"],
    ["compare", "ketamine", "pregabalin", "tramadol", "prolotherapy"],
]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", HEADLINES, ids=" ".join)
def test_headline_views(cli: Invoke, args: list[str], width: int, snapshot: Any) -> None:
    assert cli(*args, width=width).stdout == snapshot


def test_a_merged_line_is_true_for_each_option(cli: Invoke) -> None:
    """The infusion article's 'through an IV' is not merged for a nerve block, which its own
    facts say is delivered to the nerves."""
    out = " ".join(cli("compare", "steroid", "nerve-block", width=200).stdout.split())
    involves = out[out.index("What it involves") : out.index("How soon, how long")]
    assert "Both:" not in involves
    assert "Through an IV into the bloodstream" not in involves  # said of other members only
    assert "Delivered directly to the affected nerves" in involves
    assert "Who should not have it" in out and "Sources " in out  # whole row labels


def test_compare_sources_quotes_merged_lines_too(cli: Invoke, catalogue: Any) -> None:
    result = cli("compare", "steroid", "nerve-block", "--sources", width=200)
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    from nervecli.facts.applicable import facts_for

    steroid = catalogue.treatments["steroid-infusion"]
    for key in ("side_effects", "avoid_if"):  # the merged serious-risk and caution lines
        for ref in facts_for(catalogue, steroid, key):
            assert " ".join(ref.fact.quote.split()) in out, ref.fact.quote


@pytest.mark.parametrize(
    "args", [["show", "ketamine", "--full"], ["compare", "steroid", "nerve-block", "--full"]]
)
def test_full_says_each_fact_once_and_its_silence_in_one_sentence(
    cli: Invoke, args: list[str]
) -> None:
    out = cli(*args, width=2000).stdout
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith("• ")]
    repeated = {line for line in lines if lines.count(line) > 1}
    assert not repeated, sorted(repeated)[:3]
    assert out.count("The sources say nothing about") == 1
    (sentence,) = [line for line in out.splitlines() if "The sources say nothing about" in line]
    assert "about for" not in sentence and "?" not in sentence and "about:" not in sentence
    assert "whether it can be stopped or undone" in sentence
    assert not re.search(r"\band \d+ more\b", out)


def test_markdown_draws_a_shared_fact_in_every_option_column(cli: Invoke) -> None:
    out = cli("compare", "steroid", "nerve-block", "-f", "markdown").stdout
    (row,) = [line for line in out.splitlines() if "May be ruled out in pregnancy" in line]
    cells = [c.strip() for c in row.strip().strip("|").split(" | ")]
    assert len(cells) == 3 and cells[1] == cells[2] and cells[1].startswith("**Both:**")


def test_alternatives_keep_those_the_sources_name_outside_the_catalogue(cli: Invoke) -> None:
    """The permanent nerve block's article names surgery as what it is an alternative to: no
    catalogue treatment, but named all the same (in every format), with its source."""
    out = " ".join(cli("alternatives", "permanent-nerve-block", width=100).stdout.split())
    assert "Surgery; a permanent nerve block may be a less invasive alternative to it. [" in out
    record = json.loads(cli("alternatives", "permanent-nerve-block", "-f", "json").stdout)
    (surgery,) = record["named_outside_catalogue"]
    assert surgery["source"] == "permanent-nerve-blocks" and "surgery" in surgery["quote"]
    md = cli("alternatives", "permanent-nerve-block", "-f", "markdown").stdout
    assert "Surgery; a permanent nerve block" in md


def test_a_condition_names_the_sources_of_each_link(cli: Invoke) -> None:
    """A treatment linked to a condition carries the sources of that link, so one that rests
    only on a promotional article is marked where it stands."""
    out = cli("conditions", "chronic-nerve-pain", width=120).stdout
    line = next(x for x in out.splitlines() if "Ketamine infusion:" in x)
    assert "promotional]" in line
    steroid = next(x for x in out.splitlines() if "Steroid infusion:" in x)
    assert re.search(r"\[\d+\]$", steroid.strip()) and "promotional" not in steroid


def test_every_risk_line_said_in_general_is_labelled_where_it_stands(cli: Invoke) -> None:
    """Ketamine takes the infusion article's cautions, said of infusion therapy in general:
    each line of them says so, not only the first."""
    out = " ".join(cli("show", "ketamine", width=100).stdout.split())
    risks = out[out.index("What are the main and serious risks?") : out.index("Who should not")]
    label = "Said of infusion therapy in general, not of Ketamine infusion."
    assert risks.count(label) == 2
    assert f"{label} Also: nerve injury" in risks


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_named_kind_keeps_its_own_risks_apart_from_its_familys(cli: Invoke, fmt: str) -> None:
    """Steroid infusion is one of the kinds the infusion article names, so the article's risks
    of infusion therapy apply to it; they are still said of infusion therapy in general, so
    each of their lines says so, and none shares a line with steroid's own risks."""
    out = cli("show", "steroid", "--format", fmt, width=100).stdout
    text = out[out.index("What are the main and serious risks?") : out.index("Who should not")]
    lines = [" ".join(x.split()) for x in re.split(r"\n\s*(?:[•*-] )", text)[1:]]
    own = [x for x in lines if "weight gain" in x]
    family = [x for x in lines if "nerve injury" in x or "infection" in x]
    assert own and family
    assert not any("nerve injury" in x or "Said of" in x for x in own), own
    label = "Said of infusion therapy in general (Steroid infusion is one of its kinds)."
    assert all(x.startswith(label) for x in family), family


# --- one spelling per concept: every member of a vocabulary has its words ----------------------


def test_every_question_topic_section_and_style_has_its_words() -> None:
    from nervecli.domain.decision import ANSWERED_BY, DETAIL_ORDER
    from nervecli.model.vocabulary import Question, Section, TopicKey
    from nervecli.output import words as w
    from nervecli.output.document import Style
    from nervecli.output.draw_table import STYLES

    assert set(w.QUESTIONS) == set(Question)
    assert all(short and full for short, full in w.QUESTIONS.values())
    # Every question the sources can leave unanswered has its silence phrase ("help" is
    # always answered, by the grade or by saying it is not graded; "trust" by the sources).
    assert set(w.SILENT_ABOUT) == set(ANSWERED_BY) - {Question.HELP}
    assert set(w.SECTION_TITLES) == set(Section)
    assert set(w.SILENT_SECTION) == set(DETAIL_ORDER)
    # Each topic has its question, but the evidence, asked of each graded record.
    assert set(w.ASK) == set(TopicKey) - {TopicKey.EVIDENCE}
    assert set(STYLES) == set(Style)


def test_a_vocabulary_word_prints_as_its_value() -> None:
    from nervecli.model.vocabulary import Question, Section

    assert f"{Question.HELP}" == str(Question.HELP) == "help"
    assert json.dumps({Section.SIDE_EFFECTS: [Question.RISKS]}) == '{"side_effects": ["risks"]}'


def test_templates_match_blocks_and_styles_on_the_documents_enums() -> None:
    """The HTML templates take block kinds and styles from the enums passed to them, never
    from class names or style words spelled again in the template."""
    from pathlib import Path

    from nervecli.output.document import BlockKind, Style

    folder = Path(__file__).resolve().parents[1] / "src" / "nervecli" / "output" / "templates"
    for template in folder.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        for name in ("Heading", "Para", "Bullets", "Grid", "Code", "NotesSpace", "type_name"):
            assert f'"{name}"' not in text and "type_name" not in text, (template.name, name)
        for style in Style:
            if style.value:
                assert f'"equalto", "{style.value}"' not in text, (template.name, style)
        used = set(re.findall(r"kinds\.([A-Z_]+)", text))
        assert used <= {k.name for k in BlockKind}, used
    assert "kinds.NOTES_SPACE" in (folder / "handout.html.j2").read_text(encoding="utf-8")


def test_no_module_compares_a_style_with_a_string() -> None:
    """Structure is never found by a style word: `item.style == "strong"` is spelled
    `Style.STRONG` where a style is meant, and nothing else compares styles."""
    import ast
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "nervecli"
    found = []
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                styled = any(isinstance(s, ast.Attribute) and s.attr == "style" for s in sides)
                literal = any(
                    isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides
                )
                if styled and literal:
                    found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.keyword) and node.arg == "style":
                value = node.value
                if isinstance(value, ast.Constant) and path.parent.name == "present":
                    found.append(f"{path.name}:{value.lineno}")
    assert not found, found


def test_a_records_sources_are_its_documents_footnotes(catalogue: Catalogue) -> None:
    """JSON is built apart from the document, from the same answer: it lists as its sources
    exactly those the document cites, for every command over the bundled catalogue."""
    from itertools import combinations

    from nervecli import api
    from nervecli.domain.alternatives import alternatives, named_outside
    from nervecli.domain.conditions import all_conditions, condition_answer
    from nervecli.domain.decision import decide, detail
    from nervecli.domain.listing import family_members, list_treatments
    from nervecli.domain.questions import questions
    from nervecli.domain.screening import screen
    from nervecli.model.profile import Profile
    from nervecli.present import alternatives as pa
    from nervecli.present import check as pk
    from nervecli.present import compare as pc
    from nervecli.present import conditions as pn
    from nervecli.present import full as pf
    from nervecli.present import listing as pl
    from nervecli.present import questions as pq
    from nervecli.present import search as ps
    from nervecli.present import show as pw
    from nervecli.records import alternatives as ra
    from nervecli.records import check as rk
    from nervecli.records import conditions as rn
    from nervecli.records import decision as rd
    from nervecli.records import listing as rl
    from nervecli.records import questions as rq
    from nervecli.records import search as rs

    pairs: list[tuple[Document, dict[str, Any]]] = []
    ids = list(catalogue.treatments)
    for t in ids:
        d = decide(catalogue, [t])
        details = [detail(catalogue, x) for x in d.treatments]
        pairs.append((pw.show_doc(catalogue, d), rd.show_record(catalogue, d)))
        pairs.append((pf.full_doc(catalogue, d, details), rd.full_record(catalogue, d, details)))
        treatment, found = alternatives(catalogue, t)
        outside = named_outside(catalogue, treatment)
        pairs.append(
            (
                pa.alternatives_doc(catalogue, treatment, found, outside),
                ra.alternatives_record(catalogue, treatment, found, outside),
            )
        )
        groups = questions(catalogue, [t])
        pairs.append((pq.questions_doc(catalogue, groups), rq.questions_record(catalogue, groups)))
    for names in [*list(combinations(ids, 2))[::5], tuple(ids[:4])]:
        d = decide(catalogue, list(names))
        pairs.append((pc.compare_doc(catalogue, d), rd.compare_record(catalogue, d)))
    for kind, condition, line in [
        (None, None, None),
        (None, "diabetes", None),
        ("medicine", None, "first"),
    ]:
        listing = list_treatments(catalogue, kind=kind, condition=condition, line=line)
        pairs.append((pl.list_doc(catalogue, listing), rl.list_record(catalogue, listing)))
    answers = all_conditions(catalogue)
    pairs.append((pn.conditions_doc(catalogue, answers), rn.conditions_record(catalogue, answers)))
    for c in catalogue.conditions.values():
        a = condition_answer(catalogue, c)
        pairs.append((pn.condition_doc(catalogue, a), rn.condition_record(catalogue, a)))
    for profile in [
        Profile(has=["bleeding-disorder"], takes=["blood-thinners"], pregnant=True),
        Profile(has=["diabetes", "kidney-disease"]),
    ]:
        result = screen(catalogue, profile)
        pairs.append((pk.check_doc(catalogue, result), rk.check_record(catalogue, result)))
    for query in ("dizziness", "infusion", "blood thinners", "nerve"):
        hits, suggestions = api.search(catalogue, query), ["nothing"]
        families = {h.entry_id: family_members(catalogue, h.entry_id) for h in hits}
        pairs.append(
            (
                ps.search_doc(catalogue, query, hits, suggestions, families),
                rs.search_record(catalogue, query, hits, suggestions),
            )
        )
    for doc, record in pairs:
        assert [s["number"] for s in record["sources"]] == [n.number for n in doc.footnotes], (
            doc.title
        )
    assert sum(bool(doc.footnotes) for doc, _ in pairs) > len(pairs) / 2  # the check bites


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("\x1b[31mx", "<U+001B>[31mx"),  # an ANSI escape
        ("a\x07b", "a<U+0007>b"),  # BEL, which JSON writes as \u0007
        ("a\x08b", "a<U+0008>b"),  # backspace, which JSON writes as \b
        ("1\u202e05", "1<U+202E>05"),  # a bidi override
    ],
)
def test_json_shows_a_hidden_character_as_every_format_does(
    cli: Invoke, typed: str, shown: str
) -> None:
    """`jq -r .query` must not print a raw ESC: JSON strings carry hidden characters made
    visible, as the terminal, Markdown and HTML do; text without them is left as it is."""
    result = cli("search", typed, "-f", "json")
    record = json.loads(result.stdout)
    assert record["query"] == shown
    assert "\\u001b" not in result.stdout and "\\u0007" not in result.stdout
    plain = json.loads(cli("search", "dizzy \u2013 caf\u00e9", "-f", "json").stdout)
    assert plain["query"] == "dizzy \u2013 caf\u00e9"  # escaped by JSON, never changed


def _rows(cli: Invoke, *args: str) -> dict[str, str]:
    """A view's table as Markdown draws it, row by row (a cell whole, its escapes undone),
    keyed by the row's first cell."""
    out = cli(*args, "-f", "markdown").stdout
    rows = {}
    for line in out.splitlines():
        if line.startswith("| **"):
            cells = [re.sub(r"\\(.)", r"\1", c).strip() for c in line.strip("|").split(" | ")]
            rows[cells[0].split("**")[1]] = " | ".join(cells).replace("*", "")
    return rows


def test_list_marks_what_is_not_for_nerve_pain_and_cites_how_each_is_given(cli: Invoke) -> None:
    """The list holds every treatment, some of which its sources describe for other pain: the
    title claims no more, and each such row says so. How each is given is cited where it
    stands, so a promotional source is marked there; a narrower scope than "all" is shown."""
    assert cli("list", width=100).stdout.startswith("Treatments in the catalogue (30)")
    rows = _rows(cli, "list")
    marked = [name for name, row in rows.items() if w.NOT_FOR_NERVE_PAIN in row]
    assert marked == ["Prolotherapy (regenerative injection therapy)", "Permanent nerve block"]
    assert "| IV [4, promotional] |" in rows["Ketamine infusion"]
    assert "second-line, weak, peripheral neuropathic pain only" in rows["Lidocaine 5% plasters"]
    record = json.loads(cli("list", "-f", "json").stdout)
    assert [t["id"] for t in record["treatments"] if not t["for_nerve_pain"]] == [
        "prolotherapy",
        "permanent-nerve-block",
    ]


def test_alternatives_give_their_reasons_in_the_catalogues_words(cli: Invoke) -> None:
    """Why each is listed: what its sources say it is for, its scope and hedges kept and
    cited (never a bare 'also for ...'), a group's words labelled as said of it in general."""
    rows = _rows(cli, "alternatives", "ketamine")
    assert not any("also for" in row for row in rows.values())
    tcas = rows["Tricyclic antidepressants (TCAs, e.g. amitriptyline)"]
    assert (
        "Neuropathic pain: all the conditions the review covered (not trigeminal neuralgia). [6]"
        in tcas
    )
    assert (
        "Said of infusion therapy in general: Often indicated for chronic nerve pain that has "
        "not responded to other treatments" in rows["Steroid infusion"]
    )
    record = json.loads(cli("alternatives", "ketamine", "-f", "json").stdout)
    steroid_row = next(a for a in record["alternatives"] if a["id"] == "steroid-infusion")
    assert steroid_row["used_for"][0]["said_of"]["id"] == "infusion-therapy"


def test_questions_ask_how_often_from_the_evidence_of_a_medicine(cli: Invoke) -> None:
    out = " ".join(cli("questions", "pregabalin", width=200).stdout.split())
    assert (
        "The evidence describes 300-600 mg a day, taken in two divided doses. What dose would I "
        "take, how often, and for how long? [7]" in out
    )
    assert "How long does it take, and how often? The sources do not say." not in out
    assert "| pregabalin |" not in out  # a table row is no sentence to quote at a person


def test_a_line_of_treatment_beside_a_condition_cites_what_grades_it(cli: Invoke) -> None:
    """ "Gabapentin: first-line" rests on the graded source, not only on the article that links
    gabapentin to nerve pain; through a broader condition, too."""
    direct = cli("conditions", "nerve-pain", width=200).stdout
    assert "Gabapentin: first-line [1,6]" in direct
    through = cli("conditions", "diabetes", width=200).stdout
    assert "Gabapentin: first-line [6]" in through
