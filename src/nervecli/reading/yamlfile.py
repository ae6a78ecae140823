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
from collections.abc import Iterator, Sequence
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


# A line that starts with more than MAX_DEPTH indentation or indicator characters.
_DEEP_LINE = re.compile(rf"\n[ \t?:-]{{{MAX_DEPTH + 1}}}")
_DEEP_FIRST_LINE = re.compile(rf"[ \t?:-]{{{MAX_DEPTH + 1}}}")
_BRACKET = re.compile(r"[\[\]{}]")
_QUOTE_OR_COMMENT = re.compile("[\"'#]")


def _bracket_lines(text: str) -> Iterator[str]:
    """Every line (between newlines) that holds a bracket, found from the brackets: scanning
    every line for one took most of the look below."""
    at = 0
    while (found := _BRACKET.search(text, at)) is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        yield text[start:end]
        at = end


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
    if _DEEP_FIRST_LINE.match(text) or _DEEP_LINE.search(text):
        return True
    budget = 0
    for line in _bracket_lines(text):
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


_SCALAR, _SEQUENCE, _MAPPING = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    """Python values for a node tree: plain strings, lists and mappings built directly (most of
    a catalogue), everything else (numbers, dates, booleans, null, explicit tags) by PyYAML's
    safe constructor, so the result is the same. Duplicate keys are refused. The depth is
    bounded by the checks before composing. (Plain text is taken where it stands, without a
    call: most values are.)"""
    tag, kind = node.tag, type(node)
    if kind is _SCALAR and tag == _STR:
        return node.value
    if kind is _SEQUENCE and tag == _SEQ:
        return [
            item.value if type(item) is _SCALAR and item.tag == _STR else _construct(loader, item)
            for item in node.value
        ]
    if kind is _MAPPING and tag == _MAP:
        mapping: dict[Any, Any] = {}
        key_nodes: dict[Any, yaml.Node] = {}  # where each key was first written
        for key_node, value_node in node.value:
            if type(key_node) is _SCALAR and key_node.tag == _STR:
                key = key_node.value
            elif key_node.tag == "tag:yaml.org,2002:merge":
                raise _unbuildable(key_node, "merge keys (<<) are not allowed: write the keys out")
            else:
                key = _construct(loader, key_node)
            try:
                first = key_nodes.get(key)
            except TypeError:
                message = "a key must be a plain value, not a list or mapping"
                raise _unbuildable(key_node, message) from None
            if first is not None:  # the same key to YAML, however written (1 and true)
                raise _duplicate_key(key_node, first)
            key_nodes[key] = key_node
            if type(value_node) is _SCALAR and value_node.tag == _STR:
                mapping[key] = value_node.value
            else:
                mapping[key] = _construct(loader, value_node)
        return mapping
    if kind is _SEQUENCE or kind is _MAPPING:
        raise _unbuildable(node, f"the tag {node.tag} is not allowed here")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except (ValueError, TypeError, ArithmeticError, LookupError) as exc:
        why = str(exc)
        if "set_int_max_str_digits" in why:  # Python's own advice is no help to an author
            why = "a number too long to read: more than 4,300 digits"
        message = f"{_value(node.value)} cannot be read as {_tag_name(node.tag)} ({why})"
        raise _unbuildable(node, message) from None


def _value(value: object) -> str:
    """A value as a message quotes it: its start only, when long (the reason must follow)."""
    text = str(value)
    if len(text) <= 60:
        return repr(text)
    return f"{text[:24]!r}... ({len(text):,} characters)"


def _tag_name(tag: str) -> str:
    return tag.removeprefix("tag:yaml.org,2002:")


def _unbuildable(node: yaml.Node, message: str) -> yaml.MarkedYAMLError:
    return yaml.constructor.ConstructorError(None, None, _one_line(message), node.start_mark)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())[:300]


_DIGITS = frozenset("0123456789")


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


_EVERY_CHARACTER = _Everything()


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, refusing duplicate keys (PyYAML would keep the last one silently)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[tuple[str, Any], str] = {}  # short scalars, keys mostly
        # The first characters an implicit type can start with (all of them if one may start
        # with any: None).
        first = self.yaml_implicit_resolvers
        self._first_characters: Any = first if None not in first else _EVERY_CHARACTER

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # PyYAML's own rule, with fast paths to the same answers. The safe loader has no path
        # resolvers, so a tag depends on the kind, the value and `implicit` alone. A quoted
        # scalar is text; a plain one is text unless an implicit type's pattern for its first
        # character matches; of those types (bool, null, int, float, timestamp, merge, value)
        # only a timestamp may contain a space, and it starts with a digit. Catalogue text is
        # mostly such scalars, and the full resolver tries a regular expression per type on
        # each. A short one (a key: `text`, `source`, `quote` on every fact) is resolved once
        # per file.
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return _STR
        if value and value[0] not in self._first_characters:
            return _STR
        if " " in value and value[0] not in _DIGITS:
            return _STR
        if len(value) > 40:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag

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
    return _read(path, name, limit)[1]


# Bytes that are never a control character, and those YAML separates values with: deleting
# either set from a file's bytes leaves what is to be counted (one pass, instead of a search or
# a count per character).
_TEXT_BYTES = bytes(b for b in range(0x80) if not _NOT_TEXT.match(chr(b)))
_NOT_SEPARATORS = bytes(b for b in range(0x100) if chr(b) not in _SEPARATORS)


def _read(path: Path, name: str, limit: int) -> tuple[bytes, str]:
    """A file's bytes and its text (see `read_text`)."""
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
    bad = None if raw.isascii() and not raw.translate(None, _TEXT_BYTES) else _NOT_TEXT.search(text)
    if bad:
        line, column = _position(text, bad.start())
        what = (
            "a NUL byte"
            if bad.group() == "\x00"
            else f"the control character U+{ord(bad.group()):04X}"
        )
        raise YamlFileError(Problem(name, line, column, f"{what}: the file must be plain text"))
    return raw, text.removeprefix("\ufeff")


_INK = re.compile(r"\S")
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines' own


def _has_content(text: str) -> bool:
    """Whether a line holds something other than blanks and a comment (looked for from the
    first character that is not a blank, rather than by splitting every line)."""
    at = 0
    while (ink := _INK.search(text, at)) is not None:
        if ink.group() != "#":
            return True
        end = _LINE_BREAK.search(text, ink.end())
        if end is None:
            return False
        at = end.end()
    return False


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
    raw, text = _read(path, name, limit)
    if not _has_content(text):
        raise YamlFileError(Problem(name, 1, 1, "the file is empty"))
    values = len(raw.translate(None, _NOT_SEPARATORS))  # all ASCII: as many as in the text
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
