"""Read and write a person's decision file (`nervecli decide --file`).

Read with the same guards as every YAML file (`read_yaml`: regular files only, bounded in size
and nesting, no anchors, duplicate keys refused), then checked value by value, every problem at
its line. Written atomically: a temporary file in the same folder, flushed to disk, then
renamed over the old one, so a file is always either the last whole save or the one before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from nervecli.model.guide import (
    FORMAT_VERSION,
    MAX_ITEMS,
    MAX_TREATMENTS,
    MAX_WEIGHT,
    NONE_OPTION,
    Guide,
    GuideFileError,
)
from nervecli.reading.yamlfile import YamlFile, YamlFileError, read_yaml

MAX_GUIDE_BYTES = 256 * 1024  # a guide is a page or two of answers
MARK = "nervecli_decision"  # the first key of every decision file
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_guide(path: Path) -> Guide:
    """The guide saved in `path`; raises GuideFileError with the first problem, at its line."""
    from pydantic import TypeAdapter, ValidationError

    from nervecli.reading.validation import message

    name = str(path)
    try:
        yfile = read_yaml(path, name, MAX_GUIDE_BYTES)
    except YamlFileError as exc:
        raise GuideFileError(exc.problem) from None
    data = yfile.data
    if not isinstance(data, dict) or MARK not in data:
        raise GuideFileError(
            yfile.problem([], f"not a nervecli decision file (it has no '{MARK}' key)")
        )
    try:
        guide = TypeAdapter(Guide).validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if isinstance(p, (str, int))]
        where = ".".join(map(str, loc)) or "(top level)"
        raise GuideFileError(yfile.problem(loc, f"{where}: {message(err)}")) from None
    _check(yfile, guide)
    return guide


def _check(yfile: YamlFile, guide: Guide) -> None:
    """What the types alone do not say: weights 0 to 5, at most four treatments and one "none",
    no option twice, a bounded number of answers."""

    def fail(loc: list[str | int], text: str) -> GuideFileError:
        return GuideFileError(yfile.problem(loc, f"{'.'.join(map(str, loc))}: {text}"))

    if guide.nervecli_decision != FORMAT_VERSION:  # a newer nervecli's file, or no format
        raise fail(
            [MARK],
            f"format {guide.nervecli_decision} is not one this nervecli reads (it reads "
            f"format {FORMAT_VERSION}): a newer nervecli may have written it",
        )
    treatments = [o.treatment for o in guide.options if o.treatment != NONE_OPTION]
    if len(treatments) > MAX_TREATMENTS:
        raise fail(["options"], f"at most {MAX_TREATMENTS} treatments and 'none'")
    seen: set[str] = set()
    for i, o in enumerate(guide.options):
        if o.treatment in seen:
            raise fail(["options", i, "treatment"], f"'{o.treatment}' is an option twice")
        seen.add(o.treatment)
        weighed: list[tuple[str, list[int]]] = [
            ("ratings", [r.weight for r in o.ratings]),
            ("own", [r.weight for r in o.own]),
        ]
        for key, weights in weighed:
            if len(weights) > MAX_ITEMS:
                raise fail(["options", i, key], f"more than {MAX_ITEMS} reasons")
            for j, weight in enumerate(weights):
                if not 0 <= weight <= MAX_WEIGHT:
                    raise fail(["options", i, key, j, "weight"], f"a weight is 0 to {MAX_WEIGHT}")
    for key, count in (("conditions", len(guide.conditions)), ("to_ask", len(guide.to_ask))):
        if count > MAX_ITEMS:
            raise fail([key], f"more than {MAX_ITEMS} entries")
    if guide.leaning and guide.leaning not in seen:
        raise fail(["leaning"], f"'{guide.leaning}' is not one of the options")


def dump_guide(guide: Guide) -> str:
    """The guide as YAML: keys in the model's order, text readable (non-ASCII kept) unless a
    character would not read back as plain text, then everything escaped."""
    import yaml  # type: ignore[import-untyped, unused-ignore]

    data: dict[str, Any] = dataclasses.asdict(guide)
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if _NOT_TEXT.search(text):
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=100)
    header = "# A nervecli decision guide: your answers. Yours to keep, edit or delete.\n"
    return header + text


def write_guide(path: Path, guide: Guide) -> None:
    """Save atomically: a temporary file beside `path`, synced, then renamed over it. Raises
    OSError; the old file is then untouched."""
    text = dump_guide(guide)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
