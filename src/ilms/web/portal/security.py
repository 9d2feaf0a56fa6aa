"""Content-Security-Policy on every HTML response: scripts, styles, images and fonts from this
application only, no inline script, nothing from elsewhere."""
from __future__ import annotations

from fastapi import FastAPI

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
          "frame-ancestors 'none'")

#: sent with every response (HTML or not)
ALWAYS = {b"x-content-type-options": b"nosniff", b"referrer-policy": b"same-origin"}


class ContentSecurityPolicy:
    """ASGI middleware: adds the policy to responses whose Content-Type is text/html."""

    def __init__(self, app, policy: str = POLICY):
        self.app, self.policy = app, policy.encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_policy(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", self.policy))
                headers += [(k, v) for k, v in ALWAYS.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_policy)


def install(app: FastAPI) -> None:
    app.add_middleware(ContentSecurityPolicy)
