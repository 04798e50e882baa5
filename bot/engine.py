"""The conversation engine: ``handle(state, event, env) -> Outcome``, with no I/O.

Everything a client goes through lives here, step by step (see ``bot.state.Step``):
language, their problem in their own words, confirming every issue found,
routing questions, deadline, place, communication needs, matched services,
consent per organisation, and the referral. Commands (help, stop, restart,
language, delete my data) and crisis messages are handled before any step.

No dead ends: a question back ("what?") gets the step's explanation and is never stored;
the second message in a row we cannot use at one step gets the simplest form of the
question (numbers) and "0 = talk to a person", a callback request to the network's
general queue, sent only after the client consents, like a referral. The last line
says what actually happened (referred, callback, signposted only, or nothing found).

Take what was already said: the first message may hold the place, a date, a contact wish,
needs, a name and the language itself (``bot.facts``); we keep all of it, read it back in one
line with the issues ("I have: LU2 7AB, must act by Friday 15 January. Is that right?") and ask
only for what is still missing. A confident detection of the language (or Telegram's
``language_code``) skips the language menu, with one line saying how to change it. Contact
defaults to the channel the client uses and is one question with "safe to leave a message?"
(and their needs); consent is one question naming every organisation, answered for all, some
("1 only") or none, and recorded per organisation.

Routing questions, per category (the DOMAIN.md journey, point 3: "asks what it needs to route"):
the directory matches on category, area, language and capacity only, so tenure and court papers
never change which service is chosen; they are asked only where the partner must know them first.
Tenure is asked for housing (private, council or housing association tenants have different
rights and different first steps) unless their words already said it. Court papers are asked
for housing (possession claim), debt (county court claim) and family (court orders), where papers
from a court change what the adviser does first. For employment, benefits and immigration the
tribunal or appeal limit is what matters, and the deadline question already asks for it.

The caller (``bot.service``) classifies the message first, gives us a directory
snapshot, and applies our effects in one transaction with the new state.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot import prompts
from bot.choices import pick_many, pick_one, read_consent
from bot.effects import (
    CreateReferral,
    DeleteClientData,
    Effect,
    FlagUrgent,
    OptIn,
    OptOut,
    RecordConsent,
    RecordSignpost,
    RecordUnmetNeed,
)
from bot.emergency import contacts_for
from bot.facts import Facts, guess_language, menu_names, month_end, pick_words, read_facts
from bot.i18n import Translator, get_translator
from bot.names import extract_name
from bot.replies import Option, Reply, render_plain
from bot.segments import count_segments, gsm_friendly
from bot.state import Offer, State, Step
from core.categories import CATEGORIES, CATEGORY_IDS
from core.languages import LANGUAGES, get_language
from core.text import (
    MAX_CLIENT_NAME_CHARS,
    MAX_LANGUAGE_NAME_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_SHORT_ANSWER_CHARS,
    normalise,
)
from directory.areas import Place, nation_of, resolve_place
from directory.general_queue import GENERAL_QUEUE_ID
from directory.matching import DirectorySnapshot, Match, MatchRequest
from nlu.answers import is_unsure, read_answer
from nlu.commands import command_in
from nlu.dates import find_dates
from nlu.questions import is_dont_know, is_question_back
from nlu.result import FoundDate, NluResult

__all__ = ["Env", "Inbound", "Outcome", "handle"]

URGENT_WITHIN_DAYS = 14
# Court papers change what the partner does first only here (see the module docstring).
COURT_CATEGORIES = frozenset({"housing", "debt", "family"})
# The questions a referral may still need, in order; each is asked only when it applies and is not yet
# answered. Needs are asked inside the contact question (Step.NEEDS stays for saved states only).
_FLOW = (
    Step.TENURE, Step.DEADLINE_CONFIRM, Step.DEADLINE_ASK, Step.COURT_PAPERS, Step.POSTCODE,
    Step.CONTACT_METHOD, Step.CONTACT_DETAIL, Step.SAFE_MESSAGE, Step.SAFE_TIMES,
)
# No dead ends: the second answer in a row we do not understand at one step gets the simplest
# form of the question (numbers only) and "0 = talk to a person".
MISSES_BEFORE_SIMPLE = 2
MAX_SEGMENTS_PER_REPLY = 3  # an SMS reply of more parts arrives out of order on some phones
PERSON_KEY = "0"
_YES_NO_STEPS = frozenset({
    Step.CONFIRM_ISSUES, Step.DEADLINE_CONFIRM, Step.COURT_PAPERS, Step.SAFE_MESSAGE, Step.CONSENT,
    Step.CRISIS_SAFE, Step.CONFIRM_DELETE, Step.CALLBACK_CONSENT,
})
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Inbound:
    """One message from the client, already classified."""

    text: str
    nlu: NluResult = field(default_factory=NluResult)
    profile_name: str | None = None  # Telegram: the first name on the client's profile, offered for confirmation
    language_code: str | None = None  # Telegram: the client's app language ("pl", "en-GB")


@dataclass(frozen=True)
class Env:
    """The world as the engine may see it: time, channel, directory, id source."""

    now: dt.datetime
    channel: str
    directory: DirectorySnapshot
    new_id: Callable[[], str]
    idle: dt.timedelta = dt.timedelta(hours=4)
    consent_version: str = "2026-11-v1"
    network_name: str = "Luton, Bristol and Suffolk"  # the deployment's name for itself (settings)
    complaints_contact: str = ""  # empty: HELP says nothing about complaints rather than show a made-up address
    network_queue: str = GENERAL_QUEUE_ID  # the advice network's general queue: "talk to a person" lands here

    @property
    def today(self) -> dt.date:
        return self.now.date()


@dataclass
class Outcome:
    state: State
    replies: list[Reply]
    effects: list[Effect]


class _Turn:
    """One inbound message being handled: the state, what we say, what we do."""

    def __init__(self, state: State, event: Inbound, env: Env) -> None:
        self.state = state
        self.event = event
        self.env = env
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self.missed = False  # this message was not understood (or was a question back)

    @property
    def t(self) -> Translator:
        return get_translator(self.state.language)

    def say(self, text: str, options: tuple[Option, ...] = ()) -> None:
        self.replies.append(Reply(text, options))


def handle(state: State, event: Inbound, env: Env) -> Outcome:
    """Handle one client message and return the new state, replies and effects."""
    turn = _Turn(copy.deepcopy(state), Inbound(event.text.strip()[:MAX_MESSAGE_CHARS], event.nlu,
                                               event.profile_name, event.language_code), env)
    if event.profile_name and not turn.state.stopped:
        turn.state.profile_name = event.profile_name.strip()[:MAX_CLIENT_NAME_CHARS] or None
    _dispatch(turn)
    if not turn.missed:
        turn.state.misses = 0
    turn.state.last_seen = env.now.isoformat()
    return Outcome(turn.state, turn.replies, turn.effects)


def _dispatch(turn: _Turn) -> None:
    state, text = turn.state, turn.event.text
    command = command_in(text) if text else None
    if state.stopped:
        if command == "start":
            state.stopped = False
            turn.effects.append(OptIn())
            turn.say(turn.t.gettext("Welcome back. You will get messages from us again."))
            _ask(turn)
        return  # after STOP we send nothing until START
    if command == "stop":
        state.stopped = True
        turn.effects.append(OptOut())
        turn.say(turn.t.gettext(
            "You will not get any more messages from us. Anything already sent to an adviser is kept. "
            "Reply START to begin again."
        ))
        return
    if turn.event.nlu.crisis:
        _crisis(turn)
        return
    if not text:
        turn.say(turn.t.gettext("Sorry, your message was empty."))
        _ask(turn)
        return
    if _returning_after_idle(turn):
        return
    if command is not None and command != "start" and _command(turn, command):
        return
    if (state.misses >= MISSES_BEFORE_SIMPLE and normalise(text) == PERSON_KEY and not state.callback
            and state.step != Step.CALLBACK_CONSENT):
        _offer_callback(turn)
        return
    if state.step != Step.START and is_question_back(text, state.language):
        _explain(turn)
        return
    _STEP_HANDLERS.get(state.step, _on_start)(turn)


# ---------------------------------------------------------------------------
# Commands, crisis, coming back


def _command(turn: _Turn, command: str) -> bool:
    state = turn.state
    if command == "help":
        turn.say(prompts.help_text(turn.t, turn.env.complaints_contact))
        if state.step not in (Step.START, Step.DONE):
            _ask(turn)
        return True
    if command == "language":
        if state.step != Step.LANGUAGE:
            state.return_step = state.step
        state.step = Step.LANGUAGE
        _ask(turn)
        return True
    if command == "restart":
        _restart(turn)
        turn.say(turn.t.gettext("OK, let's start again."))
        _ask(turn)
        return True
    if command == "delete":
        if state.step != Step.CONFIRM_DELETE:
            state.return_step = state.step
        state.step = Step.CONFIRM_DELETE
        _ask(turn)
        return True
    return False


def _restart(turn: _Turn) -> None:
    language, chosen, other = turn.state.language, turn.state.language_chosen, turn.state.other_language
    turn.state = State(language=language, language_chosen=chosen, other_language=other)
    turn.state.step = Step.DESCRIBE if chosen else Step.LANGUAGE
    if other:
        turn.state.needs = ["interpreter"]


def _crisis(turn: _Turn) -> None:
    """Emergency contacts first, then ask whether it is safe to keep messaging."""
    state, nlu = turn.state, turn.event.nlu
    if state.step in (Step.START, Step.LANGUAGE, Step.DESCRIBE, Step.CONFIRM_ISSUES, Step.CHOOSE_CATEGORIES):
        _add_description(turn)
        if not state.language_chosen:
            state.return_step = Step.LANGUAGE
        elif state.categories:
            state.return_step = Step.CONFIRM_ISSUES
        elif state.step == Step.DESCRIBE:
            state.return_step = Step.CHOOSE_CATEGORIES
        else:
            state.return_step = state.step if state.step != Step.START else Step.LANGUAGE
    elif state.step != Step.CRISIS_SAFE:
        state.return_step = state.step
    if state.step == Step.DONE:
        turn.effects.append(FlagUrgent())
    state.crisis = True
    state.urgent = True
    categories = list(dict.fromkeys([*state.categories, *nlu.categories]))
    turn.say(prompts.emergency_text(turn.t, contacts_for(categories, state.language)))
    state.step = Step.CRISIS_SAFE
    _ask(turn)


def _returning_after_idle(turn: _Turn) -> bool:
    state = turn.state
    if state.last_seen is None or state.step in (Step.START, Step.DONE, Step.RESUME, Step.LANGUAGE):
        return False
    last = dt.datetime.fromisoformat(state.last_seen)
    if turn.env.now - last < turn.env.idle:
        return False
    state.return_step = state.step
    state.step = Step.RESUME
    _ask(turn)
    return True


# ---------------------------------------------------------------------------
# Asking: the question for the current step


def _ask(turn: _Turn, lead: str = "") -> None:
    """Say the current step's question (again); ``lead`` goes before it in the same message (one SMS less)."""
    start = len(turn.replies)
    _ask_step(turn)
    if not lead:
        return
    if len(turn.replies) > start:
        first = turn.replies[start]
        joined = Reply(f"{lead}\n{first.text}", first.options)
        if count_segments(gsm_friendly(render_plain(joined))).segments <= MAX_SEGMENTS_PER_REPLY:
            turn.replies[start] = joined
            return
    turn.replies.insert(start, Reply(lead))  # together they would not fit the SMS budget: two messages


def _ask_step(turn: _Turn) -> None:
    state, t = turn.state, turn.t
    step = state.step
    if step == Step.START:
        step = state.step = Step.LANGUAGE
    if step == Step.LANGUAGE:
        turn.say(prompts.language_menu_text(t), _language_options(t))
    elif step == Step.OTHER_LANGUAGE:
        turn.say(t.gettext("Which language do you speak? We will try to find an interpreter for you."))
    elif step == Step.DESCRIBE:
        turn.say(t.gettext("In your own words, what is happening? You can tell me about more than one problem."))
    elif step == Step.CONFIRM_ISSUES:
        turn.say(prompts.confirm_issues_text(t, state.categories, prompts.taken_text(t, state)), _yes_no(t))
    elif step == Step.CHOOSE_CATEGORIES:
        turn.say(t.gettext("Which of these is it about? Reply with one or more numbers, like 1 3."),
                 tuple(Option(str(i + 1), t.gettext(c.label)) for i, c in enumerate(CATEGORIES)))
    elif step == Step.TENURE:
        turn.say(t.gettext("About your home: which fits best?"), _options(t, prompts.TENURE_OPTIONS))
    elif step == Step.DEADLINE_CONFIRM:
        when = state.deadline_date
        turn.say(t.gettext("You mentioned %(date)s. Is that a date you must act by, like a court hearing or "
                           "eviction date?") % {"date": t.format_date(when) if when else ""}, _yes_no(t))
    elif step == Step.DEADLINE_ASK:
        turn.say(t.gettext("Is there a date you must act by, like a court hearing, eviction or appeal "
                           "deadline? Tell me the date, or reply NO."))
    elif step == Step.COURT_PAPERS:
        turn.say(t.gettext("Has a court or tribunal sent you any papers?"), _yes_no(t))
    elif step == Step.POSTCODE:
        turn.say(t.gettext("What is your postcode or town?"))
    elif step == Step.CONTACT_METHOD:
        method = state.contact_method or _channel_method(turn.env.channel)
        turn.say(prompts.contact_question(t, method, state.safe_times, bool(state.needs)),
                 prompts.contact_choices(t, method))
    elif step == Step.CONTACT_DETAIL:
        if state.contact_method == "email":
            turn.say(t.gettext("What email address should they use?"))
        else:
            turn.say(t.gettext("What phone number should they use?"))
    elif step == Step.NEEDS:
        turn.say(t.gettext("Do you need any of these? Reply with the numbers, or NO."),
                 _options(t, prompts.NEEDS_OPTIONS))
    elif step == Step.SAFE_MESSAGE:
        turn.say(t.gettext("Is it safe for us to leave you a message or voicemail?"), _yes_no(t))
    elif step == Step.SAFE_TIMES:
        turn.say(t.gettext("When is it safe to contact you? For example: weekday mornings. Or reply ANY TIME."))
    elif step == Step.CONSENT:
        asking = _asking(state)
        if len(asking) == 1:
            turn.say(prompts.offer_text(t, asking[0]))
            turn.say(prompts.consent_question(t, asking[0]), _yes_no(t))
        else:
            turn.say(prompts.consent_many_question(t, asking))
    elif step == Step.NAME:
        if state.profile_name:
            turn.say(t.gettext("Should they call you %(name)s? Reply YES, or send the name they should use.")
                     % {"name": state.profile_name})
        else:
            turn.say(t.gettext("What name should they use for you?"))
    elif step == Step.DONE:
        turn.say(prompts.closing_text(t, _outcome(state)))
    elif step == Step.CALLBACK_CONSENT:
        turn.say(prompts.callback_question(t), _yes_no(t))
    elif step == Step.CRISIS_SAFE:
        turn.say(t.gettext("Is it safe for us to keep sending you messages here?"), _yes_no(t))
    elif step == Step.CONFIRM_DELETE:
        turn.say(t.gettext("Do you want us to delete everything you told us? Any referral we sent will be "
                           "withdrawn and the organisation told."), _yes_no(t))
    elif step == Step.RESUME:
        turn.say(t.gettext("Welcome back. Do you want to carry on where you stopped, or start again?"),
                 (Option("1", t.gettext("Carry on")), Option("2", t.gettext("Start again"))))


def _yes_no(t: Translator) -> tuple[Option, ...]:
    return (Option("1", t.gettext("Yes")), Option("2", t.gettext("No")))


def _options(t: Translator, table: tuple[tuple[str, str], ...]) -> tuple[Option, ...]:
    return tuple(Option(str(i + 1), t.gettext(label)) for i, (_value, label) in enumerate(table))


def _language_options(t: Translator) -> tuple[Option, ...]:
    options = [Option(str(i + 1), lang.own_name) for i, lang in enumerate(LANGUAGES)]
    options.append(Option(str(len(LANGUAGES) + 1), t.gettext("Other language")))
    return tuple(options)


def _answer(turn: _Turn) -> str | None:
    """yes/no from words in the conversation's language, or the 1/2 of a yes-no menu; None when unclear."""
    text = turn.event.text
    return read_answer(text, turn.state.language) or pick_one(text, (("yes", ()), ("no", ())))


def _not_understood(turn: _Turn) -> None:
    turn.say(turn.t.gettext("Sorry, I didn't understand that."))
    _missed(turn)


def _explain(turn: _Turn) -> None:
    """A question back ("what?", "why"): say why we ask, then ask again; never stored as an answer."""
    turn.say(prompts.explanation(turn.t, turn.state.step))
    _missed(turn)


def _missed(turn: _Turn) -> None:
    """Count a message we could not use; the second in a row gets the simplest question and a person."""
    turn.missed = True
    turn.state.misses += 1
    if turn.state.misses >= MISSES_BEFORE_SIMPLE:
        _ask_simply(turn)
    else:
        _ask(turn)


def _ask_simply(turn: _Turn) -> None:
    """The current question in its simplest form: numbered choices, plus "0 = talk to a person"."""
    state, t = turn.state, turn.t
    if state.step == Step.DESCRIBE:
        state.step = Step.CHOOSE_CATEGORIES  # their words did not work twice: offer the list instead
    start = len(turn.replies)
    _ask(turn)
    asked = turn.replies[start:]
    del turn.replies[start:]
    last = asked[-1] if asked else Reply("")
    asking_already = state.step == Step.CALLBACK_CONSENT or state.callback
    person = () if asking_already else (Option(PERSON_KEY, t.gettext("Talk to a person")),)
    step = state.step
    if step == Step.DEADLINE_ASK:
        turn.say(t.gettext("Please send the date, like 15/01. Or reply with a number:"),
                 (Option("1", t.gettext("There is no date, or I don't know")), *person))
    elif step == Step.CONTACT_DETAIL:
        turn.say(t.gettext("Please send the email address, like name@example.com.") if state.contact_method == "email"
                 else t.gettext("Please send the phone number, like 07700 900123."), person)
    elif step == Step.DONE:
        turn.say(last.text, (Option("1", t.gettext("Start again")), *person))
    elif last.options and step not in _YES_NO_STEPS:
        turn.say(t.gettext("Please reply with a number."), (*last.options, *person))
    else:
        turn.say(last.text, (*last.options, *person))


def _is_filler(turn: _Turn) -> bool:
    """Not a description, a date or a name: "yes", "no", "1", "maybe", "what?", "no idea"."""
    text, language = turn.event.text, turn.state.language
    if not _LETTER.search(text) or command_in(text) is not None:
        return True
    if is_question_back(text, language) or is_dont_know(text, language):
        return True
    short = len(normalise(text).split()) <= 3
    return short and (read_answer(text, language) is not None or is_unsure(text, language))


# ---------------------------------------------------------------------------
# Step handlers


def _on_start(turn: _Turn) -> None:
    """The first message: a language from the menu, or a story (or greeting) in a language we can tell."""
    state = turn.state
    picked = _pick_language(turn.event.text, state.language)
    if picked is not None:
        _choose_language(turn, picked)
        return
    network = turn.t.gettext(turn.env.network_name)  # the demo network's name is in the catalogs
    greeting = turn.t.gettext("Hi, this is the free advice line for %(network)s.") % {"network": network}
    known = _known_language(turn)
    if known is not None:  # a confident detection or the app's language: no menu, one line to change it
        state.language, state.language_chosen, state.other_language = known, True, None
        hello = turn.t.gettext("Hi, this is the free advice line for %(network)s.") % {
            "network": turn.t.gettext(turn.env.network_name)}
        lead = f"{hello} {_now_writing_in(turn, known)}"
        if turn.event.nlu.categories or not _is_filler(turn) and not _is_greeting(turn):
            _take_description(turn, turn.event.text, turn.event.nlu, lead)
        else:
            state.step = Step.DESCRIBE
            _ask(turn, lead)
        return
    if turn.event.nlu.categories:
        _add_description(turn)  # their first message was their story: don't ask for it again
    state.step = Step.LANGUAGE
    turn.say(greeting)  # its own message: the menu alone fills three UCS-2 segments
    _ask(turn)


def _known_language(turn: _Turn) -> str | None:
    """The message's language when the classifier is sure of it, else the Telegram app's language."""
    detected = turn.event.nlu.language or guess_language(turn.event.text)
    if detected is not None and get_language(detected) is not None:
        return detected
    code = (turn.event.language_code or "").split("-")[0].lower()
    return code if get_language(code) is not None else None


def _is_greeting(turn: _Turn) -> bool:
    """ "hi", "hello", "/start": nothing to keep, a greeting back and the first question."""
    return turn.event.nlu.intent == "greeting" or len(normalise(turn.event.text).split()) <= 2


def _pick_language(text: str, language: str = "en") -> str | None:
    """A language from the menu by number or name; a language named inside a longer message is not a choice
    ("I need an interpreter for Polish" is an interpreter need, read by ``bot.facts``)."""
    if len(normalise(text).split()) > 3:
        return None
    names: list[tuple[str, tuple[str, ...]]] = [
        (lang.code, (lang.own_name, lang.english_name, lang.code, *_LANGUAGE_WORDS.get(lang.code, ())))
        for lang in LANGUAGES
    ]
    other = tuple(p for _value, phrases in menu_names("language", language) for p in phrases)
    names.append(("other", ("other", "other language", *other)))
    return pick_one(text, names)


# Names a client may give their language by, besides its own and English names (the menu shows those).
_LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "bn": ("bangla", "bengali", "বাংলা"), "ar": ("arabic", "عربي", "عربى", "العربيه"), "ur": ("urdu", "اردو"),
    "uk": ("ukrainian", "українська", "українською"), "pl": ("polish", "polski", "po polsku"),
    "ro": ("romana", "romanian", "romaneste"), "so": ("somali", "soomaali", "af soomaali"),
    "pt": ("portugues", "portuguese"), "cy": ("welsh", "cymraeg"),
}


def _on_language(turn: _Turn) -> None:
    picked = _pick_language(turn.event.text, turn.state.language)
    if picked is None and turn.event.nlu.language == "other":
        picked = "other"  # they answered the menu in a language we don't support: the interpreter route
    detected = turn.event.nlu.language or guess_language(turn.event.text)
    if picked is None and not _is_filler(turn) and (turn.event.nlu.categories or detected):
        # The menu says "or tell me what is happening": their story, in the language it was written in.
        state = turn.state
        if detected is not None and get_language(detected) is not None:
            state.language = detected
        state.language_chosen, state.other_language = True, None
        _take_description(turn, turn.event.text, turn.event.nlu, _now_writing_in(turn, state.language))
        return
    if picked is None:
        _not_understood(turn)
        return
    _choose_language(turn, picked)


def _choose_language(turn: _Turn, code: str) -> None:
    state = turn.state
    if code == "other":
        state.language, state.language_chosen = "en", True
        state.step = Step.OTHER_LANGUAGE
        _ask(turn)
        return
    state.language, state.language_chosen, state.other_language = code, True, None
    if state.return_step and state.return_step not in (Step.START, Step.LANGUAGE):
        state.step, state.return_step = state.return_step, None
        turn.say(_now_writing_in(turn, code))
        _ask(turn)
        return
    _after_language(turn)


def _now_writing_in(turn: _Turn, code: str) -> str:
    lang = get_language(code)
    return turn.t.gettext("OK, I will write in %(language)s from now on. Reply LANGUAGE to change it.") % {
        "language": lang.own_name if lang else code}


def _switch_to_detected(turn: _Turn) -> bool:
    """The client wrote their story in a language we support but have not been using: use theirs.

    Only a confident detection counts (the classifier leaves ``language`` empty when
    unsure), and only on the first free-text message; we say so, with the way back.
    """
    state, detected = turn.state, turn.event.nlu.language
    if detected is None or detected == state.language or get_language(detected) is None or state.description:
        return False
    state.language, state.language_chosen, state.other_language = detected, True, None
    turn.say(_now_writing_in(turn, detected))
    return True


def _after_language(turn: _Turn) -> None:
    state = turn.state
    state.step = Step.CONFIRM_ISSUES if state.categories else Step.DESCRIBE
    _ask(turn)


def _on_other_language(turn: _Turn) -> None:
    state = turn.state
    state.other_language = turn.event.text[:MAX_LANGUAGE_NAME_CHARS]
    if "interpreter" not in state.needs:
        state.needs.append("interpreter")
    turn.say(turn.t.gettext("Thank you. I have noted that you need an interpreter. We will carry on in English; "
                            "you can answer with numbers."))
    _after_language(turn)


def _add_description(turn: _Turn) -> None:
    state, text = turn.state, turn.event.text
    if not text or command_in(text):
        return
    if state.step == Step.START and not turn.event.nlu.categories:
        return
    state.description = f"{state.description}\n{text}".strip() if state.description else text
    for category in turn.event.nlu.categories:
        if category not in state.categories and category in CATEGORY_IDS:
            state.categories.append(category)
    _note_deadline(turn, turn.event.nlu)
    _take_facts(turn, read_facts(text, state.language, turn.env.today))


def _take_facts(turn: _Turn, facts: Facts) -> None:
    """Keep what their words already said; each fact is read back once at the confirm question."""
    state = turn.state
    taken = state.taken
    if facts.place is not None and not state.postcode and not state.area and not state.outside_area:
        _set_place(turn, facts.place)
        _done(state, Step.POSTCODE)
        taken.append("place")
    if facts.month_end is not None and state.deadline is None:
        state.deadline, state.deadline_text = facts.month_end.isoformat(), None
        _update_urgency(turn)
    if state.deadline is not None and "deadline" not in taken:
        taken.append("deadline")
    housing = "housing" in (*state.categories, *turn.event.nlu.categories)
    if facts.tenure is not None and state.tenure is None and housing:
        state.tenure = facts.tenure
        _done(state, Step.TENURE)
        taken.append("tenure")
    if facts.contact_method is not None and state.contact_method is None:
        state.contact_method = facts.contact_method
        taken.append("contact")
    if facts.contact_times and not state.safe_times:
        state.safe_times = facts.contact_times
        if "contact" not in taken:
            taken.append("contact")
    _take_needs(state, facts)
    if facts.needs and "needs" not in taken:
        taken.append("needs")
    if facts.name and not state.name:
        state.name = facts.name
        taken.append("name")


def _take_needs(state: State, facts: Facts) -> None:
    for need in facts.needs:
        if need not in state.needs:
            state.needs.append(need)
    if facts.interpreter_language and not state.interpreter_language:
        state.interpreter_language = facts.interpreter_language


def _done(state: State, step: Step) -> None:
    if step not in state.done_steps:
        state.done_steps.append(step)


def _forget_taken(state: State) -> None:
    """They said the read-back was wrong: drop what we took from their words, so each is asked plainly."""
    taken = set(state.taken)
    if "place" in taken:
        state.postcode = state.area = state.place_label = state.place_nation = None
        state.place_districts, state.outside_area = [], False
        state.done_steps = [s for s in state.done_steps if s != Step.POSTCODE]
    if "tenure" in taken:
        state.tenure = None
        state.done_steps = [s for s in state.done_steps if s != Step.TENURE]
    if "contact" in taken:
        state.contact_method = state.safe_times = None
    if "needs" in taken:
        state.needs, state.interpreter_language = [], None
    if "name" in taken:
        state.name = None
    state.taken = []


def _note_deadline(turn: _Turn, nlu: NluResult) -> None:
    state = turn.state
    if state.deadline is None:
        for found in nlu.dates:
            if found.value >= turn.env.today:
                state.deadline, state.deadline_text = found.value.isoformat(), found.text
                break
    _update_urgency(turn)


def _update_urgency(turn: _Turn) -> None:
    state = turn.state
    when = state.deadline_date
    if when is not None and (when - turn.env.today).days <= URGENT_WITHIN_DAYS:
        state.urgent = True


def _on_describe(turn: _Turn) -> None:
    if not turn.event.nlu.categories and _is_filler(turn):
        _not_understood(turn)
        return
    _switch_to_detected(turn)
    _take_description(turn, turn.event.text, turn.event.nlu)


def _take_description(turn: _Turn, text: str, nlu: NluResult, lead: str = "") -> None:
    state = turn.state
    if not nlu.dates and state.language != "en":  # classified before we knew their language: read dates in it
        nlu = replace(nlu, dates=find_dates(text, state.language, turn.env.today))
    state.description = f"{state.description}\n{text}".strip() if state.description else text
    for category in nlu.categories:
        if category in CATEGORY_IDS and category not in state.categories:
            state.categories.append(category)
    _note_deadline(turn, nlu)
    _take_facts(turn, read_facts(text, state.language, turn.env.today))
    if state.categories:
        state.step = Step.CONFIRM_ISSUES
        said = turn.t.gettext("I'm sorry, that sounds hard.")
    else:
        state.step = Step.CHOOSE_CATEGORIES
        said = turn.t.gettext("Thank you for telling me.")
    _ask(turn, f"{lead}\n{said}" if lead else said)


def _on_confirm_issues(turn: _Turn) -> None:
    state = turn.state
    answer = _answer(turn)
    if answer == "yes":
        if "deadline" in state.taken and state.deadline is not None:  # "must act by ..." was read back: confirmed
            _done(state, Step.DEADLINE_CONFIRM)
            _done(state, Step.DEADLINE_ASK)
        state.taken = []
        _advance(turn)
        return
    if answer == "no" and not turn.event.nlu.categories:
        if "deadline" in state.taken:
            state.deadline = state.deadline_text = None
            state.urgent = state.crisis
        _forget_taken(state)
        state.step = Step.CHOOSE_CATEGORIES
        _ask(turn)
        return
    new = [c for c in turn.event.nlu.categories if c not in state.categories]
    if new:
        state.description = f"{state.description}\n{turn.event.text}".strip()
        state.categories.extend(new)
        _note_deadline(turn, turn.event.nlu)
        _ask(turn)
        return
    _not_understood(turn)


def _on_choose_categories(turn: _Turn) -> None:
    state = turn.state
    options = [(c.id, (turn.t.gettext(c.label), c.label, c.id)) for c in CATEGORIES]
    chosen = pick_many(turn.event.text, options)
    if not chosen and turn.event.nlu.categories and not _is_filler(turn):
        _take_description(turn, turn.event.text, turn.event.nlu)  # their story after all: confirm what we found
        return
    if not chosen:
        _not_understood(turn)
        return
    state.categories = chosen
    if not state.description and not _is_filler(turn) and not re.fullmatch(r"[\d\s,.&]+", turn.event.text):
        state.description = turn.event.text
    _advance(turn)


def _choice_step(field_name: str, menu: str,
                 options: Callable[[_Turn], tuple[tuple[str, str], ...]]) -> Callable[[_Turn], None]:
    """A step that stores one choice from a menu (by number, label, or words) in ``state.<field_name>``."""

    def on_choice(turn: _Turn) -> None:
        table = options(turn)
        values = {value for value, _label in table}
        picked = pick_one(turn.event.text, _choice_names(turn.t, table))
        if picked is None:  # the option's words in their language (``journey.options`` in nlu/phrases)
            words = [v for v in pick_words(turn.event.text, menu_names(menu, turn.state.language),
                                           turn.state.language) if v in values]
            picked = words[0] if len(words) == 1 else None
        if picked is None:  # "I rent" (no landlord named): a weaker word decides only when nothing else did
            weak = [v for v in pick_words(turn.event.text, menu_names(menu, turn.state.language, weak=True),
                                          turn.state.language) if v in values]
            picked = weak[0] if len(weak) == 1 else None
        if picked is None:
            _not_understood(turn)
            return
        setattr(turn.state, field_name, picked)
        _advance(turn)

    return on_choice


_on_tenure = _choice_step("tenure", "tenure", lambda _turn: prompts.TENURE_OPTIONS)


def _on_deadline_confirm(turn: _Turn) -> None:
    state = turn.state
    found = _future_dates(turn)
    answer = _answer(turn)
    if answer is None and is_dont_know(turn.event.text, state.language):
        answer = "yes"  # they are not sure it is a deadline: keep the date, the adviser checks it
    if found and answer != "yes":
        state.deadline, state.deadline_text = found[0].value.isoformat(), found[0].text
    elif answer == "yes":
        pass
    elif answer == "no":
        state.deadline = state.deadline_text = None
        state.urgent = state.crisis
        state.done_steps.append(Step.DEADLINE_CONFIRM)
        state.step = Step.DEADLINE_ASK
        _ask(turn)
        return
    else:
        _not_understood(turn)
        return
    state.done_steps.append(Step.DEADLINE_ASK)
    _update_urgency(turn)
    _advance(turn)


def _future_dates(turn: _Turn) -> list[FoundDate]:
    """Dates in the message still to come, and "end of the month" (``journey.month_end`` phrases)."""
    found = [d for d in turn.event.nlu.dates if d.value >= turn.env.today]
    if not found:
        end = month_end(turn.event.text, turn.state.language, turn.env.today)
        if end is not None:
            found.append(FoundDate(end, turn.event.text[:MAX_SHORT_ANSWER_CHARS]))
    return found


def _on_deadline_ask(turn: _Turn) -> None:
    state = turn.state
    found = _future_dates(turn)
    if found:
        state.deadline, state.deadline_text = found[0].value.isoformat(), found[0].text
        _update_urgency(turn)
        turn.say(turn.t.gettext("Thanks. I have noted %(date)s.") % {"date": turn.t.format_date(found[0].value)})
        if Step.DEADLINE_CONFIRM not in state.done_steps:  # they just told us the date: no need to read it back
            state.done_steps.append(Step.DEADLINE_CONFIRM)
    elif _answer(turn) == "no" or is_dont_know(turn.event.text, state.language) or (
            state.misses >= MISSES_BEFORE_SIMPLE and normalise(turn.event.text) == "1"):
        pass  # no date, or none they know of
    elif _is_filler(turn):
        _not_understood(turn)
        return
    elif state.deadline_retries < 1:
        state.deadline_retries += 1
        turn.say(turn.t.gettext("Sorry, I couldn't read that date. Please write it like 15/01 or next Tuesday, "
                                "or reply NO."))
        turn.missed = True
        state.misses += 1
        return
    else:
        state.deadline_text = turn.event.text[:MAX_SHORT_ANSWER_CHARS]  # keep their words for the adviser
        turn.say(turn.t.gettext("Thanks. I will pass on what you said about the date."))
    _advance(turn)


def _yes_no_step(field_name: str) -> Callable[[_Turn], None]:
    """A step that stores a yes/no answer in ``state.<field_name>`` and moves on."""

    def on_answer(turn: _Turn) -> None:
        answer = _answer(turn)
        if answer is None:
            _not_understood(turn)
            return
        setattr(turn.state, field_name, answer == "yes")
        _advance(turn)

    return on_answer


_on_court_papers = _yes_no_step("court_papers")


def _on_postcode(turn: _Turn) -> None:
    state = turn.state
    place = resolve_place(turn.event.text)
    if place is None:
        if state.place_retries < 1:
            state.place_retries += 1
            turn.say(turn.t.gettext("Sorry, I couldn't find that place. Please send your postcode, like LU1 2AB, "
                                    "or the name of your town."))
            return
        turn.say(turn.t.gettext("Sorry, I still couldn't find that place. I will look for services that help "
                                "anyone, wherever they live."))
    else:
        _set_place(turn, place)
    _advance(turn)


def _set_place(turn: _Turn, place: Place) -> None:
    state = turn.state
    state.postcode = place.postcode
    state.area = place.local_authority if place.covered else None
    state.place_label = place.label
    state.place_districts = list(place.districts)
    state.place_nation = place.nation
    state.outside_area = not place.covered
    if not place.covered:
        turn.say(turn.t.gettext("Sorry, we don't cover %(place)s yet: we work in Luton, Bristol and Suffolk. "
                                "I will look for services that cover where you live.") % {"place": place.label})


def _channel_method(channel: str) -> str:
    """The way to reach a client by default: the channel they write on (a number for SMS, the chat for Telegram)."""
    return "telegram" if channel == "telegram" else "sms"


def _on_contact_method(turn: _Turn) -> None:
    """One question: how we reach them (default: this channel), safe to leave a message, and their needs.

    "1"/"2" or yes/no answer the safety question; "3" or words ("call me after 5", "email") change the
    way; needs ("I need a Sylheti interpreter", "large print") and times ("after 5") are kept. Something
    taken without a yes or no moves on to the plain safety question; nothing at all is not understood.
    """
    state, text = turn.state, turn.event.text
    current = state.contact_method or _channel_method(turn.env.channel)
    number = normalise(text)
    facts = read_facts(text, state.language, turn.env.today, first=False)
    answer: str | None = {"1": "yes", "2": "no"}.get(number) or read_answer(text, state.language)
    method = facts.contact_method
    if number == "3":
        method = "sms" if current == "phone" else "phone"
        answer = None
    took = bool(method or facts.contact_times or facts.needs or facts.interpreter_language)
    if answer is None and not took:
        _not_understood(turn)
        return
    state.contact_method = method or current
    if facts.contact_times:
        state.safe_times = facts.contact_times
    _take_needs(state, facts)
    if answer is not None:
        state.safe_to_message = answer == "yes"
    _done(state, Step.NEEDS)
    _advance(turn)


def _on_contact_detail(turn: _Turn) -> None:
    state = turn.state
    detail = prompts.clean_contact_detail(turn.event.text, state.contact_method or "")
    if detail is None:
        _not_understood(turn)
        return
    state.contact_detail = detail
    _advance(turn)


def _on_needs(turn: _Turn) -> None:
    state = turn.state
    picked = pick_many(turn.event.text, _choice_names(turn.t, prompts.NEEDS_OPTIONS)) or pick_words(
        turn.event.text, menu_names("needs", state.language), state.language)
    if not picked and _answer(turn) != "no":
        _not_understood(turn)
        return
    for need in picked:
        if need not in state.needs:
            state.needs.append(need)
    _advance(turn)


_on_safe_message = _yes_no_step("safe_to_message")


def _on_safe_times(turn: _Turn) -> None:
    turn.state.safe_times = turn.event.text[:MAX_SHORT_ANSWER_CHARS]
    _advance(turn)


def _on_crisis_safe(turn: _Turn) -> None:
    state = turn.state
    answer = _answer(turn)
    if answer is None:
        _not_understood(turn)
        return
    state.safe_to_text = answer == "yes"
    if answer == "no":
        state.safe_to_message = False
        turn.say(turn.t.gettext("OK. We will only reply when you message us. You can delete these messages. "
                                "If you are in danger, call 999."))
    state.step, state.return_step = state.return_step or Step.DESCRIBE, None
    if state.step in (Step.START, Step.LANGUAGE) and state.language_chosen:
        state.step = Step.DESCRIBE
    if answer == "yes":
        _ask(turn)  # not safe: nothing more until the client writes again, then we carry on from here


def _asking(state: State) -> list[Offer]:
    """The organisations the consent question names: every referral offer not yet answered, in order."""
    return [o for o in state.offers if o.referral and o.consent is None]


def _on_consent(turn: _Turn) -> None:
    """One answer for every organisation named: all, some ("1 only") or none; one consent row each.

    With one organisation it is a plain yes/no. With several, ``bot.choices.read_consent`` decides,
    and anything unclear (a negation beside a number, a number not on the list) is asked again.
    """
    state, t = turn.state, turn.t
    asking = _asking(state)
    if not asking:
        _next_offer(turn)
        return
    if len(asking) == 1:
        answer = _answer(turn)
        granted = None if answer is None else frozenset({0}) if answer == "yes" else frozenset()
        wording = prompts.consent_question(t, asking[0])
    else:
        granted = read_consent(turn.event.text, state.language, len(asking))
        wording = prompts.consent_many_question(t, asking)
    if granted is None:
        _not_understood(turn)
        return
    for index, offer in enumerate(asking):
        offer.consent = index in granted
        offer.consent_id = turn.env.new_id()
        turn.effects.append(RecordConsent(
            consent_id=offer.consent_id, organization_id=offer.organization_id, granted=offer.consent,
            wording_version=turn.env.consent_version, wording_text=wording,
            language=state.language, at=turn.env.now,
        ))
        if not offer.consent:
            for category, service_id in zip(offer.categories, offer.service_ids, strict=True):
                turn.effects.append(RecordSignpost(category, service_id, "consent_refused", state.area,
                                                   state.language))
            turn.say(prompts.consent_refused_text(t, offer))
    state.offer_index = len(state.offers) - 1
    _next_offer(turn)


def _looks_like_a_name(text: str, language: str) -> bool:
    """Not an answer word ("yes", "no", "1"), a command ("help"), a question ("what?") or no letters at all."""
    return (any(ch.isalpha() for ch in text) and not text.rstrip().endswith(("?", "？", "؟"))
            and read_answer(text, language) is None and command_in(text) is None)


def _on_name(turn: _Turn) -> None:
    state = turn.state
    if state.profile_name and _answer(turn) == "yes":  # Telegram: the name on their profile, confirmed
        state.name = state.profile_name
        _send_referrals(turn)
        return
    name = extract_name(turn.event.text, state.language)[:MAX_CLIENT_NAME_CHARS]
    if not _looks_like_a_name(name, state.language):
        _not_understood(turn)  # asks for the name again: "yes" would reach the adviser as the client's name
        return
    state.name = name
    _send_referrals(turn)


def _on_done(turn: _Turn) -> None:
    if turn.event.nlu.categories:  # a new problem after the last one was sent: start a new journey with it
        _restart(turn)
        _take_description(turn, turn.event.text, turn.event.nlu)
        return
    if turn.state.misses >= MISSES_BEFORE_SIMPLE and normalise(turn.event.text) == "1":
        _restart(turn)
        _ask(turn)
        return
    _missed(turn)  # the closing line again; a second time with "1 start again, 0 talk to a person"


def _offer_callback(turn: _Turn) -> None:
    """ "0 = talk to a person": ask before anything goes to the network's general queue."""
    state = turn.state
    state.before_callback = state.step
    state.step = Step.CALLBACK_CONSENT
    _ask(turn)


def _on_callback_consent(turn: _Turn) -> None:
    """Record the answer like a referral's consent; on yes, a callback request in the network's queue."""
    state, env, t = turn.state, turn.env, turn.t
    answer = _answer(turn)
    if answer is None:
        _not_understood(turn)
        return
    consent_id = env.new_id()
    turn.effects.append(RecordConsent(
        consent_id=consent_id, organization_id=env.network_queue, granted=answer == "yes",
        wording_version=env.consent_version, wording_text=prompts.callback_question(t),
        language=state.language, at=env.now,
    ))
    back, state.before_callback = state.before_callback or Step.DESCRIBE, None
    if answer == "no":
        state.step = Step(back)
        turn.say(t.gettext("OK, I won't send anything."))
        _ask(turn)
        return
    referral_id = env.new_id()
    reference = "FD-" + referral_id.replace("-", "")[:8].upper()
    state.referral_refs.append(reference)
    state.callback = True
    turn.effects.append(CreateReferral(
        referral_id=referral_id, reference=reference, consent_id=consent_id,
        organization_id=env.network_queue, service_id=env.network_queue,
        categories=tuple(state.categories) or ("other",), summary=state.description, client_name=state.name,
        language=state.language, deadline=state.deadline_date, deadline_text=state.deadline_text,
        urgent=state.urgent, crisis=state.crisis, communication_needs=_communication_needs(state),
        routing={"callback": True, "asked_at": back, "tenure": state.tenure, "court_papers": state.court_papers},
        postcode=state.postcode, area=state.area,
    ))
    turn.say(t.gettext("Thank you. Someone from the advice network will contact you soon. Your reference is "
                       "%(reference)s.") % {"reference": reference})
    state.step = Step.DONE


def _on_confirm_delete(turn: _Turn) -> None:
    state = turn.state
    answer = _answer(turn)
    if answer == "yes":
        language = state.language
        turn.effects.append(DeleteClientData())
        turn.state = State(language=language)
        turn.say(turn.t.gettext("Everything you told us has been deleted. You can message us again at any time."))
        return
    if answer == "no":
        state.step, state.return_step = state.return_step or Step.DESCRIBE, None
        turn.say(turn.t.gettext("OK, nothing was deleted."))
        _ask(turn)
        return
    _not_understood(turn)


def _on_resume(turn: _Turn) -> None:
    state = turn.state
    picked = pick_one(turn.event.text, (("carry_on", (turn.t.gettext("Carry on"), "carry on", "continue")),
                                        ("restart", (turn.t.gettext("Start again"), "start again"))))
    if picked is None:
        words = pick_words(turn.event.text, menu_names("resume", state.language), state.language)
        picked = words[0] if len(words) == 1 else None
    if picked is None:
        picked = {"yes": "carry_on", "no": "restart"}.get(_answer(turn) or "")
    if picked == "carry_on":
        state.step, state.return_step = state.return_step or Step.DESCRIBE, None
        _ask(turn)
    elif picked == "restart":
        _restart(turn)
        _ask(turn)
    else:
        _not_understood(turn)


def _choice_names(t: Translator, table: tuple[tuple[str, str], ...]) -> list[tuple[str, tuple[str, ...]]]:
    return [(value, (t.gettext(label), label, *prompts.ALIASES.get(value, ()))) for value, label in table]


# ---------------------------------------------------------------------------
# Moving on: the next question, matching, consent, referral


def _advance(turn: _Turn) -> None:
    """Mark the current step answered and ask the next question the referral needs."""
    state = turn.state
    if state.step not in state.done_steps:
        state.done_steps.append(state.step)
    for step in _FLOW:
        if step not in state.done_steps and _applies(step, state, turn.env.channel):
            state.step = step
            _ask(turn)
            return
    _match(turn)


def _applies(step: str, state: State, channel: str) -> bool:
    if step == Step.TENURE:
        return "housing" in state.categories
    if step == Step.DEADLINE_CONFIRM:
        return state.deadline is not None
    if step == Step.DEADLINE_ASK:
        return Step.DEADLINE_CONFIRM not in state.done_steps or state.deadline is None
    if step == Step.COURT_PAPERS:
        return bool(COURT_CATEGORIES.intersection(state.categories)) and state.court_papers is None
    if step == Step.CONTACT_DETAIL:
        return prompts.needs_contact_detail(state.contact_method, state.contact_detail, channel)
    if step == Step.SAFE_MESSAGE:
        return state.safe_to_message is None
    if step == Step.SAFE_TIMES:
        return not state.safe_times and (state.safe_to_message is False or "domestic_abuse" in state.categories)
    return True


def _match(turn: _Turn) -> None:
    """Route each issue to its best service; tell the client honestly what we found."""
    state, env, t = turn.state, turn.env, turn.t
    place = _place(state)
    by_org: dict[tuple[str, bool], Offer] = {}
    interpreter = "interpreter" in state.needs or state.other_language is not None
    for category in state.categories:
        matches = env.directory.match(MatchRequest(category, place, state.language, interpreter, state.urgent))
        if not matches:
            reason = "outside_area" if state.outside_area else "unknown_area" if place is None else "no_service"
            turn.effects.append(RecordUnmetNeed(category, state.area, state.language, reason))
            turn.say(prompts.unmet_text(t, category))
            continue
        best = _best(matches)
        if best.service.accepts_referrals and not best.has_capacity:
            turn.effects.append(RecordUnmetNeed(category, state.area, state.language, "no_capacity"))
        _add_to_offer(by_org, best, category, state.language)
    state.offers = list(by_org.values())
    for offer in state.offers:
        if not offer.referral:
            for category, service_id in zip(offer.categories, offer.service_ids, strict=True):
                turn.effects.append(RecordSignpost(category, service_id, "wider_network", state.area, state.language))
            turn.say(prompts.signpost_text(t, offer))
    state.offer_index = -1
    _next_offer(turn)


def _place(state: State) -> Place | None:
    districts = tuple(state.place_districts)
    nation = state.place_nation or (nation_of(districts[0]) if districts else None)
    if state.outside_area:
        return Place(districts, "", None, state.place_label or "", state.postcode, nation)
    if not state.area:
        return None
    return Place(districts, state.area, None, state.place_label or state.area, state.postcode, nation)


def _outcome(state: State) -> str:
    """What actually happened, for the closing line: callback, referred, signposted or nothing."""
    if state.callback:
        return "callback"
    if state.referral_refs:
        return "referred"
    if state.offers:
        return "signposted"
    return "nothing"


def _best(matches: list[Match]) -> Match:
    return matches[0]


def _add_to_offer(by_org: dict[tuple[str, bool], Offer], match: Match, category: str, language: str) -> None:
    service = match.service
    key = (service.organization_id, match.is_referral)
    offer = by_org.get(key)
    if offer is None:
        fees, fees_translated = service.text_in(language, "fees_description")
        offer = by_org[key] = Offer(
            organization_id=service.organization_id, organization_name=service.organization_name,
            service_ids=[], categories=[], referral=match.is_referral, free=service.free,
            fees=fees, response_days=service.response_days, reasons=[],
            phone=service.phone, url=service.url, fees_in_english=not fees_translated,
        )
    offer.service_ids.append(service.id)
    offer.service_names.append(service.text_in(language, "name")[0])
    offer.categories.append(category)
    offer.free = offer.free and service.free
    if service.response_days is not None:
        offer.response_days = max(offer.response_days or 0, service.response_days)
    for reason in match.reasons:
        pair = [reason.code, reason.value]
        if pair not in offer.reasons:
            offer.reasons.append(pair)


def _next_offer(turn: _Turn) -> None:
    state = turn.state
    for index in range(state.offer_index + 1, len(state.offers)):
        if state.offers[index].referral:
            state.offer_index = index
            state.step = Step.CONSENT
            _ask(turn)
            return
    if any(o.referral and o.consent for o in state.offers):
        if state.name:  # they told us in their first message and confirmed it
            _send_referrals(turn)
            return
        state.step = Step.NAME
        _ask(turn)
        return
    state.step = Step.DONE
    turn.say(prompts.closing_text(turn.t, _outcome(state)))


def _send_referrals(turn: _Turn) -> None:
    """Write one referral per consented service; tell the client who will contact them."""
    state, env, t = turn.state, turn.env, turn.t
    needs = _communication_needs(state)
    routing = {"tenure": state.tenure, "court_papers": state.court_papers}
    for offer in state.offers:
        if not (offer.referral and offer.consent and offer.consent_id):
            continue
        for category, service_id in zip(offer.categories, offer.service_ids, strict=True):
            referral_id = env.new_id()
            reference = "FD-" + referral_id.replace("-", "")[:8].upper()
            state.referral_refs.append(reference)
            turn.effects.append(CreateReferral(
                referral_id=referral_id, reference=reference, consent_id=offer.consent_id,
                organization_id=offer.organization_id, service_id=service_id, categories=(category,),
                summary=state.description, client_name=state.name, language=state.language,
                deadline=state.deadline_date, deadline_text=state.deadline_text, urgent=state.urgent,
                crisis=state.crisis, communication_needs=needs, routing=routing,
                postcode=state.postcode, area=state.area,
            ))
    sent = [o for o in state.offers if o.referral and o.consent and o.consent_id]
    refs = state.referral_refs
    done = prompts.referrals_sent_text(t, sent, state.name, state.deadline_date)
    turn.say(done + "\n" + t.ngettext("Your reference is %(references)s. Reply HELP any time.",
                                      "Your references are %(references)s. Reply HELP any time.", len(refs))
             % {"references": t.join(refs)})
    state.step = Step.DONE


def _communication_needs(state: State) -> dict[str, object]:
    return {
        "language": state.language,
        "other_language": state.other_language,
        "interpreter": "interpreter" in state.needs or state.other_language is not None,
        "needs": list(state.needs),
        "contact_method": state.contact_method,
        "contact_detail": state.contact_detail,
        "safe_to_message": state.safe_to_message,
        "safe_to_text": state.safe_to_text,
        "safe_times": state.safe_times,
        "interpreter_language": state.interpreter_language,
    }


_STEP_HANDLERS: dict[str, Callable[[_Turn], None]] = {
    Step.START: _on_start,
    Step.LANGUAGE: _on_language,
    Step.OTHER_LANGUAGE: _on_other_language,
    Step.DESCRIBE: _on_describe,
    Step.CONFIRM_ISSUES: _on_confirm_issues,
    Step.CHOOSE_CATEGORIES: _on_choose_categories,
    Step.TENURE: _on_tenure,
    Step.DEADLINE_CONFIRM: _on_deadline_confirm,
    Step.DEADLINE_ASK: _on_deadline_ask,
    Step.COURT_PAPERS: _on_court_papers,
    Step.POSTCODE: _on_postcode,
    Step.CONTACT_METHOD: _on_contact_method,
    Step.CONTACT_DETAIL: _on_contact_detail,
    Step.NEEDS: _on_needs,
    Step.SAFE_MESSAGE: _on_safe_message,
    Step.SAFE_TIMES: _on_safe_times,
    Step.CONSENT: _on_consent,
    Step.NAME: _on_name,
    Step.DONE: _on_done,
    Step.CRISIS_SAFE: _on_crisis_safe,
    Step.CONFIRM_DELETE: _on_confirm_delete,
    Step.RESUME: _on_resume,
    Step.CALLBACK_CONSENT: _on_callback_consent,
}
