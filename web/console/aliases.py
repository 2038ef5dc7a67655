"""Adding a citizen's wording as an alias of a procedure, from the console in one step.

The alias is published like any edit: the procedure's YAML file is rewritten
(the action server picks it up within seconds, no retraining) and the
caller audits the diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List

from knowledge.loader import load_procedure, procedure_files
from knowledge.schema import Procedure
from knowledge.vntext import canonical, is_unreadable, name_key
from web.console.publish import load_plain, publish

MAX_ALIAS = 100


class AliasRefused(ValueError):
    """The alias cannot be added; the message says why, in Vietnamese."""


@dataclass
class AliasAdded:
    procedure: Procedure
    alias: str
    diff: str
    shared_with: List[str]


def clean_alias(text: str) -> str:
    alias = " ".join(canonical(text or "").split()).strip(" .,;:!?")
    if is_unreadable(alias):
        raise AliasRefused("Tên gọi trống hoặc không có chữ; hãy gõ lại tên gọi.")
    if len(alias) > MAX_ALIAS:
        raise AliasRefused(f"Tên gọi dài quá {MAX_ALIAS} ký tự; hãy rút gọn còn cụm từ chỉ thủ tục.")
    return alias


def _others_using(kb_dir: Path, procedure_id: str, key: str) -> List[str]:
    names = []
    for path in procedure_files(kb_dir / "procedures"):
        try:
            other = load_procedure(path)
        except Exception:  # noqa: BLE001 - a broken neighbour file is reported by kb-check, not here
            continue
        if other.id != procedure_id and key in {name_key(n) for n in (other.name, *other.aliases)}:
            names.append(other.name)
    return names


def add_alias(kb_dir: Path, procedure_id: str, text: str) -> AliasAdded:
    """Publish ``text`` as a new alias of the procedure; refuse duplicates and junk."""
    alias = clean_alias(text)
    data = load_plain(kb_dir, procedure_id)
    if data is None:
        raise AliasRefused("Không có thủ tục này; hãy chọn thủ tục trong danh sách.")
    key = name_key(alias)
    if key in {name_key(n) for n in (data["name"], *data["aliases"])}:
        raise AliasRefused(f"“{alias}” đã là tên gọi của thủ tục {data['name']}.")
    data["aliases"] = [*data["aliases"], alias]
    procedure = Procedure.parse_obj(data)
    diff = publish(kb_dir, procedure)
    return AliasAdded(procedure, alias, diff, _others_using(kb_dir, procedure_id, key))
