"""The one interface every dossier source implements, and the choice of source from the environment.

``DOSSIER_BACKEND=sqlite`` (default): the embedded database filled by
``python -m actions.dossiers import FILE.csv``. ``DOSSIER_BACKEND=http``: a
one-stop system's REST API (see :mod:`actions.dossier_http`).
"""

from __future__ import annotations

import os
from typing import Protocol

from actions.dossier_model import Dossier


class BackendUnavailable(Exception):
    """The dossier source is down, too slow, misconfigured or answered garbage."""


class DossierBackend(Protocol):
    """Where dossier statuses come from."""

    async def fetch(self, code: str) -> Dossier | None:
        """The dossier with canonical ``code``, ``None`` if unknown; ``BackendUnavailable`` on failure."""

    async def close(self) -> None:
        """Release connections."""


def backend_from_env() -> DossierBackend:
    """Build the backend the environment asks for (read once per action-server process)."""
    kind = os.environ.get("DOSSIER_BACKEND", "sqlite").strip().lower()
    if kind == "http":
        from actions.dossier_http import HttpDossierBackend

        return HttpDossierBackend.from_env()
    if kind == "sqlite":
        from actions.dossier_store import DossierStore

        return DossierStore.from_env()
    raise ValueError(f"DOSSIER_BACKEND must be 'sqlite' or 'http', not {kind!r}")
