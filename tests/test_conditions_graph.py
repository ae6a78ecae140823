"""The conditions graph walked for every condition at once (`all_conditions`) gives exactly the
answers one breadth-first walk per condition gives: the same treatments, in the same order,
each with the same `via` (condition reached, relation and link of the first step), on random
graphs with cycles, self-links, links to no condition, `kind_of` and `causes` mixed, and
conditions outside the graded sources' scope. The reference below is the walk nervecli used
before (one BFS per condition, quadratic on a long chain), kept here and not in src."""

from __future__ import annotations

import datetime as dt
import json
from collections import deque
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nervecli.domain.conditions import (
    Broader,
    ConditionAnswer,
    LinkedTreatment,
    Relation,
    all_conditions,
    condition_answer,
    line_rank,
    links_by_condition,
    narrower_index,
)
from nervecli.facts.applicable import inherits
from nervecli.model.catalogue import (
    Catalogue,
    Citation,
    Condition,
    EvidenceRecord,
    Fact,
    LinkedFact,
    Meta,
    Treatment,
)
from nervecli.model.vocabulary import LINES

from .conftest import Invoke

# --- the reference: one breadth-first walk per condition ---------------------------------------


def reference_broader(catalogue: Catalogue, condition: Condition) -> list[Broader]:
    found: dict[str, Broader] = {}
    queue: deque[tuple[Condition, Relation | None, LinkedFact | None]] = deque(
        [(condition, None, None)]
    )
    while queue:
        current, first_relation, first_link = queue.popleft()
        relations: tuple[tuple[Relation, list[LinkedFact]], ...] = (
            ("kind_of", current.kind_of),
            ("causes", current.causes),
        )
        for relation, links in relations:
            for link in links:
                for ident in link.links:
                    if ident not in catalogue.conditions:
                        continue
                    if ident == condition.id or ident in found:
                        continue
                    target = catalogue.conditions[ident]
                    step: Relation = first_relation or relation
                    found[ident] = Broader(target, step, first_link or link)
                    queue.append((target, step, first_link or link))
    return list(found.values())


def reference_answer(catalogue: Catalogue, condition: Condition) -> ConditionAnswer:
    index = links_by_condition(catalogue)
    reached = reference_broader(catalogue, condition)
    out: dict[str, LinkedTreatment] = {}
    for t in index.get(condition.id, []):
        out.setdefault(t.id, LinkedTreatment(t))
    for b in reached:
        for t in index.get(b.condition.id, []):
            if inherits(catalogue, t, condition):
                out.setdefault(t.id, LinkedTreatment(t, b))
    treatments = sorted(
        out.values(),
        key=lambda lt: (
            lt.via is not None,
            line_rank(catalogue, lt.treatment),
            lt.treatment.group is not None,
        ),
    )
    below = narrower_index(catalogue).get(condition.id, [])
    return ConditionAnswer(condition, treatments, list(below), lambda: reached)


def _via(b: Broader | None) -> tuple[str, str, int] | None:
    return None if b is None else (b.condition.id, b.relation, id(b.link))


def shape(answer: ConditionAnswer) -> dict[str, Any]:
    """Everything an answer says, links compared by identity (records have no `__eq__`)."""
    return {
        "condition": answer.condition.id,
        "treatments": [(lt.treatment.id, _via(lt.via)) for lt in answer.treatments],
        "broader": [_via(b) for b in answer.broader],
        "narrower": [c.id for c in answer.narrower],
    }


# --- random catalogues ---------------------------------------------------------------------------


def _fact(text: str, links: list[str] | None = None) -> Any:
    if links is None:
        return Fact(text=text, source="doc", quote=text)
    return LinkedFact(text=text, source="doc", quote=text, links=links)


@st.composite
def catalogues(draw: st.DrawFn, max_conditions: int = 7) -> Catalogue:
    n = draw(st.integers(1, max_conditions))
    ids = [f"c{i}" for i in range(n)]
    target = st.sampled_from([*ids, "gone"])  # "gone": a link to no condition
    links = st.lists(st.lists(target, max_size=3), max_size=2)
    conditions: dict[str, Condition] = {}
    for i, ident in enumerate(ids):
        conditions[ident] = Condition(
            id=ident,
            name=f"Condition {i}",
            kind_of=[_fact(f"k{i}.{j}", ls) for j, ls in enumerate(draw(links))],
            causes=[_fact(f"c{i}.{j}", ls) for j, ls in enumerate(draw(links))],
            outside_evidence=_fact("outside") if draw(st.booleans()) else None,
        )
    evidence: dict[str, EvidenceRecord] = {}
    treatments: dict[str, Treatment] = {}
    m = draw(st.integers(0, 9))
    tids = draw(st.permutations([f"t{i}" for i in range(m)]))  # ids not in catalogue order
    for i, tid in enumerate(tids):
        graded = draw(st.integers(0, 3)) == 0  # mostly ungraded: ties keep the walk's order
        lines = draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=2)) if graded else []
        records = []
        for j, line in enumerate(lines):
            record = EvidenceRecord(
                id=f"e{i}-{j}",
                medicine=tid,
                line=line,
                strength="strong",
                recommendation=Citation(source="doc", quote="graded"),
            )
            evidence[record.id] = record
            records.append(record.id)
        group = None
        if not records and draw(st.booleans()):  # a type of medicine, ranked by its members
            members = draw(st.lists(st.sampled_from(tids[:i]), max_size=2)) if i else []
            group = _fact("group", members)
        treatments[tid] = Treatment(
            id=tid,
            name=f"Treatment {i}",
            kind="medicine",
            summary=_fact("summary"),
            evidence=records,
            group=group,
            used_for=[_fact("for", ls) for ls in draw(links)],
        )
    meta = Meta(version="t", last_reviewed=dt.date(2026, 1, 1))
    return Catalogue(meta=meta, treatments=treatments, conditions=conditions, evidence=evidence)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues())
def test_every_condition_at_once_answers_as_one_walk_per_condition(catalogue: Catalogue) -> None:
    together = all_conditions(catalogue)
    assert [a.condition.id for a in together] == list(catalogue.conditions)
    for answer in together:
        expected = shape(reference_answer(catalogue, answer.condition))
        assert shape(answer) == expected
        alone = condition_answer(catalogue, answer.condition)
        assert shape(alone) == expected


def _chain(n: int, relation: str, treatment_every: int) -> Catalogue:
    """c0 -> c1 -> ... -> c(n-1) -> c0 (a cycle), a treatment linked to every k-th."""
    conditions = {
        f"c{i}": Condition(
            id=f"c{i}",
            name=f"Condition {i}",
            **{relation: [_fact(f"step {i}", [f"c{(i + 1) % n}"])]},
        )
        for i in range(n)
    }
    treatments = {
        f"t{i}": Treatment(
            id=f"t{i}",
            name=f"Treatment {i}",
            kind="medicine",
            summary=_fact("summary"),
            used_for=[_fact("for", [f"c{i}"])],
        )
        for i in range(0, n, treatment_every)
    }
    meta = Meta(version="t", last_reviewed=dt.date(2026, 1, 1))
    return Catalogue(meta=meta, treatments=treatments, conditions=conditions)


def test_a_long_cycle_ends_and_each_condition_finds_every_treatment_nearest_first() -> None:
    n, every = 600, 50
    catalogue = _chain(n, "causes", every)
    answers = all_conditions(catalogue)
    for i in (0, 1, 49, 50, 599):
        answer = answers[i]
        assert shape(answer) == shape(reference_answer(catalogue, answer.condition))
        reached = [lt.treatment.id for lt in answer.treatments]
        nearest = sorted(range(0, n, every), key=lambda j: (j - i) % n)
        assert reached == [f"t{j}" for j in nearest]


# --- the bundled catalogue: what people see, unchanged -------------------------------------------


def _graph_part(record: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """What the walk decides in a condition's JSON record: its treatments, in order, and the
    condition and relation each is reached through."""
    return [
        (
            t["id"],
            t["via"]["condition"]["id"] if t["via"] else None,
            t["via"]["relation"] if t["via"] else None,
        )
        for t in record["treatments"]
    ]


def test_the_bundled_conditions_are_shown_as_before(
    cli: Invoke, catalogue: Catalogue, snapshot: Any
) -> None:
    """`conditions`, `conditions -f json` and every `conditions NAME`, pinned; and the overview's
    record of each condition is the one `conditions NAME -f json` gives."""
    overview = cli("conditions")
    assert overview.exit_code == 0 and overview.stderr == ""
    records = json.loads(cli("conditions", "-f", "json").stdout)["conditions"]
    assert [r["id"] for r in records] == list(catalogue.conditions)
    views = {}
    for record in records:
        alone = json.loads(cli("conditions", record["id"], "-f", "json").stdout)
        assert alone["condition"] == record
        shown = cli("conditions", record["id"])
        assert shown.exit_code == 0 and shown.stderr == ""
        views[record["id"]] = shown.stdout
    assert {r["id"]: _graph_part(r) for r in records} == snapshot(name="json")
    assert overview.stdout == snapshot(name="overview")
    assert views == snapshot(name="each")
