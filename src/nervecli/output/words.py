"""Every word the output shows that is not the catalogue's own: titles of sections and
questions, how the kinds of sources are named, the reading of evidence figures, disclaimers.
Kept in one module so that wording is changed in one place, for every format."""

from __future__ import annotations

import math
import re

from nervecli.model.catalogue import Estimate, EvidenceRecord, Meta, Source
from nervecli.model.vocabulary import Question, Section, TopicKey

DISCLAIMER = "This is information to discuss with a doctor, not medical advice."
NOT_GRADED = "not graded by these sources"
SILENT = "The sources say nothing about"
NOTHING = "nothing in the sources"
NOTHING_MORE = "nothing more in the sources"
PROMOTIONAL = "promotional"

SECTION_TITLES: dict[Section, str] = {
    Section.SUMMARY: "Summary",
    Section.GROUP: "A type of medicine",
    Section.WHAT_IT_IS: "What it is and how it works",
    Section.HOW_GIVEN: "How it is given",
    Section.SESSION_LENGTH: "How long it takes",
    Section.USED_FOR: "What it is used for",
    Section.AVOID_IF: "Who should not have it",
    Section.SIDE_EFFECTS: "Side effects and risks",
    Section.HANDLING: "How side effects are handled",
    Section.MECHANISMS: "How it comes about",
    Section.WARNING_SIGNS: "Warning signs: contact a doctor",
    Section.HIGHER_RISK: "Where the risk is higher",
    Section.RISK_REDUCTION: "How risk is reduced",
    Section.BENEFITS: "Benefits",
    Section.RELIEF: "How soon it works, and how long relief lasts",
    Section.BEFORE: "What to expect before",
    Section.DURING: "What to expect during",
    Section.AFTER: "What to expect after",
    Section.REVERSIBILITY: "Can it be stopped or undone?",
    Section.ELIGIBILITY: "Who may be eligible",
    Section.CHOOSING_PROVIDER: "Choosing a provider",
    Section.ALTERNATIVES: "Alternatives",
    # conditions
    Section.ABOUT: "About",
    Section.SYMPTOMS: "Symptoms",
    Section.WHY_CHRONIC: "Why it becomes chronic",
    Section.COURSE: "How it goes over time",
    Section.EFFECTS: "How it affects work and daily life",
    Section.KIND_OF: "A kind of",
    Section.CAUSES: "Can cause",
    # evidence
    Section.EVIDENCE_NOTES: "About the evidence figures",
    Section.RECOMMENDATION: "Recommendation",
    Section.EFFECT: "NNT and NNH",
    Section.NOTE: "Note",
    Section.SIDE_EFFECTS_CITED: "Common side effects",
    Section.NAME: "Name",
    Section.ALIAS: "Also called",
}

# The questions of a decision view: a short label for a grid row, and the full question.
QUESTIONS: dict[Question, tuple[str, str]] = {
    Question.HELP: ("Will it help?", "How likely is it to help?"),
    Question.INVOLVES: ("What it involves", "What does it involve?"),
    Question.TIMING: (
        "How soon, how long",
        "How soon does it work, and how long does relief last?",
    ),
    Question.RISKS: ("Risks", "What are the main and serious risks?"),
    Question.AVOID: ("Who should not have it", "Who should not have it?"),
    Question.UNDO: ("Undo or stop", "Can it be stopped or undone?"),
    Question.TRUST: ("Sources", "How far can the sources be trusted?"),
}
# For the silence line of one option: "The sources say nothing about what it involves, ...".
SILENT_ABOUT: dict[Question, str] = {
    Question.INVOLVES: "what it involves",
    Question.TIMING: "how soon it works or how long relief lasts",
    Question.RISKS: "its risks",
    Question.AVOID: "who should not have it",
    Question.UNDO: "whether it can be stopped or undone",
}
# The same, of several options compared (silent for every one of them).
SILENT_ABOUT_ALL: dict[Question, str] = {
    Question.INVOLVES: "what they involve",
    Question.TIMING: "how soon they work or how long relief lasts",
    Question.RISKS: "their risks",
    Question.AVOID: "who should not have them",
    Question.UNDO: "whether they can be stopped or undone",
}


def silent_about(questions: list[Question], options: int) -> list[str]:
    words = SILENT_ABOUT if options == 1 else SILENT_ABOUT_ALL
    return [words[q] for q in questions]


def silent_line(silent: list[str]) -> str:
    """'The sources say nothing about a, b, or c.': the one silence line of a view."""
    return f"{SILENT} {and_list(silent, 'or', serial=True)}."


DECISION_HEADING = "The decision"
ABOUT_GUIDE = "About this guide"


def about_guide(meta: Meta) -> list[str]:
    """Who maintains the catalogue, its funding, declared interests and review, as the
    catalogue declares them; what it does not declare is said to be not stated."""
    unsaid = "not stated by this catalogue"
    lines = [
        f"Maintained by: {meta.maintained_by or unsaid}.",
        f"Funding and sponsors: {meta.funding or unsaid}",
        f"Declared interests: {meta.interests or unsaid}",
        f"How it is reviewed: {meta.review or unsaid}",
        f"Catalogue {meta.version}, last reviewed {meta.last_reviewed.isoformat()}; "
        + (
            f"next review due {meta.next_review.isoformat()}."
            if meta.next_review
            else "next review date not stated."
        ),
    ]
    return [line if line.endswith(".") else line + "." for line in lines]


NOT_FOR_NERVE_PAIN = "not described for nerve pain"
WITHOUT_TREATMENT = "What happens without treatment: the sources do not say."
# The lead of the risks the sources call serious, severe or life-threatening: each keeps its
# own words beside it ("can be serious if not treated promptly"), so the lead claims no more.
SERIOUS_LEAD = "Can be serious or severe"


def without_treatment(course: str) -> str:
    """What the sources say of nerve pain's course, where none says what happens untreated."""
    return (
        "What happens without treatment: the sources do not say directly. "
        f"Of nerve pain in general they say: {course}"
    )


def decision(names: list[str]) -> str:
    """'Choosing a treatment to try for nerve pain: A, B, or neither for now.'"""
    if len(names) == 1:
        return f"Whether to try {names[0]} for nerve pain, or not for now."
    return (
        f"Choosing a treatment to try for nerve pain: {', '.join(names)}, or neither for now."
        if len(names) == 2
        else f"Choosing a treatment to try for nerve pain: {', '.join(names)}, or none for now."
    )


def not_said_what_for(name: str) -> str:
    return f"{name}: the sources do not say what it is for."


def uses_label(options: int) -> str:
    """The lead-in of what the sources say each option is for."""
    return (
        "What the sources say it is for:" if options == 1 else "What the sources say each is for:"
    )


def sentence(text: str) -> str:
    """A catalogue text as a sentence: its first letter a capital, ended by a full stop."""
    text = capital(text.strip())
    return text if text.endswith((".", "!", "?")) else text + "."


# For the one silence sentence of a full view: each section as a phrase that reads after
# "The sources say nothing about".
SILENT_SECTION: dict[Section, str] = {
    Section.BENEFITS: "its benefits",
    Section.RELIEF: "how soon it works or how long relief lasts",
    Section.AVOID_IF: "who should not have it",
    Section.SIDE_EFFECTS: "its side effects and risks",
    Section.HANDLING: "how side effects are handled",
    Section.WARNING_SIGNS: "warning signs to contact a doctor about",
    Section.HIGHER_RISK: "where the risk is higher",
    Section.RISK_REDUCTION: "how risk is reduced",
    Section.HOW_GIVEN: "how it is given",
    Section.SESSION_LENGTH: "how long it takes",
    Section.BEFORE: "what to expect before",
    Section.DURING: "what to expect during",
    Section.AFTER: "what to expect after",
    Section.REVERSIBILITY: "whether it can be stopped or undone",
    Section.ELIGIBILITY: "who may be eligible",
    Section.CHOOSING_PROVIDER: "choosing a provider",
    Section.USED_FOR: "what it is used for",
    Section.WHAT_IT_IS: "what it is and how it works",
    Section.ALTERNATIVES: "alternatives named by the sources",
}


def section_title(key: str) -> str:
    """A section's title, for a key the catalogue or the search index names (else the key)."""
    try:
        return SECTION_TITLES[Section(key)]
    except ValueError:
        return key


def and_list(items: list[str], word: str = "and", serial: bool = False) -> str:
    """'a', 'a and b', 'a, b and c' ('a, b, and c' with `serial`: for phrases that hold an
    'and' or an 'or' of their own, such as the silence lines')."""
    if len(items) <= 1:
        return "".join(items)
    comma = "," if serial and len(items) > 2 else ""
    return f"{', '.join(items[:-1])}{comma} {word} {items[-1]}"


def silence_sentence(silences: list[tuple[str, list[str]]]) -> str | None:
    """'The sources say nothing about a and b for X, or about c for Y.' (None: not silent)."""
    said = [(name, found) for name, found in silences if found]
    if not said:
        return None
    if (
        len(silences) > 1
        and len(said) == len(silences)
        and all(found == said[0][1] for _, found in said)
    ):
        who = "either" if len(silences) == 2 else f"any of the {len(silences)}"
        return f"{SILENT} {and_list(said[0][1], 'or', serial=True)} for {who}."
    parts = [f"{and_list(found, 'or', serial=True)} for {name}" for name, found in said]
    return f"{SILENT} " + ", or about ".join(parts) + "."


GENRES = {
    "peer-reviewed": "peer-reviewed evidence",
    "web-article": "web article",
    "clinic-article": "clinic web article",
}

# Technical terms the evidence uses, in plain words first.
PLAIN = {
    "somnolence": "sleepiness (somnolence)",
    "oedema": "swelling (oedema)",
    "erythema": "redness (erythema)",
}
_PLAIN = re.compile(r"\b(" + "|".join(PLAIN) + r")\b", re.IGNORECASE)


def plain(text: str) -> str:
    """'Somnolence.' -> 'Sleepiness (somnolence).'"""

    def swap(m: re.Match[str]) -> str:
        word = PLAIN[m.group().lower()]
        return word[0].upper() + word[1:] if m.group()[0].isupper() else word

    return _PLAIN.sub(swap, text)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def uncapital(text: str) -> str:
    """A label as it reads after a comma: 'Said of ...' -> 'said of ...'."""
    return text[:1].lower() + text[1:]


def source_kind(source: Source) -> str:
    """'clinic web article, undated, promotional' / 'peer-reviewed evidence, 2015'."""
    parts = [GENRES[source.genre], source.published or "undated"]
    if source.promotional:
        parts.append(PROMOTIONAL)
    return ", ".join(parts)


def source_line(source: Source) -> str:
    """A source as a patient sees it: title, then what kind of document and who published it."""
    line = f"{source.title} ({source_kind(source)})"
    if source.publisher:
        line += f". Published by {source.publisher}"
    if source.citation:
        line += f". {source.citation}"
    if source.doi:
        line += f" doi:{source.doi}"
    if source.url:
        line += f" {source.url}"
        if source.accessed:
            line += f" (accessed {source.accessed.isoformat()})"
    return line + "."


def one_in(printed: str) -> int:
    """'7.7 (6.5-9.4)' -> 8: the natural frequency, 1 in N."""
    return max(1, math.floor(Estimate.parse(printed).value + 0.5))


def _in_100(n: float) -> int:
    return math.floor(100 / n + 0.5)


def in_100(printed: str) -> tuple[int, int, int]:
    """'7.7 (6.5-9.4)' -> (13, 11, 15): how many more in 100, about, and its 95% range (the
    larger NNT is the smaller number in 100)."""
    e = Estimate.parse(printed)
    return _in_100(e.value), _in_100(e.high), _in_100(e.low)


def _range(low: int, high: int) -> str:
    return f"range {'fewer than 1' if low < 1 else low} to {high}"


PLACEBO = "a dummy treatment"
# What a trial compared a medicine with, when it was not a dummy treatment.
COMPARED = "what the trials compared it with"


def grade(record: EvidenceRecord) -> str:
    """'first-line, strong recommendation, for all neuropathic pain but trigeminal neuralgia'
    (the review's "all" leaves it out: it was assessed separately)."""
    if record.line == "against":
        return f"recommended against for neuropathic pain ({record.strength} recommendation)"
    scope = {
        "all": "all neuropathic pain but trigeminal neuralgia",
        "peripheral only": "peripheral neuropathic pain only",
    }.get(record.applies_to or "", "neuropathic pain")
    return f"{record.line}-line, {record.strength} recommendation, for {scope}"


def _than(record: EvidenceRecord) -> str:
    return COMPARED if record.comparator is not None else PLACEBO


def helps(record: EvidenceRecord) -> str | None:
    """'About 13 in 100 more people get at least half their pain relieved than with a dummy
    treatment (range 11 to 15)': the one wording of an NNT, in every view and format."""
    if not record.nnt:
        return None
    about, low, high = in_100(record.nnt)
    return (
        f"About {about} in 100 more people get at least half their pain relieved than with "
        f"{_than(record)} ({_range(low, high)})"
    )


def stops(record: EvidenceRecord) -> str | None:
    """'About 7 in 100 more stop because of side effects than with a dummy treatment (range 6 to
    9)': what an NNH counts, people who stopped taking part because of side effects."""
    if not record.nnh:
        return None
    about, low, high = in_100(record.nnh)
    return (
        f"About {about} in 100 more stop because of side effects than with {_than(record)} "
        f"({_range(low, high)})"
    )


DOSE_NOTE = "This is the range to discuss with your doctor, not an instruction to take a dose."
NO_HARM_FIGURE = "The sources give no figure for how many stop because of side effects."
NO_BENEFIT_FIGURE = "The sources give no figure for how many more are helped."


def quality(record: EvidenceRecord) -> str | None:
    """'Quality of evidence: high; 25 trials behind the figures.'"""
    said, trials = record.quality, record.trials
    if said is None:
        return None
    behind = f"; {trials} trials behind the figures" if trials else "; number of trials not given"
    return f"Quality of evidence: {said}{behind}."


def brief_figures(record: EvidenceRecord) -> str:
    """The figures for a listing, worded as everywhere else."""
    said = [x for x in (helps(record), stops(record)) if x]
    if record.nnt and not record.nnh:
        said.append(NO_HARM_FIGURE.rstrip("."))
    return "".join(f"{x}. " for x in said).strip()


LEVELS = {
    "discuss": "may be ruled out for you: discuss first",
    "against": "recommended against for neuropathic pain",
    "nothing": "nothing raised",
}
DO_NOT_STOP_ONE = (
    "If you take this medicine for another reason (such as epilepsy), do not stop it without "
    "talking to your doctor."
)
DO_NOT_STOP = (
    "If you take one of these medicines for another reason (such as epilepsy), do not stop it "
    "without talking to your doctor."
)

# Questions for the doctor, per topic: quote the one fact it rests on, say its facts in the
# catalogue's words ("say"), or draw on all its facts ("cite"); the question to ask then; and
# what to ask when the sources are silent (None: no question).
ASK: dict[TopicKey, tuple[str, str, str | None]] = {
    TopicKey.AVOID: ("quote", "Does this apply to me?", None),
    TopicKey.RISKS: (
        "cite",
        "",
        "What side effects and risks does it have? The sources do not say.",
    ),
    TopicKey.WARNING: ("quote", "Who do I contact, and how?", None),
    TopicKey.LENGTH: (
        "quote",
        "How long will it take for me, and how often?",
        "How long does it take, and how often? The sources do not say.",
    ),
    TopicKey.DOSE: (
        "say",
        "What dose would I take, how often, and for how long?",
        None,
    ),
    TopicKey.EXPECT: (
        "cite",
        "How should I prepare, and what will happen during and after?",
        "What will happen before, during and after? The sources do not say.",
    ),
    TopicKey.UNDO: (
        "quote",
        "What does that mean for me?",
        "Can it be stopped or undone if it does not suit me? The sources do not say.",
    ),
    TopicKey.PROVIDER: ("quote", "Can you tell me about this?", None),
}
ASK_RISKS = (
    "The sources name these side effects and risks: {names}. Which are most likely for me, how "
    "serious would they be, and what would we do about them?"
)
ASK_EVIDENCE = (
    "Graded sources rate {medicine}: {grade}. How does that compare with my other options?"
)
ASK_UNGRADED = "The graded sources do not rate it: what evidence is there that it works?"
GENERAL_QUESTIONS = (
    "What are my options, including the ones not listed here?",
    "What are the benefits and the risks of each option for me?",
    "What happens if I do nothing, or wait?",
    "How will we know whether a treatment is working, and what do we do if it is not?",
)
