"""Held-out NLU accuracy, reported separately for each kind of text.

Citizens type with diacritics, without them, and in chat shorthand; a single
overall figure would hide the kind that fails. The held-out file marks each
example with ``metadata.kind`` (accented, plain, shorthand) and, where one is
named, ``metadata.procedure``; procedure resolution is scored the way the bot
really resolves it (NLU entity, then knowledge-base search).

Usage: python -m bot.evaluate_nlu --model models/tro-ly.tar.gz tests/nlu/heldout.yml
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence

from ruamel.yaml import YAML

from knowledge.base import KnowledgeBase
from knowledge.search import resolve

_ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")
KINDS = ("accented", "plain", "shorthand")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    kind: str
    procedure: str | None


@dataclass
class Score:
    """Counts for one kind of text."""

    total: int = 0
    intent_correct: int = 0
    procedure_total: int = 0
    procedure_correct: int = 0
    errors: List[str] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_correct / self.total if self.total else 0.0

    @property
    def procedure_accuracy(self) -> float:
        return self.procedure_correct / self.procedure_total if self.procedure_total else 0.0


def load_examples(path: Path) -> List[Example]:
    """Read held-out examples with their kind and procedure."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    examples = []
    for block in data.get("nlu", []):
        for item in block.get("examples") or []:
            meta = item.get("metadata") or {}
            text = _ANNOTATION.sub(r"\1", str(item["text"]).strip())
            examples.append(Example(text, block["intent"], meta.get("kind", "accented"), meta.get("procedure")))
    return examples


def predicted_procedure(kb: KnowledgeBase, text: str, entities: Sequence[str]) -> str | None:
    """The procedure the bot would pick without asking back, if any."""
    for query in [*entities, text]:
        found = resolve(kb.search(query))
        if found.confident:
            return found.confident.procedure_id
    return None


async def evaluate(model: Path, examples: Sequence[Example], kb: KnowledgeBase) -> Dict[str, Score]:
    """Parse every example with the trained model and score it per kind."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    scores: Dict[str, Score] = defaultdict(Score)
    for ex in examples:
        parsed = await agent.parse_message(ex.text)
        intent = (parsed.get("intent") or {}).get("name")
        for key in (ex.kind, "overall"):
            score = scores[key]
            score.total += 1
            if intent == ex.intent:
                score.intent_correct += 1
            elif key != "overall":
                score.errors.append(f"{ex.text!r}: {ex.intent} -> {intent}")
            if ex.procedure:
                score.procedure_total += 1
                entities = [e["value"] for e in parsed.get("entities", []) if e.get("entity") == "procedure"]
                if predicted_procedure(kb, ex.text, entities) == ex.procedure:
                    score.procedure_correct += 1
    return dict(scores)


def report(scores: Dict[str, Score]) -> str:
    """A small table, one row per kind of text."""
    lines = [f"{'kind':<10} {'n':>4} {'intent acc':>10} {'procedure top-1':>16}"]
    for kind in (*KINDS, "overall"):
        s = scores.get(kind)
        if s:
            lines.append(
                f"{kind:<10} {s.total:>4} {s.intent_accuracy:>10.1%} "
                f"{s.procedure_accuracy:>10.1%} ({s.procedure_total})"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Held-out NLU accuracy per kind of text")
    parser.add_argument("heldout", type=Path)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--errors", action="store_true", help="list misclassified examples")
    args = parser.parse_args(argv)
    scores = asyncio.run(evaluate(args.model, load_examples(args.heldout), KnowledgeBase()))
    if args.errors:
        for kind in KINDS:
            for line in scores.get(kind, Score()).errors:
                print(f"[{kind}] {line}")
    print(report(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
