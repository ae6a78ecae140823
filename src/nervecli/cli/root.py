"""The root command: its help and options (--version, completion, --catalog, --no-bundled,
--no-cache), the run's settings built once from them, and the catalogue they name."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from nervecli import __version__
from nervecli.cli.environment import (
    ENV_CATALOG,
    ENV_NO_BUNDLED,
    ENV_NO_CACHE,
    Environment,
    Settings,
)
from nervecli.cli.group import CONTEXT, LazyGroup, Printed
from nervecli.model.errors import RequestError

if TYPE_CHECKING:
    from nervecli.model.catalogue import Catalogue

HELP = """\
Explore treatments for nerve (neuropathic) pain, from a catalogue where every fact carries
its source and a word-for-word quote. Information to discuss with a doctor, not medical
advice.


\b
Examples:
  nervecli list
  nervecli show ketamine
  nervecli compare steroid nerve-block
  nervecli compare steroid nerve-block --format html > visit.html
  nervecli search dizziness
  nervecli help show


Names may be an id, an alias or a name, in any case, or their leading whole words
('nerve-block' finds nerve-block-infusion). Every command takes --format table, json,
markdown (md) or html.


\b
Exit status: 0 ok, 1 not found, bad catalogue or output error, 2 usage error,
130 interrupted.
"""


app = typer.Typer(
    cls=LazyGroup,
    name="nervecli",
    help=HELP,
    add_completion=False,  # our own --show/--install-completion take the shell by name
    invoke_without_command=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT,
)


def _version(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        raise Printed(f"nervecli {__version__}\n")


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


COMPLETE_VAR = "_NERVECLI_COMPLETE"


def _typer_says(say: Callable[[], object]) -> str:
    """What one of typer.completion's own functions prints (it writes to stdout and may end
    with SystemExit), captured so that the one guarded output edge writes it."""
    import contextlib
    import io

    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.suppress(SystemExit):
        say()
    return said.getvalue().strip("\n")


def _show_completion(ctx: typer.Context, value: Shell | None) -> None:
    if value is not None and not ctx.resilient_parsing:
        from typer.completion import get_completion_inspect_parameters, shell_complete

        get_completion_inspect_parameters()  # Typer's completion set-up, as add_completion does
        command = ctx.find_root().command
        script = _typer_says(
            lambda: shell_complete(command, {}, "nervecli", COMPLETE_VAR, f"source_{value.value}")
        )
        raise Printed(script + "\n")


def _install_completion(
    ctx: typer.Context, param: typer.CallbackParam, value: Shell | None
) -> None:
    # Never during a Tab press: completion parses the line resiliently and must write nothing.
    if value is not None and not ctx.resilient_parsing:
        from typer.completion import install_callback

        try:  # Typer's --install-completion, for this shell; it says where it wrote the script
            said = _typer_says(lambda: install_callback(ctx, param, value.value))
        except OSError as exc:
            raise RequestError(
                f"cannot install completion for {value.value}: {exc.strerror or exc}"
            ) from None
        raise Printed(f"{said.splitlines()[0]}; it takes effect in a new terminal.\n")


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        Optional[bool],  # noqa: UP045 - Typer reads this annotation at run time
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
    show_completion: Annotated[
        Optional[Shell],  # noqa: UP045
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
            help="Print the completion script for SHELL (bash, zsh, fish, powershell, pwsh).",
        ),
    ] = None,
    install_completion: Annotated[
        Optional[Shell],  # noqa: UP045
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
            help="Install completion for SHELL, so that Tab completes commands and names.",
        ),
    ] = None,
    catalog: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--catalog",
            metavar="PATH",
            help=(
                "A catalogue file or folder to use over the bundled one (repeatable; also "
                f"${ENV_CATALOG}, a list like PATH). Its entries are added, and an entry with "
                "the id of a bundled one replaces it."
            ),
        ),
    ] = None,
    no_bundled: Annotated[
        bool,
        typer.Option(
            "--no-bundled", help=f"Use only the --catalog catalogues (also ${ENV_NO_BUNDLED}=1)."
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help=f"Read the catalogue from its files, not the cache (also ${ENV_NO_CACHE}=1).",
        ),
    ] = False,
) -> None:
    """Explore treatments for nerve pain."""
    for path in catalog or []:
        if not path.strip():
            raise typer.BadParameter("an empty path", param_hint="'--catalog'")
    ctx.obj = _settings(environment_of(ctx), catalog, no_bundled, no_cache)
    if ctx.invoked_subcommand is None:
        raise Printed(ctx.get_help() + "\n")


def environment_of(ctx: typer.Context) -> Environment:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Environment) else Environment.from_process()


def _settings(
    env: Environment,
    catalog: list[str] | None = None,
    no_bundled: bool = False,
    no_cache: bool = False,
    version: bool | None = None,  # eager: it has printed and stopped the run already
) -> Settings:
    """The run's settings from the root options, as the root callback receives them (so
    that its parameters, and only they, are spelled once: in its own signature)."""
    return Settings.build(env, [p for p in catalog or [] if p.strip()], no_bundled, no_cache)


def settings_for(ctx: typer.Context) -> Settings:
    """The run's settings: made once by the root callback from its typed options; during
    shell completion (which runs no callback) made by the same function from the options
    parsed so far, so that completion honours --catalog and --no-bundled like every
    command."""
    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    return _settings(environment_of(ctx), **root.params)  # the root callback's own parameters


def load(ctx: typer.Context) -> Catalogue:
    from nervecli.origin.store import open_catalogue as load_catalogue

    settings = settings_for(ctx)
    return load_catalogue(list(settings.catalogs), settings.bundled, settings.cache_dir)
