"""Finding treatments by name, listing, the full view and comparisons."""

from __future__ import annotations

import pytest

from nervecli.errors import AmbiguousError, NerveError, NotFoundError
from nervecli.model import Catalogue
from nervecli.queries import (
    compare,
    facts_for,
    list_treatments,
    resolve_treatment,
    routes,
    treatment_view,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ketamine-infusion", "ketamine-infusion"),
        ("ketamine", "ketamine-infusion"),
        ("KETAMINE", "ketamine-infusion"),
        ("Ketamine Infusion", "ketamine-infusion"),
        ("nerve-block", "nerve-block-infusion"),
        ("nerve block", "nerve-block-infusion"),
        ("steroid", "steroid-infusion"),
        ("local", "local-anesthetic-infusion"),
        ("rfa", "permanent-nerve-block"),
        ("ibuprofen", "otc-pain-relievers"),
    ],
)
def test_resolve_by_id_alias_name_and_leading_words(
    catalogue: Catalogue, name: str, expected: str
) -> None:
    assert resolve_treatment(catalogue, name).id == expected


def test_unknown_name_suggests_the_closest(catalogue: Catalogue) -> None:
    with pytest.raises(NotFoundError) as info:
        resolve_treatment(catalogue, "ketamin")
    assert str(info.value) == "no treatment 'ketamin' — did you mean 'ketamine'?"


def test_unknown_name_with_no_close_match(catalogue: Catalogue) -> None:
    with pytest.raises(NotFoundError) as info:
        resolve_treatment(catalogue, "zzzzzzzz")
    assert "nervecli list" in str(info.value)


def test_ambiguous_name_lists_candidates(catalogue: Catalogue) -> None:
    with pytest.raises(AmbiguousError) as info:
        resolve_treatment(catalogue, "anticonvulsant")
    assert info.value.candidates == ["anticonvulsant-infusion", "anticonvulsant-medicines"]


def test_list_filters(catalogue: Catalogue) -> None:
    kinds = {t.kind for t in list_treatments(catalogue, kind="medicine")}
    assert kinds == {"medicine"}
    trigeminal = {t.id for t in list_treatments(catalogue, condition="trigeminal-neuralgia")}
    assert "ketamine-infusion" in trigeminal  # through the infusion-therapy family
    assert "gabapentin" not in trigeminal
    back = {t.id for t in list_treatments(catalogue, condition="back-pain")}
    assert "permanent-nerve-block" in back
    with pytest.raises(NotFoundError):
        list_treatments(catalogue, condition="nonexistent-condition")


def test_family_facts_apply_to_members_and_are_marked(catalogue: Catalogue) -> None:
    ketamine = resolve_treatment(catalogue, "ketamine")
    refs = facts_for(catalogue, ketamine, "avoid_if")
    assert refs and all(r.family is not None and r.family.id == "infusion-therapy" for r in refs)
    assert any("pregnan" in r.fact.text for r in refs)
    own = [r for r in facts_for(catalogue, ketamine, "side_effects") if r.family is None]
    assert {r.fact.name for r in own} >= {"tiredness", "nausea"}  # type: ignore[attr-defined]


def test_routes_and_view(catalogue: Catalogue) -> None:
    assert routes(catalogue, resolve_treatment(catalogue, "gabapentin")) == []
    view = treatment_view(catalogue, resolve_treatment(catalogue, "ketamine"))
    handling = next(s for s in view.sections if s.section.key == "handling")
    assert any("ondansetron" in r.fact.text for r in handling.facts)
    reversibility = next(s for s in view.sections if s.section.key == "reversibility")
    assert reversibility.facts == []


def test_compare_splits_shared_side_effects(catalogue: Catalogue) -> None:
    result = compare(catalogue, ["steroid", "nerve-block"])
    shared = {s.name for s in result.shared_side_effects}
    assert {"infection", "bleeding", "overdose"} <= shared
    own = [{r.fact.name for r in refs} for refs in result.own_side_effects]  # type: ignore[attr-defined]
    assert own == [
        {"weight gain", "mood swings", "immune suppression"},
        {"numbness", "tingling", "weakness"},
    ]
    avoid = next(row for row in result.rows if row.section.key == "avoid_if")
    assert avoid.cells == [[], []] and len(avoid.same_for_all) == 4


def test_compare_same_name_different_sources(catalogue: Catalogue) -> None:
    result = compare(catalogue, ["ketamine", "local-anesthetic"])
    dizziness = next(s for s in result.shared_side_effects if s.name == "dizziness")
    assert [r[0].fact.frequency for r in dizziness.refs] == ["very common", None]  # type: ignore[attr-defined]


def test_compare_across_families_shares_nothing(catalogue: Catalogue) -> None:
    result = compare(catalogue, ["ketamine", "gabapentin", "tens"])
    assert result.shared_side_effects == []
    assert all(not row.same_for_all for row in result.rows)


@pytest.mark.parametrize(
    "names",
    [
        ["ketamine"],
        ["ketamine", "ketamine-infusion"],
        ["a1", "b"],
        ["tens", "cbt", "rfa", "opioids", "ibuprofen"],
    ],
)
def test_compare_rejects_bad_lists(catalogue: Catalogue, names: list[str]) -> None:
    with pytest.raises(NerveError):
        compare(catalogue, names)
