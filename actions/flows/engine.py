"""A small engine for the guided conversations, in plain Python.

A flow is a list of questions from content/flows.yml. The state of one
conversation's flow is a JSON-able dict kept in the Rasa slot `flow_state`, so
the engine has no Rasa imports and every branch is unit-tested on its own.

One turn: `advance(state, turn)` reads what the person typed or clicked and
returns messages plus the new state; `prompt(state)` renders what to ask next.
Navigation works by buttons and by typing: "terug", "sla over", "stop",
"waar was ik?". A side question is answered and the flow resumes.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Mapping

from actions.content import Button, Reply, content, intent_payload
from nlp.vocabulary import canonical, fold

FLOW_BY_INTENT = {
    "start_route_guide": "route_guide",
    "start_choice_aid": "choice_aid",
    "start_pgb_check": "pgb_check",
    "start_personal_plan": "personal_plan",
}
MAX_TEXT_LENGTH = 1000
# A typed answer is only taken for a side question when NLU is this sure and it reads
# as a question: "ik wil thuis blijven" answers a plan question, it is no topic.
SIDE_QUESTION_CONFIDENCE = 0.8
SIDE_QUESTION_CONFIDENCE_BUTTONS = 0.5  # where only buttons answer, text is more likely a question
QUESTION_WORDS = (
    "wat",
    "hoe",
    "wie",
    "waar",
    "wanneer",
    "welke",
    "welk",
    "waarom",
    "kan",
    "kun",
    "mag",
    "moet",
    "is",
    "zijn",
    "heb",
    "heeft",
    "krijg",
    "krijgt",
    "wordt",
    "betekent",
)

_BACK = {"terug", "vorige", "vorige vraag", "ga terug", "een stap terug", "terug graag"}
_SKIP = {
    "sla over",
    "overslaan",
    "skip",
    "weet ik niet",
    "weet niet",
    "geen idee",
    "volgende vraag",
    "weet ik nog niet",
    "geen antwoord",
    "-",
}
_NEXT = {
    "volgende",
    "volgende stap",
    "verder",
    "ga verder",
    "door",
    "ja",
    "ok",
    "oke",
    "okay",
    "goed",
    "prima",
    "en nu",
    "door gaan",
    "doorgaan",
    "ja graag",
}
_STOP = {
    "stop",
    "stoppen",
    "ophouden",
    "hou op",
    "ik wil stoppen",
    "laat maar",
    "kappen",
    "afbreken",
}
_WHERE = {"waar was ik", "waar waren we", "waar was ik gebleven", "herhaal", "herhaal de vraag"}
_YES = {
    "ja",
    "jazeker",
    "jawel",
    "ja hoor",
    "ja graag",
    "graag",
    "zeker",
    "klopt",
    "ok",
    "oke",
    "prima",
    "goed",
    "is goed",
    "akkoord",
    "yes",
    "dat mag",
    "ja dat mag",
    "mag",
}
_NO = {"nee", "neen", "nee hoor", "liever niet", "niet", "no", "nope", "nee dank u", "nee dank je"}
_EDIT = re.compile(
    r"^(?:wijzig|verander|aanpassen|pas|antwoord)?\s*(?:vraag|antwoord|nummer)?\s*(\d{1,2})\b"
)


# -- flow definitions -----------------------------------------------------------------
@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # info | choice | text
    text: str
    title: str = ""
    text_relative: str = ""  # the same question about a relative, with {naaste} ("uw moeder")
    label: str = ""
    todo: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, button title)
    when: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def applies(self, answers: Mapping[str, Any]) -> bool:
        return all(answers.get(k) == v for k, v in self.when.items())


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    results: Mapping[str, Any]
    done_text: str
    next_intents: tuple[str, ...]

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)


def definitions() -> dict[str, Any]:
    return content().flows


def common_text(key: str, **values: str) -> str:
    return content().render(definitions()["common"][key]["text"], **values)


@lru_cache(maxsize=8)
def flow(name: str) -> Flow:
    raw = definitions()["flows"][name]
    questions = tuple(
        Question(
            id=q["id"],
            kind=q["kind"],
            text=q["text"].strip(),
            title=q.get("title", ""),
            text_relative=(q.get("text_relative") or "").strip(),
            label=q.get("label", ""),
            todo=(q.get("todo") or "").strip(),
            options=tuple((str(o["value"]), o["title"]) for o in q.get("options", [])),
            when=q.get("when") or {},
            sources=tuple(q.get("sources", [])),
        )
        for q in raw["questions"]
    )
    return Flow(
        name=name,
        title=raw["title"],
        intro=raw["intro"]["text"].strip(),
        questions=questions,
        results=raw.get("results") or {},
        done_text=(raw.get("done") or {}).get("text", "").strip(),
        next_intents=tuple(raw.get("next", [])),
    )


# -- a person's turn ------------------------------------------------------------------
@dataclass(frozen=True)
class Turn:
    text: str
    intent: str | None = None
    confidence: float = 0.0
    entities: Mapping[str, str] = field(default_factory=dict)

    @property
    def words(self) -> str:
        return re.sub(r"[^\w@.+\- ]", " ", fold(self.text)).strip()

    @property
    def clean(self) -> str:
        return " ".join(self.words.split())

    def is_(self, intent: str, words: set[str]) -> bool:
        return self.intent == intent or self.clean in words


@dataclass
class Outcome:
    messages: list[Reply]
    state: dict[str, Any]

    @property
    def done(self) -> bool:
        return self.state.get("phase") in ("done", "cancelled")


SideAnswer = Callable[[Turn], "Reply | None"]


def looks_like_question(text: str) -> bool:
    words = fold(text).strip().split()
    return "?" in text or bool(words and words[0] in QUESTION_WORDS)


def is_side_question(turn: Turn, buttons_only: bool) -> bool:
    """A topic question typed in the middle of a flow, not an answer to it."""
    topical = bool(turn.intent) and (
        turn.intent.startswith("ask_") or turn.intent in ("help", "bot_challenge")
    )
    if not topical or turn.text.startswith("/"):
        return False
    if buttons_only:
        return turn.confidence >= SIDE_QUESTION_CONFIDENCE_BUTTONS
    return turn.confidence >= SIDE_QUESTION_CONFIDENCE and looks_like_question(turn.text)


# -- state ----------------------------------------------------------------------------
def start(name: str) -> dict[str, Any]:
    flow(name)  # fail early on an unknown flow
    return {
        "flow": name,
        "index": 0,
        "answers": {},
        "phase": "questions",
        "editing": False,
        "resume_phase": None,
    }


def _applicable(state: Mapping[str, Any]) -> list[int]:
    questions = flow(state["flow"]).questions
    return [i for i, q in enumerate(questions) if q.applies(state["answers"])]


def current(state: Mapping[str, Any]) -> Question:
    return flow(state["flow"]).questions[state["index"]]


def _next_index(state: Mapping[str, Any]) -> int | None:
    later = [i for i in _applicable(state) if i > state["index"]]
    return later[0] if later else None


def _previous_index(state: Mapping[str, Any]) -> int | None:
    earlier = [i for i in _applicable(state) if i < state["index"]]
    return earlier[-1] if earlier else None


def _drop_inapplicable(state: dict[str, Any]) -> None:
    """An earlier answer changed: forget answers to questions that no longer apply."""
    keep = {flow(state["flow"]).questions[i].id for i in _applicable(state)}
    state["answers"] = {k: v for k, v in state["answers"].items() if k in keep}


def progress(state: Mapping[str, Any]) -> tuple[int, int]:
    applicable = _applicable(state)
    position = applicable.index(state["index"]) + 1 if state["index"] in applicable else 1
    return position, len(applicable)


# -- rendering ------------------------------------------------------------------------
def _button(key: str, payload: str) -> Button:
    return Button(common_text(key), payload)


def _render(text: str) -> str:
    return content().render(text)


def plan_relation(state: Mapping[str, Any]) -> str | None:
    """For whom the persoonlijk plan is ("moeder"), read from the first answer; None for oneself."""
    if state.get("flow") != "personal_plan":
        return None
    said = str((state.get("answers") or {}).get("voor_wie") or "")
    for word in fold(said).replace(",", " ").replace(".", " ").split():
        relation = canonical("relatie", word)
        if relation and content().relation_phrases(relation):
            return relation
    return None


def question_text(question: Question, state: Mapping[str, Any]) -> str:
    relation = plan_relation(state)
    if relation and question.text_relative:
        return content().render(question.text_relative, relation)
    return _render(question.text)


def prompt(state: Mapping[str, Any]) -> list[Reply]:
    """What to show for the state: the current question, the summary or a confirmation."""
    the_flow = flow(state["flow"])
    phase = state["phase"]
    if phase == "confirm_stop":
        return [
            Reply(
                common_text("confirm_stop", flow=the_flow.title),
                [_button("button_yes_stop", "/affirm"), _button("button_no_continue", "/deny")],
            )
        ]
    if phase == "summary":
        return plan_summary(state)
    if phase == "consent":
        results = the_flow.results
        return [
            Reply(
                _render(results["ask_consent"]["text"]),
                [
                    Button(results["button_yes_save"]["text"], "/affirm"),
                    Button(results["button_no_save"]["text"], "/deny"),
                ],
            )
        ]

    question = current(state)
    number, total = progress(state)
    back = [_button("button_back", "/go_back")] if number > 1 else []
    if question.kind == "info":
        header = common_text(
            "step_progress", nummer=str(number), totaal=str(total), titel=question.title
        )
        return [
            Reply(f"{header}\n{_render(question.text)}"),
            Reply(
                _render(question.todo),
                [_button("button_next", "/next_step"), *back, _button("button_stop", "/stop")],
            ),
        ]
    header = common_text("progress", nummer=str(number), totaal=str(total))
    if question.kind == "choice":
        options = [Button(title, title) for _, title in question.options]
        return [Reply(f"{header} {question_text(question, state)}", [*options, *back])]
    return [
        Reply(
            f"{header} {question_text(question, state)}",
            [_button("button_skip", "/skip"), *back, _button("button_stop", "/stop")],
        )
    ]


def expects_private_text(state: Mapping[str, Any]) -> bool:
    """The next message is a free-text answer for the persoonlijk plan."""
    return state.get("flow") == "personal_plan" and state.get("phase") == "questions"


def plan_summary(state: Mapping[str, Any]) -> list[Reply]:
    the_flow = flow(state["flow"])
    results = the_flow.results
    lines = [_render(results["summary_intro"]["text"])]
    for number, question in enumerate(the_flow.questions, start=1):
        answer = state["answers"].get(question.id) or results["skipped"]["text"]
        lines.append(f"{number}. {question.label}: {answer}")
    return [
        Reply(
            "\n".join(lines),
            [
                Button(results["button_correct"]["text"], "/affirm"),
                Button(results["button_edit"]["text"], "/go_back"),
            ],
            private=True,
        )
    ]


# -- one turn -------------------------------------------------------------------------
def advance(state: Mapping[str, Any], turn: Turn, side_answer: SideAnswer | None = None) -> Outcome:
    """Apply one message from the person to a copy of the state."""
    new = copy.deepcopy(dict(state))
    messages: list[Reply] = []
    the_flow = flow(new["flow"])
    phase = new["phase"]

    if phase == "confirm_stop":
        if turn.is_("affirm", _YES | _STOP) or turn.intent == "stop":
            return Outcome([], {"flow": new["flow"], "phase": "cancelled"})
        new["phase"] = new.pop("resume_phase", None) or "questions"
        new["resume_phase"] = None
        return Outcome([], new)

    if turn.is_("stop", _STOP):
        new["resume_phase"], new["phase"] = phase, "confirm_stop"
        return Outcome([], new)

    if turn.is_("where_was_i", _WHERE):
        return Outcome([Reply(common_text("where_you_were"))], new)

    asked_flow = FLOW_BY_INTENT.get(turn.intent or "")
    if asked_flow == new["flow"]:  # the message that started this flow, or asking for it again
        return Outcome([], new)
    if asked_flow:
        return Outcome([Reply(common_text("resume_after_side_question", flow=the_flow.title))], new)

    if phase == "summary":
        return _summary_turn(new, turn)
    if phase == "consent":
        return _consent_turn(new, turn)

    question = current(new)
    if turn.is_("go_back", _BACK):
        previous = _previous_index(new)
        if previous is None:
            key = "first_step" if question.kind == "info" else "first_question"
            messages.append(Reply(common_text(key)))
        else:
            new["index"] = previous
        return Outcome(messages, new)

    # A clear answer wins over a topic: "Ja, thuis blijven" also looks like
    # ask_care_at_home_allowed.
    if question.kind == "info" and (
        turn.is_("next_step", _NEXT) or turn.intent in ("affirm", "skip")
    ):
        return _move_on(new, messages)
    value = parse_choice(question, turn) if question.kind == "choice" else None
    if value is not None:
        new["answers"][question.id] = value
        _drop_inapplicable(new)
        return _move_on(new, messages)

    buttons_only = question.kind in ("info", "choice")
    if is_side_question(turn, buttons_only) and side_answer is not None:
        reply = side_answer(turn)
        if reply is not None:
            messages.append(reply)
            messages.append(Reply(common_text("resume_after_side_question", flow=the_flow.title)))
            return Outcome(messages, new)
    if buttons_only:
        messages.append(Reply(common_text("invalid_choice")))
        return Outcome(messages, new)

    # free text
    if turn.is_("skip", _SKIP):
        new["answers"][question.id] = None
        return _move_on(new, messages)
    text = " ".join(turn.text.split())
    if not text or text.startswith("/"):
        messages.append(Reply(common_text("text_empty")))
        return Outcome(messages, new)
    if len(text) > MAX_TEXT_LENGTH:
        messages.append(Reply(common_text("text_too_long")))
        return Outcome(messages, new)
    new["answers"][question.id] = text
    return _move_on(new, messages)


def _move_on(state: dict[str, Any], messages: list[Reply]) -> Outcome:
    if state.get("editing"):
        state["editing"] = False
        state["phase"] = "summary"
        messages.append(Reply(common_text("noted")))
        return Outcome(messages, state)
    following = _next_index(state)
    if following is not None:
        state["index"] = following
        return Outcome(messages, state)
    state["phase"] = "summary" if state["flow"] == "personal_plan" else "done"
    return Outcome(messages, state)


def _summary_turn(state: dict[str, Any], turn: Turn) -> Outcome:
    questions = flow(state["flow"]).questions
    match = _EDIT.match(turn.clean)
    if match and 1 <= int(match.group(1)) <= len(questions):
        state.update(index=int(match.group(1)) - 1, phase="questions", editing=True)
        return Outcome([], state)
    if turn.is_("affirm", _YES | _NEXT):
        state["phase"] = "consent"
        return Outcome([], state)
    if (
        turn.intent == "go_back"
        or turn.intent == "deny"
        or "verander" in turn.clean
        or "wijzig" in turn.clean
    ):
        return Outcome([Reply(_render(flow(state["flow"]).results["edit_which"]["text"]))], state)
    return Outcome([Reply(common_text("invalid_choice"))], state)


def _consent_turn(state: dict[str, Any], turn: Turn) -> Outcome:
    if turn.is_("affirm", _YES):
        state.update(phase="done", save=True)
    elif turn.is_("deny", _NO):
        state.update(phase="done", save=False)
    else:
        return Outcome([Reply(common_text("invalid_choice"))], state)
    return Outcome([], state)


def parse_choice(question: Question, turn: Turn) -> str | None:
    """The option a person chose: by button title, number, value or yes/no."""
    said = turn.clean
    for position, (value, title) in enumerate(question.options, start=1):
        if said in {fold(title), value.replace("_", " "), str(position)}:
            return value
    unknown = next((v for v, t in question.options if fold(t) == "weet ik niet"), None)
    if turn.is_("skip", _SKIP) and unknown:
        return unknown
    yes_no = _yes_no_values(question.options)
    if yes_no[0] and (turn.intent == "affirm" or said in _YES or said.startswith("ja ")):
        return yes_no[0]
    if yes_no[1] and (turn.intent == "deny" or said in _NO or said.startswith("nee ")):
        return yes_no[1]
    # a longer typed answer that contains exactly one option's title; "dat lukt niet" does not
    # choose "Dat lukt": with a negation only options that have one too
    negated = bool(set(said.split()) & NEGATIONS)
    cores = [
        (v, _core(t))
        for v, t in question.options
        if not negated or set(_core(t).split()) & NEGATIONS
    ]
    contained = [v for v, core in cores if len(core) > 3 and core in said]
    if len(contained) == 1:
        return contained[0]
    # or a few typed words that sit inside exactly one title ("wacht al lang")
    inside = [v for v, core in cores if len(said) > 3 and said in core]
    if len(inside) == 1:
        return inside[0]
    # or all words of one title among more words ("ik wacht al heel lang")
    said_words = set(said.split())
    covered = [v for v, core in cores if len(core.split()) >= 2 and set(core.split()) <= said_words]
    if len(covered) == 1:
        return covered[0]
    return _shared_words_choice(question, said, turn.text)


NEGATIONS = {"niet", "geen", "nooit", "niks", "niets"}
# words that carry no choice (spaCy's Dutch stop words also hold "zelf" and "lang", which do)
FUNCTION_WORDS = {
    "de",
    "het",
    "een",
    "en",
    "of",
    "ik",
    "je",
    "jij",
    "u",
    "we",
    "wij",
    "ze",
    "zij",
    "hij",
    "op",
    "in",
    "aan",
    "van",
    "voor",
    "met",
    "bij",
    "naar",
    "om",
    "te",
    "dat",
    "die",
    "dit",
    "er",
    "al",
    "nog",
    "wel",
    "ook",
    "maar",
    "dan",
    "is",
    "ben",
    "zijn",
    "was",
    "heb",
    "heeft",
    "hebben",
    "wil",
    "wilt",
    "kan",
    "kun",
    "kunt",
    "mag",
    "moet",
    "daar",
    "hier",
    "zo",
    "dus",
    "want",
    "als",
    "wat",
    "wie",
    "hoe",
    "waar",
    "mijn",
    "uw",
    "onze",
    "ons",
    "hun",
    "haar",
    "graag",
    "hoor",
    "even",
    "gewoon",
    "eigenlijk",
    "toch",
    "heel",
    "erg",
    "nou",
    "ja",
    "nee",
    "liever",
    "the",
    "mij",
    "me",
    "mn",
}


def _content_words(text: str) -> list[str]:
    return [
        w for w in text.split() if len(w) > 2 and w not in FUNCTION_WORDS and w not in NEGATIONS
    ]


def _stem_match(a: str, b: str) -> bool:
    """The same word in another form: "blijf" and "blijven", "lukt" and "lukken"."""
    short, long_ = sorted((a, b), key=len)
    # an inflection, not a compound: "blijf"/"blijven", but not "thuis"/"thuiszorg"
    return a == b or (
        len(short) >= 5 and long_.startswith(short[:5]) and len(long_) - len(short) <= 3
    )


def _shared_words_choice(question: Question, said: str, typed: str) -> str | None:
    """The one option whose words the answer shares ("lukt wel" -> "Dat lukt", "liefst blijf ik
    thuis" -> "Ja, thuis blijven"). A question ("wat betekent ...?") is no answer, and a
    negation the option lacks ("dat lukt niet") leaves it open: asking again beats a wrong guess."""
    if typed.strip().endswith("?"):
        return None
    words = said.split()
    content_words = set(_content_words(said))
    scores = []
    for value, title in question.options:
        option = _content_words(Turn(title).clean)
        matched = [
            i
            for i, w in enumerate(words)
            if w in content_words and any(_stem_match(w, o) for o in option)
        ]
        scores.append((len(matched), matched, value, title))
    best = max(score for score, *_ in scores) if scores else 0
    winners = [(matched, value, title) for score, matched, value, title in scores if score == best]
    if best == 0 or len(winners) != 1:
        return None
    matched, value, title = winners[0]
    # "dat lukt niet", "ik wil niet in een instelling": a negation in the clause of a shared word
    # turns it around, unless the option itself is negative ("Nee, niemand" has "niemand"); in
    # "werkt alleen met een pgb, anders kan hij daar niet heen" the "niet" is another clause's
    shared = {words[i] for i in matched}
    negated = any(
        set(clause.split()) & NEGATIONS and set(clause.split()) & shared
        for clause in re.split(r"[,.;!?]|\b(?:maar|anders|want|omdat)\b", fold(typed))
    )
    if negated and not set(_core(title).split()) & (NEGATIONS | {"niemand"}):
        return None
    return value


def _core(title: str) -> str:
    """A button title without its leading yes/no: "Nee, liever in een instelling" ->
    "liever in een instelling"."""
    words = Turn(title).clean
    return re.sub(r"^(ja|nee)\b\s*", "", words)


def _yes_no_values(options: tuple[tuple[str, str], ...]) -> tuple[str | None, str | None]:
    """What "ja" and "nee" mean for a question, where that is clear."""
    values = [v for v, _ in options]
    if values[:2] == ["helder", "regelen"]:  # "lukt u dat?": ja = it works, nee = needs arranging
        return "helder", "regelen"
    yes = next((v for v, t in options if v == "ja" or fold(t).startswith("ja")), None)
    no = next((v for v, t in options if v == "nee" or fold(t).startswith("nee")), None)
    return yes, no


def next_buttons(name: str) -> list[Button]:
    registry = content()
    return [
        Button(registry.topic_title(i) or i, intent_payload(i)) for i in flow(name).next_intents
    ]
