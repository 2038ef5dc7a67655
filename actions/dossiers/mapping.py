"""From a one-stop system's JSON to a :class:`Dossier`: the one piece to replace per province.

Provinces run different systems (VNPT iGate, OpenCPS, others) whose APIs name
fields differently. Point ``DOSSIER_API_MAPPING`` at a function
``module:function`` taking the decoded JSON and returning a ``Dossier``; the
default reads the shape documented in the README:

    {"code": "000.00.07.H29-261101-0042", "procedureName": "...",
     "applicantName": "...", "phone": "0912345678", "status": 4,
     "receivedDate": "2026-11-01", "appointmentDate": "2026-11-08",
     "resultDate": null, "note": "...",
     "birthYear": 1990, "lookupSecret": "K7QX3M9P"}

``birthYear`` (or ``birthDate``) and ``lookupSecret`` are optional; the proof
the province chose (``DOSSIER_PROOF``) needs one of them. The secret is kept
only as a digest.

Dates may be ``YYYY-MM-DD`` or ISO date-times; a body may wrap the dossier in
``{"data": {...}}``. Anything else raises ``ValueError``.
"""

from __future__ import annotations

import importlib
from datetime import date, datetime
from typing import Any, Callable, Mapping

from actions.dossiers.model import Dossier, birth_year, last4, parse_status
from actions.dossiers.proofs import secret_digest
from knowledge.dossier_codes import find_code
from records.privacy import mask_name, mask_text

Mapping_ = Callable[[Any], Dossier]


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected a date string")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"{field}: not an ISO date: {value!r}") from None


def _text(body: Mapping[str, Any], field: str, required: bool = True) -> str:
    value = body.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{field}: expected text")
    return value.strip()


def generic(body: Any) -> Dossier:
    """The default mapping (see the module docstring)."""
    if isinstance(body, Mapping) and isinstance(body.get("data"), Mapping):
        body = body["data"]
    if not isinstance(body, Mapping):
        raise ValueError("expected a JSON object")
    code = find_code(_text(body, "code"))
    if code is None:
        raise ValueError("code: not a dossier code")
    phone_last4 = last4(_text(body, "phone"))
    if not phone_last4:
        raise ValueError("phone: fewer than 4 digits")
    return Dossier(
        code=code,
        procedure_name=_text(body, "procedureName"),
        masked_name=mask_name(_text(body, "applicantName", required=False)),
        phone_last4=phone_last4,
        status=parse_status(body.get("status")),
        received=_date(body.get("receivedDate"), "receivedDate"),
        appointment=_date(body.get("appointmentDate"), "appointmentDate"),
        result_date=_date(body.get("resultDate"), "resultDate"),
        note=mask_text(_text(body, "note", required=False), names=[_text(body, "applicantName", required=False)]),
        birth_year=birth_year(str(body.get("birthYear") or body.get("birthDate") or "")),
        secret_digest=secret_digest(code, secret) if (secret := _text(body, "lookupSecret", required=False)) else "",
    )


def load_mapping(spec: str | None) -> Mapping_:
    """``module:function`` to a callable; empty means :func:`generic`."""
    if not spec:
        return generic
    module_name, _, attr = spec.partition(":")
    function = getattr(importlib.import_module(module_name), attr or "generic")
    if not callable(function):
        raise ValueError(f"DOSSIER_API_MAPPING {spec!r} is not callable")
    return function
