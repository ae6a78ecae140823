"""`nervecli decide`: the conversation that fills a personal decision guide, on a terminal.

Prompts and everything said to the person go to stderr (the terminal), never to stdout, which
carries only the filled guide at the end. Every prompt is plain text, keyboard only, with a
default in brackets where one makes sense (Enter accepts it) and `?` for help. What the person
types is shown back made visible (control and bidi characters as <U+XXXX>). The answers are
saved to the person's file after every answer, atomically, so Ctrl-C or a closed terminal
loses at most the answer being typed. Imported only when `decide` runs.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from nervecli.cli.environment import Environment
from nervecli.domain.guide import OptionReasons, choose, guide_reasons, to_ask
from nervecli.domain.lookup import resolve_condition
from nervecli.model.errors import AmbiguousError, NerveError, NotFoundError
from nervecli.model.guide import (
    MAX_TEXT,
    MAX_TREATMENTS,
    MAX_WEIGHT,
    NONE_OPTION,
    Guide,
    GuideFileError,
    GuideOption,
    OwnReason,
    Rating,
)
from nervecli.output import words as w
from nervecli.output.text import visible
from nervecli.present import guide as words
from nervecli.present.common import Citer

if TYPE_CHECKING:
    from nervecli.model.catalogue import Catalogue
    from nervecli.output.document import Document

T = TypeVar("T")


class NeedsTerminal(Exception):
    """`decide` was run without a terminal and without --file, or with more names than it
    weighs: a usage error."""


NEEDS_TERMINAL = (
    "decide asks its questions on a terminal; without one, give --file PATH to print a saved "
    "guide (--format table, markdown, html or json)"
)


class _Invalid(Exception):
    """An answer that cannot be taken; its text says why, and the question is asked again."""


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


class Conversation:
    """Asks one question at a time on the terminal and saves after each answer."""

    def __init__(
        self,
        env: Environment,
        catalogue: Catalogue,
        guide: Guide,
        path: Path,
        stdin: IO[str],
    ) -> None:
        self.env, self.catalogue, self.guide, self.path = env, catalogue, guide, path
        self.stdin = stdin
        self.out: IO[str] | None = env.stderr
        self.width = max(40, min(env.width, 100))
        self.citer = Citer(catalogue)

    # --- talking ------------------------------------------------------------------------

    def say(self, text: str = "", indent: str = "") -> None:
        if self.out is None:
            return
        lines = []
        for paragraph in visible(text, lines=True).split("\n"):
            lines += textwrap.wrap(
                paragraph,
                self.width,
                initial_indent=indent,
                subsequent_indent=indent + ("  " if indent else ""),
                break_long_words=False,
                break_on_hyphens=False,
            ) or [""]
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def read(self) -> str:
        """One line typed, without its line break; EOF (Ctrl-D) stops like Ctrl-C."""
        if self.out is not None:
            self.out.flush()
        line = _input() if self.stdin is sys.stdin else self.stdin.readline()
        if line == "":
            raise KeyboardInterrupt
        return line.rstrip("\r\n")

    def ask(
        self,
        question: str,
        parse: Callable[[str], T],
        help_text: str,
        default: str = "",
    ) -> T:
        """Ask until an answer parses; Enter takes the default, `?` shows the help."""
        shown = f" [{visible(default)}]" if default else ""
        while True:
            if self.out is not None:
                self.out.write(f"{question}{shown}: ")
                self.out.flush()
            answer = self.read().strip()
            if answer == "?":
                self.say(help_text, "  ")
                continue
            if len(answer) > MAX_TEXT:
                self.say(f"That is longer than {MAX_TEXT} characters; please shorten it.", "  ")
                continue
            try:
                return parse(answer or default)
            except _Invalid as why:
                self.say(str(why), "  ")

    def menu(self, question: str, options: dict[str, str]) -> str:
        """The choices, one a line, then the question to answer with a number."""
        self.say(question)
        for n, text in enumerate(options.values(), 1):
            self.say(f"{n}. {text}", "  ")
        return f"Type 1 to {len(options)}"

    def save(self) -> None:
        from nervecli.reading.guide import write_guide

        self.guide.updated = dt.date.today().isoformat()
        self.guide.catalogue_version = self.catalogue.meta.version
        try:
            write_guide(self.path, self.guide)
        except OSError as exc:
            raise GuideFileError(
                f"cannot save the guide in {self.path}: {exc.strerror or exc}"
            ) from None

    # --- the steps ----------------------------------------------------------------------

    def run(self, names: Sequence[str]) -> None:
        g = self.guide
        self.say(
            "Your decision guide. Answer each question and press Enter; Enter alone takes the "
            "answer in [brackets]; type ? for help. Your answers are saved as you go in:"
        )
        self.say(str(self.path), "  ")
        self.say(w.DISCLAIMER)
        self.say()
        self.say("1. The decision")
        g.decision = self.ask(
            "What are you deciding?",
            _text,
            "In a few words, the choice in front of you. Enter keeps the one in brackets.",
            g.decision or words.DEFAULT_DECISION,
        )
        self.save()
        g.conditions = self.ask(
            "Which condition is it for? (names, separated by commas; Enter to skip)",
            self._conditions,
            "Condition names or aliases from the catalogue, such as "
            + ", ".join(list(self.catalogue.conditions)[:4])
            + ". 'nervecli conditions' lists them all. Type - to clear.",
            ", ".join(g.conditions),
        )
        self.save()
        g.by_when = self.ask(
            "By when do you want to decide? (Enter to skip)",
            _text,
            "A date or a time, in your words: 'before my appointment on 3 March', 'this month'. "
            "Type - to clear.",
            g.by_when,
        )
        self.save()
        g.stage = self.ask(
            self.menu("How far along are you?", words.STAGES),
            _choice(list(words.STAGES)),  # type: ignore[arg-type]
            "Type the number of the one that fits best.",
            str(list(words.STAGES).index(g.stage or "considering") + 1),
        )
        self.save()

        self.say()
        self.say("2. Your role")
        g.role = self.ask(
            self.menu("Who makes the decision?", words.ROLES),
            _choice(list(words.ROLES)),  # type: ignore[arg-type]
            "Type the number of the one that fits. There is no right answer.",
            str(list(words.ROLES).index(g.role or "shared") + 1),
        )
        self.save()
        if g.role in ("shared", "someone-else"):
            g.role_with = self.ask(
                "With whom?" if g.role == "shared" else "Who decides?",
                _text,
                "For example: my doctor, my partner, my daughter. Type - to clear.",
                g.role_with,
            )
            self.save()

        self.say()
        self.say("3. The options")
        self._options(names)
        current = guide_reasons(self.catalogue, g)
        for number, (o, reasons) in enumerate(zip(g.options, current, strict=True), 1):
            self._weigh(number, o, reasons)
        self._leaning(current)

        self.say()
        self.say("4. What you need to decide")
        for key, (question, todo) in words.NEEDS.items():
            was = getattr(g.needs, key)
            setattr(
                g.needs,
                key,
                self.ask(
                    f"{question} (y/n)",
                    _yes_no,
                    "Answer y for yes or n for no; Enter alone skips. If you answer no, the guide "
                    f"says what you can do about it: {todo}",
                    "" if was is None else ("y" if was else "n"),
                ),
            )
            self.save()

        self.say()
        self.say("5. Next steps")
        g.next_steps = self.ask(
            "What will you do next? (for example: talk to my doctor on Friday)",
            _text,
            "In your words: who you will talk to, what you will find out, what you will try. "
            "Type - to clear.",
            g.next_steps,
        )
        self.save()
        self._to_ask(current)
        g.finished = True
        self.save()
        self.say()
        self.say(f"Done. Your guide is saved in {self.path}. To print it for your appointment:")
        self.say(f"nervecli decide --file {_shell(self.path)} --format html > guide.html", "  ")

    def _conditions(self, answer: str) -> list[str]:
        if answer in ("", "-"):
            return []
        found: list[str] = []
        for name in (n.strip() for n in answer.split(",")):
            if not name:
                continue
            try:
                c = resolve_condition(self.catalogue, name)
            except (NotFoundError, AmbiguousError) as exc:
                raise _Invalid(_problem(exc)) from None
            if c.id not in found:
                found.append(c.id)
        return found

    def _options(self, names: Sequence[str]) -> None:
        g = self.guide
        kept = [o.treatment for o in g.options if o.treatment != NONE_OPTION]

        def parse(answer: str) -> list[str]:
            parts = [n.strip() for n in answer.split(",") if n.strip()]
            if not 1 <= len(parts) <= MAX_TREATMENTS:
                raise _Invalid(f"Name 1 to {MAX_TREATMENTS} treatments, separated by commas.")
            try:
                return [t.id for t in choose(self.catalogue, parts)]
            except NerveError as exc:
                raise _Invalid(_problem(exc)) from None

        if names:
            chosen = [t.id for t in choose(self.catalogue, names)]
            self.say("Weighing: " + ", ".join(self.catalogue.treatments[i].name for i in chosen))
        else:
            with _completion(self.catalogue):
                chosen = self.ask(
                    f"Which treatments are you weighing? (1 to {MAX_TREATMENTS}, separated by "
                    "commas; Tab completes names)",
                    parse,
                    "Treatment names, ids or aliases, such as pregabalin, ketamine, "
                    "nerve-block. 'nervecli list' lists them all. 'None of these for now' "
                    "is always added as an option.",
                    ", ".join(kept),
                )
        by_id = {o.treatment: o for o in g.options}
        g.options = [
            by_id.get(t) or GuideOption(treatment=t, name=self.catalogue.treatments[t].name)
            for t in chosen
        ]
        g.options.append(by_id.get(NONE_OPTION) or GuideOption(treatment=NONE_OPTION))
        if g.leaning and g.leaning not in {o.treatment for o in g.options}:
            g.leaning = ""
        self.save()

    def _weigh(self, number: int, o: GuideOption, reasons: OptionReasons) -> None:
        name = words.option_name(o, reasons)
        self.say()
        self.say(f"Option {number} of {len(self.guide.options)}: {name}")
        if o.treatment == NONE_OPTION:
            self.say(
                "The sources say nothing about choosing none of these for now; your own "
                "reasons, if any, go here.",
                "  ",
            )
        elif reasons.treatment is None:
            self.say("This treatment is no longer in the catalogue.", "  ")
        else:
            t = reasons.treatment
            self.say(words.plain_text(self.citer.item([t.summary], t.summary.text)), "  ")
            if reasons.option is not None and not reasons.option.evidence:
                self.say(w.capital(w.NOT_GRADED) + ".", "  ")
            self.say(
                f"For each reason, how much does it matter to you? 0 ({words.WEIGHTS[0]}) "
                f"to {MAX_WEIGHT} ({words.WEIGHTS[MAX_WEIGHT]}).",
                "  ",
            )
        for side in ("for", "against"):
            sourced = [r for r in reasons.reasons if r.side == side]
            if sourced:
                self.say()
                self.say(words.SIDES[side] + ", as the sources state them:", "  ")
            ratings = {r.key: r for r in o.ratings}
            for reason in sourced:
                item = words.reason_item(self.citer, reason, reasons)
                self.say("- " + words.plain_text(item), "  ")
                was = ratings.get(reason.key)
                weight = self.ask(
                    "    How much does this matter to you? (0-5; Enter to skip)",
                    _weight,
                    f"0 {words.WEIGHTS[0]}, 1 {words.WEIGHTS[1]}, 2 {words.WEIGHTS[2]}, "
                    f"3 {words.WEIGHTS[3]}, 4 {words.WEIGHTS[4]}, 5 {words.WEIGHTS[5]}. "
                    "Enter alone leaves it unrated. Nothing is added up: each rating is for you "
                    "to talk through.",
                    "" if was is None else str(was.weight),
                )
                o.ratings = [r for r in o.ratings if r.key != reason.key]
                if weight is not None:
                    o.ratings.append(
                        Rating(
                            key=reason.key,
                            side=side,
                            text=item.text,
                            fingerprint=reason.fingerprint,
                            weight=weight,
                        )
                    )
                self.save()
            self._own(o, side, name)

    def _own(self, o: GuideOption, side: str, name: str) -> None:
        what = "choose" if side == "for" else "avoid"
        self.say()
        self.say(f"Your own reasons to {what} {name}, in your own words.", "  ")
        while True:
            mine = [r for r in o.own if r.side == side]
            for n, r in enumerate(mine, 1):
                self.say(f"{n}. {words.dots(r.weight)} {r.text}", "    ")
            text = self.ask(
                "    Add a reason (Enter when done"
                + (", -N removes reason N" if mine else "")
                + ")",
                _raw,
                "Type a reason in your own words and press Enter; Enter alone goes on. "
                "-2 removes your reason number 2.",
            )
            if not text:
                self.say()
                return
            if text.startswith("-") and text[1:].isdigit():
                n = int(text[1:])
                if 1 <= n <= len(mine):
                    o.own.remove(mine[n - 1])
                    self.save()
                else:
                    self.say(f"There is no reason {n}.", "    ")
                continue
            reason = OwnReason(side=side, text=text)  # type: ignore[arg-type]
            o.own.append(reason)
            self.save()
            weight = self.ask(
                "    How much does it matter to you? (0-5)",
                _weight,
                f"0 {words.WEIGHTS[0]} to {MAX_WEIGHT} {words.WEIGHTS[MAX_WEIGHT]}.",
                "3",
            )
            reason.weight = 3 if weight is None else weight
            self.save()

    def _leaning(self, current: list[OptionReasons]) -> None:
        g = self.guide
        names = [words.option_name(o, r) for o, r in zip(g.options, current, strict=True)]
        self.say()
        menu = ", ".join(f"{n} {name}" for n, name in enumerate(names, 1))
        was = next((str(n) for n, o in enumerate(g.options, 1) if o.treatment == g.leaning), "")

        def parse(answer: str) -> str:
            if answer in ("", "-"):
                return ""
            if answer.isdigit() and 1 <= int(answer) <= len(names):
                return g.options[int(answer) - 1].treatment
            raise _Invalid(f"Type a number from 1 to {len(names)}, or Enter if you are not.")

        g.leaning = self.ask(
            f"Are you leaning towards one option? ({menu}; Enter if not)",
            parse,
            "Only if you are: the guide shows it as your own leaning. It is fine not to lean "
            "either way yet. Type - to clear.",
            was,
        )
        self.save()

    def _to_ask(self, current: list[OptionReasons]) -> None:
        treatments = [r.treatment for r in current if r.treatment is not None]
        groups = to_ask(self.catalogue, treatments)
        offered = words.question_items(self.citer, groups, current)
        self.say()
        self.say("Things to ask at your appointment, from what the sources say and leave out:")
        for n, item in enumerate(offered, 1):
            self.say(f"{n}. {words.plain_text(item)}", "  ")
        texts = [i.text for i in offered]
        was = [str(texts.index(t) + 1) for t in self.guide.to_ask if t in texts]

        def parse(answer: str) -> list[str]:
            if answer in ("", "all"):
                return []
            picked = []
            for part in answer.replace(" ", ",").split(","):
                if not part:
                    continue
                if not part.isdigit() or not 1 <= int(part) <= len(texts):
                    raise _Invalid(f"Type numbers from 1 to {len(texts)}, or 'all'.")
                if texts[int(part) - 1] not in picked:
                    picked.append(texts[int(part) - 1])
            return picked

        self.guide.to_ask = self.ask(
            "Which will you take along? (numbers separated by commas, or all)",
            parse,
            "The guide lists the ones you pick under 'To ask at the appointment'; 'all' or "
            "Enter keeps every one.",
            ",".join(was) or "all",
        )
        self.save()


def _input() -> str:
    """A line from the terminal through `input` (line editing and Tab completion, where
    readline is available); the prompt has already been written to stderr."""
    try:
        return input() + "\n"
    except EOFError:
        raise KeyboardInterrupt from None


class _completion:
    """Tab completes catalogue treatment names while the options are asked (readline)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.names = sorted({n for t in catalogue.treatments.values() for n in (t.id, *t.aliases)})
        self.readline: object | None = None

    def __enter__(self) -> None:
        try:
            import readline
        except ImportError:  # pragma: no cover - readline is absent on some builds
            return
        self.readline = readline
        self.old = (readline.get_completer(), readline.get_completer_delims())

        def complete(text: str, state: int) -> str | None:
            matches = [n for n in self.names if n.startswith(text.lower())]
            return matches[state] if state < len(matches) else None

        readline.set_completer(complete)
        readline.set_completer_delims(", ")
        readline.parse_and_bind("tab: complete")

    def __exit__(self, *exc: object) -> None:
        if self.readline is not None:
            import readline

            readline.set_completer(self.old[0])
            readline.set_completer_delims(self.old[1])


def _problem(exc: NerveError) -> str:
    if isinstance(exc, NotFoundError):
        text = f"No {exc.what} '{exc.name}'"
        if exc.suggestions:
            return text + " — did you mean " + " or ".join(f"'{s}'" for s in exc.suggestions) + "?"
        return text + "."
    if isinstance(exc, AmbiguousError):
        return f"'{exc.name}' fits more than one {exc.what}: {', '.join(exc.candidates)}."
    return str(exc)


def _text(answer: str) -> str:
    return "" if answer == "-" else answer


def _raw(answer: str) -> str:
    return answer


def _choice(keys: list[str]) -> Callable[[str], str]:
    def parse(answer: str) -> str:
        if answer.isdigit() and 1 <= int(answer) <= len(keys):
            return keys[int(answer) - 1]
        raise _Invalid(f"Type a number from 1 to {len(keys)}.")

    return parse


def _weight(answer: str) -> int | None:
    if answer == "":
        return None
    if answer.isdigit() and 0 <= int(answer) <= MAX_WEIGHT:
        return int(answer)
    raise _Invalid(f"Type a number from 0 ({words.WEIGHTS[0]}) to 5 ({words.WEIGHTS[5]}).")


def _yes_no(answer: str) -> bool | None:
    said = answer.lower()
    if said == "":
        return None
    if said in ("y", "yes"):
        return True
    if said in ("n", "no"):
        return False
    raise _Invalid("Type y for yes or n for no.")


def _shell(path: Path) -> str:
    import shlex

    return shlex.quote(visible(str(path)))


def _isatty(stream: IO[str] | None) -> bool:
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
    terminal = _isatty(sys.stdin) and _isatty(env.stderr)
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
