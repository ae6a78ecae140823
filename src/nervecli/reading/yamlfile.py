"""Read one YAML file safely, and say where in it a value is. Every YAML reader (catalogue
files, `check --profile`) goes through `read_yaml`, so they share the same guards.

Files come from anyone. Only regular files are read (a device, FIFO or link loop is named as
what it is), and never more than a size limit, whatever the file claims. A cheap pass then
refuses what is not UTF-8 text, control characters, anchors and aliases (the "billion laughs")
and nesting deeper than any catalogue needs (libyaml crashes on very deep nesting), before the
file is built into Python objects. Duplicate keys are refused (PyYAML would keep the last one
silently), and a value that cannot be built (an impossible date, a wrong explicit tag, an
integer of thousands of digits) is a problem at its line, never a traceback.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from nervecli.model.errors import Problem
from nervecli.reading.files import MAX_FILE_BYTES, NotRegular, TooLarge, read_regular

MAX_DEPTH = 24  # a catalogue nests about 7 deep
# Values in one file, estimated from the separators YAML needs between them: a 20 MiB file of
# catalogue prose holds a few hundred thousand; far more means a file built to exhaust memory.
MAX_VALUES = 1_500_000
_SEPARATORS = (":", "-", ",", "[", "{", "?")
# Exact limits, counted from the parser's events (constant memory) before anything is composed:
# nodes (keys, values, items) in one file, and keys in one mapping or items in one list. The
# bundled files hold under 1,000 nodes each; a catalogue of 10,000 entries fits in files of
# 100 entries. Counted only when the estimate above says a file could exceed them.
MAX_NODES = 250_000
MAX_ITEMS = 50_000

try:  # libyaml's parser is about 9x faster; the pure-Python one is the fallback
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class YamlFileError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Place(Protocol):  # a mark from the pure-Python parser or from libyaml's
    line: int
    column: int


def _mark(file: str, mark: _Place | None, message: str) -> YamlFileError:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return YamlFileError(Problem(file, line, column, message))


_RISKY_LINE_START = re.compile(r"^[ \t?:-]*", re.MULTILINE)
_BRACKET_LINE = re.compile(r"^.*[\[\]{}].*$", re.MULTILINE)
_BRACKET = re.compile(r"[\[\]{}]")
_QUOTE_OR_COMMENT = re.compile("[\"'#]")


def _maybe_risky(text: str) -> bool:
    """A fast, conservative look for what the exact check refuses: False means the file
    cannot hold an anchor, an alias or deep nesting, so the exact check can be skipped.

    It can only err towards the exact check. Block nesting needs indentation or indicators at
    the start of a line. Flow nesting needs brackets, and a bracket in a comment or a string
    can be a fake: so a line whose brackets balance counts as adding no depth only when it has
    no quote or comment character (then its brackets are real and closed on the line, or all
    text inside a multi-line string, which adds no depth either); every other line counts all
    its opening brackets, as if none of its closing ones were real."""
    if "&" in text or "*" in text:
        return True
    if max(map(len, _RISKY_LINE_START.findall(text)), default=0) > MAX_DEPTH:
        return True
    budget = 0
    for line in _BRACKET_LINE.findall(text):
        depth = peak = 0
        for bracket in _BRACKET.findall(line):
            depth += 1 if bracket in "[{" else -1
            if depth < 0:
                break
            peak = max(peak, depth)
        if depth == 0 and not _QUOTE_OR_COMMENT.search(line):
            if peak > MAX_DEPTH // 2:
                return True
        else:
            budget += line.count("[") + line.count("{")
            if budget > MAX_DEPTH // 2:
                return True
    return False


def _count(text: str, file: str) -> None:
    """Refuse a file of more than MAX_NODES nodes, or a mapping or list of more than MAX_ITEMS
    entries, at the first one too many; from events, so nothing is built."""
    nodes = 0
    open_counts: list[int] = []
    kinds: list[bool] = []  # True: a mapping (two nodes per entry)
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                message = f"more than {MAX_NODES:,} values in one file: split it"
                raise _mark(file, event.start_mark, message)
            if open_counts:
                open_counts[-1] += 1
                if open_counts[-1] > MAX_ITEMS * (2 if kinds[-1] else 1):
                    what = "keys in one mapping" if kinds[-1] else "items in one list"
                    raise _mark(file, event.start_mark, f"more than {MAX_ITEMS:,} {what}")
            if not isinstance(event, yaml.ScalarEvent):
                open_counts.append(0)
                kinds.append(isinstance(event, yaml.MappingStartEvent))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            open_counts.pop()
            kinds.pop()


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
        key_nodes: dict[Any, yaml.Node] = {}  # where each key was first written
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _unbuildable(key_node, "merge keys (<<) are not allowed: write the keys out")
            key = _construct(loader, key_node)
            try:
                first = key_nodes.get(key)
            except TypeError:
                message = "a key must be a plain value, not a list or mapping"
                raise _unbuildable(key_node, message) from None
            if first is not None:  # the same key to YAML, however written (1 and true)
                raise _duplicate_key(key_node, first)
            key_nodes[key] = key_node
            mapping[key] = _construct(loader, value_node)
        return mapping
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
        raise _unbuildable(node, f"the tag {node.tag} is not allowed here")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except (ValueError, TypeError, ArithmeticError, LookupError) as exc:
        message = f"{node.value!r} cannot be read as {_tag_name(node.tag)} ({exc})"
        raise _unbuildable(node, message) from None


def _tag_name(tag: str) -> str:
    return tag.removeprefix("tag:yaml.org,2002:")


def _unbuildable(node: yaml.Node, message: str) -> yaml.MarkedYAMLError:
    return yaml.constructor.ConstructorError(None, None, _one_line(message), node.start_mark)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())[:300]


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
                text = read_regular(self.path, MAX_FILE_BYTES).decode("utf-8")
                self.root = yaml.compose(text, Loader=_Loader)
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


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_text(path: Path, name: str, limit: int = MAX_FILE_BYTES) -> str:
    """A regular file's text, at most `limit` bytes of UTF-8; raises YamlFileError naming what
    is wrong (not a regular file, too large, not UTF-8, a control character) and where.

    The file is opened without blocking and its kind checked on the open descriptor, so a file
    swapped for a FIFO or a link to a device between a look and the read is still refused, and
    a "regular" file that never answers (/proc/kmsg) is an error, not a hang."""
    try:
        raw = read_regular(path, limit)
    except OSError as exc:
        raise YamlFileError(Problem(name, 1, 1, _os_problem(exc))) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:2]):
        raise YamlFileError(Problem(name, 1, 1, "UTF-16 text: save the file as UTF-8"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise YamlFileError(Problem(name, line, column, "not UTF-8 text")) from None
    bad = _NOT_TEXT.search(text)
    if bad:
        line, column = _position(text, bad.start())
        what = (
            "a NUL byte"
            if bad.group() == "\x00"
            else f"the control character U+{ord(bad.group()):04X}"
        )
        raise YamlFileError(Problem(name, line, column, f"{what}: the file must be plain text"))
    return text.removeprefix("\ufeff")


def _position(data: str | bytes, index: int) -> tuple[int, int]:
    newline = "\n" if isinstance(data, str) else b"\n"
    line = data.count(newline, 0, index) + 1  # type: ignore[arg-type]
    return line, index - (data.rfind(newline, 0, index) + 1) + 1  # type: ignore[arg-type]


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, (NotRegular, TooLarge)):
        return exc.strerror or str(exc)
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno in (errno.EAGAIN, errno.ENXIO):
        return "not a regular file: it cannot be read without waiting"
    return f"cannot read ({exc.strerror or exc})"


def quote_positions(path: Path) -> dict[str, tuple[int, int]]:
    """Where each `quote:` value of a file stands, (line, column), keyed by the quote's text:
    for reporting a quote that is not in its document at the quote itself."""
    try:
        root = yaml.compose(read_text(path, str(path)), Loader=_Loader)
    except (YamlFileError, yaml.YAMLError):
        return {}
    found: dict[str, tuple[int, int]] = {}
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "quote" and isinstance(value, yaml.ScalarNode):
                    found.setdefault(
                        value.value, (value.start_mark.line + 1, value.start_mark.column + 1)
                    )
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


def read_yaml(path: Path, name: str, limit: int = MAX_FILE_BYTES) -> YamlFile:
    """Read, check and parse one file; raises YamlFileError with the first problem found."""
    text = read_text(path, name, limit)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise YamlFileError(Problem(name, 1, 1, "the file is empty"))
    values = sum(text.count(mark) for mark in _SEPARATORS)
    if values > MAX_VALUES:
        message = f"about {values:,} values, more than one file may hold ({MAX_VALUES:,}): split it"
        raise YamlFileError(Problem(name, 1, 1, message))
    try:
        if _maybe_risky(text):
            _prescan(text, name)
        if values > MAX_ITEMS:
            _count(text, name)
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
        message = _one_line(exc.problem or exc.context)
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            message = "a tab character: YAML must be indented with spaces"
        raise _mark(name, mark, message) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(Problem(name, 1, 1, _one_line(exc))) from None
    except RecursionError:  # pragma: no cover - the depth checks above come first
        raise YamlFileError(
            Problem(name, 1, 1, f"nested more than {MAX_DEPTH} levels deep")
        ) from None
    return YamlFile(name, data, path)
