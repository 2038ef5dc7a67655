"""Adding a citizen's wording as an alias of a procedure, from the console in one step.

The alias is published like any edit: the procedure's YAML file is rewritten
(the action server picks it up within seconds, no retraining) and the
caller audits the diff. An imported national procedure has no file of its own:
its new name goes to ``folk_names.yml`` under its code, comments kept.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from knowledge.files import write_atomically
from knowledge.folk_names import FILE_NAME as FOLK_NAMES
from knowledge.folk_names import load_folk_names
from knowledge.loader import load_procedure, procedure_files
from knowledge.national import national_path
from knowledge.schema import NationalProcedure, Procedure
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
        if other.id != procedure_id and key in {name_key(n) for n in (other.name, *other.aliases,
                                                                       *other.search_aliases)}:
            names.append(other.name)
    return names


def _add_folk_name(kb_dir: Path, record: NationalProcedure, alias: str,
                   write: Callable[[Path, str], None] = write_atomically) -> AliasAdded:
    path = kb_dir / FOLK_NAMES
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    known = load_folk_names(path).get(record.code, [])
    if name_key(alias) in {name_key(n) for n in (record.name, *known)}:
        raise AliasRefused(f"“{alias}” đã là tên gọi của thủ tục {record.name}.")
    yaml = YAML()  # round trip: comments, quotes and layout stay as officers wrote them
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    data = yaml.load(old) if old.strip() else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    names = data.get(record.code)
    if not isinstance(names, CommentedSeq):
        names = CommentedSeq()
        data[DoubleQuotedScalarString(record.code)] = names
        data.yaml_add_eol_comment(record.name[:100], record.code)
    names.append(alias)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    new = buffer.getvalue()
    write(path, new)
    diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"a/{FOLK_NAMES}", f"b/{FOLK_NAMES}"))
    return AliasAdded(record.copy(update={"aliases": [*known, alias]}), alias, diff,
                      _others_using(kb_dir, record.id, name_key(alias)))


def add_alias(kb_dir: Path, procedure_id: str, text: str,
              write: Callable[[Path, str], None] = write_atomically) -> AliasAdded:
    """Publish (with ``write``) ``text`` as a new alias of the procedure; refuse duplicates and junk."""
    alias = clean_alias(text)
    data = load_plain(kb_dir, procedure_id)
    if data is None:
        record_path = national_path(kb_dir, procedure_id)
        if record_path is not None and record_path.is_file():
            return _add_folk_name(kb_dir, NationalProcedure.parse_raw(record_path.read_bytes()), alias, write)
        raise AliasRefused("Không có thủ tục này; hãy chọn thủ tục trong danh sách.")
    key = name_key(alias)
    if key in {name_key(n) for n in (data["name"], *data["aliases"], *data.get("search_aliases", []))}:
        raise AliasRefused(f"“{alias}” đã là tên gọi của thủ tục {data['name']}.")
    data["aliases"] = [*data["aliases"], alias]
    procedure = Procedure.parse_obj(data)
    diff = publish(kb_dir, procedure, write)
    return AliasAdded(procedure, alias, diff, _others_using(kb_dir, procedure_id, key))
