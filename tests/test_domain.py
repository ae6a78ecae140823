"""The domain layer, on the bundled catalogue: lookup, the conditions graph, the decision
questions, screening, alternatives and questions answer with facts, never with words."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nervecli.domain.alternatives import alternatives
from nervecli.domain.conditions import broader, condition_answer, line_rank, treatments_for
from nervecli.domain.decision import decide, detail, is_serious
from nervecli.domain.listing import list_treatments
from nervecli.domain.lookup import (
    resolve_condition,
    resolve_source,
    resolve_term,
    resolve_treatment,
)
from nervecli.domain.questions import questions
from nervecli.domain.screening import screen
from nervecli.model.catalogue import Catalogue
from nervecli.model.errors import AmbiguousError, NotFoundError, RequestError
from nervecli.model.profile import Profile
from nervecli.model.vocabulary import Question

from .conftest import Invoke


def test_lookup_by_id_alias_name_and_leading_words(catalogue: Catalogue) -> None:
    for name in ("ketamine-infusion", "ketamine", "Ketamine Infusion", "  KETAMINE  "):
        assert resolve_treatment(catalogue, name).id == "ketamine-infusion"
    assert resolve_treatment(catalogue, "nerve-block").id == "nerve-block-infusion"
    with pytest.raises(AmbiguousError) as many:
        resolve_treatment(catalogue, "anticonvulsant")
    assert set(many.value.candidates) == {"anticonvulsant-infusion", "anticonvulsant-medicines"}


def test_not_found_carries_the_closest_names_as_data(catalogue: Catalogue) -> None:
    with pytest.raises(NotFoundError) as missing:
        resolve_treatment(catalogue, "ketamin")
    assert missing.value.what == "treatment" and missing.value.suggestions == ["ketamine"]
    assert "nervecli" not in str(missing.value)  # no command-line advice in the domain
    with pytest.raises(NotFoundError) as term:
        resolve_term(catalogue, "warfarin", ("takes",))
    assert term.value.known == ["blood-thinners"]
    assert resolve_source(catalogue, "neup").id == "neupsig-2015"


@pytest.mark.parametrize("cause", ["diabetes", "shingles", "multiple-sclerosis", "nerve-injury"])
def test_a_cause_of_nerve_pain_reaches_its_treatments(catalogue: Catalogue, cause: str) -> None:
    found = treatments_for(catalogue, resolve_condition(catalogue, cause))
    assert found, cause
    ids = {lt.treatment.id for lt in found}
    assert {"pregabalin", "tcas", "snris"} <= ids
    assert all(lt.via is not None and lt.via.condition.id == "neuropathic-pain" for lt in found)
    assert not {"lidocaine-plasters", "capsaicin-patches"} & ids  # peripheral only


def test_peripheral_neuropathy_reaches_what_its_source_says_it_causes(
    catalogue: Catalogue,
) -> None:
    """The infusion article says it causes nerve pain, not peripheral neuropathic pain."""
    found = {
        lt.treatment.id: lt
        for lt in treatments_for(catalogue, resolve_condition(catalogue, "peripheral-neuropathy"))
    }
    assert "pregabalin" in found and "lidocaine-plasters" not in found
    assert found["steroid-infusion"].via is None  # the infusion article names it directly
    chain = [
        b.condition.id
        for b in broader(catalogue, resolve_condition(catalogue, "peripheral-neuropathy"))
    ]
    assert chain == ["neuropathic-pain"]


def test_trigeminal_neuralgia_does_not_reach_ketamine_through_the_infusion_article(
    catalogue: Catalogue,
) -> None:
    answer = condition_answer(catalogue, resolve_condition(catalogue, "trigeminal-neuralgia"))
    direct = {lt.treatment.id for lt in answer.treatments if lt.via is None}
    assert "ketamine-infusion" not in direct
    assert "steroid-infusion" in direct


def test_list_for_a_condition_is_marked_with_the_way_it_was_reached(cli: Invoke) -> None:
    data = json.loads(cli("list", "--condition", "diabetes", "-f", "json").stdout)
    assert data["count"] > 0 and data["filters"]["condition"]["id"] == "diabetes"
    assert {t["via"]["condition"]["id"] for t in data["treatments"]} == {"neuropathic-pain"}


def test_decision_answers_every_question_and_merges_what_is_shared(catalogue: Catalogue) -> None:
    decision = decide(catalogue, ["steroid", "nerve-block"])
    assert [o.treatment.id for o in decision.options] == [
        "steroid-infusion",
        "nerve-block-infusion",
    ]
    assert decision.silent == ["undo"]
    shared = {q: [r.fact.quote for r in refs] for q, refs in decision.shared.items()}
    assert len(shared["avoid"]) == 4 and all(not o.answers["avoid"] for o in decision.options)
    assert set(Question) >= set(decision.shared)


def test_risks_stated_serious_come_first(catalogue: Catalogue) -> None:
    (option,) = decide(catalogue, ["ketamine"]).options
    flags = [is_serious(r.fact) for r in option.answers["risks"]]
    assert flags == sorted(flags, reverse=True) and flags[0]
    assert all(r.general for r in option.answers["risks"] if is_serious(r.fact))


def test_a_treatment_named_twice_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(RequestError):
        decide(catalogue, ["ketamine", "ketamine-infusion"])


def test_detail_is_in_decision_order_and_says_what_is_silent(catalogue: Catalogue) -> None:
    full = detail(catalogue, resolve_treatment(catalogue, "prolotherapy"))
    keys = [k for k, _ in full.sections]
    assert keys.index("side_effects") < keys.index("what_it_is")
    assert "avoid_if" in full.silent


def test_prolotherapy_is_described_for_another_kind_of_pain(catalogue: Catalogue) -> None:
    (prolo,) = decide(catalogue, ["prolotherapy"]).options
    assert prolo.for_nerve_pain is False
    (pregabalin,) = decide(catalogue, ["pregabalin"]).options
    assert pregabalin.for_nerve_pain is True


def test_screening_finds_the_cautions_and_the_recommendations_against(catalogue: Catalogue) -> None:
    result = screen(catalogue, Profile(has=["bleeding-disorder"], takes=["blood-thinners"]))
    levels = {f.treatment.id: f.level for f in result.findings}
    assert levels["steroid-infusion"] == "discuss" and levels["ketamine-infusion"] == "discuss"
    assert levels["valproate"] == "against" and levels["pregabalin"] == "nothing"
    findings = {f.treatment.id: f for f in result.findings}
    (reason,) = findings["steroid-infusion"].reasons
    assert reason.terms == ["a bleeding disorder", "blood-thinning medicines"]
    assert all(r.ref is not None and r.ref.general for r in findings["ketamine-infusion"].reasons)


def test_alternatives_graded_first_named_or_shared(catalogue: Catalogue) -> None:
    _, found = alternatives(catalogue, "nerve-block")
    ids = [a.treatment.id for a in found]
    # graded first, by line of treatment; among equals, the ones the sources name first
    assert ids[:2] == ["gabapentin", "pregabalin"]
    assert ids.index("otc-pain-relievers") > ids.index("strong-opioids")
    ranks = [line_rank(catalogue, a.treatment) for a in found]
    assert ranks == sorted(ranks)
    assert all(a.shared or a.through for a in found if a.named_by is None)


def test_alternatives_reach_graded_medicines_through_the_condition_graph(
    catalogue: Catalogue,
) -> None:
    _, found = alternatives(catalogue, "ketamine")
    ids = [a.treatment.id for a in found]
    for graded in ("pregabalin", "gabapentin", "tcas", "snris"):
        assert graded in ids[:6], graded
    pregabalin = found[ids.index("pregabalin")]
    # ketamine is for chronic nerve pain, a kind of neuropathic pain, which pregabalin is for
    (mine, via) = pregabalin.through[0]
    assert mine.id == "chronic-nerve-pain" and via.condition.id == "neuropathic-pain"
    # a type of medicine comes after its graded members
    assert ids.index("antidepressants") > max(ids.index("tcas"), ids.index("snris"))


def test_a_type_of_medicine_is_never_called_first_line(cli: Invoke) -> None:
    out = " ".join(cli("alternatives", "ketamine", width=200).stdout.split())
    assert "Antidepressants medicine; first-line" not in out
    assert "a type of medicine: its graded members are" in out
    listed = " ".join(cli("conditions", "diabetes", width=200).stdout.split())
    assert "Opioids: a type of medicine, not graded itself" in listed
    assert listed.index("Pregabalin: first-line") < listed.index("Anticonvulsant infusion")


def test_lists_put_graded_treatments_first(catalogue: Catalogue) -> None:
    from nervecli.domain.conditions import condition_answer
    from nervecli.domain.listing import list_treatments

    for items in (
        [i.treatment for i in list_treatments(catalogue).items],
        [
            lt.treatment
            for lt in condition_answer(catalogue, catalogue.conditions["diabetes"]).treatments
        ],
    ):
        ranks = [line_rank(catalogue, t) for t in items]
        assert ranks == sorted(ranks)
        assert items[0].id == "tcas"


def test_questions_give_every_evidence_record(catalogue: Catalogue) -> None:
    (opioids,) = questions(catalogue, ["opioids"])
    (evidence,) = [t for t in opioids.topics if t.key == "evidence"]
    assert [r.id for r in evidence.records] == ["tramadol", "strong-opioids"]


def test_questions_quote_only_quotes_and_cite_every_source(
    cli: Invoke, catalogue: Catalogue
) -> None:
    quotes = {" ".join(f.quote.split()) for f in _all_facts(catalogue)}
    data = json.loads(cli("questions", "ketamine", "nerve-block", "opioids", "-f", "json").stdout)
    for group in data["treatments"]:
        for q in group["questions"]:
            for inner in re.findall(r"“(.*?)”", q["text"]):
                assert " ".join(inner.split()) in quotes, inner
    ketamine = data["treatments"][0]["questions"]
    (risks,) = [q for q in ketamine if q["text"].startswith("The sources name these side effects")]
    assert {s["id"] for s in risks["sources"]} == {
        "infusion-side-effects",
        "ketamine-what-to-expect",
    }
    text = json.dumps(data)
    assert "against-line" not in text


def _all_facts(catalogue: Catalogue) -> list:  # type: ignore[type-arg]
    from nervecli.model.walk import iter_facts

    return [f for _, _, f in iter_facts(catalogue)]


def test_listing_keeps_types_of_medicine_out_of_the_ranking(catalogue: Catalogue) -> None:
    items = list_treatments(catalogue, sort="nnt").items
    ids = [i.treatment.id for i in items]
    antidepressants = ids.index("antidepressants")
    assert ids[antidepressants - 1] in ("tcas", "snris")
    assert [m.id for m in items[antidepressants].members] == ["tcas", "snris"]


# --- check: silence never reads as "all clear" ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words", "known"),
    [
        (["--has", "kidney-disease"], "kidney disease", "bleeding-disorder"),
        (["--takes", "warfarin"], "warfarin", "blood-thinners"),
    ],
)
def test_check_accepts_a_name_the_sources_do_not_use(
    cli: Invoke, args: list[str], words: str, known: str
) -> None:
    result = cli("check", *args, width=200)
    assert result.exit_code == 0 and result.stderr == ""
    out = " ".join(result.stdout.split())
    assert f"The sources say nothing about {words}." in out
    assert known in out  # the names the sources do use
    assert f"the sources say nothing about {words}: ask your doctor about each" in out
    data = json.loads(cli("check", *args, "-f", "json").stdout)
    (unknown,) = data["unknown"]
    assert unknown["given"] == args[1] and known in unknown["known"]


def test_check_raises_first_then_one_sentence_for_the_silent(cli: Invoke) -> None:
    out = " ".join(
        cli("check", "--has", "bleeding-disorder", "--pregnant", width=200).stdout.split()
    )
    assert "nothing raised" not in out
    sentence = "For these 21 the sources say nothing about a bleeding disorder or pregnancy"
    assert out.count(sentence) == 1
    assert out.index("Steroid infusion") < out.index(sentence) < out.index("Pregabalin: first-line")
    assert "Silence is not a sign that a treatment is safe for you." in out
    data = json.loads(cli("check", "--has", "bleeding-disorder", "--pregnant", "-f", "json").stdout)
    assert len(data["silent_for"]) == 21 and "pregabalin" in data["silent_for"]
    levels = [f["level"] for f in data["findings"]]
    assert levels == sorted(levels, key=["discuss", "against", "nothing"].index)


def test_questions_label_what_is_said_of_a_family_in_general(cli: Invoke) -> None:
    out = " ".join(cli("questions", "ketamine", width=400).stdout.split())
    label = "Said of infusion therapy in general, not of Ketamine infusion."
    assert out.count(f"{label} The sources say: “Infusion therapy may be contraindicated") == 4
    assert (
        "difficulty following complex things; said of infusion therapy in general, not of "
        "Ketamine infusion: infection," in out
    )


WORDS = st.text(alphabet="abcde-", max_size=9)


@settings(max_examples=400, deadline=None)
@given(
    word=WORDS,
    possibilities=st.lists(WORDS, max_size=40),
    n=st.integers(min_value=1, max_value=5),
    cutoff=st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.7, 1.0]),
)
def test_close_matches_is_difflib(
    word: str, possibilities: list[str], n: int, cutoff: float
) -> None:
    """The faster "did you mean" returns difflib's own list: the same names, the same order
    (ties included: a small alphabet makes many), repeated candidates and empty words too."""
    import difflib

    from nervecli.domain.close import close_matches

    expected = difflib.get_close_matches(word, possibilities, n=n, cutoff=cutoff)
    assert close_matches(word, possibilities, n, cutoff) == expected
    assert close_matches(word, iter(possibilities), n, cutoff) == expected  # any iterable


def test_close_matches_refuses_what_difflib_refuses() -> None:
    from nervecli.domain.close import close_matches

    for n, cutoff in ((0, 0.6), (3, -0.1), (3, 1.5)):
        with pytest.raises(ValueError):
            close_matches("ketamine", ["ketamine"], n, cutoff)
