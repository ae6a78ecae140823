"""The IPDAS minimum standards (Joseph-Williams et al., Medical Decision Making 2014), checked
where a program can judge them, for `show`, `compare` of two and of four options, and their
handouts: the decision is stated; every risk the sources name is named; benefit and harm are
on one denominator with their ranges; the handout carries the dates, the review policy and the
funding statement; and no handout carries a command line."""

from __future__ import annotations

import html
import re

import pytest

from nervecli.domain.decision import decide
from nervecli.facts.applicable import facts_for
from nervecli.model.catalogue import Catalogue, SideEffect
from nervecli.output import words as w

from .conftest import Invoke

VIEWS = [
    ["show", "ketamine"],
    ["show", "pregabalin"],
    ["show", "botulinum"],
    ["compare", "ketamine", "pregabalin"],
    ["compare", "steroid", "nerve-block"],
    ["compare", "ketamine", "pregabalin", "tramadol", "prolotherapy"],
    ["compare", "pregabalin", "capsaicin", "amitriptyline", "duloxetine"],
]
FORMATS = ["table", "markdown", "html"]
HANDOUTS = ["markdown", "html"]


def _text(cli: Invoke, args: list[str], fmt: str) -> str:
    result = cli(*args, "-f", fmt, width=1000)  # grid cells unwrapped, so phrases read whole
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "html":
        out = html.unescape(re.sub(r"<[^>]+>", " ", out))
    if fmt == "markdown":
        out = re.sub(r"\\(.)", r"\1", out).replace("<br>", " ")
    return " ".join(out.split())


def _names(args: list[str]) -> list[str]:
    return args[1:]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_the_decision_is_stated_first(
    cli: Invoke, catalogue: Catalogue, args: list[str], fmt: str
) -> None:
    """IPDAS Q2 (the decision), K1 (what happens without treatment), and the conditions."""
    out = _text(cli, args, fmt)
    decision = decide(catalogue, _names(args))
    names = [o.treatment.name for o in decision.options]
    stated = w.decision(names)
    assert stated in out
    assert ("or not for now" if len(names) == 1 else "for now") in stated
    assert out.index(stated) < out.index(w.QUESTIONS["help"][0 if len(names) > 1 else 1])
    course = " ".join(w.sentence(f.text) for f in decision.course)
    assert decision.course, "the bundled catalogue says how nerve pain goes over time"
    assert " ".join(w.without_treatment(course).split()) in out
    assert w.WITHOUT_TREATMENT not in out  # not "do not say" where they say something
    for o in decision.options:
        # what each is for in the catalogue's words (hedges such as "often" and "may" kept),
        # a family's facts never on the option's own line
        assert o.used_for, o.treatment.id
        own = [r.fact for r in o.used_for if r.family is None]
        if own:
            text = " ".join(w.sentence(f.text) for f in own)
            assert f"{o.treatment.name}: {text}" in out, o.treatment.id
        for r in o.used_for:
            assert w.sentence(r.fact.text) in out
            if r.family is not None:
                label = f"said of {r.family.name.lower()} in general"
                assert label in out, o.treatment.id


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_every_risk_the_sources_name_is_named(
    cli: Invoke, catalogue: Catalogue, args: list[str], fmt: str
) -> None:
    """Equal detail: no risk hidden behind 'and N more'; serious ones keep their words."""
    out = _text(cli, args, fmt)
    assert not re.search(r"\band \d+ more\b", out)
    side_by_side = fmt == "table" and args[0] == "compare"  # a terminal grid interleaves lines
    words = set(re.findall(r"[\w-]+", out))

    def named(phrase: str) -> bool:
        if side_by_side:
            return set(re.findall(r"[\w-]+", phrase)) <= words
        return phrase in out

    for t in decide(catalogue, _names(args)).treatments:
        for ref in facts_for(catalogue, t, "side_effects"):
            fact = ref.fact
            assert isinstance(fact, SideEffect)
            assert named(w.plain(fact.name)), (t.id, fact.name)
            for said in (fact.severity, fact.course):
                if said:
                    assert named(said), (t.id, said)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_benefit_and_harm_on_one_denominator_with_ranges(
    cli: Invoke, catalogue: Catalogue, args: list[str], fmt: str
) -> None:
    out = _text(cli, args, fmt)
    assert not re.search(r"\bharms?\b", out.lower())  # an NNH counts stopping, not harm
    assert not re.search(r"\b1 in (?!100\b)\d+", out)  # never a denominator of its own
    for o in decide(catalogue, _names(args)).options:
        for record in o.evidence:
            if record.nnt:
                about, low, high = w.in_100(record.nnt)
                assert f"About {about} in 100 more people get at least half" in out
                assert f"(range {low} to {high})" in out
                if not record.nnh:
                    assert w.NO_HARM_FIGURE in out
            if record.nnh:
                about, _, high = w.in_100(record.nnh)
                assert f"About {about} in 100 more stop because of side effects" in out
    if fmt == "html":  # each icon array is 100 figures, its sentence its text alternative
        page = cli(*args, "-f", "html").stdout
        for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
            assert svg.count("<circle") == 100
            label = re.search(r'aria-label="([^"]*)"', svg)
            assert label and re.match(r"About \d+ in 100 more ", html.unescape(label.group(1)))


@pytest.mark.parametrize("fmt", HANDOUTS)
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_the_handout_says_who_made_it_when_and_how_it_is_reviewed(
    cli: Invoke, catalogue: Catalogue, args: list[str], fmt: str
) -> None:
    """IPDAS C3 (dates), C4 (funding and interests), C6 (review policy)."""
    out = _text(cli, args, fmt)
    meta = catalogue.meta
    assert re.search(r"Made on \d{4}-\d\d-\d\d\.", out)
    assert f"last reviewed {meta.last_reviewed.isoformat()}" in out
    assert meta.next_review and f"next review due {meta.next_review.isoformat()}" in out
    assert f"Catalogue {meta.version}" in out
    for line in w.about_guide(meta):
        assert " ".join(line.split()) in out
    assert meta.funding and "no funding and no sponsor" in meta.funding
    assert w.DISCLAIMER in out


@pytest.mark.parametrize("fmt", HANDOUTS)
@pytest.mark.parametrize("args", [*VIEWS, ["list"], ["conditions"], ["sources"]], ids=" ".join)
def test_no_command_line_on_paper(cli: Invoke, args: list[str], fmt: str) -> None:
    out = _text(cli, args, fmt)
    assert "nervecli " not in out.replace("nervecli project", "")
    assert "--full" not in out
