"""`make eval`'s bookkeeping: ablation configs, the comparison table and the summary line."""

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tools import compare_nlu
from tools.evaluate_nlu import Score

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def reports(tmp_path, monkeypatch):
    monkeypatch.setattr(compare_nlu, "REPORTS", tmp_path)
    return tmp_path


def test_ablations_take_out_exactly_one_idea(reports):
    base = YAML(typ="safe").load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    no_char = YAML(typ="safe").load(compare_nlu._variant(ROOT / "config.yml", "no_char_ngrams").read_text())
    assert len(no_char["pipeline"]) == len(base) - 1
    assert all(c.get("analyzer") != "char_wb" for c in no_char["pipeline"])
    no_compounds = YAML(typ="safe").load(compare_nlu._variant(ROOT / "config.yml", "no_compounds").read_text())
    assert no_compounds["pipeline"][0]["compounds"] is False and len(no_compounds["pipeline"]) == len(base)
    diet_intents = YAML(typ="safe").load(compare_nlu._variant(ROOT / "config.yml", "diet_intents").read_text())
    names = [c["name"] for c in diet_intents["pipeline"]]
    assert len(names) == len(base) - 1 and not any(n.endswith("LinearIntentClassifier") for n in names)
    diet = next(c for c in diet_intents["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["intent_classification"] is True
    no_syllables = YAML(typ="safe").load(compare_nlu._variant(ROOT / "config.yml", "no_syllables").read_text())
    names = [c["name"] for c in no_syllables["pipeline"]]
    assert len(names) == len(base) - 1 and not any("Syllable" in n for n in names)
    assert any(c.get("analyzer") == "char_wb" for c in no_syllables["pipeline"])
    with pytest.raises(ValueError):
        compare_nlu._variant(ROOT / "config.yml", "nonsense")


def test_seeded_config_changes_only_diet_seed(reports):
    base = YAML(typ="safe").load((ROOT / "config.yml").read_text(encoding="utf-8"))
    seeded = YAML(typ="safe").load(compare_nlu._seeded(ROOT / "config.yml", 7).read_text())
    diet = [c for c in seeded["pipeline"] if compare_nlu.is_diet(c)]
    assert diet and all(c["random_seed"] == 7 for c in diet)
    for component in seeded["pipeline"]:
        component.pop("random_seed", None)
    for component in base["pipeline"]:
        component.pop("random_seed", None)
    assert seeded == base


def _scores(acc_plain: float) -> dict:
    def s(correct: int) -> Score:
        return Score(total=100, intent_correct=correct, procedure_total=10, procedure_correct=9,
                     pairs=[("a", "a")] * correct + [("a", "b")] * (100 - correct))

    return {"accented": s(95), "plain": s(int(acc_plain * 100)), "shorthand": s(90), "overall": s(93)}


def test_comparison_says_who_is_ahead_and_by_how_much():
    rows = compare_nlu.comparison(_scores(0.97), _scores(0.80))
    plain = next(r for r in rows if r.startswith("| plain"))
    assert "97.0 % / 80.0 %" in plain and "yes, +17.0 pts" in plain
    assert "level" in next(r for r in rows if r.startswith("| accented"))


def test_summary_line_is_last_and_complete():
    line = compare_nlu.summary(_scores(0.97), _scores(0.80), 195.4)
    assert line.startswith("eval: intent_acc=93.0 accented=95.0 plain=97.0 shorthand=90.0")
    assert line.endswith("default_intent_acc=93.0 plain_ahead_pts=+17.0 train_s=195")


def test_summary_line_reports_the_hand_written_only_comparison():
    line = compare_nlu.summary(_scores(0.97), _scores(0.80), 195.4, _scores(0.95), _scores(0.85))
    assert ("handwritten_only_intent_acc=93.0 handwritten_only_default=93.0 "
            "handwritten_only_plain_ahead_pts=+10.0 train_s=195") in line


def test_hand_written_copy_leaves_generated_variants_out(reports, tmp_path):
    source = tmp_path / "nlu"
    (source / "generated").mkdir(parents=True)
    (source / "nlu.yml").write_text("nlu: []\n", encoding="utf-8")
    (source / "generated" / "augmented.yml").write_text("nlu: []\n", encoding="utf-8")
    copied = compare_nlu.handwritten_nlu(source)
    assert [p.name for p in copied.rglob("*.yml")] == ["nlu.yml"]
