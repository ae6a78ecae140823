"""Read one YAML file safely, and say where in it a value is.

Catalogue files come from anyone, so a file is checked in a cheap streaming pass before it is
built into Python objects: too large, not UTF-8, anchors and aliases (the "billion laughs"),
nesting deeper than any catalogue needs (libyaml itself crashes on very deep nesting) are all
refused with a clear message. Duplicate keys are refused too (PyYAML would keep the last one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 20 * 1024 * 1024  # one catalogue file; a folder may hold many
MAX_DEPTH = 24  # a catalogue nests about 7 deep

try:  # libyaml's parser is about 9x faster; the pure-Python one is the fallback
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue, where it is: `FILE:LINE:COLUMN: message`."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class YamlFileError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _mark(file: str, mark: yaml.Mark | None, message: str) -> YamlFileError:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return YamlFileError(Problem(file, line, column, message))


_RISKY_LINE_START = re.compile(r"^[ \t?:-]*", re.MULTILINE)
_BRACKETS = re.compile(r"[\[\]{}]")


def _maybe_risky(text: str) -> bool:
    """A fast, conservative look for what the exact check refuses: False means the file
    cannot hold an anchor, an alias or deep nesting, so the exact check can be skipped."""
    if "&" in text or "*" in text:
        return True
    # Block nesting needs indentation or indicators at the start of a line; flow nesting
    # needs brackets. Either beyond what a catalogue uses sends the file to the exact check.
    if max(map(len, _RISKY_LINE_START.findall(text)), default=0) > MAX_DEPTH:
        return True
    depth = 0
    for bracket in _BRACKETS.findall(text):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH // 2:
            return True
    return False


def _prescan(text: str, file: str) -> None:
    """Refuse aliases and deep nesting before anything is composed; stops at the first."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _mark(file, event.start_mark, "anchors and aliases (& and *) are not allowed")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if getattr(event, "anchor", None):
                raise _mark(file, event.start_mark, "anchors and aliases (& and *) are not allowed")
            depth += 1
            if depth > MAX_DEPTH:
                raise _mark(file, event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and event.anchor:
            raise _mark(file, event.start_mark, "anchors and aliases (& and *) are not allowed")


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


def _duplicate_key(key: yaml.Node, first: yaml.Node) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(
        None,
        None,
        f"duplicate key '{key.value}' (first at line {first.start_mark.line + 1})",
        key.start_mark,
    )


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    """Python values for a node tree: plain strings, lists and mappings built directly (most of
    a catalogue), everything else (numbers, dates, booleans, null, explicit tags) by PyYAML's
    safe constructor, so the result is the same. Duplicate keys are refused. The depth is
    bounded by the checks before composing."""
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_construct(loader, child) for child in node.value]
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node)
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                return loader.construct_document(node)  # YAML merge keys: let PyYAML do it
            try:
                duplicate = key in mapping
            except TypeError:  # an unhashable key (a list): PyYAML's own error for it
                return loader.construct_document(node)
            if duplicate:
                first = next(k for k, _ in node.value if k.value == key_node.value)
                raise _duplicate_key(key_node, first)
            mapping[key] = _construct(loader, value_node)
        return mapping
    return loader.construct_object(node, deep=True)


_DIGITS = frozenset("0123456789")


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, refusing duplicate keys (PyYAML would keep the last one silently)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # A fast path with the same answer: of YAML's implicit types (bool, null, int, float,
        # timestamp, merge, value) only a timestamp may contain a space, and it starts with a
        # digit. Catalogue text is mostly such plain scalars; the full resolver tries a regular
        # expression per type on each.
        if kind is yaml.ScalarNode and implicit[0] and " " in value and value[0] not in _DIGITS:
            return _STR
        return super().resolve(kind, value, implicit)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise _duplicate_key(key_node, seen[key_node.value])
                seen[key_node.value] = key_node
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


@dataclass
class YamlFile:
    """A parsed file: its data, and where to find it again to say where a value stands."""

    name: str
    data: Any
    path: Path | None = None
    root: yaml.Node | None = None  # composed again only to locate a problem

    def _root(self) -> yaml.Node | None:
        if self.root is None and self.path is not None:
            try:
                self.root = yaml.compose(self.path.read_text(encoding="utf-8"), Loader=_Loader)
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                return None
        return self.root

    def where(self, path: Sequence[str | int]) -> tuple[int, int]:
        """(line, column) of the value at a path, or of the deepest part of it that exists."""
        node = self._root()
        if node is None:
            return (1, 1)
        for step in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if k.value == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                child = node.value[step] if 0 <= step < len(node.value) else None
            if child is None:
                break
            node = child
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def problem(self, path: Sequence[str | int], message: str) -> Problem:
        line, column = self.where(path)
        return Problem(self.name, line, column, message)


def read_yaml(path: Path, name: str) -> YamlFile:
    """Read, check and parse one file; raises YamlFileError with the first problem found."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlFileError(
                Problem(name, 1, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlFileError(Problem(name, 1, 1, f"cannot read ({exc.strerror})")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlFileError(Problem(name, line, column, "not UTF-8 text")) from None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise YamlFileError(Problem(name, 1, 1, "the file is empty"))
    try:
        if _maybe_risky(text):
            _prescan(text, name)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = None if root is None else _construct(loader, root)
        finally:
            loader.dispose()
        if data is None:
            raise YamlFileError(Problem(name, 1, 1, "the file is empty"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or exc.context)
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            message = "a tab character: YAML must be indented with spaces"
        raise _mark(name, mark, message) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(Problem(name, 1, 1, str(exc))) from None
    return YamlFile(name, data, path)
