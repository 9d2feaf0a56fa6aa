"""A live server for the workflow's browser tests (uvicorn in a thread on 127.0.0.1) and pages of
the shared ``browser`` fixture (tests/web/conftest.py) whose requests leaving the machine are
aborted and counted, so the pages cannot depend on anything outside."""
from __future__ import annotations

import contextlib
import threading
import time

from tests.conftest import free_port


@contextlib.contextmanager
def live_server(app):
    import uvicorn
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def new_page(b, base: str, outside: list[str]):
    context = b.new_context(base_url=base, accept_downloads=True)

    def route(r):
        if r.request.url.startswith(base):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()
    context.route("**/*", route)
    return context.new_page()
