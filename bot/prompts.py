"""The engine's longer messages and menus, each a whole sentence in the catalog.

Every string here goes through gettext with named placeholders; lists of names
are joined with ``Translator.join`` (Babel's locale-aware lists, Welsh done right), never with "and" in code.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.emergency import EmergencyContact
from bot.i18n import Translator
from bot.replies import Option
from bot.state import Offer, State, Step
from core.categories import N_, get_category
from core.languages import get_language
from core.phones import normalise_phone

__all__ = [
    "ALIASES", "NEEDS_OPTIONS", "TENURE_OPTIONS", "WEAK_ALIASES", "callback_question", "clean_contact_detail",
    "closing_text", "confirm_issues_text", "consent_many_question", "consent_question", "consent_refused_text",
    "contact_choices", "contact_options", "contact_question", "taken_text",
    "emergency_text", "explanation", "help_text",
    "language_menu_text", "needs_contact_detail", "offer_text", "reasons_text", "referral_sent_text",
    "referrals_sent_text", "signpost_text", "unmet_text",
]

TENURE_OPTIONS: tuple[tuple[str, str], ...] = (
    ("private_rent", N_("I rent from a private landlord")),
    ("social_rent", N_("I rent from the council or a housing association")),
    ("owner", N_("I own my home")),
    ("no_home", N_("I have no home now")),
    ("other", N_("Something else")),
)

NEEDS_OPTIONS: tuple[tuple[str, str], ...] = (
    ("interpreter", N_("An interpreter")),
    ("bsl", N_("British Sign Language")),
    ("large_print", N_("Large print")),
    ("easy_read", N_("Easy read")),
    ("audio", N_("Audio")),
    ("braille", N_("Braille")),
    ("support_person", N_("Someone with me, like a friend or advocate")),
)

_CONTACT_LABELS = {
    "sms": N_("Text message"),
    "phone": N_("Phone call"),
    "telegram": N_("Telegram message"),
    "email": N_("Email"),
}

# English words a client may use for an option besides its label.
ALIASES: dict[str, tuple[str, ...]] = {
    "private_rent": ("private", "private landlord", "privately", "letting agent", "letting agency"),
    "social_rent": ("council", "housing association", "social", "social housing", "housing trust"),
    "owner": ("own", "mortgage", "owner"),
    "no_home": ("homeless", "no home", "sofa", "street"),
    "sms": ("text", "sms", "texts", "message"),
    "phone": ("phone", "call", "ring"),
    "telegram": ("telegram",),
    "email": ("email", "e-mail", "mail"),
    "interpreter": ("interpreter", "translator"),
    "bsl": ("bsl", "sign language"),
    "large_print": ("large print", "big letters"),
    "easy_read": ("easy read",),
    "audio": ("audio",),
    "braille": ("braille",),
    "support_person": ("advocate", "friend", "support"),
    "other": ("other",),
}


# Words that pick an option only when no other option's words are there: council and housing
# association tenants rent too, so "I rent from the council" is social, "I rent a flat" private.
WEAK_ALIASES: dict[str, tuple[str, ...]] = {
    "private_rent": ("rent", "renting", "rented", "tenant", "landlord", "landlady"),
}


def contact_options(channel: str) -> tuple[tuple[str, str], ...]:
    """Contact methods, the one the client is using first."""
    order = ("telegram", "phone", "sms", "email") if channel == "telegram" else ("sms", "phone", "email")
    return tuple((method, _CONTACT_LABELS[method]) for method in order)


def needs_contact_detail(method: str | None, detail: str | None, channel: str) -> bool:
    """Ask for an address only when we lack it: SMS gives us their number, Telegram only a chat."""
    if detail or method is None:
        return False
    if method == "email":
        return True
    return method in ("sms", "phone") and channel != "sms"


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def clean_contact_detail(text: str, method: str) -> str | None:
    """The email address, or the phone number as E.164 (UK by default), in ``text``; None when there is none."""
    if method == "email":
        found = _EMAIL.search(text)
        return found.group(0).strip(".,;") if found else None
    return normalise_phone(text)


def help_text(t: Translator, complaints: str) -> str:
    """What we do and the commands; the complaints line only when the deployment set a contact."""
    text = t.gettext(
        "We put you in touch with free advice services. We don't give legal advice. Reply RESTART to start "
        "again, LANGUAGE to change language, STOP to stop messages, DELETE MY DATA to delete what you told us."
    )
    if not complaints:
        return text
    complain = t.gettext("To complain: %(contact)s") % {"contact": complaints}
    return f"{text} {complain}"


def emergency_text(t: Translator, contacts: list[EmergencyContact]) -> str:
    lines = [f"{t.gettext(c.name)}: {c.number}" for c in contacts]
    return t.gettext("If you are in danger now, call 999. You can get help now:\n%(contacts)s") % {
        "contacts": "\n".join(lines)
    }


def language_menu_text(t: Translator) -> str:
    return t.gettext("Which language? Reply with a number.")


def _labels(t: Translator, categories: list[str]) -> str:
    return t.join([t.gettext(get_category(c).label) for c in categories], mutate=True)


def confirm_issues_text(t: Translator, categories: list[str], taken: str = "") -> str:
    """The issues found, and what we took from their words ("I have: ..."), confirmed with one answer."""
    if taken:
        return t.gettext("I think you need help with: %(issues)s. I have: %(facts)s. Is that right? Reply YES, "
                         "or tell me what is missing.") % {"issues": _labels(t, categories), "facts": taken}
    return t.gettext("I think you need help with: %(issues)s. Is that right? Reply YES, or tell me what is "
                     "missing.") % {"issues": _labels(t, categories)}


_TENURE_SHORT = {
    "private_rent": N_("you rent from a private landlord"),
    "social_rent": N_("you rent from the council or a housing association"),
    "owner": N_("you own your home"),
    "no_home": N_("you have no home now"),
    "other": N_("your home: something else"),
}


def taken_text(t: Translator, state: State) -> str:
    """What we took from their words, for the read-back: "LU2 7AB, must act by Friday 15 January"."""
    parts: list[str] = []
    taken = set(state.taken)
    if "place" in taken and state.place_label:
        parts.append(state.place_label)
    if "deadline" in taken and state.deadline_date is not None:
        parts.append(t.gettext("must act by %(date)s") % {"date": t.format_date(state.deadline_date)})
    if "tenure" in taken and state.tenure:
        parts.append(t.gettext(_TENURE_SHORT[state.tenure]))
    if "contact" in taken and state.contact_method:
        how = t.gettext(_CONTACT_LABELS[state.contact_method])
        parts.append(f"{how} {state.safe_times}" if state.safe_times else how)
    if "needs" in taken:
        for need in state.needs:
            if need == "interpreter" and state.interpreter_language:
                parts.append(t.gettext("an interpreter for %(language)s") % {"language": state.interpreter_language})
            else:
                parts.append(t.gettext(dict(NEEDS_OPTIONS)[need]))
    if "name" in taken and state.name:
        parts.append(t.gettext("your name is %(name)s") % {"name": state.name})
    return t.join(parts) if parts else ""


def contact_question(t: Translator, method: str, times: str | None, needs_known: bool) -> str:
    """How we reach them (the channel they use unless they said otherwise), safety, and needs: one question."""
    how = {
        "sms": N_("An adviser will text you on this number."),
        "phone": N_("An adviser will call you on this number."),
        "telegram": N_("An adviser will message you here on Telegram."),
        "email": N_("An adviser will email you."),
    }[method]
    text = t.gettext(how)
    if times:
        text = f"{text} ({times})"
    safe = t.gettext("Is it safe to leave you messages?")
    text = f"{text} {safe}"
    if not needs_known:
        needs = t.gettext("Tell me too if you need an interpreter or other help.")
        text = f"{text} {needs}"
    return text


def contact_choices(t: Translator, method: str) -> tuple[Option, ...]:
    """1 yes, 2 no, 3 the other way (a call instead of texts, or texts instead of a call)."""
    other = t.gettext("Text me instead") if method == "phone" else t.gettext("Call me instead")
    return (Option("1", t.gettext("Yes")), Option("2", t.gettext("No")), Option("3", other))


def reasons_text(t: Translator, reasons: list[list[str]]) -> str:
    """Why a service was chosen: "covers LU2; housing; speaks Polish; free"."""
    parts: list[str] = []
    for code, value in reasons:
        if code == "area":
            parts.append(t.gettext("covers %(area)s") % {"area": value})
        elif code == "category":
            parts.append(t.gettext(get_category(value).label).lower())
        elif code == "language":
            lang = get_language(value)
            parts.append(t.gettext("speaks %(language)s") % {"language": lang.own_name if lang else value})
        elif code == "interpreter":
            parts.append(t.gettext("has interpreters"))
        elif code == "free":
            parts.append(t.gettext("free"))
        elif code == "charges":
            parts.append(t.gettext("charges a fee"))
        elif code == "capacity":
            parts.append(t.gettext("has space this week"))
        elif code == "fast":
            parts.append(t.gettext("replies quickly"))
    return "; ".join(parts)


def offer_text(t: Translator, offer: Offer) -> str:
    """Who can help, with what, and why; charges are said out loud when there are any."""
    values = {
        "organization": offer.organization_name,
        "issues": _labels(t, offer.categories),
        "reasons": reasons_text(t, offer.reasons),
        "fees": offer.fees,
    }
    if offer.free:
        return t.gettext("%(organization)s can help with %(issues)s (%(reasons)s).") % values
    return _note_english(t, offer, t.gettext(
        "%(organization)s can help with %(issues)s (%(reasons)s). They may charge: %(fees)s") % values)


def _note_english(t: Translator, offer: Offer, text: str) -> str:
    """Say so when the directory's description of the charges is shown untranslated."""
    if offer.free or not offer.fees_in_english or t.language == "en":
        return text
    note = t.gettext("The details of the charges are in English.")
    return "\n".join((text, note))


def consent_question(t: Translator, offer: Offer) -> str:
    """The data-sharing question; its exact text is stored with the consent record."""
    days = offer.response_days or 5
    return t.ngettext(
        "Can I send %(organization)s your name, contact details and what you told me? They will contact you "
        "within %(days)s working day. Reply YES or NO.",
        "Can I send %(organization)s your name, contact details and what you told me? They will contact you "
        "within %(days)s working days. Reply YES or NO.",
        days,
    ) % {"organization": offer.organization_name, "days": days}


def consent_many_question(t: Translator, offers: list[Offer]) -> str:
    """One consent question naming every organisation (numbered); its exact text is stored with each consent."""
    lines = []
    for number, offer in enumerate(offers, start=1):
        days = offer.response_days or 5
        line = t.ngettext("%(number)s %(organization)s (%(issues)s), within %(days)s working day",
                          "%(number)s %(organization)s (%(issues)s), within %(days)s working days", days) % {
            "number": number, "organization": offer.organization_name, "issues": _labels(t, offer.categories),
            "days": days}
        if not offer.free:
            charge = t.gettext("They may charge: %(fees)s") % {"fees": offer.fees}
            line = f"{line}. {charge}"
        lines.append(line)
    return t.gettext("Can I send your name, contact details and what you told me to:\n%(organizations)s\nReply YES "
                     "for all, the number of each one you agree to (like 1), or NO.") % {
        "organizations": "\n".join(lines)}


def consent_refused_text(t: Translator, offer: Offer) -> str:
    return t.gettext("OK, I won't send them anything. You can contact %(organization)s yourself: %(phone)s") % {
        "organization": offer.organization_name, "phone": offer.phone or offer.url or "",
    }


def signpost_text(t: Translator, offer: Offer) -> str:
    values = {
        "organization": offer.organization_name,
        "issues": _labels(t, offer.categories),
        "phone": offer.phone or offer.url or "",
        "fees": offer.fees,
    }
    if offer.free:
        return t.gettext("%(organization)s can help with %(issues)s, free. Please contact them yourself: "
                         "%(phone)s") % values
    return _note_english(t, offer, t.gettext("%(organization)s can help with %(issues)s. Please contact them "
                                             "yourself: %(phone)s. They may charge: %(fees)s") % values)


def unmet_text(t: Translator, category: str) -> str:
    return t.gettext("I'm sorry, I couldn't find a service for %(issue)s where you live. I have noted this so "
                     "the advice network can see the need.") % {"issue": t.gettext(get_category(category).label)}


def referrals_sent_text(t: Translator, offers: list[Offer], name: str | None, deadline: dt.date | None) -> str:
    """Who has their details and by when, in one message (one SMS less than a line per organisation)."""
    if len(offers) == 1:
        return referral_sent_text(t, offers[0], name, deadline)
    items = [t.ngettext("%(organization)s within %(days)s working day", "%(organization)s within %(days)s working "
                        "days", o.response_days or 5) % {"organization": o.organization_name,
                                                          "days": o.response_days or 5} for o in offers]
    values = {"name": name or "", "list": t.join(items)}
    if deadline is not None:
        values["date"] = t.format_date(deadline)
        if name:
            return t.gettext("Done, %(name)s. They have your details and will contact you before %(date)s: "
                             "%(list)s.") % values
        return t.gettext("Done. They have your details and will contact you before %(date)s: %(list)s.") % values
    if name:
        return t.gettext("Done, %(name)s. They have your details and will contact you: %(list)s.") % values
    return t.gettext("Done. They have your details and will contact you: %(list)s.") % values


def referral_sent_text(t: Translator, offer: Offer, name: str | None, deadline: dt.date | None) -> str:
    days = offer.response_days or 5
    values = {"organization": offer.organization_name, "days": days, "name": name or ""}
    if deadline is not None:
        values["date"] = t.format_date(deadline)
        if name:
            return t.ngettext(
                "Done, %(name)s. %(organization)s has your details and will contact you within %(days)s "
                "working day, before %(date)s.",
                "Done, %(name)s. %(organization)s has your details and will contact you within %(days)s "
                "working days, before %(date)s.", days) % values
        return t.ngettext(
            "Done. %(organization)s has your details and will contact you within %(days)s working day, "
            "before %(date)s.",
            "Done. %(organization)s has your details and will contact you within %(days)s working days, "
            "before %(date)s.", days) % values
    if name:
        return t.ngettext(
            "Done, %(name)s. %(organization)s has your details and will contact you within %(days)s working day.",
            "Done, %(name)s. %(organization)s has your details and will contact you within %(days)s working days.",
            days) % values
    return t.ngettext(
        "Done. %(organization)s has your details and will contact you within %(days)s working day.",
        "Done. %(organization)s has your details and will contact you within %(days)s working days.",
        days) % values


# Why we ask each question: said when the client asks back ("what?", "why").
_EXPLANATIONS: dict[str, str] = {
    Step.LANGUAGE: N_("I need to know which language to write in. Reply with the number of your language."),
    Step.OTHER_LANGUAGE: N_("Tell me the name of your language, like Tigrinya or Farsi, so we can find an "
                            "interpreter."),
    Step.DESCRIBE: N_("Tell me what the problem is, like \"my landlord wants me out\" or \"I can't pay my "
                      "bills\". Then I can find the right service."),
    Step.CONFIRM_ISSUES: N_("I want to check I understood your problem. Reply YES if the list is right, or tell "
                            "me what is missing."),
    Step.CHOOSE_CATEGORIES: N_("Each number is a kind of problem. Pick the ones that fit, so I can find a service "
                               "that helps with them."),
    Step.TENURE: N_("Who owns your home changes which service can help you. Reply with the number that fits best."),
    Step.DEADLINE_CONFIRM: N_("If you must do something by that date, like go to court or leave your home, the "
                              "adviser will contact you sooner."),
    Step.DEADLINE_ASK: N_("Some problems have a date, like a court hearing or a day you must leave your home. We "
                          "tell the adviser, so they contact you in time. If there is no date, reply NO."),
    Step.COURT_PAPERS: N_("Papers from a court or tribunal mean an adviser may need to help you quickly. Reply YES "
                          "if you got any, or NO."),
    Step.POSTCODE: N_("Services help people in their own area. Your postcode or town tells me which services can "
                      "help you."),
    Step.CONTACT_METHOD: N_("An adviser will contact you this way. If someone else might see or hear our messages, "
                            "reply NO and we will not leave any. Reply 3 to be contacted another way."),
    Step.CONTACT_DETAIL: N_("The adviser needs a way to reach you. Send the number or address they should use."),
    Step.NEEDS: N_("Tell us if you need help to talk with an adviser or read what they send, like an interpreter "
                   "or large print. If not, reply NO."),
    Step.SAFE_MESSAGE: N_("If someone else might see or hear our messages, reply NO and we will not leave any."),
    Step.SAFE_TIMES: N_("Tell us when it is safe for an adviser to contact you, so no one else sees or hears it."),
    Step.CONSENT: N_("I need your permission before I send your details. If you say YES, they will contact you. "
                     "If you say NO, I send nothing. You can agree to some of them only, by their numbers."),
    Step.NAME: N_("The adviser needs a name to call you by. It can be just your first name."),
    Step.DONE: N_("We have finished. To get help with a new problem, reply RESTART."),
    Step.CRISIS_SAFE: N_("If someone might read these messages and that could put you in danger, reply NO. Then "
                         "we will only reply when you message us."),
    Step.CONFIRM_DELETE: N_("If you say YES, we delete what you told us and tell any organisation we sent it to. "
                            "If you say NO, nothing changes."),
    Step.RESUME: N_("You stopped in the middle. Reply 1 to carry on from there, or 2 to start again."),
    Step.CALLBACK_CONSENT: N_("If you say YES, I send your contact details and what you told me to the advice "
                              "network, and a person will contact you. If you say NO, I send nothing."),
}


def explanation(t: Translator, step: str) -> str:
    """Why we ask the question of ``step``, in plain words."""
    return t.gettext(_EXPLANATIONS.get(step, _EXPLANATIONS[Step.DESCRIBE]))


def callback_question(t: Translator) -> str:
    """The consent question for "talk to a person"; its exact text is stored with the consent record."""
    return t.gettext("Can someone from the advice network contact you? I will send them your contact details and "
                     "what you told me. Reply YES or NO.")


def closing_text(t: Translator, outcome: str) -> str:
    """The last line says what actually happened: referred, callback, signposted only, or nothing found."""
    if outcome == "referred":
        return t.gettext("Your details have been sent. To get help with something else, reply RESTART. "
                         "Reply HELP for help.")
    if outcome == "callback":
        return t.gettext("We have asked the advice network to contact you. To get help with something else, "
                         "reply RESTART. Reply HELP for help.")
    if outcome == "signposted":
        return t.gettext("I have not sent your details to anyone: please contact the services I gave you. To get "
                         "help with something else, reply RESTART. Reply HELP for help.")
    return t.gettext("I couldn't find a service for you this time, and I have not sent your details to anyone. "
                     "To start again, reply RESTART. Reply HELP for help.")
