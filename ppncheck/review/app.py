"""The review workbench as a FastAPI app: server-rendered pages, a little vanilla JS.

Security, because the pages show personal data:

* **A session token on every request.** The URL printed at start carries ``?token=...``; the
  first request with it gets an HttpOnly, SameSite=Strict cookie and is redirected to the same
  page without the token (so it leaves the address bar and any history); every other request
  needs the cookie.  Anything else is 403.
* **CSRF.** Every POST carries a second secret derived from the token (a hidden form field,
  or the ``X-CSRF-Token`` header for the scratch pad's JSON), checked in constant time by the
  endpoint (a middleware that read the form would consume the body the endpoint needs).
* **No note text in logs.** The app logs nothing of a request but its path; an unexpected error
  is logged by type only.  ``server.py`` runs uvicorn without an access log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ppncheck.findings import Finding, Severity
from ppncheck.report.html import highlight
from ppncheck.review import queries
from ppncheck.review.importer import BATCH_RULES
from ppncheck.review.store import DECISIONS, NEEDS_REASON, Batch, Note, Store
from ppncheck.shape import all_text_fields, field_in_words
from ppncheck.trends.page import STATIC as TRENDS_STATIC

HERE = Path(__file__).parent
COOKIE = "ppncheck_review"
log = logging.getLogger("ppncheck.review")
_CHECK_LOCK = threading.Lock()  # one spaCy pipeline per process; checks take turns
_SCRATCH_LIMIT = 20_000
_SHORT = 40  # characters: a field shorter than this is not narrative


def csrf_for(token: str) -> str:
    return hmac.new(token.encode(), b"ppncheck-review-csrf", hashlib.sha256).hexdigest()


def create_app(store: Store, token: str, *, reviewer: str = "reviewer") -> FastAPI:
    app = FastAPI(title="ppncheck review", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        field_in_words=field_in_words, DECISIONS=DECISIONS, NEEDS_REASON=NEEDS_REASON
    )
    csrf = csrf_for(token)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    # Chart.js (vendored) and the chart set-up of ppncheck.trends, served from the package
    app.mount("/trends-static", StaticFiles(directory=str(TRENDS_STATIC)), name="trends-static")

    @app.middleware("http")
    async def require_token(request: Request, call_next: Any) -> Response:
        given = request.query_params.get("token")
        if given is not None:
            if not secrets.compare_digest(given.encode(), token.encode()):
                return _forbidden()
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
            response: Response = RedirectResponse(target, status_code=303)
            response.set_cookie(
                COOKIE, token, httponly=True, samesite="strict", path="/", secure=False
            )
            return response
        cookie = request.cookies.get(COOKIE, "")
        if not cookie or not secrets.compare_digest(cookie.encode(), token.encode()):
            return _forbidden()
        response = await call_next(request)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
        )
        return response

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.error("internal error (%s) on %s", type(exc).__name__, request.url.path)
        return PlainTextResponse("Internal error; the server log names its type.", 500)

    # What only an import changes (filter values, the batch panel, the fault count) is kept
    # per latest batch id: a decision never changes it, and another server's import (a new
    # batch id) invalidates it.  Recomputing it costs most of a queue page at 10,000 notes.
    cache: dict[str, Any] = {"batch": None}

    def per_import(session: Any) -> dict[str, Any]:
        latest = session.query(Batch).order_by(Batch.id.desc()).first()
        key = (latest.id, latest.rows) if latest is not None else None
        if cache["batch"] != key or "faults" not in cache:
            passages, n_passages = queries.top_passages(session)
            cache.clear()
            cache.update(
                batch=key,
                latest=latest,
                faults=session.query(Note).filter(Note.unreadable.is_(True)).count(),
                options=queries.filter_options(session),
                passages=passages,
                n_passages=n_passages,
            )
        return cache

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        with store.session() as session:
            known = per_import(session)
        return templates.TemplateResponse(
            request,
            name,
            {
                "csrf": csrf,
                "reviewer": reviewer,
                "latest": known["latest"],
                "n_faults": known["faults"],
                **context,
            },
        )

    @app.get("/", response_class=HTMLResponse)
    def queue_page(request: Request, page_no: int = 1) -> HTMLResponse:
        filters = queries.Filters.from_query(request.query_params)
        try:
            number = int(request.query_params.get("page", page_no))
        except ValueError:
            number = 1
        with store.session() as session:
            result = queries.queue(session, filters, number)
            known = per_import(session)
        from ppncheck.catalogue import catalogue

        tpl_advice = catalogue().get("TPL002").summary
        return page(
            request,
            "queue.html",
            result=result,
            filters=filters,
            options=known["options"],
            statuses=queries.STATUSES,
            passages=known["passages"],
            n_passages=known["n_passages"],
            tpl_advice=tpl_advice,
            qs=urlencode(filters.query()),
            page_qs=lambda n: urlencode({**filters.query(), "page": n}),
        )

    @app.get("/note/{note_id}", response_class=HTMLResponse)
    def note_page(request: Request, note_id: int, error: str = "") -> Response:
        filters = queries.Filters.from_query(request.query_params)
        with store.session() as session:
            note = session.get(Note, note_id)
            if note is None:
                return PlainTextResponse("No such note.", 404)
            prv, nxt = queries.neighbours(session, note, filters)
            rows = queries.note_findings(session, note_id)
            passages = queries.note_passages(session, note_id)
            past = queries.history(session, [r.key for r in rows])
        payload = queries.payload_of(note)
        findings = [queries.as_finding(r) for r in rows]
        shared = [_passage_finding(p) for p in passages]
        return page(
            request,
            "note.html",
            note=note,
            rows=list(zip(rows, findings, strict=True)),
            history=past,
            passages=passages,
            fields=render_fields(payload, findings + shared),
            prev=prv,
            next=nxt,
            qs=urlencode(filters.query()),
            error=error[:200],
            types=[t for t in (note.ppn_type or "").split(",") if t],
        )

    @app.post("/note/{note_id}/decide")
    def decide(
        request: Request,
        note_id: int,
        finding_id: int = Form(...),
        decision: str = Form(...),
        reason: str = Form(""),
        who: str = Form(""),
        back: str = Form(""),
        csrf_field: str = Form("", alias="csrf"),
    ) -> Response:
        if not _same(csrf_field, csrf):
            return _bad_csrf()
        back_qs = back if back and "://" not in back else ""
        try:
            with store.session() as session, session.begin():
                queries.decide(session, finding_id, decision, reason, who or reviewer)
        except queries.DecisionError as exc:
            query = urlencode({"error": str(exc)})
            sep = "&" if back_qs else ""
            return RedirectResponse(f"/note/{note_id}?{back_qs}{sep}{query}", status_code=303)
        except LookupError:
            return PlainTextResponse("No such finding.", 404)
        return RedirectResponse(
            f"/note/{note_id}?{back_qs}#f{finding_id}"
            if back_qs
            else f"/note/{note_id}#f{finding_id}",
            status_code=303,
        )

    @app.get("/passage/{passage_id}", response_class=HTMLResponse)
    def passage_page(request: Request, passage_id: int) -> HTMLResponse:
        with store.session() as session:
            notes = queries.passage_notes(session, passage_id)
        return page(request, "passage.html", notes=notes, passage_id=passage_id)

    @app.get("/feedback", response_class=HTMLResponse)
    def feedback_page(request: Request, officer: str = "") -> HTMLResponse:
        with store.session() as session:
            officers = queries.officers_with_accepted(session)
            draft = queries.officer_draft(session, officer) if officer else None
        return page(request, "feedback.html", officers=officers, officer=officer, draft=draft)

    @app.get("/feedback/{collar}.txt")
    def feedback_download(collar: str) -> Response:
        from ppncheck.report.base import printable
        from ppncheck.report.feedback import safe_name

        with store.session() as session:
            draft = queries.officer_draft(session, collar)
        if draft is None:
            return PlainTextResponse("No accepted findings for this officer.", 404)
        return Response(
            printable(draft).replace("\n", "\r\n"),
            media_type="text/plain; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{safe_name(collar)}.txt"'},
        )

    @app.get("/vat", response_class=HTMLResponse)
    def vat_page(request: Request) -> HTMLResponse:
        with store.session() as session:
            faults = queries.export_faults(session)
        return page(request, "vat.html", faults=faults)

    @app.get("/scratch", response_class=HTMLResponse)
    def scratch_page(request: Request) -> HTMLResponse:
        return page(request, "scratch.html")

    @app.get("/compare", response_class=HTMLResponse)
    def compare_page(request: Request) -> HTMLResponse:
        return page(request, "compare.html")

    def trends_of(request: Request) -> Any:
        from ppncheck.review.dashboard import store_outcomes
        from ppncheck.trends import PERIODS, compute_trends

        period = request.query_params.get("period", "month")
        period = period if period in PERIODS else "month"
        team = request.query_params.get("team", "").strip() or None
        with store.session() as session:
            outcomes = store_outcomes(session)
            teams = per_import(session)["options"]["team"]
        return compute_trends(outcomes, period=period, team=team), period, team, teams

    @app.get("/trends", response_class=HTMLResponse)
    def trends_page(request: Request) -> HTMLResponse:
        from ppncheck.trends.page import body_html, data_block

        trends, period, team, teams = trends_of(request)
        query = urlencode({"period": period, **({"team": team} if team else {})})
        return page(
            request,
            "trends.html",
            trends=trends,
            period=period,
            team=team or "",
            teams=teams,
            query=query,
            body=Markup(body_html(trends)),
            data=Markup(data_block(trends)),
        )

    @app.get("/trends.{suffix}")
    def trends_download(request: Request, suffix: str) -> Response:
        import tempfile

        from ppncheck.trends import write_trends

        media = {
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
        if suffix not in media:
            return PlainTextResponse("Download .csv or .xlsx.", 404)
        trends, period, _team, _teams = trends_of(request)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"trends.{suffix}"
            write_trends(trends, path)
            content = path.read_bytes()
        name = f"ppn-trends-{period}.{suffix}"
        return Response(
            content,
            media_type=media[suffix],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.post("/api/check")
    async def api_check(request: Request) -> Response:
        if not _same(request.headers.get("x-csrf-token", ""), csrf):
            return _bad_csrf()
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": 'send JSON: {"text": ...}'}, 400)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            return JSONResponse({"error": 'send JSON: {"text": ...}'}, 400)
        if len(text) > _SCRATCH_LIMIT:
            return JSONResponse({"error": f"at most {_SCRATCH_LIMIT} characters"}, 400)
        from starlette.concurrency import run_in_threadpool

        return JSONResponse(await run_in_threadpool(scratch_check, text))

    return app


def scratch_check(text: str) -> dict[str, Any]:
    """Check a pasted note (or a JSON record) and render it as the note view does."""
    import ppncheck

    payload: Any = text
    if text.lstrip().startswith("{"):
        try:
            payload = json.loads(text)
        except ValueError:
            payload = text
    with _CHECK_LOCK:
        report = ppncheck.check(payload)
    findings = report.findings
    fields = render_fields(payload, findings)
    return {
        "ok": report.ok,
        "findings": [
            {**f.to_dict(), "where": field_in_words(f.field), "threshold": _threshold(f)}
            for f in findings
        ],
        "html": "".join(
            f'<h4>{Markup.escape(field_in_words(path))}</h4><div class="text">{body}</div>'
            for path, body, _flagged in fields
        ),
    }


def _threshold(f: Finding) -> float | None:
    value = (f.details or {}).get("threshold")
    return float(value) if isinstance(value, (int, float)) else None


def _passage_finding(p: queries.Passage) -> Finding:
    return Finding(
        rule_id=p.rule_id,
        severity=Severity.INFO,
        message=f"This passage appears in {p.estimate} notes of the batch.",
        field=p.field,
        start=p.start,
        end=p.end,
    )


def render_fields(payload: Any, findings: list[Finding]) -> list[tuple[str, Markup, bool]]:
    """Each text field of the note: (path, its text with flagged spans in ``<mark>``, flagged).

    Fields with a finding come first-class; the other narrative fields are shown folded by
    the template, and short unflagged fields (ids, codes, dates) are left out.
    """
    if payload is None:
        return []
    by_field: dict[str, list[Finding]] = {}
    for f in findings:
        key = f.field or ("note" if isinstance(payload, str) else "")
        by_field.setdefault(key, []).append(f)
    out = []
    for path, value in all_text_fields(payload):
        if not value.strip():
            continue
        mine = by_field.get(path, [])
        flagged = any(f.rule_id not in BATCH_RULES for f in mine)
        if not mine and len(value) < _SHORT:  # ids, codes, dates: in the header already
            continue
        out.append((path, Markup(highlight(value, mine)), flagged))
    return out


def _same(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())


def _bad_csrf() -> Response:
    return PlainTextResponse("Forbidden: the form's security token is missing or wrong.", 403)


def _forbidden() -> Response:
    return PlainTextResponse(
        "Forbidden: open the address ppncheck printed, with its ?token=...", status_code=403
    )
