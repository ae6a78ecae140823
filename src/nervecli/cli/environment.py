"""What a run is given, read once: the process's streams and environment variables become one
`Environment`, and the global options with it become one `Settings`, stored in the command's
context (`ctx.obj`) and passed down. No other module reads `os.environ`, and nothing writes it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ENV_CATALOG = "NERVECLI_CATALOG"  # catalogue files or folders over the bundled one, like PATH
ENV_NO_BUNDLED = "NERVECLI_NO_BUNDLED"  # "1": use only the catalogues named
ENV_NO_CACHE = "NERVECLI_NO_CACHE"  # "1": always read the catalogue files, never the cache
DEFAULT_WIDTH = 80
MIN_WIDTH = 20
MAX_WIDTH = 1000


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() not in ("", "0", "false", "no")


def _width(environ: Mapping[str, str], stream: IO[str] | None, tty: bool) -> int:
    """COLUMNS when it is a sensible number, else the terminal's width, else 80."""
    try:
        columns = int(environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0 and tty and stream is not None:
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            columns = 0
    if columns <= 0:
        columns = DEFAULT_WIDTH
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def _isatty(stream: IO[Any] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


@dataclass(repr=False, eq=False)
class Environment:
    """The streams a run writes to and what the process environment says, read once."""

    stdout: IO[str] | None
    stderr: IO[str] | None
    environ: Mapping[str, str] = field(default_factory=dict)
    stdout_tty: bool = False
    width: int = DEFAULT_WIDTH
    height: int = 24
    color: bool = False
    stdout_closed: bool = False  # fd 1 was closed when the run started

    @classmethod
    def from_process(cls, stdout_closed: bool = False) -> Environment:
        environ = dict(os.environ)
        tty = _isatty(sys.stdout) and not stdout_closed
        plain = "NO_COLOR" in environ or environ.get("TERM") == "dumb"
        try:
            height = os.get_terminal_size(sys.stdout.fileno()).lines if tty else 24
        except (OSError, ValueError, AttributeError):
            height = 24
        return cls(
            stdout=sys.stdout,
            stderr=sys.stderr,
            environ=environ,
            stdout_tty=tty,
            width=_width(environ, sys.stdout, tty),
            height=height,
            color=tty and not plain,
            stdout_closed=stdout_closed,
        )

    def cache_dir(self) -> Path | None:
        """$XDG_CACHE_HOME/nervecli, or ~/.cache/nervecli; a relative XDG_CACHE_HOME is
        ignored, as the XDG specification says. None when no home can be found."""
        base = self.environ.get("XDG_CACHE_HOME", "")
        if base and os.path.isabs(base):
            return Path(base) / "nervecli"
        home = self.environ.get("HOME", "")
        return Path(home) / ".cache" / "nervecli" if home and os.path.isabs(home) else None

    def pager(self) -> tuple[list[str], dict[str, str]]:
        """The pager command ($PAGER, else less) and the environment to run it with."""
        import shlex

        try:
            command = shlex.split(self.environ.get("PAGER", "")) or ["less"]
        except ValueError:
            command = ["less"]
        env = dict(self.environ)
        env.setdefault("LESS", "-FRX")  # keep colours; quit if it fits one screen
        return command, env


def distinct(paths: Sequence[str]) -> tuple[Path, ...]:
    """The paths in order, each catalogue once: `--catalog ok --catalog ./ok`, or a folder in
    both $NERVECLI_CATALOG and --catalog, is one catalogue, not a clash of duplicate ids."""
    seen: set[str] = set()
    kept: list[Path] = []
    for path in paths:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            kept.append(Path(path))
    return tuple(kept)


@dataclass(repr=False, eq=False)
class Settings:
    """What this run uses, from the global options and the environment: built once."""

    env: Environment
    catalogs: tuple[Path, ...] = ()
    bundled: bool = True
    cache_dir: Path | None = None

    @classmethod
    def build(
        cls,
        env: Environment,
        catalogs: Sequence[str] = (),
        no_bundled: bool = False,
        no_cache: bool = False,
    ) -> Settings:
        from_env = [p for p in env.environ.get(ENV_CATALOG, "").split(os.pathsep) if p.strip()]
        return cls(
            env=env,
            catalogs=distinct([*from_env, *catalogs]),
            bundled=not (no_bundled or _flag(env.environ.get(ENV_NO_BUNDLED))),
            cache_dir=None if no_cache or _flag(env.environ.get(ENV_NO_CACHE)) else env.cache_dir(),
        )
