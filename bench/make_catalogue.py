"""Write a valid synthetic catalogue of N treatments: `python bench/make_catalogue.py N DIR`.

By default each treatment is as rich as the bundled catalogue's average entry (about 1.8 KB of
YAML: aliases, a family, a summary, half a dozen facts over the sections, side effects with
frequencies, links to conditions and alternatives, and for some an evidence record). With
`--rich`, each is as rich as its richest entry, ketamine infusion (two dozen facts, side effects
with handling, about 7 KB). Entries are spread over files of
100, with sources, families, conditions and screening terms in files of their own, as an author
would write them. The text is made of real English words, so search has a realistic vocabulary.
The catalogue stands alone (use it with --no-bundled) and passes `nervecli validate`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

WORDS = [
    "nerve",
    "pain",
    "relief",
    "infusion",
    "injection",
    "medicine",
    "therapy",
    "session",
    "dose",
    "rate",
    "clinic",
    "nurse",
    "doctor",
    "needle",
    "skin",
    "muscle",
    "joint",
    "spine",
    "brain",
    "signal",
    "receptor",
    "block",
    "heat",
    "numb",
    "tingling",
    "burning",
    "shooting",
    "stabbing",
    "chronic",
    "severe",
    "mild",
    "swelling",
    "bleeding",
    "infection",
    "allergy",
    "pregnancy",
    "sleep",
    "diet",
    "water",
    "exercise",
    "stretch",
    "massage",
    "device",
    "pulse",
    "current",
    "patch",
    "plaster",
    "tablet",
    "capsule",
    "morning",
    "evening",
    "weekly",
    "daily",
    "hours",
    "minutes",
    "weeks",
    "months",
    "rest",
    "recovery",
    "guidance",
    "ultrasound",
    "imaging",
    "scan",
    "aspirate",
    "slowly",
    "steady",
    "comfortable",
    "chair",
    "bed",
    "music",
    "relax",
    "nausea",
    "dizziness",
    "tiredness",
    "headache",
    "rash",
    "itch",
    "constipation",
    "dry",
    "mouth",
    "weight",
    "mood",
    "fever",
    "redness",
    "bruising",
    "soreness",
    "stiffness",
    "weakness",
    "balance",
    "vision",
    "memory",
    "focus",
    "appetite",
    "thirst",
    "sweating",
]
KINDS = ["infusion", "injection", "procedure", "medicine", "device", "therapy", "self-care"]
FREQUENCIES = ["very common", "common", "sometimes", "rare"]
PER_FILE = 100
SECTIONS = [
    "what_it_is", "session_length", "avoid_if", "warning_signs", "risk_reduction", "benefits",
    "relief", "before", "during", "after", "reversibility", "eligibility", "choosing_provider",
]  # fmt: skip


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def fact(rng: random.Random, source: str, **extra: object) -> dict[str, object]:
    text = sentence(rng)
    # the quote is words of the text, as a real quote would share the fact's words
    return {"text": text, "source": source, "quote": text[:-1].lower(), **extra}


def header(n: int) -> dict[str, object]:
    return {
        "catalogue": {"version": f"synthetic-{n}", "last_reviewed": "2026-11-21"},
        "sources": [
            {
                "id": f"doc-{i}",
                "kind": "seed",
                "genre": "clinic-article" if i % 5 == 0 else "web-article",
                "promotional": i % 5 == 0,
                "file": f"doc-{i}.txt",
                "title": f"Document {i}",
            }
            for i in range(20)
        ],
        "screening": [
            {"id": "pregnancy", "asks": "pregnant", "name": "pregnancy", "aliases": ["pregnant"]},
            {"id": "bleeding-disorder", "asks": "has", "name": "a bleeding disorder"},
            {"id": "blood-thinners", "asks": "takes", "name": "blood-thinning medicines"},
        ],
    }


def families(rng: random.Random) -> dict[str, object]:
    return {
        "families": [
            {
                "id": f"family-{i}",
                "name": f"Family {i}",
                "avoid_if": [fact(rng, "doc-0", about=["pregnancy"])],
                "side_effects": [
                    fact(rng, "doc-1", name=f"family effect {i}", frequency="common")
                    | {"quote": "common " + sentence(rng).lower()}
                ],
            }
            for i in range(20)
        ]
    }


def conditions(rng: random.Random, count: int) -> dict[str, object]:
    return {
        "conditions": [
            {
                "id": f"condition-{i}",
                "name": f"Condition {i} {rng.choice(WORDS)}",
                "about": [fact(rng, "doc-2")],
                "symptoms": [fact(rng, "doc-3")],
                # a graph like the bundled one: most conditions are kinds of a broader one
                "kind_of": [fact(rng, "doc-2", links=[f"condition-{i // 10}"])] if i >= 10 else [],
            }
            for i in range(count)
        ],
        "evidence": [
            {
                "id": f"record-{i}",
                "medicine": f"medicine {i}",
                "line": "first",
                "strength": "strong",
                "applies_to": "all",
                "recommendation": {
                    "source": "doc-4",
                    "quote": f"| first | medicine {i} | strong | all |",
                },
                "nnt": f"{2 + i % 9}.{i % 10} (1.{i % 10}-19.9)",
                "effect": {
                    "source": "doc-4",
                    "quote": f"| medicine {i} | {2 + i % 9}.{i % 10} (1.{i % 10}-19.9) |",
                },
            }
            for i in range(50)
        ],
    }


def treatment(
    rng: random.Random, i: int, n_conditions: int, n: int, rich: bool = True
) -> dict[str, object]:
    ident = f"treatment-{i}-{rng.choice(WORDS)}"
    entry: dict[str, object] = {
        "id": ident,
        "name": f"Treatment {i} {rng.choice(WORDS)} {rng.choice(WORDS)}",
        "aliases": [f"alias-{i}", f"t{i}"],
        "kind": rng.choice(KINDS),
        "family": f"family-{i % 20}",
        "summary": fact(rng, f"doc-{i % 20}"),
        "how_given": [fact(rng, f"doc-{i % 20}", route=rng.choice(["IV", "injection", "oral"]))],
        "used_for": [fact(rng, "doc-5", links=[f"condition-{rng.randrange(n_conditions)}"])],
        "alternatives": [fact(rng, "doc-6", links=[f"alias-{rng.randrange(n)}"][:0])],
        "side_effects": [],
    }
    sections = SECTIONS if rich else rng.sample(SECTIONS, 3)
    for section in sections:
        entry[section] = [fact(rng, f"doc-{rng.randrange(20)}") for _ in range(rng.choice([1, 2]))]
    for k in range(4 if rich else 1):
        frequency = rng.choice(FREQUENCIES)
        effect = fact(rng, "doc-7", name=rng.choice(WORDS), frequency=frequency)
        effect["quote"] = f"{frequency} {effect['quote']}"
        if k == 0:
            effect["handling"] = [fact(rng, "doc-8")]
        entry["side_effects"].append(effect)  # type: ignore[union-attr]
    if i % 5 == 0:
        entry["evidence"] = [f"record-{i % 50}"]
    return entry


def write(n: int, folder: Path, seed: int = 2026, rich: bool = False) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_conditions = max(10, n // 50)

    def dump(name: str, data: object) -> None:
        text = yaml.dump(
            data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100
        )
        (folder / name).write_text(text, encoding="utf-8")

    dump("catalogue.yaml", header(n))
    dump("families.yaml", families(rng))
    dump("conditions.yaml", conditions(rng, n_conditions))
    (folder / "treatments").mkdir(exist_ok=True)
    for start in range(0, n, PER_FILE):
        batch = [
            treatment(rng, i, n_conditions, n, rich) for i in range(start, min(n, start + PER_FILE))
        ]
        dump(f"treatments/treatments-{start // PER_FILE:05d}.yaml", {"treatments": batch})


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--rich"]
    if len(args) != 2 or not args[0].isdigit():
        sys.exit("usage: python bench/make_catalogue.py [--rich] N DIR")
    write(int(args[0]), Path(args[1]), rich="--rich" in sys.argv)


if __name__ == "__main__":
    main()
