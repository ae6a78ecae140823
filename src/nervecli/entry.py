"""The console script's entry point: set up the process, then run the CLI.

nervecli is a short-lived command. Python's cyclic garbage collector, left on, runs many passes
while Typer, pydantic and Rich are imported (they create objects by the hundred thousand), which
measured as about 15% of a run (see BENCHMARKS.md). Reference counting still frees what a run
uses, and what nervecli builds holds no reference cycles (see also loader._without_cyclic_gc).
This lives apart from `nervecli.cli` so that importing the library never changes the collector.

Ctrl-C at any moment, even while the modules are still being imported, ends the run with status
130 and one line; SIGTERM ends it with 143 after the same clean-up (temporary files removed).
"""

import gc
import signal
import sys

from nervecli.cli.status import ExitCode


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(ExitCode.TERMINATED)


def main() -> None:
    gc.disable()
    try:
        signal.signal(signal.SIGTERM, _terminate)
        from nervecli.cli.quick_complete import answer_process  # a Tab press, from the cache

        code = answer_process()
        if code is not None:
            raise SystemExit(code)
        from nervecli.cli.app import main as run

        run()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("Error: interrupted.\n")
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass
        status: int = ExitCode.INTERRUPTED
        try:
            from nervecli.cli.emit import settle

            status = settle(status)
        except BaseException:  # a second Ctrl-C: the status stands
            pass
        raise SystemExit(status) from None
    finally:
        # The run is over and its output settled: a Ctrl-C now, while the interpreter shuts
        # down, would kill it by the signal (no status, no line); there is nothing left to stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
