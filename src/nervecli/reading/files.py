"""Where catalogue files are: the bundled catalogue, and the files under given paths.

Kept apart from the loader so that a run served from the cache can find (and fingerprint) the
files without importing a YAML parser.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from nervecli.model.errors import CatalogueError, Problem

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 20 * 1024 * 1024  # one catalogue file; a folder may hold many


def bundled_data_dir() -> Path:
    """The catalogue shipped with nervecli: inside the package, or data/ in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "data", package.parents[1] / "data"):
        if (candidate / "catalogue.yaml").is_file():
            return candidate
    raise CatalogueError([f"the bundled catalogue is missing (looked in {package / 'data'})"])


class NotRegular(OSError):
    """A path that is not (or is no longer) a regular file: `what` it is instead."""

    def __init__(self, what: str) -> None:
        super().__init__(errno.EINVAL, f"is {what}, not a regular file")
        self.what = what


class TooLarge(OSError):
    def __init__(self, limit: int) -> None:
        super().__init__(errno.EFBIG, f"the file is larger than the limit, {limit:,} bytes")
        self.limit = limit


_KINDS_OF_FILE = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_regular(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file; raises OSError (NotRegular, TooLarge, or the
    system's own) otherwise. The file is opened without blocking and its kind checked on the
    open descriptor, so a file swapped for a FIFO or a link to a device between a look and the
    read is refused, and a "regular" file that never answers (/proc/kmsg) fails at once."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    try:
        info = os.fstat(fd)
        for test, what in _KINDS_OF_FILE:
            if test(info.st_mode):
                raise NotRegular(what)
        if info.st_size > limit:
            raise TooLarge(limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # never trust the size the file claims
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise TooLarge(limit)
    return b"".join(chunks)


def is_yaml(path: Path) -> bool:
    return path.suffix.lower() in YAML_SUFFIXES


def _walk(folder: Path, real: str, files: list[tuple[Path, str]], problems: list[Problem]) -> None:
    """The YAML files under a folder, recursively, as `Path.rglob` finds them (a link to a
    folder is not followed; a link to a file is), except that a folder that cannot be opened
    or read is a problem, never skipped in silence. Each with its real path (`real` is the
    folder's): its folder's and its name, unless the file is itself a link."""
    try:
        with os.scandir(folder) as entries:
            found = list(entries)
    except OSError as exc:
        problems.append(Problem(str(folder), 1, 1, _unreadable(exc)))
        return
    for entry in found:
        path = folder / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(path, os.path.join(real, entry.name), files, problems)
            elif is_yaml(path) and entry.is_file():
                link = entry.is_symlink()
                files.append(
                    (path, os.path.realpath(path) if link else os.path.join(real, entry.name))
                )
            elif is_yaml(path):  # named as a catalogue file, and none: said, never skipped
                problems.append(Problem(str(path), 1, 1, f"is {_what_it_is(path)}, not a file"))
        except OSError as exc:
            problems.append(Problem(str(path), 1, 1, _unreadable(exc)))


def _what_it_is(path: Path) -> str:
    """What stands at a path that is no regular file: 'a FIFO (named pipe)', ..."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing"
    for test, what in _KINDS_OF_FILE:
        if test(mode):
            return f"a link to {what}" if path.is_symlink() else what
    return "not a regular file"


def _unreadable(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    return f"cannot be read ({exc.strerror or exc})"


def catalogue_files(paths: Iterable[Path]) -> list[Path]:
    """Every YAML file named, or found (recursively, sorted) in a named folder, each once. A
    path that does not exist, is not a file or folder, cannot be read, or is a folder with no
    YAML file is a problem."""
    return [path for path, _ in located_files(paths)]


def located_files(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """`catalogue_files`, each with its real path (`os.path.realpath`): a folder's files are
    resolved through the folder, resolved once (a cache checks a thousand files' stamps)."""
    files: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for path in paths:
        name = str(path)
        if not name:
            problems.append(Problem("(empty path)", 1, 1, "an empty catalogue path was given"))
            continue
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            what = (
                "a loop of symbolic links"
                if exc.errno == errno.ELOOP
                else _unreadable(exc)
                if exc.errno in (errno.EACCES, errno.EPERM)
                else "no such file or folder"
            )
            problems.append(Problem(name, 1, 1, what))
            continue
        if stat.S_ISDIR(mode):
            found: list[tuple[Path, str]] = []
            before = len(problems)
            _walk(path, os.path.realpath(path), found, problems)
            if not found and len(problems) == before:
                problems.append(Problem(name, 1, 1, "no catalogue files (*.yaml, *.yml) in it"))
            files.extend(sorted(found, key=lambda f: f[0]))
        elif stat.S_ISREG(mode):
            files.append((path, os.path.realpath(path)))
        else:
            problems.append(Problem(name, 1, 1, "not a regular file or folder"))
    if problems:
        raise CatalogueError(problems)
    seen: set[str] = set()
    distinct = []
    for file, real in files:  # a file named and also inside a named folder is read once
        if real not in seen:
            seen.add(real)
            distinct.append((file, real))
    return distinct
