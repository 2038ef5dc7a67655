"""The one interface every dossier source implements, and the error they all raise.

The sources (:mod:`actions.dossiers.store`, :mod:`actions.dossiers.http_backend`)
import this module; it imports neither of them. :mod:`actions.dossiers.sources`
chooses one from the environment.
"""

from __future__ import annotations

from typing import Protocol

from actions.dossiers.model import Dossier


class BackendUnavailable(Exception):
    """The dossier source is down, too slow, misconfigured or answered garbage."""


class DossierBackend(Protocol):
    """Where dossier statuses come from."""

    async def fetch(self, code: str) -> Dossier | None:
        """The dossier with canonical ``code``, ``None`` if unknown; ``BackendUnavailable`` on failure."""

    async def close(self) -> None:
        """Release connections."""

