"""Real citizens' questions against the running bot: answered, partial, asked back, declined or wrong.

Each question of ``eval/qa/<split>_*.yml`` is sent over the REST channel in a
conversation of its own, as the citizen wrote it. The reply is graded from its
text alone, the way a citizen reads it:

- **wrong**: it answers another procedure (its source names a record code that
  is not the expected one), says "Có"/"Không" the other way round, or contains a
  fact the label says a right answer must not contain;
- **answered**: it cites the expected record and contains every fact the label
  requires (and the right "Có"/"Không" when the label has one);
- **partial**: the expected record, without all of the required facts;
- **declined**: no record cited, and it says it cannot answer ("chưa có câu trả lời
  đã được kiểm chứng", "chưa tìm thấy thủ tục"), even when it offers procedures to pick;
- **asked back**: no record cited, buttons to choose a procedure or a case;
- **declined** too: anything else without a record cited.

Questions whose procedure is a curated entry's are "in scope"; the others
(other records, or "none") are "out of coverage", where declining honestly or
answering the right record both count as handled.

The figures in brackets are the previous run's: ``reports/eval-qa-<split>.json`` when
this machine has one, else ``eval/qa/previous-<split>.json``, the run committed last.

Usage: python -m tools.evaluate_qa [--split test|dev] [--url http://127.0.0.1:5005] [--previous FILE] [--round r64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Sequence

import aiohttp
from ruamel.yaml import YAML

from knowledge.vntext import canonical, fold

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "eval" / "qa"
OUTCOMES = ("answered", "partial", "asked", "declined", "wrong")
KINDS = ("conditions", "case", "papers", "fee", "time", "where", "steps", "online", "penalty", "validity", "form")
_CODE = re.compile(r"\b\d\.\d{6}\b")
_ASKING = ("/inform_procedure", "/ask_papers{")
# How the bot says it cannot answer (replies/situations.NOT_VERIFIED, replies/answers.not_found before it).
_DECLINING = ("chưa có câu trả lời đã được kiểm chứng", "chưa tìm thấy thủ tục")


@dataclass
class Item:
    id: str
    text: str
    kind: str
    procedure: str
    also: List[str] = field(default_factory=list)
    yes_no: str = ""
    must: List[str] = field(default_factory=list)
    must_not: List[str] = field(default_factory=list)

    @property
    def expected(self) -> set:
        return {c for c in (self.procedure, *self.also) if c and c != "none"}


@dataclass
class Graded:
    id: str
    kind: str
    scope: str  # "in" or "out"
    outcome: str
    why: str
    reply: str


def load_items(split: str, directory: Path = EVAL_DIR) -> List[Item]:
    """Every question of the split's files, in file order."""
    items: List[Item] = []
    for path in sorted(directory.glob(f"{split}_*.yml")):
        for raw in YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []:
            items.append(Item(
                id=str(raw["id"]), text=str(raw["text"]).strip(), kind=str(raw.get("kind") or "conditions"),
                procedure=str(raw.get("procedure") or "none"), also=[str(c) for c in raw.get("also") or []],
                yes_no=str(raw.get("yes_no") or ""), must=[str(m) for m in raw.get("must") or []],
                must_not=[str(m) for m in raw.get("must_not") or []],
            ))
    return items


def _plain(text: str) -> str:
    return " ".join(fold(canonical(text)).lower().split())


# A sum of money alone, as a record writes it ("8,000 VNĐ", "50,000 Việt Nam Đồng") or a reply does ("8.000 đồng").
_SUM = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:vnd|viet nam dong|dong|d)\b")


def _sums(plain: str) -> set:
    return {int(re.sub(r"[.,]", "", m.group(1))) for m in _SUM.finditer(plain)}


_PUNCT = re.compile(r"[^\w]+")


def _words(plain: str) -> str:
    """``plain`` with its punctuation read as spaces, between spaces: a quote keeps the record's commas where a label
    may drop them ("trong cả nước, không phụ thuộc vào nơi cư trú")."""
    return " " + " ".join(_PUNCT.sub(" ", plain).split()) + " "


def contains(reply: str, fact: str) -> bool:
    """The reply says the fact: any of its " | " alternatives, ignoring case, marks, spacing and punctuation; an
    alternative that is a sum of money alone, in any of its notations."""
    said = _plain(reply)
    said_words = _words(said)
    for alt in map(_plain, fact.split("|")):
        if alt and (alt in said or _SUM.fullmatch(alt) and _sums(alt) <= _sums(said)
                    or _words(alt).strip() and _words(alt) in said_words):
            return True
    return False


def polarity(reply: str) -> str:
    """"co" or "khong" when the reply opens with a plain "Có."/"Không.", else ""."""
    head = _plain(reply)[:12]
    if re.match(r"khong\b", head):
        return "khong"
    if re.match(r"co\b", head):
        return "co"
    return ""


def grade(item: Item, texts: Sequence[str], buttons: Sequence[Dict[str, str]], curated: Iterable[str]) -> Graded:
    """The outcome of one reply (see the module's docstring)."""
    reply = "\n".join(texts)
    scope = "in" if item.expected & set(curated) else "out"
    cited = set(_CODE.findall(reply))

    def done(outcome: str, why: str) -> Graded:
        return Graded(item.id, item.kind, scope, outcome, why, reply)

    for fact in item.must_not:
        if contains(reply, fact):
            return done("wrong", f"says {fact!r}")
    if cited:
        if not cited & item.expected:
            return done("wrong", f"cites {sorted(cited)} for {item.procedure}")
        said = polarity(reply)
        if item.yes_no and said and said != item.yes_no:
            return done("wrong", f"says {said} where the answer is {item.yes_no}")
        missing = [f for f in item.must if not contains(reply, f)]
        if item.yes_no and said != item.yes_no:
            missing.append(f"yes/no {item.yes_no}")
        return done("partial", "missing " + "; ".join(missing)) if missing else done("answered", "")
    if any(contains(reply, phrase) for phrase in _DECLINING):
        return done("declined", "")
    if any(str(b.get("payload", "")).startswith(_ASKING) for b in buttons):
        return done("asked", "")
    return done("declined", "")


def regrade(path: Path, split: str, kb_dir: Path) -> Dict[str, Dict[str, int]]:
    """Grade a stored report's replies again (after a change of the grading rules); its figures are rewritten."""
    report_data = json.loads(path.read_text(encoding="utf-8"))
    items = {i.id: i for i in load_items(split)}
    curated = curated_codes(kb_dir)
    graded = []
    for old in report_data["replies"]:
        item = items.get(old["id"])
        if item is None:
            continue
        asking = [{"payload": "/inform_procedure"}] if old["outcome"] == "asked" else []
        graded.append(grade(item, [old["reply"]], asking, curated))
    report_data["figures"] = figures(graded)
    report_data["replies"] = [asdict(g) for g in graded]
    path.write_text(json.dumps(report_data, ensure_ascii=False, indent=1), encoding="utf-8")
    return report_data["figures"]


async def ask(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> tuple[List[str], List[Dict]]:
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as response:
        body = await response.json(content_type=None)
    texts = [m.get("text") or "" for m in body or [] if isinstance(m, dict)]
    buttons = [b for m in body or [] if isinstance(m, dict) for b in m.get("buttons") or []]
    return texts, buttons


async def run_all(url: str, items: Sequence[Item], curated: set, concurrency: int = 4) -> List[Graded]:
    limit = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    # Each question opens a conversation of its own, in this run only: the tracker store keeps conversations across
    # restarts, and a sender seen in an earlier run would be read as following up its own question.
    run = uuid.uuid4().hex[:8]

    async with aiohttp.ClientSession(timeout=timeout) as session:
        async def one(item: Item) -> Graded:
            async with limit:
                try:
                    texts, buttons = await ask(session, url, f"eval-qa-{run}-{item.id}", item.text)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                    return Graded(item.id, item.kind, "in", "declined", f"error {type(exc).__name__}", "")
                return grade(item, texts, buttons, curated)

        return list(await asyncio.gather(*(one(i) for i in items)))


def figures(graded: Sequence[Graded]) -> Dict[str, Dict[str, int]]:
    """Counts per outcome: overall, per scope and per kind."""
    table: Dict[str, Counter] = defaultdict(Counter)
    for g in graded:
        for row in ("all", f"scope:{g.scope}", f"kind:{g.kind}"):
            table[row][g.outcome] += 1
    return {row: {o: counts[o] for o in OUTCOMES} for row, counts in table.items()}


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f} %" if total else "-"


def report(
    table: Dict[str, Dict[str, int]], previous: Dict[str, Dict[str, int]] | None,
    rows: Sequence[str] = ("all", "scope:in", "scope:out", *[f"kind:{k}" for k in KINDS]),
    outcomes: Sequence[str] = OUTCOMES, label: str = "questions",
) -> str:
    """A Markdown table, each cell "now (before)" when a previous run is given (``tools.evaluate_match`` gives its
    own rows, outcomes and label)."""
    lines = [f"| {label} | n | " + " | ".join(outcomes) + " |", "| --- | ---: |" + " ---: |" * len(outcomes)]
    for row in rows:
        counts = table.get(row)
        if not counts:
            continue
        total = sum(counts.values())
        cells = []
        for outcome in outcomes:
            cell = _share(counts[outcome], total)
            if previous and row in previous:
                cell += f" ({_share(previous[row].get(outcome, 0), sum(previous[row].values()))})"
            cells.append(cell)
        lines.append(f"| {row} | {total} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(table: Dict[str, Dict[str, int]]) -> List[str]:
    """The issue's targets, each with its figure."""
    def share(row: str, *outcomes: str) -> float:
        counts = table.get(row, {})
        total = sum(counts.values())
        return 100 * sum(counts.get(o, 0) for o in outcomes) / total if total else 0.0

    out_ok = share("scope:out", "declined", "answered", "partial")
    return [
        f"wrong {share('all', 'wrong'):.1f} % (target at most 3 %)",
        f"in scope answered {share('scope:in', 'answered'):.1f} % (target at least 70 %)",
        f"out of coverage declined or routed to the right record {out_ok:.1f} % (target at least 95 %)",
    ]


def curated_codes(kb_dir: Path) -> set:
    """The record codes the curated entries stand for."""
    from knowledge.base import KnowledgeBase

    kb = KnowledgeBase(kb_dir)
    return {c for p in kb.curated.values() for c in (p.code, *p.codes) if c}


def evaluate(url: str, split: str, kb_dir: Path, rounds: Sequence[str] = ()) -> List[Graded]:
    items = [i for i in load_items(split) if not rounds or i.id.split("_")[0] in rounds]
    if not items:
        raise SystemExit(f"no questions in {EVAL_DIR}/{split}_*.yml" + (f" of {', '.join(rounds)}" if rounds else ""))
    return asyncio.run(run_all(url, items, curated_codes(kb_dir)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--url", help="a running Rasa server (default: start the stack here)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "tro-ly.tar.gz")
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--previous", type=Path, help="an earlier JSON report to print beside this one")
    parser.add_argument("--out", type=Path, help="JSON report to write (default reports/eval-qa-<split>.json)")
    parser.add_argument("--regrade", type=Path, help="grade a stored report's replies again, then stop")
    parser.add_argument("--round", action="append", default=[], dest="rounds",
                        help="only the questions of this round (r64: eval/qa/<split>_r64.yml); may be repeated")
    args = parser.parse_args(argv)
    if args.regrade:
        print(report(regrade(args.regrade, args.split, args.kb), None))
        return 0
    out = args.out or ROOT / "reports" / f"eval-qa-{args.split}.json"
    committed = EVAL_DIR / f"previous-{args.split}.json"  # the figures of the last commit that reported them
    previous_path = args.previous or (out if out.exists() else committed if committed.exists() else None)
    previous = json.loads(previous_path.read_text(encoding="utf-8"))["figures"] if previous_path else None

    if args.url:
        graded = evaluate(args.url.rstrip("/"), args.split, args.kb, args.rounds)
    else:
        from deploy.stack import Stack, free_port

        with tempfile.TemporaryDirectory(prefix="eval-qa-") as tmp:
            env = {"DOSSIER_DB_URL": f"sqlite:///{tmp}/dossiers.sqlite3",
                   "CONSOLE_DB_URL": f"sqlite:///{tmp}/console.sqlite3",
                   "TRACKER_STORE_URL": f"sqlite:///{tmp}/tracker.sqlite3"}
            with open(Path(tmp) / "stack.log", "w", encoding="utf-8") as log:
                stack = Stack(args.model, rasa_port=free_port(), actions_port=free_port(),
                              widget_port=free_port(), log=log, extra_env=env)
                try:
                    stack.start(Path(tmp) / "stack")
                    graded = evaluate(stack.rasa_url, args.split, args.kb, args.rounds)
                finally:
                    stack.stop()

    table = figures(graded)
    print(f"eval-qa ({args.split}, {len(graded)} questions); in brackets: "
          f"{previous_path.name if previous_path else 'no previous run'}")
    print(report(table, previous))
    for line in targets(table):
        print(line)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"split": args.split, "figures": table, "replies": [asdict(g) for g in graded]},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"report: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
