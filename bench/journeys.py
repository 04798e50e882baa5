"""Scripted client journeys: how many messages a client sends, and what it costs, per completed referral.

Each journey is a script of client messages driven through the real ``ConversationService``
with the keyword classifier and the demo directory (SQLite, one fresh database for the run).
Per journey: client messages, bot SMS segments (the SMS composer's own count: GSM-7 or
UCS-2, one reply at least one segment), questions the bot asked (replies it waited on),
"didn't understand" replies, and referrals written. Targets (issue 19): median client
messages <= 8; the two-issue English journey of ``bench/engine.py`` <= 9 client messages and
<= 15 bot segments; everything said in the first message (place, date, contact, name) <= 6.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy import func, select

from bench.common import fresh_database, print_table, write_results
from bot.channels.sms import SmsComposer
from bot.service import ClientProfile, ConversationService, HandledMessage
from bot.state import Step
from core.db import make_engine, make_sessionmaker
from core.settings import Settings
from nlu.keywords import KeywordClassifier
from referrals.models import Referral

__all__ = ["JOURNEYS", "Journey", "run"]

START = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
NOT_UNDERSTOOD = ("Sorry, I didn't understand", "Please reply with a number")


@dataclass(frozen=True)
class Journey:
    name: str
    language: str
    messages: tuple[str, ...]
    referrals: int  # referrals the journey must end with (0: signposted, stopped or crisis only)
    channel: str = "sms"
    profile: ClientProfile | None = None
    pause_after: int | None = None  # a day passes after this many messages (coming back later)


JOURNEYS: tuple[Journey, ...] = (
    Journey("two issues, English (bench/engine.py)", "en", (
        "hi", "1",
        "got a letter from landlord saying get out by 15 jan. also behind on council tax and bailiffs sent a letter",
        "yes", "no", "LU2 7AB", "yes", "yes", "Anna"), 2),
    Journey("two issues, story first", "en", (
        "hi",
        "got a letter from landlord saying get out by 15 jan. also behind on council tax and bailiffs sent a letter",
        "yes", "no", "LU2 7AB", "yes", "yes", "Anna"), 2),
    Journey("everything in the first message", "en", (
        "Hi my name is Anna, I live at LU2 7AB. My landlord says I must leave by 15/12. Text me after 5 please.",
        "yes", "no", "yes", "yes"), 1),
    Journey("one issue, employment", "en", (
        "my boss hasn't paid my wages for two months", "yes", "no", "Bristol", "yes", "yes", "Tom"), 1),
    Journey("three issues", "en", (
        "hi", "1",
        "my landlord is evicting me, I'm behind on council tax and my universal credit was stopped",
        "yes", "no", "no", "LU1 1AA", "yes", "yes", "Sam"), 3),
    Journey("subset consent (1 only)", "en", (
        "landlord wants me out and I have council tax arrears", "yes", "no", "no", "LU2 7AB", "yes", "1 only",
        "Jo"), 1),
    Journey("crisis in the middle", "en", (
        "my landlord changed the locks on my flat", "yes", "no", "he hit me again and says he'll kill me", "yes",
        "no", "LU2 7AB", "yes", "yes", "Kim"), 1),
    Journey("confused, off-script answers", "en", (
        "hi", "what?", "1", "help me", "my landlord wants me out", "what do you mean", "yes", "dunno",
        "not that i know of", "somewhere", "LU2 7AB", "why", "yes", "yes", "its Dave"), 1),
    Journey("STOP and return", "en", (
        "my landlord wants me out", "STOP", "START", "yes", "no", "no", "LU2 7AB", "yes", "yes", "Lee"), 1),
    Journey("Telegram, profile name and app language", "pl", (
        "/start", "właściciel mieszkania chce mnie wyrzucić do 15 grudnia", "tak", "nie", "LU2 7AB", "tak", "tak",
        "tak"), 1, channel="telegram", profile=ClientProfile("Ola", "pl")),
    Journey("Polish, words not numbers", "pl", (
        "Dzień dobry, właściciel mieszkania chce mnie wyrzucić do 15 grudnia", "tak", "nie", "Luton",
        "tak, wolę sms po 17", "tak", "Ola"), 1),
    Journey("Ukrainian, end of the month", "uk", (
        "орендодавець каже виїхати до кінця місяця", "так", "ні", "LU2 7AB", "так", "так", "Олена"), 1),
    Journey("Bengali, Sylheti interpreter", "bn", (
        "বাড়িওয়ালা আমাকে বাড়ি থেকে বের করে দিতে চায়, আমার সিলেটি দোভাষী লাগবে", "হ্যাঁ", "না", "না", "LU2 7AB",
        "হ্যাঁ", "হ্যাঁ", "রহিম"), 1),
    Journey("Urdu, debt", "ur", (
        "مجھ پر کونسل ٹیکس کا قرض ہے اور بیلف آ رہے ہیں", "جی ہاں", "نہیں", "نہیں", "LU2 7AB", "جی ہاں", "جی ہاں",
        "علی"), 1),
    Journey("Romanian, after 5", "ro", (
        "proprietarul vrea să mă dea afară din casă", "da", "nu", "nu", "Luton", "da, sunati-ma dupa 5", "da",
        "Maria"), 1),
    Journey("Arabic, one issue", "ar", (
        "صاحب البيت يريد طردي من الشقة", "نعم", "لا", "لا", "LU2 7AB", "نعم", "نعم", "سارة"), 1),
    Journey("come back after a day", "en", (
        "my landlord wants me out", "yes", "no", "no", "hello again", "carry on", "LU2 7AB", "yes", "yes", "Pat"), 1,
        pause_after=4),
)


def _segments(handled: HandledMessage) -> int:
    return sum(draft.segments for draft in SmsComposer().compose(handled.replies))


def _not_understood(handled: HandledMessage) -> int:
    return sum(1 for reply in handled.replies if reply.text.startswith(NOT_UNDERSTOOD))


async def _drive(service: ConversationService, journey: Journey, number: int, clock: dict[str, dt.datetime],
                 factory: Any) -> dict[str, Any]:
    address = f"+44770090{number:04d}" if journey.channel == "sms" else str(7000 + number)
    segments = questions = missed = 0
    conversation_id = None
    step = ""
    for index, text in enumerate(journey.messages):
        if journey.pause_after is not None and index == journey.pause_after:
            clock["now"] += dt.timedelta(days=1)
        handled = await service.handle(journey.channel, address, text, profile=journey.profile)
        conversation_id = handled.conversation_id or conversation_id
        segments += _segments(handled)
        missed += _not_understood(handled)
        step = handled.step
        if handled.replies and step != Step.DONE:
            questions += 1
    with factory() as session:
        referrals = session.scalar(select(func.count()).select_from(Referral)
                                   .where(Referral.conversation_id == conversation_id)) or 0
    per = max(1, referrals)
    return {"journey": journey.name, "lang": journey.language, "channel": journey.channel,
            "client_msgs": len(journey.messages), "bot_segments": segments, "questions": questions,
            "not_understood": missed, "referrals": referrals,
            "msgs_per_referral": round(len(journey.messages) / per, 2),
            "questions_per_referral": round(questions / per, 2),
            "ok": referrals == journey.referrals and step == Step.DONE}


async def _run(url: str, journeys: tuple[Journey, ...]) -> list[dict[str, Any]]:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    clock = {"now": START}
    service = ConversationService(factory, KeywordClassifier(), Settings(database_url=url),
                                  clock=lambda: clock["now"])
    rows = []
    for number, journey in enumerate(journeys):
        clock["now"] = START + dt.timedelta(days=2 * number)  # a fresh week's capacity never decides the route
        rows.append(await _drive(service, journey, number, clock, factory))
    engine.dispose()
    return rows


def run(journeys: tuple[Journey, ...] = JOURNEYS) -> list[dict[str, Any]]:
    with fresh_database("sqlite") as url:
        rows = anyio.run(_run, url, journeys)
    messages = [row["client_msgs"] for row in rows]
    rows.append({"journey": "MEDIAN", "lang": "", "channel": "", "client_msgs": statistics.median(messages),
                 "bot_segments": statistics.median(r["bot_segments"] for r in rows),
                 "questions": statistics.median(r["questions"] for r in rows),
                 "not_understood": sum(r["not_understood"] for r in rows),
                 "referrals": sum(r["referrals"] for r in rows),
                 "msgs_per_referral": "", "questions_per_referral": "", "ok": all(r["ok"] for r in rows)})
    return rows


def main() -> None:
    rows = run()
    print_table("Journeys: scripted clients through the service (keyword classifier, SQLite)", rows)
    print(f"results: {write_results('journeys', rows)}")


if __name__ == "__main__":
    main()
