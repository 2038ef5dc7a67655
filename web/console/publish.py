"""Publishing a procedure: the YAML file under knowledge/procedures/ is the source of truth.

The file is written atomically (the action server reloads it within
seconds and never sees half a file), keeps the comment lines at its top,
and every publish is audited with a unified diff.
"""

from __future__ import annotations

import difflib
import io
import json
from pathlib import Path
from typing import Any, Callable, Dict

from ruamel.yaml import YAML

from knowledge.files import write_atomically
from knowledge.loader import load_procedure
from knowledge.schema import Procedure


def procedure_path(kb_dir: Path, procedure_id: str) -> Path:
    return kb_dir / "procedures" / f"{procedure_id}.yml"


def plain(procedure: Procedure) -> Dict[str, Any]:
    """JSON-like data (enums as values, dates as ISO text) in schema order."""
    return json.loads(procedure.json())


def load_plain(kb_dir: Path, procedure_id: str) -> Dict[str, Any] | None:
    path = procedure_path(kb_dir, procedure_id)
    return plain(load_procedure(path)) if path.is_file() else None


def render_yaml(procedure: Procedure, header: str = "") -> str:
    yaml = YAML()
    yaml.width = 100
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(plain(procedure), buffer)
    return header + buffer.getvalue()


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def publish(kb_dir: Path, procedure: Procedure, write: Callable[[Path, str], None] = write_atomically) -> str:
    """Write the procedure's file (with ``write``: an editor's change is only proposed); return the diff."""
    path = procedure_path(kb_dir, procedure.id)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    new = render_yaml(procedure, _header(old))
    write(path, new)
    return "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True),
        f"a/procedures/{path.name}", f"b/procedures/{path.name}",
    ))
