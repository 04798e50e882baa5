"""The training data keeps the rules the decoder relies on, and the coverage issue 4 asks for."""

from __future__ import annotations

from pathlib import Path

from core.categories import CATEGORY_IDS
from nlu.data_check import MIN_PER_CATEGORY_LANGUAGE, check, fold, intent_problem
from nlu.decode import DIALOGUE_INTENTS
from nlu.evaluate import HELDOUT, training_texts
from nlu.language import SUPPORTED
from nlu.metrics import load_examples


def test_intent_names_follow_the_category_order() -> None:
    assert intent_problem("debt+housing") is None
    assert intent_problem("crisis+domestic_abuse") is None
    assert intent_problem("greet") is None
    assert intent_problem("housing+debt") == "write it as debt+housing"
    assert intent_problem("debt+debt") == "a part is repeated"
    assert intent_problem("domestic-abuse") == "unknown intent part(s) domestic-abuse"


def test_the_checker_finds_bad_files(tmp_path: Path) -> None:
    (tmp_path / "nlu_pt_x.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: housing+debt\n  examples: |\n    - devo a renda\n'
        "- intent: debt\n  examples: |\n    - Devo  a renda\n", encoding="utf-8")
    (tmp_path / "nlu_xx.yml").write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    (tmp_path / "nlu_en.yml").write_text("nlu: [unclosed\n", encoding="utf-8")
    problems = check(tmp_path).problems
    assert "nlu_pt_x.yml:5: intent housing+debt: write it as debt+housing" in problems
    assert "nlu_pt_x.yml:8: repeats nlu_pt_x.yml:5" in problems
    assert any(p.startswith("nlu_xx.yml: name it") for p in problems)
    assert any(p.startswith("nlu_en.yml: not valid YAML") for p in problems)
    assert "debt in pt: 2 examples, at least 20 needed" in problems


def test_the_shipped_training_data_is_clean_and_covers_every_category_in_every_language() -> None:
    report = check()
    assert report.problems == []
    counts = report.per_category()
    assert min(counts.values()) >= MIN_PER_CATEGORY_LANGUAGE
    assert len(report.examples) >= 5000


def test_no_heldout_message_is_in_the_training_data() -> None:
    trained = training_texts()
    assert len(trained) >= 5000
    assert [e.id for e in load_examples(HELDOUT) if fold(e.text) in trained] == []


def test_the_heldout_splits_are_well_formed() -> None:
    examples = load_examples(HELDOUT)
    assert len({e.id for e in examples}) == len(examples)
    assert len({fold(e.text) for e in examples}) == len(examples)
    assert {e.language for e in examples} == set(SUPPORTED)
    for e in examples:
        assert set(e.categories) <= set(CATEGORY_IDS), e.id
        assert e.intent in (None, *DIALOGUE_INTENTS), e.id
        assert e.id.startswith(f"{e.language}-"), e.id
