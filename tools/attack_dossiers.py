"""Attack simulation: many parallel clients guess dossier proofs; nothing may be revealed.

Two ways to run it:

* in this process (default): the lookup service exactly as the action server
  builds it (proof guard and dossier store in one SQLite file), ``--codes``
  real dossiers, and ``--clients`` attackers, each from its own address (a
  botnet), each guess under a fresh conversation id (the sender-id trick).
  Every guess is random; when time is up each attacked code is also tried
  with its right proof, sent last, as in the original finding.
* against a running Rasa server (``--url``): the same over the REST channel,
  two messages per guess, on the codes given with ``--code``; a right proof
  can be given as ``--code CODE=PROOF`` to be sent last.

It prints one line per outcome and a summary ``attack: attempts=… compared=…
refused=… revealed=…``, and exits 1 if anything was revealed.

Usage: python -m tools.attack_dossiers [--clients 50] [--codes 4] [--seconds 10]
       python -m tools.attack_dossiers --url http://127.0.0.1:5005 --code 000.00.00.DEMO-261120-0001=0001+1990
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Awaitable, Callable, Dict, List, Sequence

import aiohttp

from actions.dossiers.guard import GuardPolicy, ProofGuard
from actions.dossiers.lookup import DossierLookup
from actions.dossiers.model import Dossier, Status
from actions.dossiers.proofs import PhoneAndBirthYear
from actions.dossiers.store import DossierStore
from knowledge.base import KnowledgeBase
from knowledge.paths import KNOWLEDGE_DIR
from records.database import make_engine

SHOWN, NOT_MATCHED, REFUSED, OTHER = "revealed", "compared", "refused", "other"


def classify(text: str) -> str:
    """What a reply to a guess means."""
    if "Tình trạng:" in text:
        return SHOWN
    if "không tìm thấy hồ sơ" in text:
        return NOT_MATCHED
    if "tạm khóa" in text or "tạm gián đoạn" in text:
        return REFUSED
    return OTHER


@dataclass
class Report:
    outcomes: Counter = field(default_factory=Counter)
    right_proof_last: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        attempts = sum(self.outcomes.values())
        return (f"attack: attempts={attempts} compared={self.outcomes[NOT_MATCHED]} refused={self.outcomes[REFUSED]} "
                f"other={self.outcomes[OTHER]} revealed={self.outcomes[SHOWN]} "
                f"right_proof_last_refused={self.right_proof_last[REFUSED]}/{sum(self.right_proof_last.values())} "
                f"seconds={self.seconds:.1f}")

    @property
    def revealed(self) -> int:
        return self.outcomes[SHOWN] + self.right_proof_last[SHOWN]


Guess = Callable[[str, str, str], Awaitable[str]]  # (code, proof text, client address) -> reply text


async def run_attack(guess: Guess, targets: Dict[str, str], clients: int, seconds: float, seed: int = 7) -> Report:
    """``clients`` attackers guess random proofs on ``targets`` for ``seconds``; then each right proof, last."""
    report = Report()
    rng = random.Random(seed)
    codes = sorted(targets)
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    async def attacker(n: int) -> None:
        address = f"ip:10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        while time.monotonic() < deadline:
            code = rng.choice(codes)
            proof = f"{rng.randrange(10000):04d} {rng.randrange(1940, 2010)}"
            if proof == targets[code]:
                continue  # the random guess that happens to be right is the owner's, not the attack's
            report.outcomes[classify(await guess(code, proof, address))] += 1

    await asyncio.gather(*(attacker(n) for n in range(clients)))
    for n, code in enumerate(codes):
        if targets[code]:
            report.right_proof_last[classify(await guess(code, targets[code], f"ip:10.255.255.{n % 250}"))] += 1
    report.seconds = time.monotonic() - started
    return report


def in_process(workdir: Path, codes: int, seed: int = 7) -> tuple[Guess, Dict[str, str]]:
    """The lookup service as the action server builds it, on ``codes`` dossiers in a fresh SQLite file."""
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{workdir / 'attack.sqlite3'}")
    dossiers, targets = [], {}
    for n in range(codes):
        code = f"000.00.07.H29-261101-{n + 1:04d}"
        phone, year = f"{rng.randrange(10000):04d}", rng.randrange(1950, 2005)
        dossiers.append(Dossier(code, "Đăng ký khai sinh", "N*** V** A*", phone, Status.DANG_XU_LY,
                                date(2026, 11, 1), birth_year=year))
        targets[code] = f"{phone} {year}"
    store = DossierStore(engine)
    store.upsert(dossiers)
    method = PhoneAndBirthYear()
    lookup = DossierLookup(store, ProofGuard(engine, GuardPolicy.from_env()),
                           KnowledgeBase(Path(KNOWLEDGE_DIR)), method)

    async def guess(code: str, proof: str, client: str) -> str:
        reply = await lookup.run(f"attack-{uuid.uuid4().hex}", code, method.parse(proof) or proof, client)
        return "\n".join(reply.texts)

    return guess, targets


def over_rest(session: aiohttp.ClientSession, url: str) -> Guess:
    """A guess as two REST messages under a fresh sender id (the proof is sent as typed)."""
    async def say(sender: str, text: str) -> str:
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as response:
            body = await response.json() if response.status == 200 else []
        return "\n".join(m.get("text") or "" for m in body)

    async def guess(code: str, proof: str, client: str) -> str:
        sender = f"attack-{uuid.uuid4().hex}"
        await say(sender, f"tra cứu hồ sơ {code}")
        return await say(sender, proof)

    return guess


def _targets(specs: Sequence[str]) -> Dict[str, str]:
    targets = {}
    for spec in specs:
        code, _, proof = spec.partition("=")
        targets[code.strip()] = proof.replace("+", " ").strip()
    return targets


async def main_async(args: argparse.Namespace) -> Report:
    if args.url:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            return await run_attack(over_rest(session, args.url.rstrip("/")), _targets(args.code),
                                    args.clients, args.seconds)
    with tempfile.TemporaryDirectory(prefix="tro-ly-attack-") as tmp:
        guess, targets = in_process(Path(tmp), args.codes)
        return await run_attack(guess, targets, args.clients, args.seconds)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--codes", type=int, default=4, help="dossiers attacked (in-process mode)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--url", help="a running Rasa server to attack over REST instead")
    parser.add_argument("--code", action="append", default=[], help="with --url: CODE or CODE=RIGHT+PROOF")
    args = parser.parse_args(argv)
    if args.url and not args.code:
        parser.error("--url needs at least one --code")
    report = asyncio.run(main_async(args))
    for outcome, count in sorted(report.outcomes.items()):
        print(f"{outcome:>9}: {count}")
    print(report.summary())
    return 1 if report.revealed else 0


if __name__ == "__main__":
    sys.exit(main())
