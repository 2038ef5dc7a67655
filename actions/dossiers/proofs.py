"""Proofs of link between a citizen and a dossier, behind one interface; the province chooses one.

``DOSSIER_PROOF`` picks the method:

* ``sdt_nam_sinh`` (default): the last four digits of the registered phone
  together with the applicant's year of birth. Four digits alone are 10,000
  possibilities and known to relatives; with the year they are about a
  million, and :mod:`actions.dossiers.guard` allows a handful of attempts.
* ``ma_tra_cuu``: the lookup secret printed on the receipt (as OpenCPS
  prints one). Only a digest salted with the dossier code is stored. It is
  the strongest proof that needs nothing but the receipt.
* ``otp``: a six-digit one-time code sent to the registered phone through an
  :class:`OtpSender` (``OTP_SENDER_URL``: the one-stop system's or the SMS
  gateway's endpoint, which knows the phone; the bot never holds it). A code
  lives five minutes and works once.

Every method parses what the citizen typed into a canonical proof string,
which is what the ``dossier_proof`` slot holds, and compares in constant time.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date
from typing import Callable, Protocol, Tuple

import aiohttp
from sqlalchemy import Column, Float, MetaData, String, Table, delete, select
from sqlalchemy.engine import Engine
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from actions.dossiers.guard import Limit, ProofGuard, subject_key
from actions.dossiers.model import Dossier
from knowledge.dossier_codes import mask_code
from records.database import SchemaOnce

logger = logging.getLogger(__name__)

_GROUP = re.compile(r"\d+")
_PHONE_GAP = re.compile(r"(?<=\d)[ .\-](?=\d{3}\b)")  # "0912 345 678" is one number
_COUNT_WORDS = re.compile(r"(?i)\b\d\s*(?:chữ\s*|chu\s*)?s[ốo]\b")  # the "4" of "4 số cuối"
# Letters a receipt's reader confuses are read as the digit they look like.
_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def secret_digest(code: str, secret: str) -> str:
    """The stored form of a lookup secret: SHA-256 of the dossier code and the normalised secret."""
    return hashlib.sha256(f"{code}\n{normalise_secret(secret)}".encode()).hexdigest()


def normalise_secret(text: str) -> str:
    """Upper case, no spaces or dashes, O/I/L read as 0/1: how a secret is typed from paper."""
    return re.sub(r"[\s\-_.]", "", text or "").upper().translate(_LOOKALIKE)


class ProofMethod(Protocol):
    """What every proof of link offers the conversation."""

    name: str
    ask: str  # the question that asks for it
    format_hint: str  # said when the answer cannot be read as this proof

    def parse(self, text: str) -> str | None:
        """The canonical proof in what the citizen typed, or None when it is not one."""

    async def challenge(self, conversation_id: str, client: str, code: str, dossier: Dossier | None) -> None:
        """Anything to do before asking (send a one-time code); nothing for most methods."""

    async def verify(self, conversation_id: str, dossier: Dossier, proof: str) -> bool:
        """Whether ``proof`` proves the link to ``dossier``."""


def _same(expected: str, given: str) -> bool:
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


@dataclass
class PhoneAndBirthYear:
    """Last four phone digits and year of birth, as "5678 1990"; canonical form "5678:1990"."""

    today: Callable[[], date] = date.today
    name: str = "sdt_nam_sinh"
    ask: str = (
        "Để bảo vệ thông tin của bạn, vui lòng nhập 4 chữ số cuối của số điện thoại đã đăng ký "
        "khi nộp hồ sơ và năm sinh của người đứng tên hồ sơ, ví dụ: 5678 1990."
    )
    format_hint: str = (
        "Bạn cần nhập cả 4 chữ số cuối của số điện thoại đã đăng ký trên hồ sơ và năm sinh "
        "của người đứng tên hồ sơ, cách nhau một dấu cách, ví dụ: 5678 1990."
    )

    def _is_year(self, group: str) -> bool:
        return len(group) == 4 and 1900 <= int(group) <= self.today().year

    def parse(self, text: str) -> str | None:
        """Two groups of digits: phone (4 digits or a whole number) and year, in either order."""
        groups = _GROUP.findall(_PHONE_GAP.sub("", _COUNT_WORDS.sub(" ", text or "")))
        if len(groups) != 2:
            return None
        first, second = groups
        if self._is_phone(first) and self._is_year(second):
            return f"{first[-4:]}:{second}"  # the order the question asked for wins when both fit
        if self._is_year(first) and self._is_phone(second):
            return f"{second[-4:]}:{first}"
        return None

    @staticmethod
    def _is_phone(group: str) -> bool:
        return len(group) == 4 or 9 <= len(group) <= 12

    async def challenge(self, conversation_id: str, client: str, code: str, dossier: Dossier | None) -> None:
        return None

    async def verify(self, conversation_id: str, dossier: Dossier, proof: str) -> bool:
        if not dossier.phone_last4 or dossier.birth_year is None:
            return False  # a source without the year cannot be proven this way: fail closed
        return _same(f"{dossier.phone_last4}:{dossier.birth_year}", proof)


@dataclass
class LookupSecret:
    """The "mã tra cứu" printed on the receipt: 6 to 32 letters and digits."""

    name: str = "ma_tra_cuu"
    ask: str = (
        "Để bảo vệ thông tin của bạn, vui lòng nhập mã tra cứu in trên Giấy tiếp nhận hồ sơ và hẹn trả "
        "kết quả (dòng \"Mã tra cứu\", gồm chữ và số)."
    )
    format_hint: str = (
        "Mã tra cứu gồm 6 đến 32 chữ cái và chữ số, in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. "
        "Bạn nhập lại giúp mình nhé."
    )

    def parse(self, text: str) -> str | None:
        text = re.sub(r"(?i)^\s*(mã\s*tra\s*cứu|ma\s*tra\s*cuu)\s*(là|la)?\s*:?", "", text or "")
        secret = normalise_secret(text)
        return secret if re.fullmatch(r"[A-Z0-9]{6,32}", secret) else None

    async def challenge(self, conversation_id: str, client: str, code: str, dossier: Dossier | None) -> None:
        return None

    async def verify(self, conversation_id: str, dossier: Dossier, proof: str) -> bool:
        return _same(dossier.secret_digest, secret_digest(dossier.code, proof))


class SenderUnavailable(Exception):
    """The one-time code could not be sent."""


class OtpSender(Protocol):
    async def send(self, code: str, text: str) -> None:
        """Deliver ``text`` to the phone registered on dossier ``code``; SenderUnavailable on failure."""


@dataclass(frozen=True)
class HttpOtpSender:
    """POSTs {"ma_ho_so", "noi_dung"} to the endpoint that knows the registered phone."""

    url: str
    token: str = ""
    timeout_s: float = 3.0
    attempts: int = 3

    @classmethod
    def from_env(cls) -> HttpOtpSender:
        url = os.environ.get("OTP_SENDER_URL", "").strip()
        if not url:
            raise ValueError("DOSSIER_PROOF=otp needs OTP_SENDER_URL")
        return cls(url, os.environ.get("OTP_SENDER_TOKEN", ""), float(os.environ.get("OTP_SENDER_TIMEOUT", "3")))

    async def send(self, code: str, text: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        transient = retry_if_exception_type((aiohttp.ClientError, asyncio.TimeoutError))
        try:
            async for attempt in AsyncRetrying(stop=stop_after_attempt(self.attempts), reraise=True,
                                               wait=wait_exponential(multiplier=0.3, max=2.0), retry=transient):
                with attempt:
                    async with aiohttp.ClientSession(timeout=timeout) as session:
                        async with session.post(self.url, json={"ma_ho_so": code, "noi_dung": text},
                                                headers=headers) as response:
                            if response.status >= 500:
                                raise aiohttp.ClientResponseError(response.request_info, (), status=response.status)
                            if response.status >= 400:
                                raise SenderUnavailable(f"OTP sender refused: HTTP {response.status}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise SenderUnavailable(type(exc).__name__) from exc


otp_metadata = MetaData()
otps = Table(
    "proof_otps",
    otp_metadata,
    Column("khoa", String(64), primary_key=True),  # hashed conversation and code
    Column("bam", String(64), nullable=False),  # SHA-256 of the code and the one-time code
    Column("het_han", Float, nullable=False),
    Column("gui_luc", Float, nullable=False),
)


@dataclass
class OneTimeCode:
    """Six digits sent to the registered phone; valid ``lifetime_s``, once, for one conversation."""

    engine: Engine
    sender: OtpSender
    guard: ProofGuard | None = None  # limits sending: per dossier and per client
    send_limits: Tuple[Limit, Limit] = (Limit(3, 3600), Limit(5, 3600))
    lifetime_s: float = 300.0
    resend_after_s: float = 60.0
    clock: Callable[[], float] = time.time
    name: str = "otp"
    ask: str = (
        "Để bảo vệ thông tin của bạn, nếu mã hồ sơ đúng, mình vừa gửi một mã xác minh gồm 6 chữ số "
        "đến số điện thoại đã đăng ký khi nộp hồ sơ. Bạn nhập mã đó vào đây (mã có hiệu lực 5 phút)."
    )
    format_hint: str = "Mã xác minh gồm đúng 6 chữ số, gửi qua tin nhắn đến số điện thoại đã đăng ký trên hồ sơ."

    def __post_init__(self) -> None:
        self._schema = SchemaOnce(self.engine, otp_metadata)

    def _ensure_schema(self) -> None:
        self._schema.ensure()

    @staticmethod
    def _key(conversation_id: str, code: str) -> str:
        return subject_key("otp", f"{conversation_id}\n{code}")

    def parse(self, text: str) -> str | None:
        digits = re.sub(r"\s", "", text or "")
        found = re.fullmatch(r"\d{6}", digits) or re.search(r"(?<!\d)\d{6}(?!\d)", text or "")
        return found.group(0) if found else None

    def _store(self, conversation_id: str, code: str, otp: str) -> bool:
        """Keep the digest of a new code unless one was sent less than ``resend_after_s`` ago."""
        self._ensure_schema()
        now, key = self.clock(), self._key(conversation_id, code)
        with self.engine.begin() as conn:
            sent = conn.execute(select(otps.c.gui_luc).where(otps.c.khoa == key)).scalar()
            if sent is not None and now - sent < self.resend_after_s:
                return False
            conn.execute(delete(otps).where((otps.c.khoa == key) | (otps.c.het_han < now)))
            conn.execute(otps.insert().values(khoa=key, bam=secret_digest(code, otp),
                                              het_han=now + self.lifetime_s, gui_luc=now))
        return True

    async def challenge(self, conversation_id: str, client: str, code: str, dossier: Dossier | None) -> None:
        """Send a code when the dossier exists; the citizen is told the same thing either way.

        At most three messages per dossier and five per client an hour, so nobody
        can flood an applicant's phone by asking again and again.
        """
        if dossier is None:
            return
        if self.guard is not None:
            per_code, per_client = self.send_limits
            admission = await asyncio.to_thread(self.guard.admit_keys, [
                (subject_key("otp-send-code", code), per_code),
                (subject_key("otp-send-client", client or f"conversation:{conversation_id}"), per_client),
            ])
            if not admission.admitted:
                logger.info("one-time code for %s not sent: over the sending limit", mask_code(code))
                return
        otp = f"{secrets.randbelow(10**6):06d}"
        if not await asyncio.to_thread(self._store, conversation_id, code, otp):
            return
        text = f"Ma xac minh tra cuu ho so {mask_code(code)}: {otp}. Hieu luc 5 phut. Khong chia se ma nay."
        try:
            await self.sender.send(code, text)
        except SenderUnavailable as exc:
            logger.error("one-time code for %s not sent: %s", mask_code(code), exc)

    def _take(self, conversation_id: str, code: str, proof: str) -> bool:
        self._ensure_schema()
        now, key = self.clock(), self._key(conversation_id, code)
        with self.engine.begin() as conn:
            row = conn.execute(select(otps.c.bam, otps.c.het_han).where(otps.c.khoa == key)).first()
            if row is None or row.het_han < now or not _same(row.bam, secret_digest(code, proof)):
                return False
            conn.execute(delete(otps).where(otps.c.khoa == key))  # once only
        return True

    async def verify(self, conversation_id: str, dossier: Dossier, proof: str) -> bool:
        return await asyncio.to_thread(self._take, conversation_id, dossier.code, proof)


def method_from_env(engine: Engine, guard: ProofGuard | None = None, sender: OtpSender | None = None) -> ProofMethod:
    """The proof the province chose in ``DOSSIER_PROOF``."""
    kind = os.environ.get("DOSSIER_PROOF", "sdt_nam_sinh").strip().lower()
    if kind == "sdt_nam_sinh":
        return PhoneAndBirthYear()
    if kind == "ma_tra_cuu":
        return LookupSecret()
    if kind == "otp":
        return OneTimeCode(engine, sender or HttpOtpSender.from_env(), guard or ProofGuard(engine))
    raise ValueError(f"DOSSIER_PROOF must be 'sdt_nam_sinh', 'ma_tra_cuu' or 'otp', not {kind!r}")
