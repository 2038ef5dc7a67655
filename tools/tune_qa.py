"""Choose the routing thresholds on the development questions (never on the test set).

For each combination of thresholds, every development question is routed in
this process (no Rasa: the routing does not depend on the intent) and counted
the way ``make eval-qa`` grades a reply: a curated answer or quoted passage of
the expected record is *right* when it holds the facts the label requires (and
opens with the labelled "Có"/"Không"), *partial* when it does not, and *wrong*
when it belongs to another record or says yes where the label says no (or the
reverse); an honest "not known" or anything left to the aspect answer is
neither. The score is right, plus ``--partial-credit`` times partial (a
curated answer of the right procedure to a neighbouring question usually still
helps), minus ``--wrong-cost`` times wrong, as a wrong answer is worse than none.

Usage: python -m tools.tune_qa [--split dev] [--wrong-cost 4] [--partial-credit 0.25]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from typing import Dict, List, Sequence, Tuple

from actions import routing
from actions.resolution import decide
from knowledge.base import KnowledgeBase
from tools.evaluate_qa import Item, contains, load_items

GRID = {
    "question_cover": (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7),
    "question_cover_unscoped": (0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 1.01),
    "passage_cover": (0.4, 0.5, 0.6, 0.7, 0.8, 1.01),
    "polar_recall": (0.0, 0.7, 0.8, 0.9, 1.0),
    "fact_cover": (0.2, 0.3, 0.4, 0.5, 0.65),
}


def code_of(proc) -> str:
    record = getattr(proc, "record", proc)
    return getattr(record, "code", "") or ""


def judge(item: Item, way: routing.Route) -> str:
    """right, partial or wrong: an answer (curated or quoted) graded as ``tools.evaluate_qa`` grades a reply."""
    if code_of(way.procedure) not in item.expected:
        return "wrong"
    said = way.question.answer if way.question is not None else way.passage.text
    polarity = way.question.polarity if way.question is not None else None
    if item.yes_no and polarity and polarity != item.yes_no:
        return "wrong"
    if any(contains(said, f) for f in item.must_not):
        return "wrong"
    if all(contains(said, f) for f in item.must) and (not item.yes_no or polarity == item.yes_no):
        return "right"
    return "partial"


def count(evidence: Sequence[Tuple[Item, routing.Evidence]], **thresholds: float) -> Dict[str, int]:
    tally = {"right": 0, "partial": 0, "wrong": 0, "unknown": 0, "aspect": 0}
    for item, found in evidence:
        way = routing.choose(found, **thresholds)
        if way.kind in (routing.QUESTION, routing.PASSAGE):
            tally[judge(item, way)] += 1
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


def sweep(evidence, wrong_cost: float, partial_credit: float = 0.25) -> List[Tuple[float, dict, dict]]:
    results = []
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(GRID, values, strict=True))
        tally = count(evidence, **setting)
        score = tally["right"] + partial_credit * tally["partial"] - wrong_cost * tally["wrong"]
        results.append((score, setting, tally))
    # Ties go to the strictest thresholds: the fewest answers for the same score.
    return sorted(results, key=lambda r: (-r[0], -sum(r[1].values())))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev",))
    parser.add_argument("--wrong-cost", type=float, default=4.0)
    parser.add_argument("--partial-credit", type=float, default=0.25)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args(argv)
    kb = KnowledgeBase()
    evidence = gather_all(kb, load_items(args.split))
    print(f"{len(evidence)} development questions; current thresholds ("
          + ", ".join(f"{n}={getattr(routing, n.upper())}" for n in GRID) + f"): {count(evidence)}")
    for score, setting, tally in sweep(evidence, args.wrong_cost, args.partial_credit)[: args.top]:
        print(f"score {score:5.1f}  " + "  ".join(f"{n}={v}" for n, v in setting.items()) + f"  {tally}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
