"""The OA access and refresh tokens, kept on disk because refresh tokens are single-use.

After a refresh the old refresh token is dead; losing the new pair (a crash,
a restart that reads the environment again) would lock the bot out of the
OA until someone issues tokens by hand. The pair is written atomically with
owner-only permissions; the environment only seeds the first pair.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str


class TokenStore:
    def __init__(self, path: Path, seed: TokenPair):
        self.path = path
        self._seed = seed

    def load(self) -> TokenPair:
        """The newest pair: the file once a refresh happened, else the environment's."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return TokenPair(str(data["access_token"]), str(data["refresh_token"]))
        except (OSError, ValueError, KeyError, TypeError):
            return self._seed

    def save(self, pair: TokenPair) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".zalo-tokens-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"access_token": pair.access_token, "refresh_token": pair.refresh_token}, handle)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
