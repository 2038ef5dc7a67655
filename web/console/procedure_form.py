"""A procedure edit form built from the knowledge-base schema, and the way back to data.

Field names are dotted paths (``channels.0.fee``, ``cases.1.papers.0.name``),
so every nested model and list in :class:`knowledge.schema.Procedure` gets
inputs without a line of form code per field. Lists of words (aliases,
steps, legal basis) are text areas, one item per line. Adding to or removing
from a list of models happens in the form itself (``_add`` / ``.._remove``)
before anything is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Dict, List, Mapping, Type

from pydantic import BaseModel, ValidationError
from pydantic.fields import SHAPE_LIST, ModelField

from knowledge.loader import FIELD_LABELS, explain
from knowledge.schema import Procedure

LINES = "lines"  # a list of plain values, one per line


@dataclass
class Widget:
    """One input (or group of inputs) of the form, for the template."""

    kind: str  # text, textarea, lines, select, choices, date, number, group, list
    path: str
    label: str
    value: Any = ""
    options: List[str] = field(default_factory=list)
    children: List[Widget] = field(default_factory=list)
    items: List[List[Widget]] = field(default_factory=list)
    error: str = ""


_LONG = {"where_to_submit", "agency", "fee", "processing_time", "note", "result"}


def _label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_int(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, int) and not issubclass(tp, (bool, Enum))


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Enum)


def widgets(
    model: Type[BaseModel], data: Mapping[str, Any], errors: Mapping[str, str], prefix: str = ""
) -> List[Widget]:
    """The form for ``data`` (plain values, as in the YAML file), with errors by dotted path."""
    out: List[Widget] = []
    for name, mf in model.__fields__.items():
        path = f"{prefix}{name}"
        value = data.get(name) if isinstance(data, Mapping) else None
        out.append(_widget(mf, path, name, value, errors))
    return out


def _widget(mf: ModelField, path: str, name: str, value: Any, errors: Mapping[str, str]) -> Widget:
    tp, label, error = mf.type_, _label(name), errors.get(path, "")
    if mf.shape == SHAPE_LIST and _is_model(tp):
        items = [widgets(tp, item, errors, f"{path}.{i}.") for i, item in enumerate(value or [])]
        return Widget("list", path, label, items=items, error=error)
    if mf.shape == SHAPE_LIST and _is_enum(tp):
        return Widget("choices", path, label, [str(v) for v in (value or [])], [e.value for e in tp], error=error)
    if mf.shape == SHAPE_LIST:
        return Widget("lines", path, label, "\n".join(str(v) for v in (value or [])), error=error)
    if _is_model(tp):
        return Widget("group", path, label, children=widgets(tp, value or {}, errors, f"{path}."), error=error)
    if _is_enum(tp):
        return Widget("select", path, label, str(value or ""), [e.value for e in tp], error=error)
    if tp is date:
        return Widget("date", path, label, str(value or ""), error=error)
    if _is_int(tp):
        return Widget("number", path, label, "" if value is None else str(value), error=error)
    kind = "textarea" if name in _LONG else "text"
    return Widget(kind, path, label, "" if value is None else str(value), error=error)


def _indices(form: Mapping[str, str], path: str) -> List[int]:
    found = set()
    for key in form.keys():
        if key.startswith(path + "."):
            head = key[len(path) + 1:].split(".", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return sorted(found)


def read_form(model: Type[BaseModel], form: Mapping[str, str], getall=None, prefix: str = "") -> Dict[str, Any]:
    """Plain data from a submitted form; lists of models keep their order, minus removed items."""
    getall = getall or (lambda key: [form[key]] if key in form else [])
    data: Dict[str, Any] = {}
    for name, mf in model.__fields__.items():
        path, tp = f"{prefix}{name}", mf.type_
        if mf.shape == SHAPE_LIST and _is_model(tp):
            data[name] = [
                read_form(tp, form, getall, f"{path}.{i}.")
                for i in _indices(form, path)
                if not form.get(f"{path}.{i}._remove")
            ]
        elif mf.shape == SHAPE_LIST and _is_enum(tp):
            data[name] = [v for v in getall(path) if v]
        elif mf.shape == SHAPE_LIST:
            data[name] = [line.strip() for line in form.get(path, "").splitlines() if line.strip()]
        elif _is_model(tp):
            data[name] = read_form(tp, form, getall, f"{path}.")
        elif _is_int(tp):
            raw = form.get(path, "").strip()
            data[name] = int(raw) if raw.lstrip("-").isdigit() else raw
        else:
            data[name] = form.get(path, "").strip()
    return data


def add_item(data: Dict[str, Any], path: str) -> None:
    """Append an empty item to the list of models at dotted ``path`` (the form's "Thêm" buttons)."""
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node.setdefault(parts[-1], []).append({})


def validate(data: Dict[str, Any]) -> tuple[Procedure | None, Dict[str, str]]:
    """The procedure, or Vietnamese messages keyed by the dotted path of each wrong field."""
    try:
        return Procedure.parse_obj(data), {}
    except ValidationError as exc:
        errors: Dict[str, str] = {}
        for error in exc.errors():
            path = ".".join(str(p) for p in error["loc"])
            errors.setdefault(path, explain(error))
        return None, errors
