"""Check every quote in a catalogue against the document its source names: `validate --sources`.

A quote must stand in its document word for word. Whitespace and line breaks are normalised,
and so are typographic quotes and apostrophes (’ and '), since copying text often changes them;
nothing else is. A quote that is not found is reported at the quote, as FILE:LINE:COLUMN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from nervecli.facts.walk import iter_cited
from nervecli.model.catalogue import Catalogue
from nervecli.model.errors import Problem
from nervecli.reading.yamlfile import YamlFileError, quote_positions, read_text

_SPACE = re.compile(r"\s+")
_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def _documents(folders: Sequence[Path]) -> tuple[dict[str, str], list[Problem]]:
    """Every file in the folders, by name, normalised."""
    found: dict[str, str] = {}
    problems: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(str(folder), 1, 1, "not a folder of source documents"))
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name not in found:
                try:
                    found[path.name] = normalise(read_text(path, str(path)))
                except YamlFileError as exc:
                    problems.append(exc.problem)
    return found, problems


def _quote_places(files: Sequence[Path]) -> dict[str, tuple[str, int, int]]:
    """Where each quote is written in the catalogue files: (file, line, column)."""
    places: dict[str, tuple[str, int, int]] = {}
    for path in files:
        for quote, (line, column) in quote_positions(path).items():
            places.setdefault(normalise(quote), (str(path), line, column))
    return places


def check_quotes(
    catalogue: Catalogue, files: Sequence[Path], folders: Sequence[Path]
) -> list[Problem]:
    """A problem for every quote not found in the document its source names."""
    documents, problems = _documents(folders)
    places = _quote_places(files)
    seen: set[tuple[str, str]] = set()
    for cited in iter_cited(catalogue):
        source = catalogue.sources.get(cited.citation.source)
        if source is None:
            continue
        key = (source.id, cited.citation.quote)
        if key in seen:
            continue
        seen.add(key)
        document = documents.get(source.file)
        quote = normalise(cited.citation.quote)
        where = places.get(quote, ("(catalogue)", 1, 1))
        if document is None:
            problems.append(
                Problem(
                    where[0],
                    where[1],
                    where[2],
                    f"source '{source.id}': {source.file} is not in the --sources folders",
                )
            )
        elif quote not in document:
            problems.append(
                Problem(
                    where[0],
                    where[1],
                    where[2],
                    f"quote not found in {source.file}: {cited.citation.quote[:80]!r}",
                )
            )
    return sorted(dict.fromkeys(problems), key=lambda p: (p.file, p.line, p.column))
