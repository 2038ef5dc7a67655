"""Unseen wordings of curated questions against the router: does the message reach the question it asks?

Each item of ``eval/match/paraphrases_*.yml`` is routed in this process (no Rasa: the routing does not depend on
the intent), as ``make tune-qa`` does, and counted as:

- **right**: the curated question the item was written from;
- **same procedure**: another curated question of its procedure (a neighbouring answer, sometimes as good);
- **other procedure**: a curated answer or a quoted passage of another procedure (a wrong answer);
- **passage**: a quoted passage of its procedure;
- **declined**: the honest "not known" for a situation;
- **facts**: the record's facts (an aspect, online, form or away-from-home answer) or no procedure at all.

Of the declined wordings, it also counts those offered the question they ask as a button beside the decline.

The figures are per style (a letter with marks, a chat message without). They measure the matching of wordings
nobody tuned the phrasings to; thresholds are still chosen with ``make tune-qa``.

Two sets: ``dev`` (``paraphrases_*.yml``), read to find what the matching misses, and ``heldout``
(``heldout_*.yml``), written the same way for other curated questions and only counted, to check that a change
made for the first set holds for wordings nobody read.

Usage: python -m tools.evaluate_match [--set dev|heldout] [--kb knowledge]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from ruamel.yaml import YAML

from actions import routing
from actions.suggestions import offered
from knowledge.base import KnowledgeBase
from tools.evaluate_qa import report as qa_report
from tools.tune_qa import code_of, gather_all

ROOT = Path(__file__).resolve().parent.parent
MATCH_DIR = ROOT / "eval" / "match"
OUTCOMES = ("right", "same procedure", "other procedure", "passage", "declined", "facts")
SETS = {"dev": "paraphrases_*.yml", "heldout": "heldout_*.yml"}


@dataclass(frozen=True)
class Wording:
    id: str
    question: str
    procedure: str
    style: str
    text: str


def load_wordings(directory: Path = MATCH_DIR, which: str = "dev") -> List[Wording]:
    yaml = YAML(typ="safe")
    found: List[Wording] = []
    for path in sorted(directory.glob(SETS[which])):
        for entry in yaml.load(path.read_text(encoding="utf-8")) or []:
            found.append(Wording(**{k: str(entry[k]) for k in ("id", "question", "procedure", "style", "text")}))
    return found


def outcome(wording: Wording, way: routing.Route) -> str:
    """How a route answers the wording (see the module's docstring)."""
    if way.kind not in (routing.QUESTION, routing.PASSAGE):
        return "declined" if way.kind == routing.UNKNOWN_SITUATION else "facts"
    if code_of(way.procedure) != wording.procedure:
        return "other procedure"
    if way.kind == routing.PASSAGE:
        return "passage"
    return "right" if way.question.id == wording.question else "same procedure"


def offers_it(kb: KnowledgeBase, wording: Wording, way: routing.Route) -> bool:
    """A decline offers the question the wording asks among its suggested questions (``actions.suggestions``)."""
    asked = [q for _, q in way.nearby if q.id == wording.question]
    return bool(asked) and any(p in asked[0].phrasings for p in offered(kb, way.nearby))


def measure(kb: KnowledgeBase, wordings: Sequence[Wording]) -> Tuple[Dict[str, Counter], Counter]:
    """The outcomes per row, and of the declined wordings how many are offered the question they ask."""
    table: Dict[str, Counter] = {}
    declines: Counter = Counter()
    for wording, evidence in gather_all(kb, wordings):
        way = routing.choose(evidence)
        found = outcome(wording, way)
        for row in ("all", f"style:{wording.style}"):
            table.setdefault(row, Counter())[found] += 1
        if found == "declined":
            declines["declined"] += 1
            declines["offered"] += offers_it(kb, wording, way)
    return table, declines


def report(table: Dict[str, Counter]) -> str:
    """The Markdown table of ``make eval-qa``, with this tool's rows and outcomes."""
    rows = ["all", *sorted(row for row in table if row != "all")]
    return qa_report(table, None, rows=rows, outcomes=OUTCOMES, label="wordings")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="which", choices=sorted(SETS), default="dev")
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge")
    args = parser.parse_args(argv)
    wordings = load_wordings(which=args.which)
    print(f"eval-match ({args.which}): {len(wordings)} unseen wordings of curated questions")
    table, declines = measure(KnowledgeBase(args.kb), wordings)
    print(report(table))
    if declines["declined"]:
        print(f"declined wordings offered the question they ask as a button: {declines['offered']} of "
              f"{declines['declined']} ({100 * declines['offered'] / declines['declined']:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
