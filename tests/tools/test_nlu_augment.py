from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from knowledge.shorthand import load_shorthand
from knowledge.vntext import has_diacritics
from tools.nlu_augment import Augmenter, augment, render


@pytest.fixture(scope="module")
def augmenter():
    return Augmenter(load_shorthand())


def test_variants_keep_entity_annotations(augmenter):
    variants = augmenter.variants("Làm [căn cước công dân](procedure) mất bao lâu vậy?")
    assert len(variants) == 2
    plain, short = variants
    assert not has_diacritics(plain)
    assert "[can cuoc cong dan](procedure)" in plain.lower()
    assert "](procedure)" in short


def test_variants_are_reproducible(augmenter):
    example = "cho hỏi [đăng ký tạm trú](procedure) có được làm online không"
    assert augmenter.variants(example) == augmenter.variants(example)


def test_shorthand_variant_uses_the_table(augmenter):
    found = set()
    for i in range(30):
        found.update(augmenter.variants(f"lệ phí [lý lịch tư pháp](procedure) là bao nhiêu {i}")[1].split())
    assert {"bn", "[lltp](procedure)"} & found


def test_generated_file_is_valid_rasa_and_has_no_duplicates(tmp_path: Path):
    source = tmp_path / "nlu.yml"
    source.write_text(
        'version: "3.1"\nnlu:\n- intent: ask_fee\n  examples: |\n'
        "    - lệ phí [hộ chiếu](procedure) bao nhiêu\n    - le phi ho chieu bao nhieu\n",
        encoding="utf-8",
    )
    generated = augment([source], load_shorthand())
    data = RasaYAMLReader().reads(render(generated))
    texts = [m.get("text") for m in data.training_examples]
    assert "le phi ho chieu bao nhieu" not in texts  # already written by hand
    assert len(texts) == len(set(texts))
    assert all(m.get("intent") == "ask_fee" for m in data.training_examples)
