"""The root command group: each command a one-command Typer app, built only when it runs
(`typer.main.get_command`), so no run pays for the options of all; --help written at the one
output edge."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class UsageProblem(Exception):
    """Command-line usage that cannot be served; exit status 2."""


class Printed(Exception):
    """Print this and stop (--version): raised so that the one output edge writes it."""


COMMANDS: dict[str, typer.Typer] = {}


def command(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        sub = typer.Typer(
            add_completion=False,
            rich_markup_mode=None,
            pretty_exceptions_enable=False,
            context_settings=CONTEXT,
        )
        sub.command(name, cls=GuardedCommand)(function)
        COMMANDS[name] = sub
        return function

    return register


def help_through_the_edge(ctx: Any, param: Any, value: bool) -> None:
    """--help raises `Printed`, so that the help is written at the one output edge like any
    other output (click would echo it itself, unguarded)."""
    if value and not ctx.resilient_parsing:
        raise Printed(ctx.get_help() + "\n")


class GuardedCommand(TyperCommand):
    """A command whose --help is written at the output edge."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.callback = help_through_the_edge
        return option


class LazyGroup(TyperGroup):
    """The root group: its subcommands are built from their own Typer apps when used; a
    misspelt command gets a suggestion; --help is written at the output edge."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.callback = help_through_the_edge
        return option

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = typer.main.get_command(COMMANDS[cmd_name])
        return self.commands[cmd_name]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.5)
            hint = f" — did you mean '{close[0]}'?" if close else ""
            raise UsageProblem(f"no command '{name}'{hint}")
        return super().resolve_command(ctx, args)
