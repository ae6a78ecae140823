"""Check every quote in a catalogue against the document its source names: `validate --sources`.

A quote must stand in its document word for word. Whitespace and line breaks are normalised,
and so are typographic quotes and apostrophes (’ and '), since copying text often changes them;
nothing else is. A quote that is not found is reported at the quote, as FILE:LINE:COLUMN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from nervecli.model.catalogue import Catalogue, lean
from nervecli.model.errors import Problem
from nervecli.model.walk import iter_cited, owned_facts
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
    problems.extend(_unnamed_members(catalogue, documents, places))
    return sorted(dict.fromkeys(problems), key=lambda p: (p.file, p.line, p.column))


def _named_in(name: str, document: str) -> bool:
    """Whether a document names a treatment: its words in order, each perhaps plural."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    pattern = r"\b" + r"[\s-]+".join(re.escape(x) + "s?" for x in words) + r"\b"
    return bool(words) and re.search(pattern, document.lower()) is not None


def _unnamed_members(
    catalogue: Catalogue, documents: dict[str, str], places: dict[str, tuple[str, int, int]]
) -> list[Problem]:
    """A treatment in a family receives every fact its family states: a document the family's
    facts cite must name it (by its name or an alias), or the family's facts are claimed of a
    member no source names. Reported at the treatment's summary quote."""
    problems = []
    for treatment in catalogue.treatments.values():
        family = catalogue.families.get(treatment.family or "")
        if family is None:
            continue
        files = {
            catalogue.sources[f.source].file
            for _, f in owned_facts(family)
            if f.source in catalogue.sources
        }
        texts = [documents[f] for f in files if f in documents]
        if not texts:
            continue
        names = [treatment.name, *(a.replace("-", " ") for a in treatment.aliases)]
        if not any(_named_in(n, t) for n in names for t in texts):
            where = places.get(normalise(treatment.summary.quote), ("(catalogue)", 1, 1))
            problems.append(
                Problem(
                    *where,
                    f"'{treatment.id}' is in family '{family.id}', but no document its facts "
                    "cite names it: the family's facts would be claimed for it",
                )
            )
    return problems


# --- coverage: which sentences of each document no quote covers ----------------------------------

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9“\"'(])")


def _paragraphs(text: str) -> list[str]:
    """A document's paragraphs: a line, or lines wrapped into one (a line that goes on in
    lower case), with list items and table rows apart; headings (a line starting '#') left
    out."""
    found: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "|", "- ", "• ")):
            if current:
                found.append(" ".join(current))
            current = []
            if line.startswith("|") and "---" not in line:
                found.append(line)
            elif line.startswith(("- ", "• ")):
                current = [line[2:]]
            continue
        if current and (current[-1][-1] in ".?!:" or not line[0].islower()):
            found.append(" ".join(current))  # a new paragraph, not a wrapped line
            current = []
        current.append(line)
    if current:
        found.append(" ".join(current))
    return found


def sentences(text: str) -> list[str]:
    """A document's sentences: its paragraphs split at sentence ends. A piece of fewer than
    three words (a list number), or of fewer than six with no closing punctuation (a heading, a
    caption), is not a sentence."""
    found = []
    for paragraph in _paragraphs(text):
        for piece in _SENTENCE_END.split(normalise(paragraph)):
            piece = piece.strip()
            words = len(piece.split())
            if words < 3 or (piece[-1] not in ".?!:|" and words < 6):
                continue
            found.append(piece)
    return found


@lean
class Coverage:
    """One document: its sentences, and those no quote in the catalogue covers."""

    file: str
    total: int
    uncovered: list[str]

    @property
    def percent(self) -> float:
        return 100.0 * (self.total - len(self.uncovered)) / self.total if self.total else 100.0


def _covers(quote: str, sentence: str) -> bool:
    """A quote covers a sentence it lies in, or that lies in it; a fragment of three words or
    fewer covers nothing on its own."""
    if sentence in quote:
        return True
    return len(quote.split()) > 3 and quote in sentence


def coverage(catalogue: Catalogue, folders: Sequence[Path]) -> tuple[list[Coverage], list[Problem]]:
    """For every document a source names and the folders hold: the sentences no quote of a
    fact citing that source covers."""
    problems: list[Problem] = []
    quotes: dict[str, list[str]] = {}
    for cited in iter_cited(catalogue):
        source = catalogue.sources.get(cited.citation.source)
        if source is not None:
            quotes.setdefault(source.file, []).append(normalise(cited.citation.quote))
    found = []
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(str(folder), 1, 1, "not a folder of source documents"))
    files = sorted({s.file for s in catalogue.sources.values()})
    for name in files:
        path = next((f / name for f in folders if (f / name).is_file()), None)
        if path is None:
            continue
        try:
            text = read_text(path, str(path))
        except YamlFileError as exc:
            problems.append(exc.problem)
            continue
        said = sentences(text)
        mine = quotes.get(name, [])
        uncovered = [s for s in said if not any(_covers(q, s) for q in mine)]
        found.append(Coverage(name, len(said), uncovered))
    return found, problems
