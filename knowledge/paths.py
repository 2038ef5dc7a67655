"""Where the knowledge base lives; overridable so deployments can mount their own."""

from __future__ import annotations

import os
from pathlib import Path

KNOWLEDGE_DIR = Path(os.environ.get("KNOWLEDGE_DIR", Path(__file__).resolve().parent))
