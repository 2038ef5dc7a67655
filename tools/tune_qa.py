"""Choose the routing thresholds on the development questions (never on the test set).

For each combination of thresholds, every development question is routed in
this process (no Rasa: the routing does not depend on the intent) and counted:
a curated answer or a quoted passage of the expected record is *right*, of
another record *wrong*; an honest "not known" or anything left to the aspect
answer is neither. The score is right minus ``--wrong-cost`` times wrong, as a
wrong answer is worse than none.

Usage: python -m tools.tune_qa [--split dev] [--wrong-cost 4]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from typing import Dict, List, Sequence, Tuple

from actions import routing
from actions.resolution import decide
from knowledge.base import KnowledgeBase
from tools.evaluate_qa import Item, load_items

GRID = {
    "question_cover": (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7),
    "question_cover_unscoped": (0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 1.01),
    "passage_cover": (0.4, 0.5, 0.6, 0.7, 0.8, 1.01),
}


def code_of(proc) -> str:
    record = getattr(proc, "record", proc)
    return getattr(record, "code", "") or ""


def count(evidence: Sequence[Tuple[Item, routing.Evidence]], **thresholds: float) -> Dict[str, int]:
    tally = {"right": 0, "wrong": 0, "unknown": 0, "aspect": 0}
    for item, found in evidence:
        way = routing.choose(found, **thresholds)
        if way.kind in (routing.QUESTION, routing.PASSAGE):
            tally["right" if code_of(way.procedure) in item.expected else "wrong"] += 1
        elif way.kind == routing.UNKNOWN_SITUATION:
            tally["unknown"] += 1
        else:
            tally["aspect"] += 1
    return tally


def gather_all(kb: KnowledgeBase, items: Sequence[Item]) -> List[Tuple[Item, routing.Evidence]]:
    out = []
    for item in items:
        decision = decide(kb, item.text)
        out.append((item, routing.gather(kb, item.text, decision.procedure, decision.candidates)))
    return out


def sweep(evidence, wrong_cost: float) -> List[Tuple[float, dict, dict]]:
    results = []
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(GRID, values, strict=True))
        tally = count(evidence, **setting)
        results.append((tally["right"] - wrong_cost * tally["wrong"], setting, tally))
    # Ties go to the strictest thresholds: the fewest answers for the same score.
    return sorted(results, key=lambda r: (-r[0], -sum(r[1].values())))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev",))
    parser.add_argument("--wrong-cost", type=float, default=4.0)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args(argv)
    kb = KnowledgeBase()
    evidence = gather_all(kb, load_items(args.split))
    print(f"{len(evidence)} development questions; current thresholds ("
          + ", ".join(f"{n}={getattr(routing, n.upper())}" for n in GRID) + f"): {count(evidence)}")
    for score, setting, tally in sweep(evidence, args.wrong_cost)[: args.top]:
        print(f"score {score:5.1f}  " + "  ".join(f"{n}={v}" for n, v in setting.items()) + f"  {tally}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
