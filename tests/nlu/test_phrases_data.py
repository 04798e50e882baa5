"""The keyword classifier answers exactly as it did before its phrase tables became data files.

``fixtures/keyword_outputs.json.gz`` was written by the classifier with the tables still in
Python (see ``keyword_outputs.py``); every training and held-out message is classified again,
with its language and with none, and must give the same categories, crisis flag, deadline,
dates, language and intent.
"""

from __future__ import annotations

from tests.nlu.keyword_outputs import load_fixture, outputs


def test_every_message_classifies_as_before_the_move() -> None:
    before = load_fixture()
    now = outputs()
    compared = [k for k in now if k in before]
    changed = [k for k in compared if now[k] != before[k]]
    assert not changed, (f"{len(changed)} of {len(compared)} messages classify differently; "
                         "`python -m tests.nlu.keyword_outputs` lists them")
    # Training data may grow after the move; the fixture must still cover nearly all of it.
    assert len(compared) >= 0.9 * len(before), (
        f"only {len(compared)} of {len(before)} fixture messages are still in the data: "
        "rewrite it with `python -m tests.nlu.keyword_outputs --write`")
    print(f"{len(compared)} messages classified identically (with their language and with none)")
