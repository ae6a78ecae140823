"""The model as plain JSON, and back: data that cannot run code when it is read.

A model object is written as its fields plus `"@": ClassName`; reading builds only the model's
own dataclasses, found by name in a fixed table, so a cache file can hold nothing but data. The
model's `shape` (every class's fields and their types) is part of a cache's key, so a change to
the model can never meet a cache written for the old one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zlib
from typing import Any

from nervecli.model import catalogue as model

# The classes a cache may hold, by name: the model's dataclasses (not the catalogue itself).
CLASSES: dict[str, type] = {
    name: obj
    for name, obj in vars(model).items()
    if isinstance(obj, type)
    and dataclasses.is_dataclass(obj)
    and obj.__module__ == model.__name__
    and obj is not model.Catalogue
}


# Each class's field names, and its name, looked up once (dataclasses.fields is slow per call).
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in CLASSES.values()
}
_NAME: dict[type, str] = {cls: name for name, cls in CLASSES.items()}
_SIMPLE = (str, int, float, bool, type(None))


class Unreadable(Exception):
    """What was stored cannot be read back as the model."""


def _plain(value: Any) -> Any:
    cls = type(value)
    name = _NAME.get(cls)
    if name is not None:
        out: dict[str, Any] = {"@": name}
        for field in _FIELDS[cls]:
            item = getattr(value, field)
            out[field] = item if type(item) in _SIMPLE else _plain(item)
        return out
    if cls is list or cls is tuple:
        return [_plain(v) for v in value]
    if cls is dict:
        if all(type(k) is str for k in value):
            return {"@dict": {k: _plain(v) for k, v in value.items()}}
        return {"@pairs": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if cls is dt.date:
        return {"@date": value.isoformat()}
    if value is None or cls in (str, int, float, bool):
        return value
    raise TypeError(f"cannot store a {cls.__name__} in the cache")


def _build(obj: dict[str, Any]) -> Any:
    if "@" in obj:
        cls = CLASSES.get(obj.pop("@"))
        if cls is None:
            raise Unreadable("an unknown class")
        return cls(**obj)
    if "@dict" in obj:
        return obj["@dict"]
    if "@pairs" in obj:
        return {tuple(k) if isinstance(k, list) else k: v for k, v in obj["@pairs"]}
    if "@date" in obj:
        return dt.date.fromisoformat(obj["@date"])
    return obj


# The fast way to the same bytes: json's C encoder walks the value and asks `_object` only for
# a model object or a date (each class's maker is built from the model's own field names). It
# writes every dict as a plain object and every str subclass as a string, where `_plain` writes
# "@dict" or refuses: so it is used only for a model object, and only while no model field can
# hold a dict (none can: their types are checked here).
_FAST = not any(
    word in str(f.type) for cls in CLASSES.values() for f in dataclasses.fields(cls)
    for word in ("dict", "Mapping", "Any", "object", "set")
)  # fmt: skip


def _maker(cls: type) -> Any:
    """A function from a model object to its fields as a dict, "@" first (a dict display:
    several times faster than filling one field by field)."""
    body = ", ".join(f"{f!r}: v.{f}" for f in _FIELDS[cls])
    return eval(f"lambda v: {{'@': {_NAME[cls]!r}, {body}}}")  # built from the model's own names


_MAKE: dict[type, Any] = {cls: _maker(cls) for cls in _NAME}


def _object(value: Any) -> dict[str, Any]:
    make = _MAKE.get(type(value))
    if make is not None:
        return make(value)  # type: ignore[no-any-return]
    if type(value) is dt.date:
        return {"@date": value.isoformat()}
    raise TypeError(f"cannot store a {type(value).__name__} in the cache")


_ENCODE = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, check_circular=False, default=_object
).encode


def dumps(value: Any) -> bytes:
    """A model value as compact JSON bytes."""
    if _FAST and type(value) in _NAME:
        return _ENCODE(value).encode()
    return json.dumps(_plain(value), separators=(",", ":"), ensure_ascii=False).encode()


def loads(data: bytes) -> Any:
    """A model value back from `dumps`; raises Unreadable for anything else."""
    try:
        return json.loads(data, object_hook=_build)
    except Unreadable:
        raise
    except Exception as exc:  # malformed JSON, wrong fields: never trusted
        raise Unreadable(f"{type(exc).__name__}") from None


def checksum(data: bytes) -> int:
    return zlib.crc32(data)


def shape() -> str:
    """A short digest of every model class's fields and their types."""
    parts = [
        f"{name}:" + ",".join(f"{f.name}={f.type}" for f in dataclasses.fields(cls))
        for name, cls in sorted(CLASSES.items())
    ]
    return f"{zlib.crc32(chr(10).join(parts).encode()):08x}"
