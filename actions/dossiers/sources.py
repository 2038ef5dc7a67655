"""The dossier source the environment asks for.

``DOSSIER_BACKEND=sqlite`` (default): the embedded database filled by
``python -m actions.dossiers import FILE.csv``. ``DOSSIER_BACKEND=http``: a
one-stop system's REST API (see :mod:`actions.dossiers.http_backend`).
"""

from __future__ import annotations

import os

from actions.dossiers.backend import DossierBackend
from actions.dossiers.http_backend import HttpDossierBackend
from actions.dossiers.store import DossierStore


def backend_from_env() -> DossierBackend:
    """Build the backend the environment asks for (read once per action-server process)."""
    kind = os.environ.get("DOSSIER_BACKEND", "sqlite").strip().lower()
    if kind == "http":
        return HttpDossierBackend.from_env()
    if kind == "sqlite":
        return DossierStore.from_env()
    raise ValueError(f"DOSSIER_BACKEND must be 'sqlite' or 'http', not {kind!r}")
