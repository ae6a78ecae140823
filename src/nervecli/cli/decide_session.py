"""`nervecli decide`'s conversation on a terminal: each question, its help and default, the
answer read back made visible, and the guide saved after every answer.

Prompts and everything said to the person go to stderr (the terminal), never to stdout, which
carries only the filled guide at the end. Every prompt is plain text, keyboard only, with a
default in brackets where one makes sense (Enter accepts it) and `?` for help. What the person
types is shown back made visible (control and bidi characters as <U+XXXX>). The answers are
saved to the person's file after every answer, atomically, so Ctrl-C or a closed terminal
loses at most the answer being typed."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from nervecli.cli.decide_answers import (
    Invalid,
    as_raw,
    as_text,
    as_weight,
    as_yes_no,
    choice_of,
    name_completion,
    problem_words,
    read_line,
    shell_quoted,
)
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

T = TypeVar("T")


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
        line = read_line() if self.stdin is sys.stdin else self.stdin.readline()
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
        # Wrapped at the terminal's width between words (a terminal would cut a word), the
        # answer typed after the last line.
        indent = question[: len(question) - len(question.lstrip(" "))]
        *lines, last = textwrap.wrap(
            f"{question.strip()}{shown}:",
            self.width - 1,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        prompt = "".join(f"{line}\n" for line in lines) + f"{last} "
        while True:
            if self.out is not None:
                self.out.write(prompt)
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
            except Invalid as why:
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
            as_text,
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
            as_text,
            "A date or a time, in your words: 'before my appointment on 3 March', 'this month'. "
            "Type - to clear.",
            g.by_when,
        )
        self.save()
        g.stage = self.ask(
            self.menu("How far along are you?", words.STAGES),
            choice_of(list(words.STAGES)),  # type: ignore[arg-type]
            "Type the number of the one that fits best.",
            str(list(words.STAGES).index(g.stage or "considering") + 1),
        )
        self.save()

        self.say()
        self.say("2. Your role")
        g.role = self.ask(
            self.menu("Who makes the decision?", words.ROLES),
            choice_of(list(words.ROLES)),  # type: ignore[arg-type]
            "Type the number of the one that fits. There is no right answer.",
            str(list(words.ROLES).index(g.role or "shared") + 1),
        )
        self.save()
        if g.role in ("shared", "someone-else"):
            g.role_with = self.ask(
                "With whom? (Enter to skip)"
                if g.role == "shared"
                else "Who decides? (Enter to skip)",
                as_text,
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
                    as_yes_no,
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
            as_text,
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
        self.say(
            f"nervecli decide --file {shell_quoted(self.path)} --format html > guide.html", "  "
        )

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
                raise Invalid(problem_words(exc)) from None
            if c.id not in found:
                found.append(c.id)
        return found

    def _options(self, names: Sequence[str]) -> None:
        g = self.guide
        kept = [o.treatment for o in g.options if o.treatment != NONE_OPTION]

        def parse(answer: str) -> list[str]:
            parts = [n.strip() for n in answer.split(",") if n.strip()]
            if not 1 <= len(parts) <= MAX_TREATMENTS:
                raise Invalid(f"Name 1 to {MAX_TREATMENTS} treatments, separated by commas.")
            try:
                return [t.id for t in choose(self.catalogue, parts)]
            except NerveError as exc:
                raise Invalid(problem_words(exc)) from None

        if names:
            chosen = [t.id for t in choose(self.catalogue, names)]
            self.say("Weighing: " + ", ".join(self.catalogue.treatments[i].name for i in chosen))
        else:
            with name_completion(self.catalogue):
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
                    as_weight,
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
                as_raw,
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
                as_weight,
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
            raise Invalid(f"Type a number from 1 to {len(names)}, or Enter if you are not.")

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
                    raise Invalid(f"Type numbers from 1 to {len(texts)}, or 'all'.")
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
