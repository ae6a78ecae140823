"""`nervecli decide`: print a saved guide, or hold the conversation (`decide_session`) on a
terminal and then print the filled guide; its record for JSON is built apart. Imported only
when `decide` runs."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from nervecli.cli.decide_session import Conversation
from nervecli.cli.environment import Environment
from nervecli.domain.guide import choose, guide_reasons, to_ask
from nervecli.model.guide import (
    MAX_TREATMENTS,
    Guide,
    GuideFileError,
)
from nervecli.present import guide as words

if TYPE_CHECKING:
    from nervecli.model.catalogue import Catalogue
    from nervecli.output.document import Document


class NeedsTerminal(Exception):
    """`decide` was run without a terminal and without --file, or with more names than it
    weighs: a usage error."""


NEEDS_TERMINAL = (
    "decide asks its questions on a terminal; without one, give --file PATH to print a saved "
    "guide (--format table, markdown, html or json)"
)


def default_folder(env: Environment) -> Path | None:
    """$XDG_DATA_HOME/nervecli/decisions, or ~/.local/share/nervecli/decisions; a relative
    XDG_DATA_HOME is ignored, as the XDG specification says."""
    base = env.environ.get("XDG_DATA_HOME", "")
    if base and os.path.isabs(base):
        return Path(base) / "nervecli" / "decisions"
    home = env.environ.get("HOME", "")
    if home and os.path.isabs(home):
        return Path(home) / ".local" / "share" / "nervecli" / "decisions"
    return None


def new_file(env: Environment, today: dt.date) -> Path:
    folder = default_folder(env)
    if folder is None:
        raise GuideFileError("no home folder to save the guide in: give --file PATH")
    name = f"decision-{today.isoformat()}"
    path = folder / f"{name}.yaml"
    n = 2
    while path.exists():
        path = folder / f"{name}-{n}.yaml"
        n += 1
    return path


def isatty(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def decide(
    env: Environment,
    load: Callable[[], Catalogue],
    emit: Callable[[Callable[[], Document], Callable[[], Any], str], None],
    names: Sequence[str],
    file: Path | None,
    fmt: str | None,
) -> None:
    """The command: print a saved guide (`fmt` given, or no terminal), or hold the
    conversation on a terminal, then print the filled guide."""
    from nervecli.reading.guide import read_guide

    if len(names) > MAX_TREATMENTS:
        raise NeedsTerminal(f"give 1 to {MAX_TREATMENTS} treatments, not {len(names)}")
    terminal = isatty(sys.stdin) and isatty(env.stderr)
    if file is None and (fmt is not None or not terminal):
        raise NeedsTerminal(NEEDS_TERMINAL if not terminal else "--format needs --file PATH")
    guide: Guide | None = None
    if file is not None and (file.exists() or file.is_symlink() or fmt or not terminal):
        guide = read_guide(file)  # a broken file stops here, before anything is written
    catalogue = load()
    if guide is not None and (fmt is not None or not terminal):
        saved = guide
        if fmt == "html":
            from nervecli.cli.emit import write

            write(env, words.draw_html(filled(catalogue, saved)))
        else:
            emit(
                lambda: filled(catalogue, saved),
                lambda: filled_record(catalogue, saved),
                fmt or "table",
            )
        return
    today = dt.date.today()
    path = file if file is not None else new_file(env, today)
    if guide is None:
        guide = Guide(created=today.isoformat())
    else:
        _say_changes(env, catalogue, guide)
    choose(catalogue, names)  # a misspelt name stops before any question
    Conversation(env, catalogue, guide, path, sys.stdin).run(names)
    done = guide
    emit(lambda: filled(catalogue, done), lambda: filled_record(catalogue, done), "table")


def filled(catalogue: Catalogue, guide: Guide) -> Document:
    """The filled guide, to print."""
    from nervecli.domain.guide import changes

    current = guide_reasons(catalogue, guide)
    treatments = [r.treatment for r in current if r.treatment is not None]
    return words.guide_doc(
        catalogue, guide, current, changes(guide, current), to_ask(catalogue, treatments)
    )


def filled_record(catalogue: Catalogue, guide: Guide) -> dict[str, Any]:
    """The filled guide, as data."""
    from nervecli.domain.guide import changes
    from nervecli.records.guide import guide_record

    current = guide_reasons(catalogue, guide)
    treatments = [r.treatment for r in current if r.treatment is not None]
    return guide_record(
        catalogue, guide, current, changes(guide, current), to_ask(catalogue, treatments)
    )


def _say_changes(env: Environment, catalogue: Catalogue, guide: Guide) -> None:
    from nervecli.cli.emit import message
    from nervecli.domain.guide import changes

    current = guide_reasons(catalogue, guide)
    found = changes(guide, current)
    if guide.catalogue_version and guide.catalogue_version != catalogue.meta.version:
        message(
            env,
            f"This guide was saved with catalogue {guide.catalogue_version}; this is "
            f"catalogue {catalogue.meta.version}.",
        )
    if not found:
        return
    message(env, f"{len(found)} of the reasons you rated have changed or gone in the sources:")
    for c in found:
        name = words.option_name(
            c.option, next((r for r in current if r.id == c.option.treatment), None)
        )
        status = "gone" if c.now is None else "changed"
        message(env, f"  {name}: {status}: {c.rating.text}")
    message(env, "You can rate them again as you go through the guide.")
