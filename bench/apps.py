"""ASGI factories the benchmarks and fault tests serve with uvicorn.

``full_app`` is the real service, configured from ``BOT_`` variables like production. ``bare_app``
is the baseline: a FastAPI endpoint that parses the same form post and answers empty TwiML, so the
ratio between the two is the price of signature check, storage and the conversation pipeline.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def full_app() -> FastAPI:
    from bot.app import create_app
    from bot.config import Settings

    return create_app(Settings())


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/sms/inbound")
    async def inbound(request: Request) -> Response:
        form = await request.form()
        if not form.get("MessageSid"):
            return Response(status_code=400)
        return Response(EMPTY_TWIML, media_type="application/xml")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
