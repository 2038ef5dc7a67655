"""DIET as entity extractor: never classifies intents, and survives data with no entities."""

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.entity_extractor import DIETEntityExtractor

ROOT = Path(__file__).resolve().parents[3]

# An intent data set as published ones are: labelled sentences, no entity spans.
INTENTS_ONLY = """version: "3.1"
nlu:
- intent: hoi_gia
  examples: |
    - giá vé máy bay đi Đà Nẵng bao nhiêu
    - vé đi Huế giá bn
    - cho hỏi giá vé tàu ra Hà Nội
    - gia ve xe khach di Vinh bao nhieu
    - vé máy bay Sài Gòn Hà Nội hết bao nhiêu tiền
    - giá vé khứ hồi đi Phú Quốc
- intent: dat_ve
  examples: |
    - tôi muốn đặt vé đi Đà Nẵng
    - đặt giúp mình 2 vé ra Hà Nội
    - cho mình mua vé tàu đi Huế
    - dat ve may bay di Vinh ngay mai
    - book vé đi Phú Quốc cuối tuần
    - mình cần đặt vé xe khách về quê
- intent: huy_ve
  examples: |
    - tôi muốn hủy vé đã đặt
    - huỷ giúp mình vé đi Huế
    - hủy vé máy bay có mất phí không
    - huy ve tau ngay mai
    - bỏ vé đi Đà Nẵng được không
    - mình không đi nữa, hủy vé giúp
"""


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def test_intent_classification_stays_off_whatever_the_config_says(tmp_path):
    config = {**DIETEntityExtractor.get_default_config(), "intent_classification": True}
    extractor = DIETEntityExtractor.create(config, LocalModelStorage(tmp_path), Resource("diet"), _context())
    assert extractor.component_config["intent_classification"] is False


def test_without_entity_annotations_it_does_not_train_and_leaves_messages_alone(tmp_path):
    extractor = DIETEntityExtractor.create(DIETEntityExtractor.get_default_config(), LocalModelStorage(tmp_path),
                                           Resource("diet"), _context())
    extractor.train(RasaYAMLReader().reads(INTENTS_ONLY))
    assert extractor.model is None
    message = Message({TEXT: "giá vé đi Huế", ENTITIES: [{"entity": "city", "value": "Huế", "start": 10, "end": 13}]})
    extractor.process([message])
    assert message.get(ENTITIES)[0]["value"] == "Huế"  # another extractor's work is kept


@pytest.mark.slow
def test_our_pipeline_trains_and_classifies_on_an_intents_only_data_set(tmp_path):
    """config.yml as it is (few epochs) on a data set with no entities at all."""
    from ruamel.yaml import YAML

    from deploy.stack import rasa_env
    from tools.compare_nlu import is_diet

    yaml = YAML()
    config = yaml.load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if is_diet(component):
            component["epochs"] = 2
    with open(tmp_path / "config.yml", "w", encoding="utf-8") as out:
        yaml.dump(config, out)
    (tmp_path / "nlu.yml").write_text(INTENTS_ONLY, encoding="utf-8")
    subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "train", "nlu", "--config", str(tmp_path / "config.yml"),
         "--nlu", str(tmp_path / "nlu.yml"), "--out", str(tmp_path), "--fixed-model-name", "intents-only"],
        cwd=ROOT, env=rasa_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    from rasa.core.agent import Agent

    agent = Agent.load(str(tmp_path / "intents-only.tar.gz"))
    parsed = [asyncio.run(agent.parse_message(text))
              for text in ("vé đi Đà Nẵng giá bao nhiêu", "huy giup minh ve tau", "dat ve di Hue")]
    assert [p[INTENT]["name"] for p in parsed] == ["hoi_gia", "huy_ve", "dat_ve"]
    assert all(p[ENTITIES] == [] for p in parsed)
