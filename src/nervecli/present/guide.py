"""The words of `nervecli decide`: each reason the sources give, worded as `compare` words it
(the same facts, citations, promotional flags and figures), the scale a person rates them on,
the questions of the conversation, and the filled guide as one format-neutral `Document` for
every drawer. JSON is built apart, from explicit records.

Never a recommendation: the options stand in the order the person named them, each reason
with the weight the person gave it (drawn ●●●○○ and in words), reasons for and against side by
side with the same room; nothing is added up, scored or ranked, and a leaning is shown only if
the person stated one.
"""

from __future__ import annotations

import datetime as dt

from nervecli.domain.guide import Change, OptionReasons, Reason
from nervecli.domain.questions import TreatmentQuestions
from nervecli.model.catalogue import Catalogue, Fact, SideEffect
from nervecli.model.guide import MAX_WEIGHT, NONE_OPTION, Guide, GuideOption
from nervecli.model.vocabulary import Question, TopicKey
from nervecli.output import words as w
from nervecli.output.document import Document, Grid, Icons, Item, NotesSpace, Row, Style
from nervecli.output.text import visible
from nervecli.present.common import Citer, general_label

TITLE = "My decision guide"
DEFAULT_DECISION = "which treatment to try next for my nerve pain"
NONE_NAME = "None of these for now"
MODEL = "Modelled on the Ottawa Personal Decision Guide (Ottawa Hospital Research Institute)."
ICONS_UP_TO = 40

# The scale a person rates a reason on: how much it matters to them.
WEIGHTS = ("not at all", "a little", "somewhat", "quite a lot", "a lot", "very much")
NOT_RATED = "not rated yet"

STAGES = {
    "not-yet": "I have not thought about it yet",
    "considering": "I am considering the options",
    "close": "I am close to choosing",
    "chosen": "I have already chosen",
}
ROLES = {
    "myself": "I decide myself, after hearing the views of others",
    "shared": "I share the decision",
    "someone-else": "Someone else decides, after hearing my views",
}

# The four questions on what a person needs to decide, and what to do about each "no".
NEEDS = {
    "sure": (
        "Do you feel sure about which option to choose?",
        "Not being sure yet is common. Take this guide to your appointment and talk through "
        "the reasons that matter most to you.",
    ),
    "informed": (
        "Do you know the benefits and risks of each option?",
        "Ask your doctor about the benefits and risks for you; the questions below are a start, "
        "and 'nervecli compare' shows what the sources say side by side.",
    ),
    "values": (
        "Are you clear which benefits and risks matter most to you?",
        "Look again at the reasons you rated highest and lowest, and say what each would mean "
        "in your daily life.",
    ),
    "support": (
        "Do you have enough support and advice to make the choice?",
        "Think of who could help: your doctor, a nurse, a pharmacist, family or a friend. You "
        "can bring someone to the appointment, and ask for more time.",
    ),
}
SIDES = {"for": "Reasons to choose it", "against": "Reasons to avoid it"}
OWN_SIDES = {"for": "Your own reasons to choose it", "against": "Your own reasons to avoid it"}
# The guide shows the risks and who should not have it as reasons; these ask about them.
ASK_RISKS = (
    "Which of its risks above are most likely for me, how serious would they be, and what "
    "would we do about them?"
)
ASK_AVOID = "Do any of the reasons above not to have it apply to me?"
# What the sources say nothing about that `nervecli questions` does not already ask.
ASK_SILENT: dict[Question, str] = {
    Question.TIMING: (
        "How soon would it work, and how long would relief last? The sources do not say."
    ),
    Question.AVOID: "Who should not have it, and could that be me? The sources do not say.",
}


def dots(weight: int | None) -> str:
    """'●●●○○' for 3 of 5; '○○○○○' unrated."""
    filled = weight or 0
    return "●" * filled + "○" * (MAX_WEIGHT - filled)


def weight_words(weight: int | None) -> str:
    """'quite a lot' (3 of 5): how much it matters, read aloud where dots are not."""
    if weight is None:
        return NOT_RATED
    return WEIGHTS[weight]


def option_name(o: GuideOption, reasons: OptionReasons | None = None) -> str:
    if o.treatment == NONE_OPTION:
        return NONE_NAME
    if reasons is not None and reasons.treatment is not None:
        return reasons.treatment.name
    return o.name or o.treatment


# --- each reason, worded as compare words it ----------------------------------------------------


def _side_effect(fact: SideEffect) -> str:
    said = [x for x in (fact.severity, fact.course) if x]
    name = w.plain(fact.name)
    return f"{name} ({'; '.join(said)})" if said else name


def reason_item(citer: Citer, reason: Reason, option: OptionReasons) -> Item:
    """One reason the sources give, with its sources and promotional flag."""
    record = reason.record
    treatment = option.treatment
    if record is not None:
        if reason.figure == "grade":
            source = citer.source(record.recommendation)
            year = f", {source.published}" if source and source.published else ""
            medicine = f"{w.capital(record.medicine)}: " if len(option.option.evidence) > 1 else ""  # type: ignore[union-attr]
            grade = w.grade(record) if medicine else w.capital(w.grade(record))
            return citer.item(
                [record.recommendation], f"{medicine}{grade} (graded evidence{year})."
            )
        sentence = w.helps(record) if reason.figure == "nnt" else w.stops(record)
        printed = record.nnt if reason.figure == "nnt" else record.nnh
        assert sentence is not None and printed is not None
        n = w.one_in(printed)
        icons = Icons(1, n, sentence) if n <= ICONS_UP_TO else None
        cited = [record.effect] if record.effect else [record.recommendation]
        return citer.item(cited, sentence + ".", icons=icons)
    facts: list[Fact] = [r.fact for r in reason.refs]
    first = reason.refs[0]
    lead = ""
    if first.general and first.family is not None and treatment is not None:
        lead = general_label(first.family, treatment) + ". "
    if reason.question == Question.RISKS:
        names = [_side_effect(f) for f in facts if isinstance(f, SideEffect)]
        if reason.group == "serious":
            words = w.SERIOUS_LEAD
        elif reason.group:
            words = w.capital(reason.group)
        else:
            words = "How often is not said"
        sep = "; " if reason.group == "serious" else ", "
        text = f"{lead}{words}: {sep.join(names)}."
        return citer.item(facts, text)
    return citer.item(facts, lead + w.plain(first.fact.text))


def plain_text(item: Item) -> str:
    """An item as one line of plain text for a prompt: made visible, with its citation."""
    text = visible(item.text)
    numbers = ",".join(map(str, item.notes))
    if numbers:
        text += f" [{numbers}{', ' + w.PROMOTIONAL if item.promotional else ''}]"
    elif item.promotional:
        text += f" ({w.PROMOTIONAL})"
    return text


# --- things to ask ----------------------------------------------------------------------------


def question_items(
    citer: Citer, groups: list[TreatmentQuestions], options: list[OptionReasons]
) -> list[Item]:
    """The questions the sources raise for each option, and what they say nothing about, as
    things to ask; then the general questions."""
    out: list[Item] = []
    silent = {o.id: o.silent for o in options}
    for g in groups:
        name = g.treatment.name
        avoid: list[Fact] = []
        for topic in g.topics:
            if topic.key is TopicKey.EVIDENCE:
                for r in topic.records:
                    text = w.ASK_EVIDENCE.format(medicine=r.medicine, grade=w.grade(r))
                    out.append(citer.item([r.recommendation], f"{name}: {text}"))
                if not topic.records:
                    out.append(Item(f"{name}: {w.ASK_UNGRADED}"))
                continue
            if topic.key is TopicKey.RISKS and topic.refs:
                cited = [r.fact for r in topic.refs]
                out.append(citer.item(cited, f"{name}: {ASK_RISKS}"))
                continue
            if topic.key is TopicKey.AVOID:  # its facts are the reasons to avoid it, above
                avoid += [r.fact for r in topic.refs]
                continue
            how, ask, unsaid = w.ASK[topic.key]
            if not topic.refs:
                if unsaid:
                    out.append(Item(f"{name}: {unsaid}"))
            elif how == "quote":
                fact = topic.refs[0].fact
                out.append(citer.item([fact], f"{name}: The sources say: “{fact.quote}” {ask}"))
            else:
                out.append(citer.item([r.fact for r in topic.refs], f"{name}: {ask}"))
        if avoid:
            out.append(citer.item(avoid, f"{name}: {ASK_AVOID}"))
        for question in silent.get(g.treatment.id, []):
            if question in ASK_SILENT:
                out.append(Item(f"{name}: {ASK_SILENT[question]}"))
    out += [Item(q) for q in w.GENERAL_QUESTIONS]
    return out


# --- the filled guide -------------------------------------------------------------------------


def _ordered(
    citer: Citer, guide_option: GuideOption, reasons: OptionReasons, side: str
) -> list[tuple[int | None, Item]]:
    """An option's sourced reasons on one side, most important to the person first (the
    sources' order among equals; unrated last)."""
    weights = {r.key: r.weight for r in guide_option.ratings}
    rows = [
        (weights.get(r.key), reason_item(citer, r, reasons))
        for r in reasons.reasons
        if r.side == side
    ]
    return sorted(rows, key=lambda pair: (pair[0] is None, -(pair[0] or 0)))


def _rated(weight: int | None, item: Item) -> Item:
    return Item(
        f"{dots(weight)} {weight_words(weight)}: {item.text}",
        item.notes,
        item.promotional,
        quote=item.quote,
    )


def _own(guide_option: GuideOption, side: str) -> list[Item]:
    own = [r for r in guide_option.own if r.side == side]
    own.sort(key=lambda r: -r.weight)
    return [Item(f"{dots(r.weight)} {weight_words(r.weight)}: {r.text}") for r in own]


def _dim(text: str) -> Item:
    return Item(text, style=Style.DIM)


def _condition_names(catalogue: Catalogue, guide: Guide) -> str:
    names = [
        catalogue.conditions[c].name if c in catalogue.conditions else c for c in guide.conditions
    ]
    return ", ".join(names)


def guide_doc(
    catalogue: Catalogue,
    guide: Guide,
    options: list[OptionReasons],
    changed: list[Change],
    groups: list[TreatmentQuestions],
) -> Document:
    """The filled guide: the decision, the role, the options side by side, the needs, the next
    steps, what changed since the ratings, the sources, the disclaimer and the date."""
    citer = Citer(catalogue)
    doc = Document(TITLE, subtitle=w.capital(guide.decision or DEFAULT_DECISION))

    doc.heading("1. The decision")
    facts = [
        Item("Deciding: " + (guide.decision or DEFAULT_DECISION)),
        Item("For: " + (_condition_names(catalogue, guide) or "not said")),
        Item("By when: " + (guide.by_when or "not said")),
        Item("How far along: " + (STAGES[guide.stage] if guide.stage else "not said")),
    ]
    doc.bullets(facts)

    doc.heading("2. Your role")
    role = ROLES[guide.role] if guide.role else "not said"
    if guide.role == "shared" and guide.role_with:
        role += f", with {guide.role_with}"
    elif guide.role == "someone-else" and guide.role_with:
        role += f" ({guide.role_with})"
    doc.para(Item(role))

    doc.heading("3. The options, and what matters to you")
    doc.para(
        _dim(
            "Each reason the sources give, and how much it matters to you, from 0 (not at all) "
            f"to {MAX_WEIGHT} (very much), shown as filled dots and in words; what matters most "
            "to you first. Nothing is added up, and the options stay in the order you gave them."
        )
    )
    for r in options:
        if r.option is not None and not r.option.for_nerve_pain and r.treatment is not None:
            said = " and ".join(c.name.lower() for c in r.option.described_for)
            used = [f.fact for f in r.option.used_for]
            text = f"Note: the sources describe {r.treatment.name} for {said}, not for nerve pain."
            doc.para(citer.item(used, text, Style.STRONG))
    names = tuple(option_name(o, r) for o, r in zip(guide.options, options, strict=True))
    rows = []
    for side in ("for", "against"):
        cells: list[tuple[Item, ...]] = []
        for o, r in zip(guide.options, options, strict=True):
            if o.treatment == NONE_OPTION:
                cells.append((_dim("The sources say nothing about this option."),))
            elif r.treatment is None:
                cells.append((_dim("No longer in the catalogue."),))
            else:
                items = [_rated(wt, i) for wt, i in _ordered(citer, o, r, side)]
                if side == "for" and r.option is not None and not r.option.evidence:
                    items.insert(0, _dim(w.capital(w.NOT_GRADED) + "."))
                cells.append(tuple(items) or (_dim(w.NOTHING),))
        rows.append(Row(tuple(cells), SIDES[side]))
    for side in ("for", "against"):
        own = [tuple(_own(o, side)) or (_dim("none given"),) for o in guide.options]
        rows.append(Row(tuple(own), OWN_SIDES[side]))
    if guide.options:
        doc.blocks.append(Grid(names, tuple(rows), ""))
    else:
        doc.para(_dim("No options chosen yet."))
    leaning = next((o for o in guide.options if o.treatment == guide.leaning), None)
    if leaning is not None:
        index = guide.options.index(leaning)
        doc.para(Item(f"You said you are leaning towards: {names[index]}.", style=Style.STRONG))

    doc.heading("4. What you need to decide")
    needs = []
    for key, (question, todo) in NEEDS.items():
        answer = getattr(guide.needs, key)
        said = "not answered" if answer is None else ("yes" if answer else "no")
        todo = f" What you can do: {todo}" if answer is False else ""
        needs.append(Item(f"{question} {w.capital(said)}.{todo}"))
    doc.bullets(needs)

    doc.heading("5. Next steps")
    doc.para(Item("What you will do: " + (guide.next_steps or "not said yet")))
    offered = question_items(citer, groups, options)
    by_text = {i.text: i for i in offered}
    chosen = [by_text.get(t) or Item(t) for t in guide.to_ask] if guide.to_ask else offered
    doc.bullets(chosen, "To ask at the appointment:")

    if changed:
        doc.heading("Changed in the catalogue since you rated them")
        items = []
        for c in changed:
            name = option_name(
                c.option, next((r for r in options if r.id == c.option.treatment), None)
            )
            if c.now is None:
                items.append(Item(f"{name}: gone from the sources: {c.rating.text}"))
            else:
                option = next(r for r in options if r.id == c.option.treatment)
                now = reason_item(citer, c.now, option)
                items.append(
                    Item(
                        f"{name}: changed: you rated “{c.rating.text}”; the sources now say: "
                        f"{now.text}",
                        now.notes,
                        now.promotional,
                    )
                )
        doc.bullets(items)
        doc.para(_dim("Rate them again with: nervecli decide --file FILE"))

    doc.blocks.append(NotesSpace(3))
    meta = catalogue.meta
    doc.footnotes = citer.footnotes()
    rated_on = guide.catalogue_version
    doc.footer = [
        f"Catalogue {meta.version}, last reviewed {meta.last_reviewed.isoformat()}"
        + (
            f"; you rated on catalogue {rated_on}."
            if rated_on and rated_on != meta.version
            else "."
        )
        + f" Saved {guide.updated or guide.created or dt.date.today().isoformat()}. {MODEL}",
        w.DISCLAIMER,
    ]
    return doc


def draw_html(doc: Document) -> str:
    """The filled guide as a print-first handout (`decide.html.j2`: the handout's drawing,
    compact and portrait for two options)."""
    from nervecli.output.draw_html import render_template

    return render_template("decide.html.j2", doc=doc)
