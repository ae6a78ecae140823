"""The output edge: text goes to stdout and messages to stderr, and faults there are handled
once. A reader that closes the pipe early ends the run quietly; a closed or full stdout is one
line on stderr and exit status 1; a character the output encoding cannot show is replaced; a
pager that cannot be started falls back to printing. `settle` is the last step of every run,
whatever printed last (nervecli, or Typer on its own)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import IO

from nervecli.cli.environment import Environment
from nervecli.output.text import visible


class ReaderGone(Exception):
    """The reader of stdout went away (`nervecli list | head -1`): not an error."""


class OutputFault(Exception):
    """stdout could not be written (closed, or the disk is full)."""


def _encoding(stream: IO[str]) -> str:
    return getattr(stream, "encoding", None) or "utf-8"


def write(env: Environment, text: str) -> None:
    stream = env.stdout
    if stream is None or env.stdout_closed:
        raise OutputFault("standard output is closed")
    data = text.encode(_encoding(stream), errors="replace").decode(_encoding(stream))
    try:
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise ReaderGone from None
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise ReaderGone from None
        if exc.errno == errno.EBADF:
            raise OutputFault("standard output is closed") from None
        raise OutputFault(exc.strerror or str(exc)) from None
    except ValueError:  # the stream itself is closed
        raise OutputFault("standard output is closed") from None


def message(env: Environment, text: str) -> None:
    """One line for the person at the terminal, on stderr, never on stdout."""
    stream = env.stderr
    if stream is None:
        return
    line = visible(text, lines=True)
    try:
        stream.write(
            line.encode(_encoding(stream), errors="replace").decode(_encoding(stream)) + "\n"
        )
        stream.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it; the exit status still does


class _Pager:
    """A running pager, fed text as it comes. Ctrl-C reaches the pager too: it decides when it
    ends, and nervecli never returns to the shell's prompt under a live pager."""

    def __init__(self, command: list[str], process: subprocess.Popen[bytes]) -> None:
        self.command, self.process = command, process
        self.interrupted = False
        self.status: int | None = None

    @classmethod
    def start(cls, env: Environment) -> _Pager | None:
        """The pager, started; None when it cannot be run."""
        command, pager_env = env.pager()
        try:
            return cls(command, subprocess.Popen(command, stdin=subprocess.PIPE, env=pager_env))
        except OSError:
            return None

    def send(self, text: str) -> bool:
        """Give the pager more text; False once it has stopped reading (quit, or failed)."""
        stdin = self.process.stdin
        if stdin is None or stdin.closed:
            return False
        try:
            stdin.write(text.encode("utf-8", errors="replace"))
            stdin.flush()
            return True
        except OSError:  # the pager was quit early
            return False
        except KeyboardInterrupt:
            self.interrupted = True
            return False

    def finish(self) -> int:
        """Close the pager's input and wait for it to end; its exit status. A Ctrl-C while it
        ran is raised once it has ended."""
        if self.status is None:
            if self.process.stdin is not None:
                with contextlib.suppress(OSError):
                    self.process.stdin.close()
            while True:
                try:
                    self.status = self.process.wait()
                    break
                except KeyboardInterrupt:
                    self.interrupted = True
        if self.interrupted:
            self.interrupted = False
            raise KeyboardInterrupt
        return self.status

    def failed(self) -> bool:
        return self.status not in (None, 0, -signal.SIGPIPE)

    def warn(self, env: Environment) -> None:
        message(
            env,
            f"Warning: the pager {self.command[0]!r} failed (status {self.status}); "
            "printing instead.",
        )


def page(env: Environment, text: str, allowed: bool) -> None:
    """Send text taller than the terminal through the pager; print it otherwise, when piped,
    when not allowed, or when the pager cannot be run (or fails)."""
    if not (allowed and env.stdout_tty) or text.count("\n") < env.height:
        write(env, text)
        return
    pager = _Pager.start(env)
    if pager is None:
        write(env, text)
        return
    pager.send(text)
    pager.finish()
    if pager.failed():
        pager.warn(env)
        write(env, text)


def _drain(stream: IO[str] | None) -> int | None:
    """Flush a standard stream; if that fails, point its descriptor at /dev/null and flush
    again, so that what is still buffered is dropped here and not by the interpreter at exit
    (which would print "Exception ignored" and exit 120). The errno of the failure, or None."""
    if stream is None:
        return None
    try:
        stream.flush()
        return None
    except ValueError:  # closed: the interpreter skips it too
        return None
    except OSError as exc:
        failure = exc.errno or errno.EIO
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
        stream.flush()
    except (OSError, ValueError):
        pass
    return failure


def settle(status: int) -> int:
    """Flush stdout and stderr at the end of a run and return the exit status: output that
    could not be written after all makes a successful run fail with one line (status 1); a
    reader that went away does not."""
    failure = _drain(sys.stdout)
    if failure is not None and failure != errno.EPIPE and status == 0:
        status = 1
        reason = "standard output is closed" if failure == errno.EBADF else os.strerror(failure)
        try:
            if sys.stderr is not None:
                sys.stderr.write(f"Error: cannot write the output: {reason}.\n")
        except (OSError, ValueError):
            pass
    _drain(sys.stderr)
    return status


def page_drawn(
    env: Environment, draw: Callable[[Callable[[str], None]], None], allowed: bool
) -> None:
    """`page` for a drawer that hands its text over piece by piece, each written as it is
    drawn: so `nervecli list | head` stops drawing when `head` has what it wants, and on a
    terminal the pager shows the first screen while the rest is still being drawn. A reader
    gone mid-way ends the drawing, as it would have ended the one write of the whole text (the
    command then ends as it would have)."""
    if allowed and env.stdout_tty:
        _page_pieces(env, draw)
        return
    first = True

    def piece(text: str) -> None:
        nonlocal first
        try:
            write(env, text)
        except ReaderGone:
            if first:
                raise
            raise _Stopped from None
        first = False

    with contextlib.suppress(_Stopped):
        draw(piece)


def _page_pieces(env: Environment, draw: Callable[[Callable[[str], None]], None]) -> None:
    """On a terminal: the text is held until it is taller than the screen, then the pager is
    started with it and given the rest as it is drawn. Text that fits is printed; a pager that
    cannot be run, or that fails, means the whole text is printed (and the failure said), as
    `page` does; a pager quit early ends the drawing."""
    parts: list[str] = []  # kept: a failing pager means printing all of it
    lines = 0
    pager: _Pager | None = None
    started = False  # the pager was tried (it may not have started)
    feeding = False  # it is running and reading

    def stopped_reading() -> None:
        nonlocal feeding
        feeding = False
        assert pager is not None
        pager.finish()
        if not pager.failed():
            raise _Stopped  # quit by the reader: nothing more to draw

    def piece(text: str) -> None:
        nonlocal lines, pager, started, feeding
        parts.append(text)
        if not started:
            lines += text.count("\n")
            if lines < env.height:
                return
            started = True
            pager = _Pager.start(env)
            feeding = pager is not None
            if pager is not None and not pager.send("".join(parts)):
                stopped_reading()
        elif feeding:
            assert pager is not None
            if not pager.send(text):
                stopped_reading()

    try:
        draw(piece)
    except _Stopped:
        return
    except KeyboardInterrupt:
        if pager is not None:
            pager.interrupted = True
            pager.finish()  # waits for the pager, then raises the interrupt
        raise
    if pager is not None and feeding:
        pager.finish()
    if pager is None or pager.failed():
        if pager is not None:
            pager.warn(env)
        write(env, "".join(parts))


class _Stopped(Exception):
    """The reader went away after the first piece: stop drawing."""
