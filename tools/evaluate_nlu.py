"""Held-out NLU scores, reported separately for each kind of text.

Citizens type with diacritics, without them, and in chat shorthand; a single
overall figure would hide the kind that fails. Each held-out example carries
``metadata.kind`` (accented, plain, shorthand) and, where one is named,
``metadata.procedure`` and a ``[span](procedure)`` annotation. Scores:

- intent accuracy and macro-F1 (over the intents in the held-out set);
- entity F1 for ``procedure`` spans (exact text, diacritics and case folded);
- procedure top-1, resolved the way the bot really resolves it: the NLU entity
  first, then the whole message, through the knowledge-base search; no
  procedure or a question back counts as a miss.

Usage: python -m tools.evaluate_nlu --model models/tro-ly.tar.gz tests/nlu/heldout*.yml
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from ruamel.yaml import YAML

from knowledge.base import KnowledgeBase
from knowledge.search import resolve
from knowledge.vntext import name_key

_ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")
KINDS = ("accented", "plain", "shorthand")
HELDOUT_FILES = ("tests/nlu/heldout.yml", "tests/nlu/heldout_independent.yml")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    kind: str
    procedure: str | None
    entities: Tuple[Tuple[str, str], ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Prediction:
    example: Example
    intent: str | None
    entities: Tuple[Tuple[str, str], ...]
    procedure: str | None


@dataclass
class Score:
    """Counts for one kind of text."""

    total: int = 0
    intent_correct: int = 0
    procedure_total: int = 0
    procedure_correct: int = 0
    entity_true_positive: int = 0
    entity_predicted: int = 0
    entity_expected: int = 0
    pairs: List[Tuple[str, str]] = field(default_factory=list)  # (expected, predicted) intents
    errors: List[str] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_correct / self.total if self.total else 0.0

    @property
    def procedure_accuracy(self) -> float:
        return self.procedure_correct / self.procedure_total if self.procedure_total else 0.0

    @property
    def entity_f1(self) -> float:
        if not self.entity_predicted or not self.entity_expected:
            return 0.0
        precision = self.entity_true_positive / self.entity_predicted
        recall = self.entity_true_positive / self.entity_expected
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def intent_macro_f1(self) -> float:
        return macro_f1(self.pairs)


def macro_f1(pairs: Sequence[Tuple[str, str | None]]) -> float:
    """Unweighted mean F1 over the expected labels (a label never expected is not averaged)."""
    labels = sorted({expected for expected, _ in pairs})
    if not labels:
        return 0.0
    total = 0.0
    for label in labels:
        tp = sum(1 for e, p in pairs if e == label and p == label)
        predicted = sum(1 for _, p in pairs if p == label)
        expected = sum(1 for e, _ in pairs if e == label)
        total += 2 * tp / (predicted + expected) if predicted + expected else 0.0
    return total / len(labels)


def load_examples(path: Path) -> List[Example]:
    """Read held-out examples with their kind, procedure and entity spans."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    examples = []
    for block in data.get("nlu", []):
        for item in block.get("examples") or []:
            meta = item.get("metadata") or {}
            raw = str(item["text"]).strip()
            entities = tuple((name, name_key(span)) for span, name in _ANNOTATION.findall(raw))
            examples.append(Example(_ANNOTATION.sub(r"\1", raw), block["intent"], meta.get("kind", "accented"),
                                    meta.get("procedure"), entities, path.name))
    return examples


def load_all(paths: Sequence[Path]) -> List[Example]:
    return [e for path in paths for e in load_examples(path)]


def predicted_procedure(kb: KnowledgeBase, text: str, entities: Sequence[str]) -> str | None:
    """The procedure the bot would pick without asking back, if any."""
    for query in [*entities, text]:
        found = resolve(kb.search(query))
        if found.confident:
            return found.confident.procedure_id
    return None


async def predict(model: Path, examples: Sequence[Example], kb: KnowledgeBase) -> List[Prediction]:
    """Parse every example with a trained model (NLU-only or full)."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # not one debug line per parsed message
    agent = Agent.load(str(model))
    out = []
    for ex in examples:
        parsed = await agent.parse_message(ex.text)
        entities = [(e.get("entity", ""), str(e.get("value", ""))) for e in parsed.get("entities", [])]
        procedure_texts = [value for name, value in entities if name == "procedure"]
        out.append(Prediction(
            ex, (parsed.get("intent") or {}).get("name"),
            tuple((name, name_key(value)) for name, value in entities if name == "procedure"),
            predicted_procedure(kb, ex.text, procedure_texts) if ex.procedure else None,
        ))
    return out


def score(predictions: Sequence[Prediction]) -> Dict[str, Score]:
    """Scores per kind of text and overall."""
    scores: Dict[str, Score] = defaultdict(Score)
    for pred in predictions:
        ex = pred.example
        for key in (ex.kind, "overall"):
            s = scores[key]
            s.total += 1
            s.pairs.append((ex.intent, pred.intent or "none"))
            if pred.intent == ex.intent:
                s.intent_correct += 1
            elif key != "overall":
                s.errors.append(f"{ex.text!r}: {ex.intent} -> {pred.intent}")
            expected, got = list(ex.entities), list(pred.entities)
            s.entity_expected += len(expected)
            s.entity_predicted += len(got)
            for item in got:
                if item in expected:
                    expected.remove(item)
                    s.entity_true_positive += 1
            if ex.procedure:
                s.procedure_total += 1
                s.procedure_correct += pred.procedure == ex.procedure
    return dict(scores)


async def evaluate(model: Path, examples: Sequence[Example], kb: KnowledgeBase) -> Dict[str, Score]:
    """Parse every example with the trained model and score it per kind."""
    return score(await predict(model, examples, kb))


def report(scores: Dict[str, Score]) -> str:
    """A small table, one row per kind of text."""
    lines = [f"{'kind':<10} {'n':>4} {'intent acc':>10} {'macro-F1':>9} {'entity F1':>9} {'procedure top-1':>16}"]
    for kind in (*KINDS, "overall"):
        s = scores.get(kind)
        if s:
            lines.append(
                f"{kind:<10} {s.total:>4} {s.intent_accuracy:>10.1%} {s.intent_macro_f1:>9.3f} {s.entity_f1:>9.3f} "
                f"{s.procedure_accuracy:>10.1%} ({s.procedure_total})"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Held-out NLU scores per kind of text")
    parser.add_argument("heldout", type=Path, nargs="+")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--errors", action="store_true", help="list misclassified examples")
    args = parser.parse_args(argv)
    scores = asyncio.run(evaluate(args.model, load_all(args.heldout), KnowledgeBase()))
    if args.errors:
        for kind in KINDS:
            for line in scores.get(kind, Score()).errors:
                print(f"[{kind}] {line}")
    print(report(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
