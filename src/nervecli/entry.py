"""The console script's entry point: set up the process, then run the CLI.

nervecli is a short-lived command. Python's cyclic garbage collector, left on, runs many passes
while Typer, pydantic and Rich are imported (they create objects by the hundred thousand), which
measured as about 15% of a run (see BENCHMARKS.md). Reference counting still frees what a run
uses, and what nervecli builds holds no reference cycles (see also loader._without_cyclic_gc).
This lives apart from `nervecli.cli` so that importing the library never changes the collector.
"""

import gc


def main() -> None:
    gc.disable()
    from nervecli.cli.app import main as run

    run()
