"""A blind round of development questions: records drawn at random, questions written by a helper who sees no bot.

Two steps, around a helper (a person or a subagent) who reads only the official records:

- ``draw N``: draws the records of round N (seed N): 19 of the curated procedures' codes (in scope), 14 of
  their siblings (same field, not curated) and 6 other records (out of coverage), and writes the helper's
  brief to ``<dir>/p.md``. The helper writes ``<dir>/dev_rN.yml``, ten more questions with no record among them.
- ``build N``: drops, unread, every question whose folded word set overlaps an earlier evaluation question's
  (Jaccard at least 0.5), and writes the rest to ``eval/qa/dev_rN.yml`` with a header saying what was
  dropped. Run the new file against the bot before reading it, and commit it with that first run's figures.

Usage: python -m tools.blind_round draw N [--records DIR] [--dir /tmp/rN]
       python -m tools.blind_round build N [--dir /tmp/rN]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Dict, List

from ruamel.yaml import YAML

from knowledge.vntext import fold

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "eval" / "qa"
SHIPPED = ROOT / "knowledge" / "national"
CURATED = ROOT / "knowledge" / "procedures"
RECORDS = ROOT.parent / "shared" / "national-tthc" / "records"
OVERLAP = 0.5
_CODE = re.compile(r"\d\.\d{6}")

BRIEF = """# Write {total} questions that Vietnamese citizens would ask, with the answer's facts from official records

You help test a chatbot about Vietnamese administrative procedures (thủ tục hành chính). You have not seen
the bot and must not: do not read anything under /work/main, and do not look for the bot's code or data
anywhere. Your only source is the official records in {records} (one JSON file per procedure code, grouped by
ministry; {records}/../README.md explains the keys). The snapshot is dated 2026-07-20.

## What to write

Write the file {out} (YAML, a list), one question per item below, {total} in all:

- **A** ({n_a} questions): one question for each of these records: {a_list}
- **B** ({n_b} questions): one question for each of these records: {b_list}
- **C** (10 questions): questions citizens really ask around public services whose answer is in **no** record
  (a fine's amount, a private clinic's price, how long a queue is, whether an officer may refuse, a bank's rule,
  a procedure of another country...). Label them `procedure: 'none'`, `must: []`, `url: ''`.

For A and B, read the record first, then write a question that a citizen in a real situation would ask and
that the record answers. Half of them should be about **conditions or a special case** (eligibility, a minor,
someone doing it for another person, another province, a lost or damaged paper, a deadline, validity);
the rest spread over papers, fee, time, where, steps, online, form. Do not copy the record's wording into the
question: citizens use their own words, folk names (sổ đỏ, bằng lái, nhập khẩu, sổ hộ khẩu, sao y...) and
leave out the official name.

Styles, mixed over all {total}: about a fifth **letters** (a few sentences of context: age, relation, place,
dates; then "cho tôi hỏi ..."), with diacritics; about three fifths **chat** without diacritics and with shorthand
(ko, k, dc, j, z, bn, ntn, ad, mn, e, a, cccd, gplx, lltp, hkd, cty...); the rest **short** questions of a few words.

## Each item

```yaml
- id: r{n}_001              # r{n}_001 ... in order
  text: '...'               # the citizen's words
  url: '...'                # the record's detail_url ('' for C)
  kind: conditions          # one of: conditions, case, papers, fee, time, where, steps, online, penalty, validity, form
  procedure: '1.004194'     # the record's ma_thu_tuc ('none' for C)
  also: []                  # other codes whose record answers it the same way, if you know of one
  yes_no: 'co'              # 'co' or 'khong' only when the question is yes-or-no and the record says which; else ''
  must:                     # one to three short fragments copied word for word from the record that a right answer
  - '...'                   #   must contain (a number with its unit, a paper's name, an office); [] for C
  must_not: []              # a fragment a wrong answer would contain (e.g. a neighbouring procedure's fee), if any
  basis: 'Thành phần hồ sơ: "..."; snapshot 2026-07-20'   # the record's section and the quoted passage
  # style: letter | chat | short
```

Fragments in `must` must appear in the record exactly (same words, same numbers); keep them short (3 to 12
words) so that a right answer in other words that still quotes the record contains them. Quote with single
quotes and double any single quote inside.

Finish with one line: how many you wrote, per list and per style.
"""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def curated_codes() -> List[str]:
    codes: List[str] = []
    for path in sorted(CURATED.glob("*.yml")):
        data = _yaml().load(path.read_text(encoding="utf-8")) or {}
        for code in [data.get("code"), *(data.get("codes") or [])]:
            if code and code not in codes:
                codes.append(str(code))
    return codes


def _fields() -> Dict[str, str]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")).get("field", "") for p in sorted(SHIPPED.glob("*.json"))}


def draw(n: int, records: Path, folder: Path) -> Dict[str, List[str]]:
    rng = random.Random(n)
    curated = curated_codes()
    fields = _fields()
    near = {fields.get(code) for code in curated} - {"", None}
    siblings = sorted(c for c, f in fields.items() if f in near and c not in curated)
    a = rng.sample(curated, 19)
    b = rng.sample(siblings, 14)
    others = sorted(set(fields) - set(curated) - set(siblings))
    b += rng.sample(others, 6)
    paths = {p.stem: p for p in records.glob("*/*.json")}
    missing = [c for c in a + b if c not in paths]
    if missing:
        raise SystemExit(f"blind_round: no record file for {missing} under {records}")

    def listed(codes: List[str]) -> str:
        return ", ".join(f"`{c}` ({paths[c].relative_to(records)})" for c in codes)

    folder.mkdir(parents=True, exist_ok=True)
    brief = BRIEF.format(
        total=len(a) + len(b) + 10, records=records, out=folder / f"dev_r{n}.yml", n=n,
        n_a=len(a), n_b=len(b), a_list=listed(a), b_list=listed(b),
    )
    (folder / "p.md").write_text(brief, encoding="utf-8")
    (folder / "drawn.json").write_text(json.dumps({"in": a, "out": b}, indent=1), encoding="utf-8")
    return {"in": a, "out": b}


def words(text: str) -> frozenset:
    return frozenset(re.findall(r"\w+", fold(text).lower()))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def build(n: int, folder: Path) -> Dict[str, List[str]]:
    yaml = _yaml()
    written = yaml.load((folder / f"dev_r{n}.yml").read_text(encoding="utf-8")) or []
    earlier = [
        words(str(item["text"]))
        for path in sorted(EVAL_DIR.glob("*_r*.yml"))
        if path.stem != f"dev_r{n}"
        for item in (yaml.load(path.read_text(encoding="utf-8")) or [])
    ]
    earlier += [
        words(str(item.get("text", "")))
        for path in sorted((ROOT / "eval" / "match").glob("*.yml"))
        for item in (yaml.load(path.read_text(encoding="utf-8")) or [])
        if isinstance(item, dict)
    ]
    kept, dropped = [], []
    for item in written:
        own = words(str(item["text"]))
        (dropped if any(jaccard(own, other) >= OVERLAP for other in earlier) else kept).append(item)
    curated = set(curated_codes())
    scope = Counter("in" if str(i.get("procedure")) in curated else "none" if i.get("procedure") == "none" else "out"
                    for i in written)
    styles = Counter()
    text = (folder / f"dev_r{n}.yml").read_text(encoding="utf-8")
    for style in re.findall(r"#\s*style:\s*(\w+)", text):
        styles[style] += 1
    drawn = json.loads((folder / "drawn.json").read_text(encoding="utf-8")) if (folder / "drawn.json").exists() else {}
    header = [
        f"# r{n} blind dev set, written from the official records (snapshot 2026-07-20) by a helper who saw "
        "neither the bot",
        f"# nor the other sets: {len(written)} written, {scope['in']} in scope, "
        f"{scope['out'] + scope['none']} out of coverage ({scope['none']} with no record); "
        + ", ".join(f"{v} {k}" for k, v in styles.most_common()) + ".",
        "# Dropped unread by the overlap check (folded word-set Jaccard >= 0.5 with an earlier eval question): "
        + (", ".join(str(i["id"]) for i in dropped) or "none") + ".",
    ]
    if drawn:
        header.append(f"# Records drawn by tools/blind_round.py (seed {n}): {len(drawn['in'])} curated codes, "
                      f"{len(drawn['out']) - 6} siblings (same field) of the curated procedures and 6 other records.")
    out = EVAL_DIR / f"dev_r{n}.yml"
    with out.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(header) + "\n")
        yaml.dump(kept, handle)
    return {"kept": [str(i["id"]) for i in kept], "dropped": [str(i["id"]) for i in dropped]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("draw", "build"))
    parser.add_argument("n", type=int)
    parser.add_argument("--records", type=Path, default=RECORDS)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    folder = args.dir or Path(f"/tmp/r{args.n}")
    if args.step == "draw":
        drawn = draw(args.n, args.records, folder)
        print(f"blind_round: {len(drawn['in'])} in scope, {len(drawn['out'])} out; brief at {folder / 'p.md'}")
    else:
        result = build(args.n, folder)
        dropped = " ".join(result["dropped"])
        print(f"blind_round: kept {len(result['kept'])}, dropped {len(result['dropped'])}: {dropped}")


if __name__ == "__main__":
    main()
