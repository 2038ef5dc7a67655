import pytest

from knowledge.loader import load_procedure
from knowledge.schema import Procedure
from web.console import procedure_form as pf
from web.console.publish import plain, publish, render_yaml


def flatten(widgets, form):
    """What a browser would submit for these widgets."""
    for w in widgets:
        if w.kind == "list":
            for item in w.items:
                flatten(item, form)
        elif w.kind == "group":
            flatten(w.children, form)
        elif w.kind == "choices":
            form.setdefault(w.path, []).extend(w.value)
        else:
            form[w.path] = [w.value]
    return form


def read(form):
    single = {k: v[0] for k, v in form.items() if v}
    return pf.read_form(Procedure, single, lambda key: form.get(key, []))


def test_every_shipped_procedure_survives_the_form_unchanged(real_kb):
    assert len(real_kb.curated) >= 30
    for proc in real_kb.curated.values():
        data = plain(proc)
        assert read(flatten(pf.widgets(Procedure, data, {}), {})) == data, proc.id


def test_removed_items_are_dropped_and_added_items_appear(real_kb):
    data = plain(real_kb.curated["dang_ky_khai_sinh"])
    form = flatten(pf.widgets(Procedure, data, {}), {})
    form["channels.0._remove"] = ["1"]
    assert len(read(form)["channels"]) == len(data["channels"]) - 1
    pf.add_item(data, "cases.0.papers")
    assert data["cases"][0]["papers"][-1] == {}


def test_errors_are_keyed_by_path_in_vietnamese(real_kb):
    data = plain(real_kb.curated["dang_ky_khai_sinh"])
    data["channels"][0]["kind"] = "bay"
    data["source"]["url"] = "not a url"
    proc, errors = pf.validate(data)
    assert proc is None and set(errors) >= {"channels.0.kind", "source.url"}
    widgets = {w.path: w for w in pf.widgets(Procedure, data, errors)}
    assert widgets["source"].children[1].error == errors["source.url"]


def test_publish_keeps_the_header_comment_and_returns_a_diff(kb_dir):
    path = kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    path.write_text("# ghi chú của cán bộ\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    proc = load_procedure(path)
    changed = Procedure.parse_obj({**plain(proc), "result": "Giấy khai sinh (bản chính)."})
    diff = publish(kb_dir, changed)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ghi chú của cán bộ\n") and "+result: Giấy khai sinh (bản chính)." in diff
    assert load_procedure(path) == changed
    assert not list((kb_dir / "procedures").glob(".publish-*"))
    assert publish(kb_dir, changed) == ""  # nothing changed, nothing to audit


@pytest.mark.parametrize("proc_id", ["dang_ky_khai_sinh", "cap_ho_chieu_pho_thong"])
def test_rendered_yaml_loads_back_identically(tmp_path, real_kb, proc_id):
    proc = real_kb.curated[proc_id]
    path = tmp_path / f"{proc_id}.yml"
    path.write_text(render_yaml(proc), encoding="utf-8")
    assert load_procedure(path) == proc
