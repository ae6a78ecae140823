"""The command line: parse arguments, build the settings once, call the library, choose a
drawer, and map every failure to one line on stderr and an exit status (defined once, in
`ExitCode`). Typer is used through its public API: each command is a one-command Typer app,
built only when it runs (`typer.main.get_command`), so no run pays for the options of all."""

from __future__ import annotations

import os
from collections.abc import Sequence

import typer

from nervecli.cli.commands import browse, catalogue, personal  # noqa: F401 - they register
from nervecli.cli.emit import OutputFault, ReaderGone, message, settle, write
from nervecli.cli.environment import Environment
from nervecli.cli.errors import catalogue_problems, describe
from nervecli.cli.group import COMMANDS as COMMANDS
from nervecli.cli.group import Printed, UsageProblem
from nervecli.cli.root import COMPLETE_VAR, app
from nervecli.cli.status import ExitCode
from nervecli.model.errors import CatalogueError, NerveError


def _reserve_standard_fds() -> bool:
    """Point a closed stdin, stdout or stderr at /dev/null, so that no file this run opens
    takes its number (and a message meant for stderr never lands in, say, the cache). True
    when stdout was closed: output must then fail, not vanish."""
    closed = False
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed |= fd == 1
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                if devnull != fd:
                    os.dup2(devnull, fd)
                    os.close(devnull)
            except OSError:
                pass
    return closed


def run(args: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Run nervecli with these arguments; returns the exit status."""
    env = env or Environment.from_process()
    if env.environ.get(COMPLETE_VAR):  # set but empty: an ordinary run, as click has it
        return _shell_completion(env)
    try:
        group = typer.main.get_command(app)
        result = group.main(
            args=list(args) if args is not None else None,
            prog_name="nervecli",
            standalone_mode=False,
            obj=env,
        )
        if result == ExitCode.INTERRUPTED:  # Typer turns Ctrl-C into a silent Exit(130)
            message(env, "Error: interrupted.")
        return result if isinstance(result, int) else ExitCode.OK
    except Printed as printed:
        try:
            write(env, str(printed))
        except ReaderGone:
            return ExitCode.OK
        except OutputFault as fault:
            message(env, f"Error: cannot write the output: {fault}.")
            return ExitCode.ERROR
        return ExitCode.OK
    except ReaderGone:
        return ExitCode.OK
    except OutputFault as fault:
        message(env, f"Error: cannot write the output: {fault}.")
        return ExitCode.ERROR
    except CatalogueError as exc:
        catalogue_problems(env, exc)
        return ExitCode.ERROR
    except NerveError as exc:
        message(env, f"Error: {describe(exc)}")
        return ExitCode.ERROR
    except UsageProblem as exc:
        message(env, f"Error: {exc} Try 'nervecli --help'.")
        return ExitCode.USAGE
    except typer.TyperException as exc:  # click's usage errors
        code = getattr(exc, "exit_code", ExitCode.USAGE)
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "nervecli"
        text = " ".join(exc.format_message().split()).rstrip(".").replace("Value error, ", "")
        message(env, f"Error: {text}. Try '{where} --help'.")
        return code
    except typer.Abort:  # Ctrl-C, turned into Abort by click
        message(env, "Error: interrupted.")
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        message(env, "Error: interrupted.")
        return ExitCode.INTERRUPTED
    except SystemExit as done:  # shell completion ends this way
        return done.code if isinstance(done.code, int) else ExitCode.OK


def _shell_completion(env: Environment) -> int:
    """A Tab press: Typer's completion for every shell. What the shell sends is not trusted:
    malformed COMP_* variables, or any failure, complete nothing rather than print a
    traceback into the shell."""
    from typer.completion import get_completion_inspect_parameters

    get_completion_inspect_parameters()  # Typer's completion set-up, as add_completion does
    try:
        typer.main.get_command(app).main(
            args=[], prog_name="nervecli", standalone_mode=False, obj=env
        )
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else ExitCode.OK
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except Exception:  # whatever went wrong, a Tab press completes nothing
        return ExitCode.ERROR
    return ExitCode.OK


def main() -> None:
    """The console script: reserve the standard streams, run, exit with the status."""
    closed = _reserve_standard_fds()
    raise SystemExit(settle(run(env=Environment.from_process(stdout_closed=closed))))
