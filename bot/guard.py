"""One plain ASGI middleware for what every response needs: a body-size limit and
security headers.

Plain ASGI instead of @app.middleware("http"): Starlette's BaseHTTPMiddleware runs
each request through an extra task group per layer (measurable on every chat turn)
and only sees Content-Length, so a chunked body could pass any size. Here the
limit is checked on the header and again on the bytes as they arrive.
"""

from __future__ import annotations

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = {"detail": "Dit bericht is te groot. Stuur een korter bericht."}

PORTAL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'"
)


class BodyTooLarge(Exception):
    pass


def security_headers(path: str) -> dict[str, str]:
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    if path.startswith("/staff"):
        # the portal: own scripts and styles only, never inside a frame, never cached
        headers.update(
            {
                "Content-Security-Policy": PORTAL_CSP,
                "X-Frame-Options": "DENY",
                "Cache-Control": "no-store",
            }
        )
    elif path in ("/", "/health") or path.startswith("/plan/"):
        headers["Content-Security-Policy"] = PAGE_CSP
    return headers


class GuardMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"").decode("latin-1")
        if length and (not length.isdigit() or int(length) > self.max_body_bytes):
            await self._refuse(send)
            return

        received = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes and not refused:
                    # answer now: the framework turns any error while reading into its own 400
                    refused = True
                    await self._refuse(send)
                    raise BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            if refused:  # the 413 went out already; drop what the app makes of the aborted read
                return
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in security_headers(scope["path"]).items():
                    if name in ("X-Content-Type-Options", "Referrer-Policy"):
                        headers.setdefault(name, value)
                    else:
                        headers[name] = value
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            pass

    @staticmethod
    async def _refuse(send: Send) -> None:
        body = json.dumps(TOO_LARGE).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
