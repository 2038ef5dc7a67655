"""Derive diacritic-free and shorthand training examples from the accented ones.

Citizens type "lam cccd mat bao lau" as often as "làm căn cước mất bao lâu".
Rather than hand-copy every example three times, this generator folds the
accented examples and rewrites them with the shorthand table in
``knowledge/shorthand.yml``. Randomness is seeded per example, so the output
depends only on the input files: ``make train`` regenerates it.

Usage: python -m tools.nlu_augment SOURCE_DIR OUTPUT_FILE
"""

from __future__ import annotations

import random
import re
import sys
import zlib
from functools import partial
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

from ruamel.yaml import YAML

from knowledge.shorthand import Shorthand, load_shorthand
from knowledge.vntext import canonical, fold

# [text](entity) and [text]{"entity": ...} annotations, kept intact.
_ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
# Full forms we never abbreviate when writing examples (ambiguous in reverse).
_NOT_ABBREVIATED = {"admin", "online", "nhiêu"}
SHORTHAND_RATE = 0.8
LOWERCASE_RATE = 0.7


def _segments(example: str) -> List[Tuple[str, str]]:
    """Split an example into (text, annotation-suffix) pairs; plain text has ''."""
    out: List[Tuple[str, str]] = []
    cursor = 0
    for m in _ANNOTATION.finditer(example):
        if m.start() > cursor:
            out.append((example[cursor : m.start()], ""))
        out.append((m.group(1), m.group(2)))
        cursor = m.end()
    if cursor < len(example):
        out.append((example[cursor:], ""))
    return out


def _join(segments: Iterable[Tuple[str, str]]) -> str:
    return "".join(f"[{text}]{suffix}" if suffix else text for text, suffix in segments)


class Augmenter:
    """Rewrites one accented example into its diacritic-free and shorthand forms."""

    def __init__(self, shorthand: Shorthand):
        by_full: Dict[str, List[str]] = {}
        for short, full in shorthand.items():
            if full.lower() in _NOT_ABBREVIATED:
                continue
            by_full.setdefault(full.lower(), []).append(short)
        # Longest full forms first so "căn cước công dân" wins over "không".
        self._rules = [
            (re.compile(rf"(?<!\w){re.escape(full)}(?!\w)", re.IGNORECASE), sorted(shorts))
            for full, shorts in sorted(by_full.items(), key=lambda kv: -len(kv[0]))
        ]

    def plain(self, example: str, rng: random.Random) -> str:
        lower = rng.random() < LOWERCASE_RATE
        return _join(
            ((fold(t).lower() if lower else fold(t)), s) for t, s in _segments(canonical(example))
        )

    def shorthand(self, example: str, rng: random.Random) -> str:
        drop_marks = rng.random() < 0.5

        def rewrite(text: str) -> str:
            for pattern, shorts in self._rules:
                text = pattern.sub(partial(_abbreviate, rng, shorts), text)
            text = text.lower()
            return fold(text) if drop_marks else text

        return _join((rewrite(t), s) for t, s in _segments(canonical(example)))

    def variants(self, example: str) -> List[str]:
        """The new examples derived from ``example`` (never the example itself)."""
        rng = random.Random(zlib.crc32(example.encode("utf-8")))
        out: List[str] = []
        for variant in (self.plain(example, rng), self.shorthand(example, rng)):
            if variant != example and variant not in out:
                out.append(variant)
        return out


def _abbreviate(rng: random.Random, shorts: Sequence[str], match: re.Match) -> str:
    return rng.choice(shorts) if rng.random() < SHORTHAND_RATE else match.group(0)


def _examples(block: str) -> List[str]:
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]


def augment(sources: Sequence[Path], shorthand: Shorthand) -> Dict[str, List[str]]:
    """Generated examples per intent, excluding anything already written by hand."""
    yaml = YAML(typ="safe")
    by_intent: Dict[str, List[str]] = {}
    for path in sources:
        for item in (yaml.load(path.read_text(encoding="utf-8")) or {}).get("nlu", []) or []:
            if "intent" in item and isinstance(item.get("examples"), str):
                by_intent.setdefault(item["intent"], []).extend(_examples(item["examples"]))
    seen = {_key(e) for examples in by_intent.values() for e in examples}
    augmenter = Augmenter(shorthand)
    generated: Dict[str, List[str]] = {}
    for intent, examples in by_intent.items():
        for example in examples:
            for variant in augmenter.variants(example):
                key = _key(variant)
                if key not in seen:
                    seen.add(key)
                    generated.setdefault(intent, []).append(variant)
    return generated


def _key(example: str) -> str:
    """Examples equal up to annotations, case and spacing count as duplicates."""
    return " ".join(_join((t, "") for t, _ in _segments(example)).lower().split())


def render(generated: Dict[str, List[str]]) -> str:
    """Rasa NLU YAML for the generated examples."""
    lines = [
        "# GENERATED by `python -m tools.nlu_augment` from data/nlu/*.yml - do not edit.",
        'version: "3.1"',
        "nlu:",
    ]
    for intent in sorted(generated):
        lines.append(f"  - intent: {intent}")
        lines.append("    examples: |")
        lines.extend(f"      - {example}" for example in generated[intent])
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    source_dir, output = Path(argv[0]), Path(argv[1])
    sources = sorted(p for p in source_dir.glob("*.yml"))
    generated = augment(sources, load_shorthand())
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(generated), encoding="utf-8")
    print(f"nlu_augment: {sum(map(len, generated.values()))} examples from {len(sources)} files -> {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
