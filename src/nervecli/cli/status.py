"""nervecli's exit statuses, defined once: the command line returns them and the entry point
raises them. Cheap to import (the entry point reads it before anything else is loaded)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # not found, ambiguous, bad catalogue or profile, output could not be written
    USAGE = 2  # bad command-line usage
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)
