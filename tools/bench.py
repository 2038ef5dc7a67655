"""Load benchmark: simulated citizens in multi-turn conversations over the REST channel.

Starts the stack on free loopback ports (or uses a running one given ``--url``),
runs ``--users`` concurrent citizens for ``--seconds``, each going through
realistic conversations (procedure questions with follow-ups and switches,
diacritic-free and shorthand questions, button clicks, 👍, dossier lookups)
with a short think time between messages. Then it measures bare
``/model/parse`` latency (NLU alone) on the same utterances, one at a time.
Peak RSS of the Rasa server and of the action server is sampled throughout.
In this process it also times the knowledge base as the action server uses it:
loading every procedure, reloading after one curated file changes, and the
procedure finder's own time on each typed message.

The last line printed is the summary ``make bench`` promises:
``bench: users=20 messages=<n> errors=<n> p50_ms=<n> ...``.

Usage: python -m tools.bench [--url http://127.0.0.1:5005] [--users 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
DEMO_CODE = "000.00.00.DEMO-261120-0001"

# Each conversation is what one citizen says, in order. "{button}" clicks the
# first button of the previous reply (as the widget does), "{thumbs}" the 👍.
CONVERSATIONS: List[List[str]] = [
    ["làm hộ chiếu cần giấy tờ gì", "{button}", "còn lệ phí thì sao", "mất bao lâu", "cảm ơn nhé"],
    ["lam can cuoc lan dau o dau", "con le phi the nao", "{thumbs}"],
    ["lltp lm o dau v ad", "mất bn tiền", "ok tks"],
    ["xin chào", "đăng ký tạm trú mất bao lâu", "còn khai báo tạm vắng thì sao", "tạm biệt"],
    ["tra cứu hồ sơ " + DEMO_CODE, "0001 1990", "cảm ơn"],
    ["tôi muốn làm sổ đỏ lần đầu", "{button}", "nộp hồ sơ ở đâu"],
    ["đổi bằng lái hết hạn cần gì", "có làm online được không", "{thumbs}"],
    ["thủ tục đăng ký kết hôn", "căn cứ pháp lý là gì", "còn khai sinh thì sao"],
    ["sao y giấy tờ hết bao nhiêu tiền", "làm ở đâu", "cho mình số tổng đài"],
    ["nhập khẩu cho con ntn", "cần giấy tờ j", "{button}"],
    ["chứng thực di chúc mất bao nhiêu tiền", "làm ở đâu", "{thumbs}"],
    ["kết hôn với người nước ngoài cần giấy tờ gì", "mất bao lâu", "cảm ơn"],
    ["rut bhxh 1 lan can gi", "nộp ở đâu"],
    # Situational questions (issue 17): a curated answer with its article, a follow-up, a letter.
    ["con tôi 4 tuổi có bắt buộc làm căn cước không", "còn nếu cháu đủ 15 tuổi thì sao?", "{thumbs}"],
    ["bằng lái của tôi bị mất thì có được cấp lại không", "cấp lại ở đâu"],
    ["Năm ngoái tôi chuyển vào Bình Dương làm công nhân, thuê trọ gần khu công nghiệp. Chủ nhà bảo phải khai báo. "
     "Cho tôi hỏi ở trọ có bắt buộc phải đăng ký tạm trú không?", "cần giấy tờ gì"],
]

# The stock assistant of `rasa init`, driven the same way, for a yardstick measured in the same run.
STOCK_CONVERSATIONS: List[List[str]] = [
    ["hello", "I am feeling sad", "yes", "bye"],
    ["hi", "great", "goodbye"],
    ["hey there", "very bad", "no", "bye"],
    ["good morning", "are you a bot?", "bye"],
]


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


@dataclass
class Results:
    latencies_ms: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    conversations: int = 0

    @property
    def messages(self) -> int:
        return len(self.latencies_ms) + len(self.errors)


def next_message(template: str, last_reply: List[Dict]) -> str:
    """The text to send: the template, or the payload of a button the last reply offered."""
    buttons = [b for r in last_reply for b in (r.get("buttons") or [])]
    if template == "{thumbs}":
        return next((b["payload"] for b in buttons if b["payload"].startswith("/feedback_good")), "cảm ơn")
    if template == "{button}":
        return buttons[0]["payload"] if buttons else "cảm ơn"
    return template


async def citizen(
    session: aiohttp.ClientSession, url: str, user: int, until: float, think_s: float, results: Results, seed: int,
    conversations: Sequence[Sequence[str]] = CONVERSATIONS,
) -> None:
    """One simulated citizen: conversation after conversation until time is up."""
    rng = random.Random(seed * 1000 + user)
    for n in itertools.count():
        if time.monotonic() >= until:
            return
        sender = f"bench-{seed}-{user}-{n}"
        reply: List[Dict] = []
        for template in rng.choice(conversations):
            if time.monotonic() >= until:
                return
            text = next_message(template, reply)
            started = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": text}) as response:
                    body = await response.json(content_type=None)
                    if response.status != 200 or not isinstance(body, list) or not body:
                        results.errors.append(f"{response.status} {str(body)[:120]} for {text!r}")
                        reply = []
                    else:
                        results.latencies_ms.append((time.perf_counter() - started) * 1000)
                        reply = body
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                results.errors.append(f"{type(exc).__name__} for {text!r}")
                reply = []
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
        results.conversations += 1


async def load(url: str, users: int, seconds: float, think_s: float, seed: int,
               conversations: Sequence[Sequence[str]] = CONVERSATIONS) -> tuple[Results, float]:
    results = Results()
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=users * 2)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        until = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(*(
            citizen(session, f"{url}/webhooks/rest/webhook", u, until, think_s, results, seed, conversations)
            for u in range(users)
        ))
        return results, time.monotonic() - started


async def parse_latencies(url: str, rounds: int, token: str = "") -> List[float]:
    """Bare NLU: /model/parse on every utterance of the scripts, one request at a time."""
    texts = [t for conv in CONVERSATIONS for t in conv if not t.startswith("{")]
    out = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        for text in itertools.islice(itertools.cycle(texts), rounds):
            started = time.perf_counter()
            async with session.post(f"{url}/model/parse", json={"text": text},
                                    params={"token": token} if token else None) as response:
                await response.read()
                if response.status == 200:
                    out.append((time.perf_counter() - started) * 1000)
    return out


# ------------------------------------------------------------------ memory

def _tree(pid: int) -> List[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    total = 0
    for member in _tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total += int(match.group(1)) if match else 0
    return total / 1024


def pid_listening_on(port: int) -> int | None:
    """The process with a listening TCP socket on ``port`` (for a stack started elsewhere)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{entry}/fd"):
                link = os.readlink(f"/proc/{entry}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(entry)
        except OSError:
            continue
    return None


class PeakMemory(threading.Thread):
    """Samples RSS every half second; keeps the peak per named process."""

    def __init__(self, pids: Dict[str, int | None]):
        super().__init__(daemon=True)
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.peak = {name: 0.0 for name in pids}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(0.5)

    def sample(self) -> None:
        for name, pid in self.pids.items():
            self.peak[name] = max(self.peak[name], rss_mb(pid))

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=2)
        self.sample()


# ---------------------------------------------------------------- knowledge

def knowledge_figures(kb_dir: Path, rounds: int = 20) -> Dict[str, float]:
    """Load and reload times of the knowledge base, and the finder's own time per typed message (ms)."""
    import shutil

    from knowledge.base import KnowledgeBase

    with tempfile.TemporaryDirectory(prefix="bench-kb-") as tmp:
        copy = Path(tmp) / "knowledge"
        shutil.copytree(kb_dir, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        started = time.perf_counter()
        kb = KnowledgeBase(copy, min_interval=0)
        load_ms = (time.perf_counter() - started) * 1000
        curated = sorted((copy / "procedures").glob("*.yml"))[0]
        curated.write_text(curated.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        started = time.perf_counter()
        kb.refresh(force=True)
        reload_ms = (time.perf_counter() - started) * 1000
        kb.min_interval = 3600  # the finder alone from here on
        typed = [m for conv in CONVERSATIONS for m in conv if not m.startswith("{") and DEMO_CODE not in m]
        finder_ms = []
        for _ in range(rounds):
            for message in typed:
                started = time.perf_counter()
                kb.search(message)
                finder_ms.append((time.perf_counter() - started) * 1000)
    return {"procedures": len(kb.procedures), "load_ms": load_ms, "reload_ms": reload_ms,
            "finder_p50_ms": percentile(finder_ms, 50), "finder_p95_ms": percentile(finder_ms, 95)}


# ------------------------------------------------------------------ yardstick

STOCK_DIR = ROOT / "models" / "stock"


def stock_project(directory: Path = STOCK_DIR) -> Path:
    """The `rasa init` assistant with its trained model, made once (about a minute) and kept under models/."""
    models = sorted((directory / "models").glob("*.tar.gz")) if directory.is_dir() else []
    if models:
        return models[-1]
    import shutil
    import subprocess

    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    rasa = Path(sys.executable).with_name("rasa")
    subprocess.run([str(rasa), "init", "--no-prompt", "--init-dir", str(directory)], cwd=directory, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=900)
    return sorted((directory / "models").glob("*.tar.gz"))[-1]


def stock_latencies(args: argparse.Namespace) -> List[float]:
    """Latencies of the stock assistant over REST under the same users, think time and duration."""
    import subprocess
    import urllib.request

    from deploy.stack import free_port

    model = stock_project()
    port = free_port()
    rasa = Path(sys.executable).with_name("rasa")
    proc = subprocess.Popen(
        [str(rasa), "run", "--model", str(model), "--port", str(port), "--interface", "127.0.0.1",
         "--credentials", str(STOCK_DIR / "credentials.yml")],
        cwd=STOCK_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise RuntimeError("the stock Rasa server exited during start-up")
            try:
                with urllib.request.urlopen(f"{url}/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("the stock Rasa server did not start within 180 s") from None
                time.sleep(0.5)
        asyncio.run(load(url, 2, 3, args.think, args.seed + 1, STOCK_CONVERSATIONS))
        results, _ = asyncio.run(load(url, args.users, args.seconds, args.think, args.seed, STOCK_CONVERSATIONS))
        return results.latencies_ms
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


# ------------------------------------------------------------------ running

def summary(users: int, results: Results, elapsed: float, parse_ms: Sequence[float], peak: Dict[str, float],
            kb: Dict[str, float], stock_ms: Sequence[float] = ()) -> str:
    lat = results.latencies_ms
    ratio = ""
    if stock_ms:
        stock_p95 = percentile(stock_ms, 95)
        ratio = (f" stock_p95_ms={stock_p95:.0f} p95_ratio="
                 f"{percentile(lat, 95) / stock_p95 if stock_p95 else 0:.2f}")
    return (
        f"bench: users={users} messages={results.messages} errors={len(results.errors)} "
        f"p50_ms={percentile(lat, 50):.0f} p95_ms={percentile(lat, 95):.0f} p99_ms={percentile(lat, 99):.0f} "
        f"msg_per_s={results.messages / elapsed if elapsed else 0:.1f} parse_p50_ms={percentile(parse_ms, 50):.0f} "
        f"finder_p50_ms={kb.get('finder_p50_ms', 0):.1f} finder_p95_ms={kb.get('finder_p95_ms', 0):.1f} "
        f"kb_procedures={kb.get('procedures', 0):.0f} kb_load_ms={kb.get('load_ms', 0):.0f} "
        f"kb_reload_ms={kb.get('reload_ms', 0):.0f} "
        f"rasa_rss_mb={peak.get('rasa', 0):.0f} actions_rss_mb={peak.get('actions', 0):.0f}"
        + ratio
    )


def run_bench(url: str, pids: Dict[str, int | None], args: argparse.Namespace, token: str = "") -> str:
    kb = knowledge_figures(Path(os.environ.get("KNOWLEDGE_DIR", ROOT / "knowledge")))
    memory = PeakMemory(pids)
    memory.start()
    try:
        asyncio.run(load(url, 2, 3, args.think, args.seed + 1))  # warm-up, not counted
        results, elapsed = asyncio.run(load(url, args.users, args.seconds, args.think, args.seed))
        parse_ms = asyncio.run(parse_latencies(url, args.parse_rounds, token or os.environ.get("RASA_AUTH_TOKEN", "")))
    finally:
        memory.stop()
    lat = results.latencies_ms
    print(f"conversations: {results.conversations}, messages: {results.messages}, "
          f"errors: {len(results.errors)}, elapsed: {elapsed:.1f} s, think time ≈ {args.think:.2f} s")
    print(f"end to end (REST, with actions): p50 {percentile(lat, 50):.0f} ms, p95 {percentile(lat, 95):.0f} ms, "
          f"p99 {percentile(lat, 99):.0f} ms, max {max(lat, default=0):.0f} ms")
    print(f"bare /model/parse (one at a time): p50 {percentile(parse_ms, 50):.0f} ms, "
          f"p95 {percentile(parse_ms, 95):.0f} ms over {len(parse_ms)} requests")
    print(f"knowledge base: {kb['procedures']:.0f} procedures, load {kb['load_ms']:.0f} ms, reload after one "
          f"curated change {kb['reload_ms']:.0f} ms; finder per message p50 {kb['finder_p50_ms']:.1f} ms, "
          f"p95 {kb['finder_p95_ms']:.1f} ms")
    for line in results.errors[:10]:
        print(f"error: {line}")
    stock_ms: List[float] = []
    if not args.no_stock:
        stock_ms = stock_latencies(args)
        print(f"stock `rasa init` assistant, same load: p50 {percentile(stock_ms, 50):.0f} ms, "
              f"p95 {percentile(stock_ms, 95):.0f} ms over {len(stock_ms)} messages; "
              f"ours / stock at p95: {percentile(lat, 95) / max(percentile(stock_ms, 95), 1e-9):.2f}")
    return summary(args.users, results, elapsed, parse_ms, memory.peak, kb, stock_ms)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Rasa server (default: start the stack here)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "tro-ly.tar.gz")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.6, help="mean pause between a citizen's messages (s)")
    parser.add_argument("--parse-rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-stock", action="store_true", help="skip the stock `rasa init` assistant's run")
    parser.add_argument("--rasa-pid", type=int)
    parser.add_argument("--actions-pid", type=int)
    args = parser.parse_args(argv)

    if args.url:
        url = args.url.rstrip("/")
        port = int(url.rsplit(":", 1)[1]) if re.search(r":\d+$", url) else 5005
        pids = {"rasa": args.rasa_pid or pid_listening_on(port),
                "actions": args.actions_pid or pid_listening_on(int(os.environ.get("ACTIONS_PORT", 5055)))}
        line = run_bench(url, pids, args)
    else:
        from deploy.stack import Stack, free_port

        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            env = {"DOSSIER_DB_URL": f"sqlite:///{tmp}/dossiers.sqlite3", "DOSSIER_DEMO": "1",
                   "CONSOLE_DB_URL": f"sqlite:///{tmp}/console.sqlite3",
                   "TRACKER_STORE_URL": f"sqlite:///{tmp}/tracker.sqlite3"}
            log = open(Path(tmp) / "stack.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
            stack = Stack(args.model, rasa_port=free_port(), actions_port=free_port(), widget_port=free_port(),
                          log=log, extra_env=env)
            try:
                stack.start(Path(tmp) / "stack")
                print(f"stack started on {stack.rasa_url} (logs in {log.name} while it runs)")
                line = run_bench(stack.rasa_url, stack.pids(), args, stack.api_token)
            finally:
                stack.stop()
                log.close()
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
