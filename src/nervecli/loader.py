"""Find, parse and validate catalogue files into one cross-checked `Catalogue`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from nervecli.errors import CatalogueError
from nervecli.model import (
    DERIVED_SECTIONS,
    SECTION_BY_KEY,
    SECTIONS,
    Catalogue,
    CatalogueFile,
    Citation,
    Condition,
    Contraindication,
    EvidenceRecord,
    Fact,
    Facts,
    Family,
    LinkedFact,
    SideEffect,
    Treatment,
)

YAML_SUFFIXES = (".yaml", ".yml")

try:  # libyaml's parser is much faster; the pure-Python one is the fallback.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader that refuses duplicate mapping keys instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key}' (first at line {seen[key].start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def bundled_data_dir() -> Path:
    """The catalogue shipped with nervecli: inside the package, or data/ in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parents[1] / "data"):
        if (candidate / "catalogue.yaml").is_file():
            return candidate
    raise CatalogueError([f"the bundled catalogue is missing (looked in {here / 'data'})"])


def catalogue_files(paths: Iterable[Path]) -> list[Path]:
    """Every YAML file named, or found (recursively, sorted) in a named folder."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CatalogueError([f"{path}: no such file or folder"])
    return files


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_file(path: Path) -> CatalogueFile:
    """Parse and validate one YAML file; problems are reported as `FILE:LINE:COL: message`."""
    name = _display(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            [f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from None
    except OSError as exc:
        raise CatalogueError([f"{name}: cannot read ({exc.strerror})"]) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise CatalogueError([f"{where}: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise CatalogueError([f"{name}: {exc}"]) from None
    if data is None:
        raise CatalogueError([f"{name}: the file is empty"])
    if not isinstance(data, dict):
        raise CatalogueError([f"{name}: expected a mapping at the top level"])
    try:
        return CatalogueFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError([f"{name}: {_describe(err, data)}" for err in exc.errors()]) from None


def _describe(err: Any, data: dict[str, Any]) -> str:
    """One pydantic error as `where: what`, naming entries by id where possible."""
    parts: list[str] = []
    node: Any = data
    for step in err["loc"]:
        if isinstance(step, int):
            entry = node[step] if isinstance(node, list) and step < len(node) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            parts.append(f"[{ident}]" if isinstance(ident, str) else f"[{step}]")
            node = entry
        else:
            parts.append(f".{step}" if parts else str(step))
            node = node.get(step) if isinstance(node, dict) else None
    where = "".join(parts) or "(top level)"
    return f"{where}: {err['msg']}"


def load_catalogue(paths: Sequence[Path] | None = None) -> Catalogue:
    """Load, validate and cross-check a catalogue (the bundled one by default)."""
    files = catalogue_files(paths if paths else [bundled_data_dir()])
    if not files:
        raise CatalogueError(["no catalogue files (*.yaml) found"])
    problems: list[str] = []
    parsed: list[tuple[str, CatalogueFile]] = []
    for path in files:
        try:
            parsed.append((_display(path), parse_file(path)))
        except CatalogueError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogueError(problems)
    catalogue = _merge(parsed, problems)
    _check_references(catalogue, problems)
    if problems:
        raise CatalogueError(problems)
    return catalogue


def _merge(parsed: list[tuple[str, CatalogueFile]], problems: list[str]) -> Catalogue:
    metas = [(name, f.catalogue) for name, f in parsed if f.catalogue is not None]
    if not metas:
        problems.append("no file declares the catalogue's version and last_reviewed date")
        raise CatalogueError(problems)
    for name, _ in metas[1:]:
        problems.append(f"{name}: catalogue version declared again (first in {metas[0][0]})")
    catalogue = Catalogue(meta=metas[0][1])  # type: ignore[arg-type]
    owners: dict[str, str] = {}  # "kind:id" -> file, to report duplicates
    tables: dict[str, dict[str, Any]] = {
        "sources": catalogue.sources,
        "families": catalogue.families,
        "treatments": catalogue.treatments,
        "conditions": catalogue.conditions,
        "evidence": catalogue.evidence,
        "screening": catalogue.screening,
    }
    for name, f in parsed:
        for table, target in tables.items():
            for entry in getattr(f, table):
                # Treatments and conditions share one namespace, since links may point at either.
                space = "entry" if table in ("treatments", "conditions") else table
                key = f"{space}:{entry.id}"
                if key in owners:
                    problems.append(f"{name}: duplicate id '{entry.id}' (also in {owners[key]})")
                    continue
                owners[key] = name
                target[entry.id] = entry
        catalogue.evidence_notes.extend(f.evidence_notes)
    _check_names(catalogue, problems)
    return catalogue


def _check_names(catalogue: Catalogue, problems: list[str]) -> None:
    """Aliases must not collide with another entry's id or alias."""
    # Conditions and screening terms share a namespace: `check --has` accepts either.
    people = {**catalogue.conditions, **catalogue.screening}
    for entries, what in ((catalogue.treatments, "treatment"), (people, "condition or term")):
        taken: dict[str, str] = {}
        for entry in entries.values():
            for name in (entry.id, *entry.aliases):
                owner = taken.setdefault(name, entry.id)
                if owner != entry.id:
                    problems.append(f"{what} '{entry.id}': name '{name}' is also used by '{owner}'")


CONDITION_SECTIONS = (
    ("about", "About"),
    ("symptoms", "Symptoms"),
    ("why_chronic", "Why it becomes chronic"),
)


def _owned_facts(owner: Facts | Condition) -> Iterable[tuple[str, Fact]]:
    """(section title, fact) for every fact an entry holds, side-effect handling included."""
    if isinstance(owner, Condition):
        for key, title in CONDITION_SECTIONS:
            for fact in getattr(owner, key):
                yield title, fact
        return
    if isinstance(owner, Treatment):
        yield "Summary", owner.summary
    for section in SECTIONS:
        if section.key in DERIVED_SECTIONS:
            continue
        for fact in owner.section(section.key):
            yield section.title, fact
            if isinstance(fact, SideEffect):
                for handling in fact.handling:
                    yield SECTION_BY_KEY["handling"].title, handling


@dataclass(frozen=True)
class Cited:
    """One quote in the catalogue: who holds it, under which heading, and what it supports."""

    owner: str
    section: str
    text: str
    citation: Citation


def iter_facts(catalogue: Catalogue) -> Iterable[tuple[str, str, Fact]]:
    """Every fact in the catalogue: (id of the entry that holds it, section title, fact)."""
    owners: list[Family | Treatment | Condition] = [
        *catalogue.families.values(),
        *catalogue.treatments.values(),
        *catalogue.conditions.values(),
    ]
    for owner in owners:
        for title, fact in _owned_facts(owner):
            yield owner.id, title, fact
    for fact in catalogue.evidence_notes:
        yield "evidence-notes", "About the evidence figures", fact


def iter_cited(catalogue: Catalogue) -> Iterable[Cited]:
    """Every (source, quote) pair in the catalogue, facts and evidence records alike."""
    for owner, section, fact in iter_facts(catalogue):
        yield Cited(owner, section, fact.text, Citation(source=fact.source, quote=fact.quote))
        if isinstance(fact, SideEffect) and fact.frequency_quote:
            yield Cited(
                owner,
                section,
                f"{fact.name}: {fact.frequency}",
                Citation(source=fact.source, quote=fact.frequency_quote),
            )
    for record in catalogue.evidence.values():
        parts = (
            ("Recommendation", record.recommendation),
            ("NNT and NNH", record.effect),
            ("Note", record.note),
            ("Common side effects", record.side_effects_cited),
        )
        for label, citation in parts:
            if citation is not None:
                yield Cited(f"evidence:{record.id}", label, record.medicine, citation)


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def _check_evidence(record: EvidenceRecord) -> list[str]:
    """Every grade and figure must be the source's own words, found in the quote that cites it."""
    where = f"evidence '{record.id}'"
    problems = []
    rec = _squash(record.recommendation.quote)
    for word in (record.line, record.strength, record.applies_to):
        if word and f" {word} " not in f" {rec} ":
            problems.append(f"{where}: '{word}' is not in its recommendation quote")
    for label, figure in (("nnt", record.nnt), ("nnh", record.nnh)):
        if figure and (record.effect is None or figure not in record.effect.quote):
            problems.append(f"{where}: {label} '{figure}' is not in its effect quote")
    if record.side_effects and record.side_effects_cited is None:
        problems.append(f"{where}: side_effects need side_effects_cited")
    elif record.side_effects_cited is not None:
        said = _squash(record.side_effects_cited.quote)
        problems.extend(
            f"{where}: side effect '{name}' is not in its quote"
            for name in record.side_effects
            if _squash(name) not in said
        )
    return problems


def _check_references(catalogue: Catalogue, problems: list[str]) -> None:
    linkable = catalogue.treatments.keys() | catalogue.conditions.keys()
    for treatment in catalogue.treatments.values():
        if treatment.family and treatment.family not in catalogue.families:
            problems.append(f"treatment '{treatment.id}': unknown family '{treatment.family}'")
        problems.extend(
            f"treatment '{treatment.id}': unknown evidence record '{e}'"
            for e in treatment.evidence
            if e not in catalogue.evidence
        )
    for record in catalogue.evidence.values():
        problems.extend(_check_evidence(record))
    for cited in iter_cited(catalogue):
        if cited.citation.source not in catalogue.sources:
            problems.append(f"'{cited.owner}': cites undeclared source '{cited.citation.source}'")
    for owner_id, _, fact in iter_facts(catalogue):
        if isinstance(fact, Contraindication):
            problems.extend(
                f"'{owner_id}': contraindication about undeclared screening term '{tag}'"
                for tag in fact.about
                if tag not in catalogue.screening
            )
        if isinstance(fact, LinkedFact):
            problems.extend(
                f"'{owner_id}': link to unknown entry '{link}'"
                for link in fact.links
                if link not in linkable
            )
        # A frequency must be in the source's own words, so a quote must contain it.
        if (
            isinstance(fact, SideEffect)
            and fact.frequency
            and _squash(fact.frequency) not in _squash(fact.frequency_quote or fact.quote)
        ):
            problems.append(
                f"'{owner_id}': side effect '{fact.name}': frequency "
                f"'{fact.frequency}' is not in its quote (add frequency_quote)"
            )
