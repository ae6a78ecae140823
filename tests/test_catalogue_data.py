"""The bundled catalogue says no more than its documents: every quote word for word (checked by
`nervecli validate --sources`, the command authors use), no frequency or certainty word a
quote lacks, no hedge dropped, family facts only for the members a source names, and links
only as the sources make them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nervecli.domain.lookup import resolve_condition, resolve_treatment
from nervecli.facts.applicable import facts_for
from nervecli.model.catalogue import Catalogue, Fact, LinkedFact
from nervecli.model.walk import iter_facts
from nervecli.reading.content import NAMING_SECTIONS, certainty_added, hedge_dropped

from .conftest import DATA, Invoke


def test_every_quote_is_word_for_word_in_its_document(
    cli: Invoke, seeds: Path, evidence_dir: Path
) -> None:
    result = cli(
        "validate",
        str(DATA),
        "--no-bundled",
        "--sources",
        str(seeds),
        "--sources",
        str(evidence_dir),
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "every quote found in its document" in result.stdout


def test_all_five_seed_documents_are_sources(catalogue: Catalogue, seeds: Path) -> None:
    files = {s.file for s in catalogue.sources.values() if s.kind == "seed"}
    assert files == {p.name for p in seeds.iterdir() if p.suffix == ".txt"}


def test_source_titles_are_the_documents_own_first_lines(catalogue: Catalogue, seeds: Path) -> None:
    for source in catalogue.sources.values():
        if source.kind != "seed":
            continue
        text = (seeds / source.file).read_text(encoding="utf-8")
        if source.note and "no title line" in source.note:
            assert source.title.lower() in " ".join(text.split()).lower()
        else:
            assert source.title == text.splitlines()[0].strip()


def test_promotional_sources_are_the_clinic_ones(catalogue: Catalogue, seeds: Path) -> None:
    promotional = {s.file for s in catalogue.sources.values() if s.promotional}
    assert promotional == {"002_15bffcf12624d582.txt", "003_92d08045e55dedbe.txt"}
    for source in catalogue.sources.values():
        if source.publisher and source.kind == "seed":  # a publisher is named only from the text
            assert source.publisher in (seeds / source.file).read_text(encoding="utf-8")
        assert source.published is None or source.kind == "evidence"  # the seeds are undated


# --- words a fact may not add, and hedges it may not drop ----------------------------------------

# The rules are nervecli's own (nervecli.reading.content), run by the loader on every catalogue;
# here they are run over the bundled catalogue's every fact, and shown to catch what they are for.


def test_the_fidelity_checks_catch_what_they_are_for() -> None:
    invented = Fact(
        text="Usually considered when nothing else works.", source="x", quote="may be considered"
    )
    assert certainty_added(invented) == ["usually"]
    dropped = Fact(text="Chronic back pain.", source="x", quote="you may be a candidate")
    assert hedge_dropped(dropped) == ["may"]
    kept = Fact(text="You may be a candidate.", source="x", quote="you may be a candidate")
    assert hedge_dropped(kept) == [] and certainty_added(kept) == []


def test_no_fact_carries_a_frequency_or_certainty_word_its_quote_lacks(
    catalogue: Catalogue,
) -> None:
    found = [
        f"{owner} ({section}): {fact.text!r} adds {certainty_added(fact)}"
        for owner, section, fact in iter_facts(catalogue)
        if certainty_added(fact)
    ]
    assert not found, "\n".join(found)


def test_no_claim_drops_its_hedge(catalogue: Catalogue) -> None:
    found = [
        f"{owner} ({section}): {fact.text!r} drops {hedge_dropped(fact)} of {fact.quote!r}"
        for owner, section, fact in iter_facts(catalogue)
        if section not in NAMING_SECTIONS and hedge_dropped(fact)
    ]
    assert not found, "\n".join(found)


def test_no_fact_pretends_to_be_not_stated(catalogue: Catalogue) -> None:
    assert all("not stated" not in f.text.lower() for _, _, f in iter_facts(catalogue))


# --- families: only the members a source names ---------------------------------------------------


def test_the_infusion_family_is_the_four_the_article_names(catalogue: Catalogue) -> None:
    members = {t.id for t in catalogue.treatments.values() if t.family == "infusion-therapy"}
    assert members == {
        "steroid-infusion",
        "nerve-block-infusion",
        "anticonvulsant-infusion",
        "local-anesthetic-infusion",
    }


def test_ketamine_has_only_the_infusion_cautions_labelled_general(catalogue: Catalogue) -> None:
    ketamine = resolve_treatment(catalogue, "ketamine")
    assert ketamine.family is None and ketamine.cautions_from == "infusion-therapy"
    for key in ("used_for", "relief", "what_it_is", "eligibility", "before"):
        assert all(r.family is None for r in facts_for(catalogue, ketamine, key)), key
    cautions = facts_for(catalogue, ketamine, "side_effects") + facts_for(
        catalogue, ketamine, "avoid_if"
    )
    family = [r for r in cautions if r.family is not None]
    assert family and all(r.general for r in family)


def test_medicine_family_facts_reach_only_the_types_the_article_names(catalogue: Catalogue) -> None:
    members = {t.id for t in catalogue.treatments.values() if t.family == "nerve-pain-medicines"}
    assert members == {"antidepressants", "anticonvulsant-medicines", "opioids"}


def test_family_facts_are_written_once(catalogue: Catalogue) -> None:
    family_quotes = {f.quote for f in catalogue.families["infusion-therapy"].avoid_if}
    for t in catalogue.treatments.values():
        assert not family_quotes & {f.quote for f in t.avoid_if}, t.id


# --- links and names as the sources make them ----------------------------------------------------


def _links(catalogue: Catalogue, name: str) -> set[str]:
    t = resolve_treatment(catalogue, name)
    return {
        i
        for r in facts_for(catalogue, t, "used_for")
        if isinstance(r.fact, LinkedFact)
        for i in r.fact.links
    }


def test_links_are_as_the_sources_make_them(catalogue: Catalogue) -> None:
    assert "chronic-nerve-pain" not in _links(catalogue, "permanent-nerve-block")
    assert _links(catalogue, "permanent-nerve-block") == {
        "chronic-back-pain",
        "vulvar-varicosities",
        "chronic-pain",
    }
    steroid = _links(catalogue, "steroid")
    assert "back-pain" in steroid and "chronic-back-pain" not in steroid
    assert not _links(catalogue, "ketamine") & {
        "trigeminal-neuralgia",
        "peripheral-neuropathy",
        "cancer-nerve-pain",
    }


def test_the_permanent_block_is_named_as_its_source_names_it(catalogue: Catalogue) -> None:
    block = resolve_treatment(catalogue, "permanent-nerve-block")
    assert "radiofrequency" not in block.name.lower()
    texts = " ".join(f.text for owner, _, f in iter_facts(catalogue) if owner == block.id)
    assert "often radiofrequency" in texts


# Words a source uses to say something is usual, not always: 'often radiofrequency', 'most
# commonly dextrose'. What follows one cannot name the treatment outright.
HEDGED_ONE = re.compile(r"\b(?:often|most commonly|commonly|usually|sometimes)\s+([a-z]+)")


def test_no_name_or_alias_drops_a_hedge_its_sources_put_on_it(catalogue: Catalogue) -> None:
    found = []
    for treatment in catalogue.treatments.values():
        quotes = " ".join(
            f.quote.lower() for owner, _, f in iter_facts(catalogue) if owner == treatment.id
        )
        hedged = set(HEDGED_ONE.findall(quotes))
        names = [treatment.name.lower(), *(a.replace("-", " ") for a in treatment.aliases)]
        for name in names:
            bad = hedged & set(re.findall(r"[a-z]+", name))
            if bad:
                found.append(f"{treatment.id}: {name!r} names {sorted(bad)} outright")
    assert not found, "\n".join(found)


def test_imaging_is_how_it_works_and_vulnerable_sites_are_where_risk_is_higher(
    catalogue: Catalogue,
) -> None:
    block = resolve_treatment(catalogue, "permanent-nerve-block")
    assert not any("imaging" in f.text.lower() for f in block.risk_reduction)
    assert any("imaging" in f.text.lower() for f in block.what_it_is)
    prolo = resolve_treatment(catalogue, "prolotherapy")
    assert any("spine" in f.text.lower() for f in prolo.higher_risk)
    assert not any("spine" in f.text.lower() for f in prolo.risk_reduction)


def test_routes_follow_each_treatments_own_facts(cli: Invoke) -> None:
    import json

    listed = {
        t["id"]: t["how_given"] for t in json.loads(cli("list", "-f", "json").stdout)["treatments"]
    }
    assert listed["nerve-block-infusion"] == ["to the nerves"]
    assert listed["local-anesthetic-infusion"] == ["to the pain site"]
    assert listed["steroid-infusion"] == ["IV"]


@pytest.mark.parametrize(
    ("condition", "fact"),
    [
        ("chronic-nerve-pain", "symptoms"),
        ("chronic-nerve-pain", "why_chronic"),
        ("vulvar-varicosities", "symptoms"),
        ("neuropathic-pain", "effects"),
    ],
)
def test_what_a_source_states_of_a_condition_is_in_it(
    catalogue: Catalogue, condition: str, fact: str
) -> None:
    assert getattr(resolve_condition(catalogue, condition), fact)


@pytest.mark.parametrize(
    ("treatment", "section", "needle"),
    [
        ("ketamine", "risk_reduction", "dose or the rate"),
        ("prolotherapy", "benefits", "long-term pain relief"),
        ("prolotherapy", "risk_reduction", "nerve pathways"),
        ("prolotherapy", "risk_reduction", "imaging guidance"),
        ("permanent-nerve-block", "choosing_provider", "explain the procedure"),
        ("permanent-nerve-block", "eligibility", "weigh the potential benefits against the risks"),
    ],
)
def test_what_a_source_states_of_a_treatment_is_in_it(
    catalogue: Catalogue, treatment: str, section: str, needle: str
) -> None:
    t = resolve_treatment(catalogue, treatment)
    texts = " ".join(r.fact.text + " " + r.fact.quote for r in facts_for(catalogue, t, section))
    assert needle in texts


def test_prolotherapy_nerve_injury_carries_its_mechanisms(catalogue: Catalogue) -> None:
    prolo = resolve_treatment(catalogue, "prolotherapy")
    (injury,) = [s for s in prolo.side_effects if s.name == "nerve damage"]
    mechanisms = " ".join(m.quote for m in injury.mechanisms)
    for needle in (
        "strikes a nerve",
        "chemical irritation",
        "nerve sheath",
        "compresses nearby nerves",
    ):
        assert needle in mechanisms


def test_a_phrase_that_introduces_a_list_is_not_a_frequency(catalogue: Catalogue) -> None:
    for _, _, fact in iter_facts(catalogue):
        assert getattr(fact, "frequency", None) != "some of the most common"


@pytest.mark.parametrize(
    "name",
    [
        "steroid", "nerve-block", "anticonvulsant-infusion", "local-anesthetic", "ketamine",
        "permanent-nerve-block", "permanent-nerve-blocks", "prolotherapy",
        "acetaminophen", "ibuprofen", "gabapentin", "pregabalin", "antidepressants",
        "anticonvulsants", "opioids", "physical-therapy", "massage", "lifestyle-changes", "tens",
        "acupuncture", "chiropractic", "psychological-therapy", "cbt", "mindfulness",
    ],
)  # fmt: skip
def test_every_treatment_in_the_documents_is_in_the_catalogue(
    catalogue: Catalogue, name: str
) -> None:
    assert resolve_treatment(catalogue, name).id


@pytest.mark.parametrize(
    "name",
    [
        "chronic-nerve-pain", "severe-nerve-pain", "cancer-nerve-pain", "peripheral-neuropathy",
        "trigeminal-neuralgia", "diabetes", "multiple-sclerosis", "shingles", "nerve-injury",
        "chronic-back-pain", "vulvar-varicosities", "neuropathic-pain",
    ],
)  # fmt: skip
def test_every_condition_in_the_documents_is_in_the_catalogue(
    catalogue: Catalogue, name: str
) -> None:
    assert resolve_condition(catalogue, name).id


def test_ketamine_carries_the_facts_of_its_document(catalogue: Catalogue) -> None:
    ketamine = resolve_treatment(catalogue, "ketamine")
    text = " ".join(f.text for owner, _, f in iter_facts(catalogue) if owner == ketamine.id)
    for needle in ["NMDA", "up to six hours", "ondansetron", "dose or the rate"]:
        assert needle in text
    effects = {s.name: s.frequency for s in ketamine.side_effects}
    assert effects == {
        "tiredness": "very common",
        "dizziness": "very common",
        "nausea": "common",
        "hallucinations": "sometimes",
        "difficulty following complex things": None,
    }
    assert [r.route for r in ketamine.how_given] == ["IV"]


def test_catalogue_has_a_version_and_review_date(catalogue: Catalogue) -> None:
    assert catalogue.meta.version
    assert catalogue.meta.last_reviewed.year >= 2026


def test_no_fact_from_the_infusion_article_reaches_ketamine(catalogue: Catalogue) -> None:
    """The infusion article names four infusions and never ketamine: none of its facts may
    link to it (as an alternative, a use or anything else)."""
    for owner, section, fact in iter_facts(catalogue):
        if fact.source == "infusion-side-effects" and isinstance(fact, LinkedFact):
            assert "ketamine-infusion" not in fact.links, (owner, section, fact.text)


# --- issue 18: scope, groups and composition, each class over the whole catalogue -----------------


def test_no_condition_outside_the_evidence_inherits_a_graded_medicine(
    catalogue: Catalogue,
) -> None:
    from nervecli.domain.conditions import treatments_for
    from nervecli.facts.applicable import graded

    outside = [c for c in catalogue.conditions.values() if c.outside_evidence is not None]
    assert [c.id for c in outside] == ["trigeminal-neuralgia"]
    for condition in outside:
        assert condition.outside_evidence is not None
        assert condition.name.lower() in condition.outside_evidence.quote.lower()
        for linked in treatments_for(catalogue, condition):
            assert linked.via is None or not graded(catalogue, linked.treatment), (
                condition.id,
                linked.treatment.id,
            )


def test_trigeminal_neuralgia_is_offered_no_graded_line(cli: Invoke) -> None:
    for args in (("conditions", "trigeminal-neuralgia"), ("list", "--condition", "trigeminal")):
        out = cli(*args, width=120).stdout
        assert "first-line" not in out and "Pregabalin" not in out and "TCAs" not in out, args


def test_a_family_fact_said_in_general_never_stands_beside_a_members_own(
    catalogue: Catalogue,
) -> None:
    from nervecli.model.catalogue import SECTION_KEYS

    for treatment in catalogue.treatments.values():
        for key in SECTION_KEYS:
            refs = facts_for(catalogue, treatment, key)
            general = [r for r in refs if r.family is not None and r.fact.general]
            own = [r for r in refs if r.family is None]
            assert not (general and own), (treatment.id, key)
            assert all(r.general for r in general), (treatment.id, key)
            for r in refs:
                assert not r.fact.members or treatment.id in r.fact.members, (treatment.id, key)


def test_route_and_relief_of_the_infusion_family_are_not_claimed_for_its_members(
    catalogue: Catalogue,
) -> None:
    for ident in ("nerve-block-infusion", "local-anesthetic-infusion", "anticonvulsant-infusion"):
        treatment = catalogue.treatments[ident]
        for key in ("how_given", "relief", "what_it_is"):
            texts = [r.fact.text for r in facts_for(catalogue, treatment, key) if r.family]
            assert "Through an IV into the bloodstream." not in texts
            assert "Can provide fast and long-lasting relief." not in texts


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_serious_risk_keeps_its_frequency_in_show(catalogue: Catalogue, cli: Invoke) -> None:
    from nervecli.domain.decision import is_serious
    from nervecli.model.catalogue import SideEffect

    checked = 0
    for treatment in catalogue.treatments.values():
        refs = facts_for(catalogue, treatment, "side_effects")
        serious = [r.fact for r in refs if is_serious(r.fact) and r.fact.frequency]  # type: ignore[attr-defined]
        if not serious:
            continue
        out = _flat(cli("show", treatment.id, width=200).stdout)
        for fact in serious:
            assert isinstance(fact, SideEffect) and fact.frequency
            assert f"{fact.name} ({fact.frequency}" in out, (treatment.id, fact.name)
            checked += 1
    assert checked >= 2  # the permanent block's nerve damage and infection


def test_a_qualifier_naming_one_medicine_is_shown_only_for_it(
    catalogue: Catalogue, cli: Invoke
) -> None:
    from nervecli.facts.applicable import evidence_for

    seen = 0
    for treatment in catalogue.treatments.values():
        if not evidence_for(catalogue, treatment):
            continue
        named = " ".join(r.medicine.lower() for r in evidence_for(catalogue, treatment))
        out = _flat(cli("show", treatment.id, "--full", width=200).stdout)
        for qualifier in re.findall(r"\(particularly ([^)]*)\)", out):
            seen += 1
            assert qualifier.lower() in named, (treatment.id, qualifier)
    assert seen >= 2


def test_no_type_of_medicine_carries_evidence(catalogue: Catalogue) -> None:
    groups = [t for t in catalogue.treatments.values() if t.group is not None]
    assert {t.id for t in groups} >= {"antidepressants", "opioids", "anticonvulsant-medicines"}
    assert all(not t.evidence for t in groups)


def _names(entry: object) -> list[str]:
    ident: str = entry.id  # type: ignore[attr-defined]
    aliases: list[str] = entry.aliases  # type: ignore[attr-defined]
    return [entry.name.lower(), ident.replace("-", " "), *(a.replace("-", " ") for a in aliases)]  # type: ignore[attr-defined]


def _named(names: list[str], quote: str) -> bool:
    quote = quote.lower()
    for name in names:
        words = re.findall(r"[a-z0-9]+", name)
        pattern = r"\b" + r"[\s-]+".join(re.escape(w) + "s?" for w in words) + r"\b"
        if words and re.search(pattern, quote):
            return True
    return False


# A graded source's scope column names its conditions for it.
SCOPE = {"all": "neuropathic-pain", "peripheral only": "peripheral-neuropathic-pain"}


def test_every_condition_link_rests_on_a_quote_naming_where_it_leads(
    catalogue: Catalogue,
) -> None:
    found = []
    for owner, section, fact in iter_facts(catalogue):
        if section not in ("used_for", "kind_of", "causes") or not isinstance(fact, LinkedFact):
            continue
        scope = fact.quote.strip(" |").split("|")[-1].strip() if fact.quote.startswith("|") else ""
        for link in fact.links:
            target = catalogue.conditions.get(link)
            if target is None or SCOPE.get(scope) == link:
                continue
            if not _named(_names(target), fact.quote):
                found.append(f"{owner} ({section}) -> {link}: {fact.quote!r}")
    assert not found, "\n".join(found)


def _hedged_texts(catalogue: Catalogue, treatment: object) -> list[str]:
    from nervecli.model.catalogue import SECTION_KEYS, SideEffect, Treatment
    from nervecli.reading.content import HEDGES

    assert isinstance(treatment, Treatment)
    texts = []
    for key in SECTION_KEYS:
        for ref in facts_for(catalogue, treatment, key):
            if isinstance(ref.fact, SideEffect):
                continue  # named in lists; their frequency words are tested above
            if set(re.findall(r"[a-z]+", ref.fact.text.lower())) & set(HEDGES):
                texts.append(_flat(ref.fact.text).lower().rstrip("."))
    return texts


def test_every_hedged_fact_keeps_its_hedge_in_every_composed_view(
    catalogue: Catalogue, cli: Invoke
) -> None:
    """Each fact's sentence, hedge and all, in `show --full` of every treatment and in
    `compare --full` of every pair that shares a family (where facts are merged)."""
    views: list[tuple[str, ...]] = [(t.id,) for t in catalogue.treatments.values()]
    by_family: dict[str, list[str]] = {}
    for t in catalogue.treatments.values():
        if t.family or t.cautions_from:
            by_family.setdefault(t.family or t.cautions_from or "", []).append(t.id)
    for members in by_family.values():
        views += [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
    missing = []
    for names in views:
        command = "show" if len(names) == 1 else "compare"
        out = _flat(cli(command, *names, "--full", width=400).stdout).lower()
        for name in names:
            for text in _hedged_texts(catalogue, catalogue.treatments[name]):
                if text not in out:
                    missing.append(f"{command} {' '.join(names)}: {text!r}")
    assert not missing, "\n".join(missing)
