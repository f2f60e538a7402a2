"""What a finished flow concludes: delivery forms that fit, signals, a pgb checklist.

Plain functions over the answers, so every branch has a unit test. They never
decide for the person: they explain what may fit and why, and name who can help.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from actions.content import Button, Reply, content, intent_payload
from actions.flows.engine import common_text, flow, next_buttons

# The NZa's situations that call for an active approach (seed 000 §3.3.3, §4.3).
ACTIVE_APPROACH_SIGNALS = (
    "weet_niet_welke_vorm",
    "geen_voorkeursaanbieder",
    "aanbieder_kan_niet",
    "geen_plek_voorkeur",
    "wacht_te_lang",
)
PGB_WISH = "wens_pgb"


@dataclass(frozen=True)
class Advice:
    fits: list[str]  # reason keys, in the order to show them
    less: list[str]
    signals: list[str]
    unsure: bool = False


def advise(answers: Mapping[str, Any]) -> Advice:
    """Which delivery forms may fit the answers of the keuzehulp, and why."""
    home, supervision = answers.get("thuis"), answers.get("toezicht")
    network, self_arrange = answers.get("netwerk"), answers.get("zelf_regelen")
    fits: list[str] = []
    less: list[str] = []

    if home == "nee":
        fits.append("verblijf_wish")
        less.append("home_forms_not_wished")
    elif home == "ja":
        if supervision == "ja":
            fits.append("vpt_supervision")
            if network == "nee":
                fits.append("verblijf_supervision")
        elif network == "ja":
            fits.append("mpt_network")
        else:
            fits.append("mpt_home")
        if self_arrange == "ja":
            fits.append("pgb_combination" if supervision != "ja" else "pgb_self")
        less.append("verblijf_not_wished")
    if home != "nee":
        if self_arrange == "nee":
            less.append("pgb_not_wished")
        elif self_arrange == "weet_niet":
            fits.append("pgb_unsure")
        elif self_arrange == "ja" and home != "ja":
            fits.append("pgb_self")

    return Advice(
        fits=fits, less=less, signals=signals_from(answers), unsure=home in (None, "weet_niet")
    )


def signals_from(answers: Mapping[str, Any]) -> list[str]:
    signals = []
    unsure = [answers.get(k) == "weet_niet" for k in ("thuis", "toezicht", "zelf_regelen")]
    if answers.get("thuis") == "weet_niet" or sum(unsure) >= 2:
        signals.append("weet_niet_welke_vorm")
    if answers.get("aanbieder") == "nee":
        signals.append("geen_voorkeursaanbieder")
    if answers.get("aanbieder_kan") == "nee":
        signals.append("aanbieder_kan_niet")
    if answers.get("wachten") == "geen_plek":
        signals.append("geen_plek_voorkeur")
    if answers.get("wachten") == "lang":
        signals.append("wacht_te_lang")
    if answers.get("zelf_regelen") == "ja":
        signals.append(PGB_WISH)
    return signals


@dataclass(frozen=True)
class Checklist:
    clear: list[str]
    arrange: list[str]
    ask: list[str]
    only_pgb_provider: bool


def checklist(answers: Mapping[str, Any]) -> Checklist:
    """The personal pgb checklist: what is clear, what to arrange, what to ask."""
    clear, arrange, ask = [], [], []
    for question in flow("pgb_check").questions:
        value = answers.get(question.id)
        if value in ("helder", "helder_iemand"):
            clear.append(question.id)
        elif value in ("regelen", "alleen_pgb"):
            arrange.append(question.id)
        if value in ("vragen", None, "alleen_pgb"):
            ask.append(question.id)
    return Checklist(clear, arrange, ask, answers.get("waarom") == "alleen_pgb")


@dataclass
class FlowResult:
    messages: list[Reply]
    signals: list[str] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    save_plan: bool = False
    cancelled: bool = False


def _text(results: Mapping[str, Any], key: str) -> str:
    return content().render(results[key]["text"])


def _human_buttons() -> list[Button]:
    return [
        Button(common_text("button_human"), intent_payload("request_human")),
        Button(common_text("button_client_support"), intent_payload("ask_independent_support")),
    ]


def finish(state: Mapping[str, Any]) -> FlowResult:
    """The closing messages of a flow, and what it hands to the rest of the bot."""
    name = state["flow"]
    if state.get("phase") == "cancelled":
        return FlowResult([Reply(common_text("stopped"), content().menu_buttons())], cancelled=True)
    the_flow = flow(name)
    answers = state.get("answers") or {}
    if name == "route_guide":
        return FlowResult([Reply(content().render(the_flow.done_text), next_buttons(name))])
    if name == "choice_aid":
        return _choice_aid_result(the_flow.results, answers, name)
    if name == "pgb_check":
        return _pgb_result(the_flow.results, answers, name)
    plan = {
        "answers": {q.id: answers.get(q.id) for q in the_flow.questions},
        "labels": {q.id: q.label for q in the_flow.questions},
    }
    return FlowResult([], plan=plan, save_plan=bool(state.get("save")))


def _choice_aid_result(
    results: Mapping[str, Any], answers: Mapping[str, Any], name: str
) -> FlowResult:
    advice = advise(answers)
    reasons = results["reasons"]
    messages = []
    if advice.unsure and not advice.fits:
        messages.append(Reply(_text(results, "all_forms")))
    if advice.fits:
        lines = [_text(results, "fits_intro")] + [
            f"- {content().render(reasons[k]['text'])}" for k in advice.fits
        ]
        messages.append(Reply("\n".join(lines)))
    if advice.less:
        lines = [_text(results, "less_intro")] + [
            f"- {content().render(reasons[k]['text'])}" for k in advice.less
        ]
        messages.append(Reply("\n".join(lines)))
    active = [s for s in advice.signals if s in ACTIVE_APPROACH_SIGNALS]
    if active:
        lines = [_text(results, "signals_intro")]
        lines += [content().render(results["signals"][s]["text"]) for s in active]
        messages.append(Reply(" ".join(lines)))
        messages.append(Reply(_text(results, "signals_offer"), _human_buttons()))
    else:
        messages.append(Reply(_text(results, "you_decide"), next_buttons(name)))
    return FlowResult(messages, signals=advice.signals)


def _pgb_result(results: Mapping[str, Any], answers: Mapping[str, Any], name: str) -> FlowResult:
    listed = checklist(answers)
    items = results["items"]
    messages = []
    for intro, ids, kind in (
        ("clear_intro", listed.clear, "clear"),
        ("arrange_intro", listed.arrange, "arrange"),
        ("ask_intro", listed.ask, "ask"),
    ):
        if ids:
            lines = [_text(results, intro)] + [f"- {items[i][kind]}" for i in ids]
            messages.append(Reply("\n".join(lines)))
    if listed.only_pgb_provider:
        messages.append(Reply(_text(results, "only_pgb_provider")))
    messages.append(Reply(_text(results, "support"), next_buttons(name)))
    return FlowResult(messages, signals=[PGB_WISH])
