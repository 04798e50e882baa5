"""The client's name: an answer word, a command or a question is not a name, and is asked again."""

from __future__ import annotations

from sqlalchemy import select

from bot.replies import render_plain
from bot.service import ConversationService
from core.db import make_engine, make_sessionmaker
from referrals.models import Referral

# The Luton employment journey of tests/frontdoor/web/test_staff_pages.py, up to the name question.
TO_NAME = [
    ("hi", "Which language"), ("1", "In your own words"),
    ("i was sacked from my job without notice and they havent paid my wages", "I think you need help with"),
    ("yes", "date you must act by"), ("no", "postcode"),  # work: no court papers question (engine docstring)
    ("LU2 7AB", "safe to leave you messages"), ("yes", "Can I send"), ("yes", "What name"),
]


def _say(service: ConversationService, text: str) -> str:
    handled = service.handle_sync("sms", "+447700900777", text)
    return "\n".join(render_plain(r) for r in handled.replies)


def test_answer_words_commands_and_questions_are_asked_again(service: ConversationService, db_url: str) -> None:
    for message, expected in TO_NAME:
        assert expected in _say(service, message)
    for not_a_name in ("yes", "no", "1", "what?", "OK", "  ", "42"):
        reply = _say(service, not_a_name)
        assert "What name" in reply and "Your reference" not in reply, not_a_name
    reply = _say(service, "help")
    assert "Your reference" not in reply
    reply = _say(service, "Sam O'Neill")
    assert "Your reference is FD-" in reply
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        names = list(session.scalars(select(Referral.client_name)))
    engine.dispose()
    assert names == ["Sam O'Neill"]
