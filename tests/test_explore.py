"""Conditions, the personal check, alternatives, questions and sources (domain, no terminal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nervecli.errors import NerveError, NotFoundError
from nervecli.explore import (
    GENERAL_QUESTIONS,
    Profile,
    alternatives,
    condition_view,
    questions,
    read_profile,
    resolve_source,
    screen,
    source_view,
    sources_overview,
)
from nervecli.model import Catalogue
from nervecli.queries import list_treatments

INFUSIONS = {
    "steroid-infusion", "nerve-block-infusion", "anticonvulsant-infusion",
    "local-anesthetic-infusion", "ketamine-infusion",
}  # fmt: skip


def test_conditions_agree_with_list(catalogue: Catalogue) -> None:
    for condition in catalogue.conditions:
        view = condition_view(catalogue, condition)
        listed = [t.id for t in list_treatments(catalogue, condition=condition)]
        assert sorted(t.id for t in view.treatments) == sorted(listed)
    trigeminal = condition_view(catalogue, "trigeminal-neuralgia")
    assert {t.id for t in trigeminal.treatments} == INFUSIONS


def test_condition_related_and_unknown(catalogue: Catalogue) -> None:
    diabetes = condition_view(catalogue, "diabetes")
    assert "neuropathic-pain" in {c.id for c in diabetes.related}
    with pytest.raises(NotFoundError, match="did you mean 'trigeminal-neuralgia'"):
        condition_view(catalogue, "trigeminal-neuralgi")


def test_check_pregnant_flags_every_infusion_and_sorts_worst_first(catalogue: Catalogue) -> None:
    result = screen(catalogue, Profile(pregnant=True))
    levels = [f.level for f in result.findings]
    assert levels == sorted(levels, key=["discuss", "against", "nothing"].index)
    flagged = {f.treatment.id for f in result.findings if f.level == "discuss"}
    assert flagged == INFUSIONS
    ketamine = next(f for f in result.findings if f.treatment.id == "ketamine-infusion")
    (reason,) = ketamine.reasons
    assert "pregnancy" in reason.text and reason.cited.source == "infusion-side-effects"
    against = {f.treatment.id for f in result.findings if f.level == "against"}
    assert against == {"levetiracetam", "mexiletine", "cannabinoids", "valproate"}
    silent = next(f for f in result.findings if f.treatment.id == "tens")
    assert silent.level == "nothing" and silent.reasons == []


def test_check_has_and_takes(catalogue: Catalogue) -> None:
    result = screen(catalogue, Profile(has=["bleeding disorder"], takes=["blood-thinners"]))
    assert [t.id for t in result.terms] == ["bleeding-disorder", "blood-thinners"]
    ketamine = next(f for f in result.findings if f.treatment.id == "ketamine-infusion")
    assert len(ketamine.reasons) == 1  # one fact, raised by both parts of the profile
    assert ketamine.reasons[0].term == "a bleeding disorder, blood-thinning medicines"
    with_condition = screen(catalogue, Profile(has=["diabetes"]))
    assert [c.id for c in with_condition.conditions] == ["diabetes"]
    assert all(f.level != "discuss" for f in with_condition.findings)


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile(has=["diabets"]), "no condition 'diabets' — did you mean 'diabetes'?"),
        (Profile(takes=["gabapentin"]), "the sources name: blood-thinners"),
        (Profile(takes=["bleeding-disorder"]), "no medicine to screen for"),
    ],
)
def test_check_unknown_terms_are_errors(
    catalogue: Catalogue, profile: Profile, message: str
) -> None:
    with pytest.raises(NotFoundError, match=message):
        screen(catalogue, profile)


def test_profile_file(tmp_path: Path) -> None:
    good = tmp_path / "me.yaml"
    good.write_text("has: [diabetes]\ntakes: [blood-thinners]\npregnant: true\n")
    assert read_profile(good) == Profile(has=["diabetes"], takes=["blood-thinners"], pregnant=True)
    bad = tmp_path / "bad.yaml"
    bad.write_text("has: diabetes\npregant: true\n")
    with pytest.raises(NerveError) as info:
        read_profile(bad)
    message = str(info.value)
    assert message.startswith(f"profile {bad}: ")
    assert "has: Input should be a valid list" in message and "pregant: unknown field" in message
    broken = tmp_path / "broken.yaml"
    broken.write_text("has: [unclosed\n")
    with pytest.raises(NerveError, match=r"broken.yaml:\d+:\d+"):
        read_profile(broken)
    with pytest.raises(NerveError, match="cannot read profile"):
        read_profile(tmp_path / "missing.yaml")


def test_alternatives(catalogue: Catalogue) -> None:
    treatment, found = alternatives(catalogue, "ketamine")
    by_id = {a.treatment.id: a for a in found}
    assert treatment.id == "ketamine-infusion" and "ketamine-infusion" not in by_id
    assert by_id["gabapentin"].why == "named by the sources" and by_id["gabapentin"].cited
    assert "somnolence" in by_id["gabapentin"].difference
    assert by_id["steroid-infusion"].why.startswith("also used for:")
    assert "not stated in sources" in by_id["tens"].difference
    _, none = alternatives(catalogue, "prolotherapy")
    assert none == []


def test_questions(catalogue: Catalogue) -> None:
    groups = questions(catalogue, ["ketamine", "rfa", "ketamine-infusion"])
    assert [g.title for g in groups] == [
        "Ketamine infusion", "Permanent nerve block (radiofrequency ablation)", "In general",
    ]  # fmt: skip
    ketamine = [q.text for q in groups[0].questions]
    assert sum("Does this apply to me?" in q for q in ketamine) == 4
    assert any("up to six hours" in q for q in ketamine)
    assert any("what evidence is there" in q for q in ketamine)
    rfa = [q.text for q in groups[1].questions]
    assert any("difficult to reverse" in q for q in rfa)
    assert any("pain-management specialist" in q for q in rfa)
    assert [q.text for q in groups[2].questions] == list(GENERAL_QUESTIONS)
    assert all(q.cited is None or q.cited.quote for g in groups for q in g.questions)


def test_sources(catalogue: Catalogue) -> None:
    overview = sources_overview(catalogue)
    assert len(overview) == 7 and all(v.uses for v in overview)
    view = source_view(catalogue, "prolotherapy-nerve-damage")
    assert any("aspirating before injecting" in u.citation.quote for u in view.uses)
    assert resolve_source(catalogue, "004").id == "prolotherapy-nerve-damage"
    with pytest.raises(NotFoundError, match="did you mean 'neupsig-2015'"):
        resolve_source(catalogue, "neupsig-2016")
