"""The page of a saved persoonlijk plan, reached by the link the chat gives (bot/store/chat.py
finds it by its token)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from bot.store.chat import saved_plan

router = APIRouter()
templates = Jinja2Templates(  # autoescapes: typed text renders as text
    directory=Path(__file__).resolve().parent / "templates"
)
PLAN_GONE = (
    '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Plan niet gevonden</title>'
    "<main><h1>Dit plan bestaat niet (meer)</h1><p>Plannen worden na een tijd verwijderd. "
    'U kunt in de chat een nieuw plan maken.</p><p><a href="/">Naar de chat</a></p></main></html>'
)


@router.get("/plan/{token}", response_class=HTMLResponse, include_in_schema=False)
async def plan_page(token: str, request: Request) -> HTMLResponse:
    plan = await run_in_threadpool(saved_plan, request.app.state.sessions, token)
    if plan is None:
        return HTMLResponse(PLAN_GONE, status_code=404)
    items = [
        {"label": plan.labels.get(key, key), "answer": answer}
        for key, answer in plan.answers.items()
    ]
    return templates.TemplateResponse(
        request,
        "plan.html",
        {
            "items": items,
            "created": plan.created_at.strftime("%d-%m-%Y"),
            "retention_days": request.app.state.settings.retention_days,
        },
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
