"""Find, parse and validate catalogue files into one cross-checked `Catalogue`.

A catalogue is the union of YAML files. The bundled catalogue comes first; user catalogues
(`--catalog`, `NERVECLI_CATALOG`) add entries, and an entry whose id the bundled catalogue
already has replaces it. Every problem found is reported at once as `FILE:LINE:COLUMN: message`.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar

from nervecli.model.catalogue import (
    ID_PATTERN,
    Catalogue,
    CatalogueFile,
    Condition,
    Fact,
    Family,
    Origin,
    ScreeningTerm,
    Treatment,
)
from nervecli.model.errors import CatalogueError, Problem
from nervecli.model.walk import evidence_facts, owned_facts
from nervecli.reading.briefs import ENTRIES, SCREENING, SOURCES, Brief, references
from nervecli.reading.content import check_groups, check_note, check_owner, check_record
from nervecli.reading.files import bundled_data_dir, catalogue_files
from nervecli.reading.yamlfile import YamlFile, YamlFileError, read_yaml

TABLES = ("sources", "families", "treatments", "conditions", "evidence", "screening")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass
class _Parsed:
    file: YamlFile
    model: CatalogueFile
    bundled: bool


_YAML_TYPES = {bool: "true/false", int: "a number", float: "a number", dt.date: "a date"}


def _describe(err: Any, data: Any) -> tuple[list[str | int], str]:
    """A pydantic error as (path, message), naming entries by id and explaining YAML surprises."""
    path = list(err["loc"])
    where: list[str] = []
    node: Any = data
    for step in path:
        if isinstance(step, int):
            entry = node[step] if isinstance(node, list) and step < len(node) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            where.append(f"[{ident}]" if isinstance(ident, str) else f"[{step}]")
            node = entry
        else:
            where.append(f".{step}" if where else str(step))
            node = node.get(step) if isinstance(node, dict) else None
    from nervecli.reading.validation import message as friendly

    message = f"{''.join(where) or '(top level)'}: {friendly(err)}"
    if err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == ID_PATTERN:
        message = (
            f"{''.join(where)}: an id is lowercase letters and digits joined by single hyphens, "
            f"like 'nerve-block-infusion' (got {err['input']!r})"
        )
    value = err.get("input")
    if err["type"] == "string_type" and type(value) in _YAML_TYPES:
        message += (
            f" (YAML read this value as {_YAML_TYPES[type(value)]}, {value!r}:"
            " put it in quotes to keep it as text)"
        )
    return path, message


def parse_file(path: Path, name: str | None = None) -> tuple[YamlFile, CatalogueFile]:
    """Read and validate one file; raises CatalogueError listing every problem in it."""
    name = name or _display(path)
    from nervecli.reading.validation import ValidationError, validate_file

    try:
        yfile = read_yaml(path, name)
    except YamlFileError as exc:
        raise CatalogueError([exc.problem]) from None
    if not isinstance(yfile.data, dict):
        raise CatalogueError([yfile.problem([], "expected a mapping at the top level")])
    try:
        return yfile, validate_file(yfile.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False)[:MAX_PROBLEMS]:
            path_, message = _describe(err, yfile.data)
            problems.append(yfile.problem(path_, message))
        problems.sort(key=_order)
        more = exc.error_count() - len(problems)
        if more > 0:
            problems.append(
                Problem(name, problems[-1].line, 1, f"and {more:,} more problems in this file")
            )
        raise CatalogueError(problems) from None


MAX_PROBLEMS = 200  # reported per file: enough to fix, bounded for any file


# (table, index in the file, problem): what the content rules found in one entry of a file
Checked = list[tuple[str, int, Problem]]
ParseResult = tuple["YamlFile | None", "CatalogueFile | None", list[Problem | str], Checked]
PARALLEL_FROM = 8  # files; below this, starting workers costs more than it saves
R = TypeVar("R")


def parse_one(path: Path) -> ParseResult:
    """Parse and validate one file, for a worker process: problems come back, not raised.
    The content rules on single entries are applied here too, on every core."""
    try:
        yfile, model = parse_file(path)
    except CatalogueError as exc:
        return None, None, exc.problems, []
    checked = _check_entries(yfile, model)
    yfile.data = None  # validated into `model`; not needed any more, so not sent back
    return yfile, model, [], checked


def _check_entries(yfile: YamlFile, model: CatalogueFile) -> Checked:
    """The content rules on each entry of one file, each problem placed as the loader's
    `report` places it. Whether the entry is in the catalogue (not a duplicate, not replaced)
    is known only when every file is read: `_load` keeps the problems of those that are."""
    found: Checked = []

    def reporter(table: str, i: int) -> Report:
        entry = getattr(model, table)[i]

        def report(_table: str, _ident: str, obj: Any, field: Field, message: str) -> None:
            inner = _find(entry, obj, ()) if obj is not None else ()
            tail = () if field is None else (field,) if isinstance(field, str) else field
            found.append((table, i, yfile.problem([table, i, *(inner or ()), *tail], message)))

        return report

    for table in ("families", "treatments", "conditions"):
        for i, owner in enumerate(getattr(model, table)):
            check_owner(table, owner, reporter(table, i))
    for i, fact in enumerate(model.evidence_notes):
        check_note(str(i), fact, reporter("evidence_notes", i))
    for i, record in enumerate(model.evidence):
        check_record(record, reporter("evidence", i))
    return found


def _end_with_parent() -> None:
    """In a worker: end when the process that started it has gone (killed, say), so that no
    worker outlives the run. Ctrl-C, which the terminal sends to every process of the run, is
    the parent's to handle: a worker ignores it (no traceback of its own), finishes the files
    it holds, and ends when the parent shuts the pool down; SIGTERM ends it at once."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def parse_files(paths: Sequence[Path], one: Callable[[Path], R]) -> Iterator[R]:
    """`one` of each file, in order, as each is done: in parallel on several cores when there
    are many (parsing YAML is most of the cost of a large catalogue's first run). A pool that
    cannot be had means the files are read here; one that breaks once results have come
    raises `Recheck` (the caller reads the catalogue again, here)."""
    workers = min(os.cpu_count() or 1, 4)
    if len(paths) < PARALLEL_FROM or workers < 2 or not hasattr(os, "fork"):
        yield from map(one, paths)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")  # workers start with everything imported
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_end_with_parent
        )
        # Small chunks: results come back (and are written) while later files are parsed.
        results = pool.map(one, paths, chunksize=max(1, min(4, len(paths) // (workers * 8))))
    except (OSError, RuntimeError):  # no processes to be had: do it here
        yield from map(one, paths)
        return
    try:
        yield from results
    except (OSError, RuntimeError):  # a worker died (killed, out of memory)
        raise Recheck("a worker process ended early") from None
    finally:  # files not yet begun are dropped when the caller stops early (a full disk)
        pool.shutdown(wait=True, cancel_futures=True)


class Recheck(Exception):
    """The quick way through a catalogue cannot give the answer: read it again, whole."""


def _parse_all(paths: list[Path]) -> list[ParseResult]:
    try:
        return list(parse_files(paths, parse_one))
    except Recheck:
        return [parse_one(p) for p in paths]


def _order(p: Problem | str) -> tuple[str, int, int]:
    return (p.file, p.line, p.column) if isinstance(p, Problem) else (p, 0, 0)


def load_catalogue(paths: Sequence[Path] | None = None, bundled: bool = True) -> Catalogue:
    """Load, validate and cross-check a catalogue: the bundled one (unless `bundled` is false)
    with the files and folders in `paths` over it."""
    with without_cyclic_gc():
        return _load(paths, bundled)


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Parsing builds millions of small, acyclic objects; the cyclic collector would scan them
    again and again as they accumulate (more than halving the speed of a large first run).
    Reference counting frees them; the caller's setting is restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(paths: Sequence[Path] | None, bundled: bool) -> Catalogue:
    files = catalogue_paths(paths, bundled)
    return assemble(files, _parse_all([path for path, _ in files]))


def catalogue_paths(paths: Sequence[Path] | None, bundled: bool) -> list[tuple[Path, bool]]:
    """Every catalogue file to read, in order, and whether it is the bundled catalogue's."""
    roots = [(bundled_data_dir(), True)] if bundled else []
    roots += [(p, False) for p in paths or []]
    if not roots:
        raise CatalogueError(["no catalogue to read (the bundled one is off and none was given)"])
    return [(f, is_bundled) for root, is_bundled in roots for f in catalogue_files([root])]


def assemble(
    files: Sequence[tuple[Path, bool]], results: Iterable[ParseResult], briefs: bool = False
) -> Catalogue:
    """One cross-checked catalogue from the files' parse results (in the files' order).
    With `briefs` (treatments and conditions read as `Brief`s), a problem found across files
    raises `Recheck`: where in an entry a fact stands is known only from the whole entry."""
    problems: list[Problem | str] = []
    parsed: list[_Parsed] = []
    checked: list[tuple[CatalogueFile, str, int, Problem]] = []
    for (_, is_bundled), (yfile, model, errors, entries) in zip(files, results, strict=True):
        problems.extend(errors)
        if yfile is not None and model is not None:
            parsed.append(_Parsed(yfile, model, is_bundled))
            checked += [(model, table, i, problem) for table, i, problem in entries]
    if problems:
        raise CatalogueError(problems)
    found: list[Problem] = []
    catalogue, report = _merge(parsed, found)
    _check_names(catalogue, report)
    _check_references(catalogue, report)
    # The content rules: on single entries, as each file was read (kept for the entries the
    # catalogue holds), then those that need the whole catalogue.
    found += [problem for model, table, i, problem in checked if _kept(catalogue, model, table, i)]
    check_groups(catalogue, report)
    if found and briefs:
        raise Recheck(f"{len(found)} problems")
    if found:
        raise CatalogueError(sorted(dict.fromkeys(found), key=_order))
    return catalogue


# report(table, entry id, object within the entry or None, field (or field and index), message)
Field = str | tuple[str, int] | None
Report = Callable[[str, str, Any, Field, str], None]


def _kept(catalogue: Catalogue, model: CatalogueFile, table: str, i: int) -> bool:
    """Whether the catalogue holds entry `i` of a file's table (not a duplicate id, nor a
    bundled entry a user's replaced); every evidence note is kept."""
    entry = getattr(model, table)[i]
    return table == "evidence_notes" or getattr(catalogue, table).get(entry.id) is entry


def _find(obj: Any, target: Any, path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """The path of `target` (by identity) inside a model, if it is there."""
    if obj is target:
        return path
    if is_dataclass(obj):
        for name in (f.name for f in fields(obj)):
            found = _find(getattr(obj, name), target, (*path, name))
            if found is not None:
                return found
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            found = _find(item, target, (*path, i))
            if found is not None:
                return found
    return None


def _merge(parsed: list[_Parsed], found: list[Problem]) -> tuple[Catalogue, Report]:
    """Combine files into one catalogue; user files may replace bundled entries by id."""
    homes: dict[tuple[str, str], tuple[_Parsed, tuple[str | int, ...]]] = {}

    def report(table: str, ident: str, obj: Any, field: Field, message: str) -> None:
        parsed_file, base = homes[(table, ident)]
        entry = getattr(parsed_file.model, table)[base[1]]
        inner = _find(entry, obj, ()) if obj is not None else ()
        tail = () if field is None else (field,) if isinstance(field, str) else field
        path = [*base, *(inner or ()), *tail]
        found.append(parsed_file.file.problem(path, message))

    metas = [(p, p.model.catalogue) for p in parsed if p.model.catalogue is not None]
    primary = next(((p, m) for p, m in metas if p.bundled), metas[0] if metas else None)
    if primary is None:
        found.append(
            Problem(
                parsed[0].file.name,
                1,
                1,
                "no file declares `catalogue:` (version and last_reviewed)",
            )
        )
        raise CatalogueError(found)
    origins: dict[tuple[str, str], Origin] = {}
    catalogue = Catalogue(meta=primary[1], origins=origins)
    for p, meta in metas:
        if p is primary[0]:
            continue
        if p.bundled == primary[0].bundled:
            first = primary[0].file.name
            found.append(
                p.file.problem(["catalogue"], f"catalogue declared again (first in {first})")
            )
        else:
            catalogue.overlays.append((p.file.name, meta))
    for p in parsed:
        home = None if p.bundled else str((p.file.path or Path(p.file.name)).resolve())
        for table in TABLES:
            target: dict[str, Any] = getattr(catalogue, table)
            for i, entry in enumerate(getattr(p.model, table)):
                space = _space(table)
                key = (table, entry.id)
                clash = next(
                    (
                        k
                        for k in ((t, entry.id) for t in TABLES)
                        if k in homes and _space(k[0]) == space
                    ),
                    None,
                )
                replaces = False
                if clash is not None:
                    other, _ = homes[clash]
                    if other.bundled and not p.bundled and clash == key:
                        replaces = True  # a user entry replaces a bundled one
                    else:
                        found.append(
                            p.file.problem(
                                [table, i, "id"],
                                f"duplicate id '{entry.id}' (also in {other.file.name})",
                            )
                        )
                        continue
                homes[key] = (p, (table, i))
                target[entry.id] = entry
                if home is not None:  # the file's path, resolved once per file
                    origins[key] = Origin(home, replaces)
        for i, note in enumerate(p.model.evidence_notes):
            homes[("evidence_notes", str(len(catalogue.evidence_notes)))] = (
                p,
                ("evidence_notes", i),
            )
            catalogue.evidence_notes.append(note)
    return catalogue, report


def _space(table: str) -> str:
    """Treatments and conditions share one namespace of ids, since links point at either."""
    return "entry" if table in ("treatments", "conditions") else table


def _check_names(catalogue: Catalogue, report: Report) -> None:
    """Aliases must not collide with another entry's id or alias."""
    # Conditions and screening terms share a namespace: `check --has` accepts either.
    groups: tuple[tuple[str, list[Treatment | Condition | ScreeningTerm]], ...] = (
        ("treatments", list(catalogue.treatments.values())),
        ("people", [*catalogue.conditions.values(), *catalogue.screening.values()]),
    )
    for group, entries in groups:
        taken: dict[str, str] = {}
        for entry in entries:
            table = (
                "treatments"
                if group == "treatments"
                else ("conditions" if entry.id in catalogue.conditions else "screening")
            )
            for name in (entry.id, *entry.aliases):
                owner = taken.setdefault(name, entry.id)
                if owner != entry.id:
                    report(
                        table, entry.id, None, "aliases", f"name '{name}' is also used by '{owner}'"
                    )


def _check_references(catalogue: Catalogue, report: Report) -> None:
    linkable = catalogue.treatments.keys() | catalogue.conditions.keys()
    for treatment in catalogue.treatments.values():
        for key in ("family", "cautions_from"):
            family = getattr(treatment, key)
            if family and family not in catalogue.families:
                report("treatments", treatment.id, None, key, f"unknown family '{family}'")
        for i, e in enumerate(treatment.evidence):
            if e not in catalogue.evidence:
                where = ("evidence", i)
                report("treatments", treatment.id, None, where, f"unknown evidence record '{e}'")
    for record in catalogue.evidence.values():
        for citation in (
            record.recommendation,
            record.effect,
            record.note,
            record.side_effects_cited,
            record.quality_cited,
            record.trials_cited,
        ):
            if citation is not None and citation.source not in catalogue.sources:
                report(
                    "evidence",
                    record.id,
                    citation,
                    "source",
                    f"cites undeclared source '{citation.source}'",
                )
    owners: list[tuple[str, Family | Treatment | Condition]] = [
        *(("families", f) for f in catalogue.families.values()),
        *(("treatments", t) for t in catalogue.treatments.values()),
        *(("conditions", c) for c in catalogue.conditions.values()),
    ]
    declared: dict[str, Container[str]] = {
        SOURCES: catalogue.sources,
        SCREENING: catalogue.screening,
        ENTRIES: linkable,
    }
    for table, owner in owners:
        if isinstance(owner, Brief):  # read in a worker: what its facts cite, without them
            for space, name in owner.cited:
                if name not in declared[space]:
                    report(table, owner.id, None, None, f"cites an undeclared {space} '{name}'")
            continue
        for _, fact in owned_facts(owner):
            _check_fact(table, owner.id, fact, declared, report)
    for record in catalogue.evidence.values():
        for _, fact in evidence_facts(record):
            _check_fact("evidence", record.id, fact, declared, report)
    for i, fact in enumerate(catalogue.evidence_notes):
        _check_fact("evidence_notes", str(i), fact, declared, report)


def _check_fact(
    table: str, owner: str, fact: Fact, declared: Mapping[str, Container[str]], report: Report
) -> None:
    for space, name, field, message in references(fact):
        if name not in declared[space]:
            report(table, owner, fact, field, message)
