"""Read a `check --profile` file with the same guards as a catalogue file: regular files only,
bounded in size, duplicate keys refused, every problem at its line."""

from __future__ import annotations

from pathlib import Path

from nervecli.model.errors import ProfileError
from nervecli.model.profile import Profile
from nervecli.reading.yamlfile import YamlFileError, read_yaml

MAX_PROFILE_BYTES = 64 * 1024  # a profile is a few lines


def read_profile(path: Path) -> Profile:
    from pydantic import TypeAdapter, ValidationError

    from nervecli.reading.validation import message

    name = str(path)
    try:
        yfile = read_yaml(path, name, MAX_PROFILE_BYTES)
    except YamlFileError as exc:
        raise ProfileError([exc.problem]) from None
    if not isinstance(yfile.data, dict):
        raise ProfileError([yfile.problem([], "expected the keys has, takes and pregnant")])
    try:
        return TypeAdapter(Profile).validate_python(yfile.data)
    except ValidationError as exc:
        problems = [
            yfile.problem(
                list(err["loc"]),
                f"{'.'.join(map(str, err['loc'])) or '(top level)'}: {message(err)}",
            )
            for err in exc.errors()
        ]
        raise ProfileError(problems) from None
