"""The staff console's web pages under ``/console/`` (an aiohttp sub-application).

Every page needs a session (anonymous visitors are sent to the login page,
anonymous API calls get 401); every POST carries the session's CSRF token.
Templates are Jinja2 with autoescaping, so whatever staff type is shown as
text everywhere.
"""

from __future__ import annotations

import hmac
import os
import secrets
import shutil
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Dict
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup, escape

from knowledge.base import KnowledgeBase
from knowledge.loader import KnowledgeFileError, load_procedure, procedure_files
from knowledge.national import procedure_id
from knowledge.schema import NationalProcedure, Procedure
from knowledge.tthc_import import promote, staging_dir
from knowledge.vntext import fold
from records.clients import forwarded_address
from records.events import ALIASED, ANSWERED, DISMISSED, EventLog
from records.reviews import LABELS as REVIEW_LABELS
from records.reviews import ReviewLog
from replies.answers import ASPECT_LABELS, Aspect, answer
from web.console import procedure_form as pf
from web.console import records, statistics
from web.console.accounts import Accounts, CodeNeeded, LoginRefused, Session
from web.console.aliases import AliasRefused, add_alias
from web.console.core import ACCOUNTS, HERE, KB, SESSION, SESSION_COOKIE, page, templates  # noqa: F401
from web.console.live import setup_live
from web.console.proposals import Collector, ProposalConflict, Proposals
from web.console.publish import load_plain, plain, procedure_path, publish
from web.console.questions import QuestionRefused, phrasings_from, save_question
from web.console.unanswered import (
    MAX_EVENTS,
    GroupPage,
    group_questions,
    page_number,
    page_of,
    recent_questions,
    suggest_procedures,
)

LOGIN_CSRF_COOKIE = "tl_console_login"
KB_DIR = web.AppKey("kb_dir", Path)
STALE_DAYS = web.AppKey("stale_days", int)
EVENTS = web.AppKey("events", EventLog)
REVIEWS = web.AppKey("reviews", ReviewLog)
PROPOSALS = web.AppKey("proposals", Proposals)
STATS_DAYS = 30
KIND_LABELS = {"fallback": "không hiểu", "unresolved": "không tìm thấy thủ tục", "feedback_down": "👎"}

BLANK: Dict[str, Any] = {
    "id": "", "code": "", "codes": [], "name": "", "aliases": [], "field": "", "agency": "", "levels": ["xa"],
    "where_to_submit": "", "channels": [{"kind": "truc_tiep"}], "cases": [{"id": "chung", "name": "", "papers": [{}]}],
    "steps": [], "conditions": [], "result": "", "legal_basis": [], "online": {"level": "khong"}, "notes": [],
    "source": {"name": "Cổng Dịch vụ công quốc gia", "url": "https://dichvucong.gov.vn"},
    "last_reviewed": date.today().isoformat(),
}


def _secure(request: web.Request) -> bool:
    return request.secure or os.environ.get("CONSOLE_SECURE_COOKIES") == "1"


@web.middleware
async def require_session(request: web.Request, handler):
    """Login for pages, 401 for the API, CSRF for every POST."""
    if request.path.startswith(("/console/login", "/console/static/")):
        return await handler(request)
    session = request.app[ACCOUNTS].session(request.cookies.get(SESSION_COOKIE))
    if session is None:
        if request.path.startswith("/console/api/"):
            return web.json_response({"error": "cần đăng nhập"}, status=401)
        raise web.HTTPFound("/console/login")
    if request.method == "POST":
        form = await request.post()
        if not hmac.compare_digest(str(form.get("csrf", "")).encode(), session.csrf.encode()):
            return web.Response(status=403, text="Phiên làm việc không hợp lệ (CSRF). Tải lại trang rồi thử lại.")
    request[SESSION] = session
    return await handler(request)


async def login_form(request: web.Request, error: str = "", name: str = "", status: int = 200,
                     pending: str = "") -> web.Response:
    """The log-in form; with ``pending`` (the right password given, two-step log-in) the form for the code."""
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", status=status, title="Đăng nhập", login_csrf=token, error=error, name=name,
                    pending=pending)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", path="/console/",
                        secure=_secure(request))
    return response


def client_address(request: web.Request) -> str:
    """The address log-ins are throttled by: the TCP peer, or behind ``TRUSTED_PROXY_HOPS`` proxies of ours
    the ``X-Forwarded-For`` entry the outermost of them added (see :mod:`records.clients`)."""
    return forwarded_address(request.remote, ",".join(request.headers.getall("X-Forwarded-For", [])))


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(str(form.get("csrf", "")).encode(), expected.encode()):
        return await login_form(request, "Phiên đăng nhập đã hết hạn, vui lòng thử lại.", status=403)
    name = str(form.get("name", ""))
    try:  # argon2 runs in a worker thread: the widget and the console stay responsive during a burst of log-ins
        session = await request.app[ACCOUNTS].alogin(name, str(form.get("password", "")), client_address(request))
    except LoginRefused as exc:
        return await login_form(request, str(exc), name, status=401)
    except CodeNeeded as needed:
        return await login_form(request, pending=needed.pending)
    raise _logged_in(request, session)


async def login_code(request: web.Request) -> web.Response:
    """The second step of a two-step log-in: the pending token from the first and the authenticator's code."""
    form = await request.post()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(str(form.get("csrf", "")).encode(), expected.encode()):
        return await login_form(request, "Phiên đăng nhập đã hết hạn, vui lòng thử lại.", status=403)
    try:
        session = await request.app[ACCOUNTS].alogin_code(str(form.get("pending", "")), str(form.get("code", "")))
    except LoginRefused as exc:
        return await login_form(request, str(exc), status=401)
    raise _logged_in(request, session)


def _logged_in(request: web.Request, session: Session) -> web.HTTPFound:
    """The redirect to the console carrying the new session's cookie."""
    response = web.HTTPFound("/console/")
    response.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="Strict", path="/console/",
                        secure=_secure(request), max_age=8 * 3600)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/console/")
    return response


async def logout(request: web.Request) -> web.Response:
    request.app[ACCOUNTS].logout(request[SESSION].token)
    response = web.HTTPFound("/console/login")
    response.del_cookie(SESSION_COOKIE, path="/console/")
    raise response


def _procedures(kb_dir: Path) -> list[Procedure]:
    found = []
    for path in procedure_files(kb_dir / "procedures"):
        try:
            found.append(load_procedure(path))
        except KnowledgeFileError:
            continue
    return found


def _rows(request: web.Request, query: str) -> list[dict]:
    limit = date.today() - timedelta(days=request.app[STALE_DAYS])
    wanted = fold(query).lower().split()
    rows = []
    for proc in _procedures(request.app[KB_DIR]):
        text = fold(" ".join([proc.name, proc.id, proc.code, *proc.aliases])).lower()
        if all(word in text for word in wanted):
            rows.append({"id": proc.id, "name": proc.name, "code": proc.code,
                         "last_reviewed": proc.last_reviewed.strftime("%d/%m/%Y"), "stale": proc.last_reviewed < limit})
    return sorted(rows, key=lambda r: fold(r["name"]).lower())


def _stale_before(request: web.Request) -> date:
    return date.today() - timedelta(days=request.app[STALE_DAYS])


async def index(request: web.Request) -> web.Response:
    query = request.query.get("q", "")
    imported, total = records.record_rows(request.app[KB], query, _stale_before(request))
    return page(request, "list.html", title="Thủ tục", rows=_rows(request, query), imported=imported,
                imported_total=total, max_rows=records.MAX_ROWS, q=query)


async def api_procedures(request: web.Request) -> web.Response:
    query = request.query.get("q", "")
    curated = [{**row, "kind": "curated"} for row in _rows(request, query)]
    return web.json_response(curated + records.record_rows(request.app[KB], query, _stale_before(request))[0])


def _record(request: web.Request) -> NationalProcedure:
    proc = request.app[KB].get(procedure_id(request.match_info["code"]))
    if not isinstance(proc, NationalProcedure):
        raise web.HTTPNotFound(text="Không có thủ tục nhập từ Cổng với mã này.")
    return proc


async def record_page(request: web.Request) -> web.Response:
    proc = _record(request)
    return page(request, "record.html", title=proc.name, proc=proc, preview=_answers(proc),
                stale=proc.last_reviewed < _stale_before(request))


def _import_context(request: web.Request) -> Dict[str, Any]:
    found = records.snapshots(request.app[KB_DIR])
    live, staged, diff = found.live, found.staged, found.diff
    return {
        "live_count": len(live.by_code), "live_date": live.snapshot.strftime("%d/%m/%Y") if live.snapshot else "—",
        "diff": diff, "staged_date": staged.snapshot.strftime("%d/%m/%Y") if staged and staged.snapshot else "—",
        "names": {**{c: p.name for c, p in live.by_code.items()}, **({c: p.name for c, p in staged.by_code.items()}
                                                                    if staged else {})},
        "can_confirm": request[SESSION].user.role == "admin",
    }


async def import_page(request: web.Request, notice: str = "") -> web.Response:
    return page(request, "import.html", title="Nhập dữ liệu quốc gia", notice=notice, **_import_context(request))


async def import_decide(request: web.Request) -> web.Response:
    """Confirm (put in service) or discard the staged snapshot; administrators only, audited."""
    session: Session = request[SESSION]
    if session.user.role != "admin":
        raise web.HTTPForbidden(text="Chỉ quản trị viên xác nhận được dữ liệu quốc gia mới.")
    kb_dir = request.app[KB_DIR]
    diff = records.snapshots(kb_dir).diff
    if diff is None:
        return await import_page(request, notice="Không có dữ liệu mới chờ xác nhận.")
    staged = staging_dir(kb_dir / "national")
    if request.path.endswith("/confirm"):
        promote(staged, kb_dir / "national")
        request.app[KB].refresh(force=True)
        action, notice = "import", f"Đã đưa bản mới vào sử dụng: {diff.summary()}."
    else:
        shutil.rmtree(staged)
        action, notice = "import-discard", "Đã hủy bản mới; trợ lý vẫn dùng dữ liệu cũ."
    request.app[ACCOUNTS].record(session.user, "", action, diff.summary())
    return await import_page(request, notice=notice)


def _edit_page(request, data, errors, heading, preview=None, notice="", status=200) -> web.Response:
    return page(request, "edit.html", status=status, title=heading, heading=heading,
                form=pf.widgets(Procedure, data, errors), errors=errors, preview=preview, notice=notice)


async def edit(request: web.Request) -> web.Response:
    proc_id = request.match_info["id"]
    kb_dir = request.app[KB_DIR]
    if proc_id == "new" and request.query.get("from_record"):
        record = request.app[KB].get(procedure_id(request.query["from_record"]))
        if not isinstance(record, NationalProcedure):
            raise web.HTTPNotFound(text="Không có thủ tục nhập từ Cổng với mã này.")
        return _edit_page(request, records.prefill(record), {}, f"Bổ sung cho: {record.name}")
    if proc_id == "new":
        source = request.query.get("copy_of")
        data = dict(load_plain(kb_dir, source) or BLANK) if source else dict(BLANK)
        if source:
            data.update(id="", code="", name=f"{data['name']} (bản sao)")
        return _edit_page(request, data, {}, "Thủ tục mới")
    try:
        data = load_plain(kb_dir, proc_id)
    except KnowledgeFileError as exc:
        return page(request, "audit.html", status=500, title="Lỗi tệp", entries=[], notice=str(exc))
    if data is None:
        raise web.HTTPNotFound(text="Không có thủ tục này.")
    return _edit_page(request, data, {}, data["name"])


def _answers(proc: Procedure) -> list:
    return [(ASPECT_LABELS[a], answer(proc, a).texts) for a in Aspect]


def _preview(request: web.Request, proc: Procedure) -> list:
    """The bot's answers as citizens will get them: overlaid on the official record, if the entry has one."""
    return _answers(request.app[KB].serve(proc))


async def save(request: web.Request) -> web.Response:
    form = await request.post()
    proc_id = request.match_info["id"]
    data = pf.read_form(Procedure, form, form.getall)
    action = str(form.get("action", "preview"))
    heading = data.get("name") or "Thủ tục mới"
    if action.startswith("add:"):
        pf.add_item(data, action[4:])
        return _edit_page(request, data, {}, heading)
    proc, errors = pf.validate(data)
    if proc is not None and proc_id != "new" and proc.id != proc_id:
        errors = {"id": "Không đổi mã định danh (id) của thủ tục đã có; hãy nhân bản thành thủ tục mới."}
    if proc is not None and proc_id == "new" and procedure_path(request.app[KB_DIR], proc.id).exists():
        errors = {"id": f"Đã có thủ tục với id {proc.id}; chọn id khác."}
    if errors or proc is None:
        return _edit_page(request, data, errors, heading, status=422)
    if action != "publish":
        return _edit_page(request, plain(proc), {}, proc.name, preview=_preview(request, proc))
    session: Session = request[SESSION]
    kind = "new" if proc_id == "new" else "publish"
    if not _publishes(session):
        collector = Collector(request.app[KB_DIR])
        diff = publish(request.app[KB_DIR], proc, collector)
        _propose(request, kind, proc.id, proc.name, collector, diff)
        notice = f"Đã gửi đề xuất sửa {proc.name}; nội dung mới có hiệu lực khi quản trị viên duyệt."
        return _edit_page(request, plain(proc), {}, proc.name, preview=_preview(request, proc), notice=notice)
    diff = publish(request.app[KB_DIR], proc)
    request.app[ACCOUNTS].record(session.user, proc.id, kind, diff or "(không đổi)")
    notice = f"Đã xuất bản {proc.name}. Trợ lý dùng nội dung mới trong vài giây, không cần huấn luyện lại."
    return _edit_page(request, plain(proc), {}, proc.name, preview=_preview(request, proc), notice=notice)


def _publishes(session: Session) -> bool:
    """Administrators publish at once; editors' changes wait for an administrator's review."""
    return session.user.role == "admin"


def _propose(request: web.Request, kind: str, procedure_id: str, summary: str, collector: Collector,
             diff: str) -> None:
    proposal = request.app[PROPOSALS].propose(request[SESSION].user.name, kind, procedure_id, summary, collector,
                                              diff)
    request.app[ACCOUNTS].record(request[SESSION].user, procedure_id, f"propose #{proposal.id} ({kind})",
                                 diff or "(không đổi)")


async def proposals_page(request: web.Request, notice: str = "", error: str = "", status: int = 200) -> web.Response:
    items = [{"id": p.id, "kind": p.kind_label, "procedure_id": p.procedure_id, "summary": p.summary,
              "diff": p.diff, "by": p.proposed_by, "when": statistics.local_time_text(p.proposed_at)}
             for p in request.app[PROPOSALS].pending()]
    return page(request, "proposals.html", status=status, title="Đề xuất chờ duyệt", items=items, notice=notice,
                error=error, can_decide=_publishes(request[SESSION]))


async def decide_proposal(request: web.Request) -> web.Response:
    """Approve (publish) or reject an editor's proposal; administrators only; both names are audited."""
    session: Session = request[SESSION]
    if not _publishes(session):
        raise web.HTTPForbidden(text="Chỉ quản trị viên duyệt được đề xuất.")
    form = await request.post()
    proposal_id = int(request.match_info["id"])
    store = request.app[PROPOSALS]
    proposal = store.get(proposal_id)
    if proposal is None:
        raise web.HTTPNotFound(text="Không có đề xuất này.")
    if form.get("decision") == "reject":
        if store.reject(proposal_id, session.user.name):
            request.app[ACCOUNTS].record(session.user, proposal.procedure_id,
                                         f"reject #{proposal_id} (đề xuất bởi {proposal.proposed_by})", proposal.diff)
        return await proposals_page(request, notice=f"Đã từ chối đề xuất #{proposal_id}.")
    try:
        store.approve(proposal_id, session.user.name, request.app[KB_DIR])
    except ProposalConflict as exc:
        return await proposals_page(request, error=str(exc), status=409)
    request.app[ACCOUNTS].record(session.user, proposal.procedure_id,
                                 f"approve #{proposal_id} {proposal.kind} (đề xuất bởi {proposal.proposed_by})",
                                 proposal.diff or "(không đổi)")
    request.app[KB].refresh(force=True)
    return await proposals_page(request, notice=f"Đã duyệt và xuất bản đề xuất #{proposal_id}; trợ lý dùng nội dung "
                                               "mới trong vài giây.")


async def audit_page(request: web.Request) -> web.Response:
    entries = [
        {"when": statistics.local_time_text(e.at), "user_name": e.user_name,
         "procedure_id": e.procedure_id, "action": e.action, "diff": e.diff}
        for e in request.app[ACCOUNTS].history()
    ]
    return page(request, "audit.html", title="Nhật ký xuất bản", entries=entries)


def _groups(request: web.Request) -> tuple[GroupPage, bool]:
    """The page of groups asked (``?page=N``, most asked first) among the newest open questions, and whether
    older questions were left out. A flood of junk must not make it slow: the questions read, the groups each
    is compared with and the groups shown (each costs a procedure search for its suggestion) are bounded."""
    kb = request.app[KB]
    events, truncated = recent_questions(request.app[EVENTS])
    shown = page_of(group_questions(events, kb.shorthand), page_number(request.query.get("page")))
    suggest_procedures(shown.groups, kb)
    return shown, truncated


def _group_view(group) -> dict:
    return {
        "wording": group.wording, "count": group.count, "ids": ",".join(map(str, group.ids)),
        "examples": group.examples, "channels": group.channels,
        "kinds": {KIND_LABELS.get(k, k): n for k, n in group.kinds.items()},
        "last": statistics.local_time_text(group.last_at),
        "suggested": group.suggested_procedure_id,
    }


def _options(procedures: list[tuple[str, str]]) -> Markup:
    """Every procedure as an ``<option>`` of the page's one ``<datalist>``: a ``<select>`` per group repeated
    the 2,700 records 50 times (a 23 MB page)."""
    return Markup("".join(f'<option value="{escape(pid)}">{escape(name)}</option>' for pid, name in procedures))


def _procedure_id(request: web.Request, chosen: str) -> str:
    """The procedure an officer chose: its id, as the list offers it, or a name that only one procedure has."""
    chosen = " ".join(chosen.split())
    kb = request.app[KB]
    if not chosen or kb.get(chosen) is not None:
        return chosen
    named = {p.id for p in kb.procedures.values() if fold(p.name).lower() == fold(chosen).lower()}
    return named.pop() if len(named) == 1 else chosen


def _ids(form) -> list[int]:
    return [int(part) for part in str(form.get("ids", "")).split(",") if part.strip().isdigit()][:10_000]


async def unanswered_page(request: web.Request, notice: str = "", error: str = "", status: int = 200):
    procedures = sorted({p.id: p.name for p in request.app[KB].procedures.values()}.items(), key=lambda x: fold(x[1]))
    shown, truncated = _groups(request)
    groups = [_group_view(g) for g in shown.groups]
    return page(request, "unanswered.html", status=status, title="Câu hỏi chưa trả lời được", groups=groups,
                procedures=_options(procedures) if groups else "", total=shown.total, shown=shown,
                truncated=truncated, max_events=MAX_EVENTS, notice=notice, error=error)


async def api_unanswered(request: web.Request) -> web.Response:
    shown, truncated = _groups(request)
    return web.json_response([{**_group_view(g), "ids": g.ids} for g in shown.groups], headers={
        "X-Total-Groups": str(shown.total), "X-Page": str(shown.number), "X-Pages": str(shown.pages),
        "X-Questions-Truncated": "1" if truncated else "0"})


async def alias_from_question(request: web.Request) -> web.Response:
    form = await request.post()
    ids = _ids(form)
    publishes = _publishes(request[SESSION])
    collector = Collector(request.app[KB_DIR])
    try:
        added = add_alias(request.app[KB_DIR], _procedure_id(request, str(form.get("procedure_id", ""))),
                          str(form.get("alias", "")),
                          **({} if publishes else {"write": collector}))
    except AliasRefused as exc:
        return await unanswered_page(request, error=str(exc), status=422)
    except KnowledgeFileError as exc:
        return await unanswered_page(request, error=f"Tệp thủ tục đang lỗi, chưa thêm được: {exc}", status=409)
    if not publishes:
        _propose(request, "alias", added.procedure.id, f"{added.alias} → {added.procedure.name}", collector,
                 added.diff)
        return await unanswered_page(request, notice=f"Đã gửi đề xuất thêm “{added.alias}” làm tên gọi của "
                                                     f"{added.procedure.name}; chờ quản trị viên duyệt.")
    request.app[ACCOUNTS].record(request[SESSION].user, added.procedure.id, "alias", added.diff)
    request.app[EVENTS].set_status(ids, ALIASED)
    request.app[KB].refresh(force=True)
    notice = (f"Đã thêm “{added.alias}” làm tên gọi của {added.procedure.name} và xuất bản; "
              "trợ lý dùng tên gọi mới trong vài giây.")
    if added.shared_with:
        notice += f" Lưu ý: tên gọi này cũng dùng cho {', '.join(added.shared_with)}, trợ lý sẽ hỏi lại người dân."
    return await unanswered_page(request, notice=notice)


async def dismiss_question(request: web.Request) -> web.Response:
    form = await request.post()
    ids = _ids(form)
    changed = request.app[EVENTS].set_status(ids, DISMISSED)
    wording = " ".join(str(form.get("alias", "")).split())[:200]
    request.app[ACCOUNTS].record(request[SESSION].user, "", "dismiss", f"{changed} câu hỏi: {wording}")
    return await unanswered_page(request, notice=f"Đã bỏ qua {changed} câu hỏi.")


def _figures(request: web.Request) -> statistics.Figures:
    today = statistics.local_day(time.time())
    since = statistics.day_start(today - timedelta(days=STATS_DAYS - 1))
    names = {p.id: p.name for p in request.app[KB].procedures.values()}
    return statistics.compute(request.app[EVENTS].events(since=since), today, STATS_DAYS, names)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


async def stats_page(request: web.Request) -> web.Response:
    figures = _figures(request)
    labels = [d.day.strftime("%d/%m") for d in figures.days]
    rates = statistics.bars(
        [(d.fallback_rate or 0.0) * 100 for d in figures.days], labels,
        [f"{d.day:%d/%m}: {_percent(d.fallback_rate)} ({d.not_answered}/{d.questions} câu hỏi)" for d in figures.days],
    )
    lookups = statistics.bars([d.lookups for d in figures.days], labels,
                              [f"{d.day:%d/%m}: {d.lookups} lượt tra cứu" for d in figures.days])
    [reviewed] = request.app[REVIEWS].shares()["all"] or [None]
    return page(request, "stats.html", title="Số liệu", figures=figures, percent=_percent, days=STATS_DAYS,
                rate_bars=rates, lookup_bars=lookups, reviewed=reviewed, percent_range=_percent_range)


async def api_stats(request: web.Request) -> web.Response:
    return web.json_response(statistics.as_json(_figures(request)))


# ------------------------------------------------------------ situational questions

def _procedure_or_404(request: web.Request) -> Procedure:
    proc = request.app[KB].get(request.match_info["id"])
    if proc is None:
        raise web.HTTPNotFound(text="Không có thủ tục này.")
    return proc


async def questions_page(request: web.Request, notice: str = "", error: str = "", status: int = 200,
                         draft: Dict[str, str] | None = None) -> web.Response:
    """A procedure's situational questions, each editable, and a form for a new one (prefilled from
    the unanswered-questions page)."""
    proc = _procedure_or_404(request)
    if draft is None:
        draft = {"phrasings": request.query.get("phrasings", ""), "ids": request.query.get("ids", "")}
    return page(request, "questions.html", status=status, title=f"Câu hỏi tình huống: {proc.name}", proc=proc,
                questions=request.app[KB].questions(proc.id), draft=draft, notice=notice, error=error)


async def question_from_unanswered(request: web.Request) -> web.Response:
    """The unanswered-questions page's "new question": the citizen's wording prefilled on the procedure's page."""
    proc = request.app[KB].get(request.query.get("procedure_id"))
    if proc is None:
        return await unanswered_page(request, error="Hãy chọn thủ tục cho câu hỏi tình huống.", status=422)
    query = urlencode({"phrasings": request.query.get("alias", ""), "ids": request.query.get("ids", "")})
    raise web.HTTPFound(f"/console/questions/{proc.id}?{query}#new-question")


async def save_question_form(request: web.Request) -> web.Response:
    proc = _procedure_or_404(request)
    form = await request.post()
    fields = {k: str(form.get(k, "")) for k in ("phrasings", "answer", "basis", "quote", "source_url", "ids",
                                                  "question_id")}
    publishes = _publishes(request[SESSION])
    collector = Collector(request.app[KB_DIR])
    try:
        saved = save_question(request.app[KB_DIR], proc, phrasings=phrasings_from(fields["phrasings"]),
                              answer=fields["answer"], basis=fields["basis"], quote=fields["quote"],
                              source_url=fields["source_url"], question_id=fields["question_id"],
                              **({} if publishes else {"write": collector}))
    except QuestionRefused as exc:
        return await questions_page(request, error=str(exc), status=422, draft=fields)
    if not publishes:
        _propose(request, "question", proc.id, saved.question.phrasings[0], collector, saved.diff)
        return await questions_page(request, notice=f"Đã gửi đề xuất câu hỏi “{saved.question.phrasings[0]}”; "
                                                    "chờ quản trị viên duyệt.")
    request.app[ACCOUNTS].record(request[SESSION].user, proc.id, "question", saved.diff)
    request.app[EVENTS].set_status(_ids(form), ANSWERED)
    request.app[KB].refresh(force=True)
    return await questions_page(request, notice=f"Đã xuất bản câu hỏi “{saved.question.phrasings[0]}”; "
                                                "trợ lý trả lời theo câu này trong vài giây, không cần huấn luyện lại.")


# ------------------------------------------------------------ review queue

def _percent_range(low: float, high: float) -> str:
    return f"{low * 100:.0f}–{high * 100:.0f} %"


async def review_page(request: web.Request, notice: str = "", status: int = 200) -> web.Response:
    reviews = request.app[REVIEWS]
    sample = reviews.sample()
    names = {p.id: p.name for p in request.app[KB].procedures.values()}
    return page(request, "review.html", status=status, title="Rà soát câu trả lời", sample=sample,
                labels=REVIEW_LABELS, shares=reviews.shares(), names=names, notice=notice,
                when=statistics.local_time_text, percent=_percent, percent_range=_percent_range)


async def review_label(request: web.Request) -> web.Response:
    form = await request.post()
    event_id = int(request.match_info["event_id"])
    label = str(form.get("label", ""))
    if not request.app[REVIEWS].label(event_id, label, request[SESSION].user.name):
        return await review_page(request, notice="Câu trả lời này đã được rà soát hoặc nhãn không hợp lệ.",
                                 status=409)
    return await review_page(request, notice=f"Đã ghi nhận: {REVIEW_LABELS[label]}.")


async def api_review(request: web.Request) -> web.Response:
    return web.json_response({by: [{"key": s.key, "labelled": s.labelled, "correct": s.correct, "share": s.share,
                                    "low": s.low, "high": s.high} for s in shares]
                              for by, shares in request.app[REVIEWS].shares().items()})


def make_console(
    accounts: Accounts, kb_dir: Path, stale_days: int = 180, events: EventLog | None = None,
) -> web.Application:
    """The console app; ``events`` defaults to a log in the accounts' database."""
    app = web.Application(middlewares=[require_session], client_max_size=2 * 1024 * 1024)
    app[ACCOUNTS], app[KB_DIR], app[STALE_DAYS] = accounts, kb_dir, stale_days
    app[EVENTS] = events or EventLog(accounts.engine)
    app[PROPOSALS] = Proposals(accounts.engine)
    app[PROPOSALS].ensure_schema()
    app[REVIEWS] = ReviewLog(app[EVENTS].engine)
    app[KB] = KnowledgeBase(kb_dir, min_interval=1.0)
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login)
    app.router.add_post("/login/code", login_code)
    app.router.add_post("/logout", logout)
    app.router.add_get("/", index)
    app.router.add_get("/audit", audit_page)
    app.router.add_get("/proposals", proposals_page)
    app.router.add_post("/proposals/{id:\\d+}", decide_proposal)
    app.router.add_get("/api/procedures", api_procedures)
    app.router.add_get("/unanswered", unanswered_page)
    app.router.add_post("/unanswered/alias", alias_from_question)
    app.router.add_post("/unanswered/dismiss", dismiss_question)
    app.router.add_get("/api/unanswered", api_unanswered)
    app.router.add_get("/stats", stats_page)
    app.router.add_get("/api/stats", api_stats)
    app.router.add_get("/records/{code}", record_page)
    app.router.add_get("/import", import_page)
    app.router.add_post("/import/confirm", import_decide)
    app.router.add_post("/import/discard", import_decide)
    app.router.add_get("/unanswered/question", question_from_unanswered)
    app.router.add_get("/questions/{id}", questions_page)
    app.router.add_post("/questions/{id}", save_question_form)
    app.router.add_get("/review", review_page)
    app.router.add_post("/review/{event_id:\\d+}", review_label)
    app.router.add_get("/api/review", api_review)
    app.router.add_get("/procedures/{id}", edit)
    app.router.add_post("/procedures/{id}", save)
    app.router.add_static("/static/", HERE / "static")
    setup_live(app)
    return app
