"""Serving the workbench: 127.0.0.1, a fresh token, the URL on one line, no request logs.

The socket is bound here (``--port 0`` takes a free port) before uvicorn starts, so the URL
printed is the one that answers, and scripts and tests can read it from standard output.
uvicorn runs without an access log (a query string could hold a search for a ppn_id) and at
``warning`` level; the app itself never logs note text.
"""

from __future__ import annotations

import secrets
import socket
import sys
import webbrowser
from typing import TextIO

from ppncheck.review.store import Store

DEFAULT_HOST = "127.0.0.1"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def url_for(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def serve(
    store: Store,
    *,
    host: str = DEFAULT_HOST,
    port: int = 0,
    reviewer: str = "reviewer",
    open_browser: bool = True,
    out: TextIO | None = None,
) -> None:
    """Serve ``store`` until interrupted."""
    import uvicorn

    from ppncheck.review.app import create_app

    token = new_token()
    sock = bind(host, port)
    actual = sock.getsockname()[1]
    url = url_for(host, actual, token)
    stream = out or sys.stdout
    stream.write(f"{url}\n")
    stream.flush()
    app = create_app(store, token, reviewer=reviewer)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        date_header=False,
        log_config={
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"plain": {"format": "ppncheck review: %(levelname)s %(message)s"}},
            "handlers": {
                "stderr": {
                    "class": "logging.StreamHandler",
                    "formatter": "plain",
                    "stream": "ext://sys.stderr",
                }
            },
            "loggers": {
                "uvicorn": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
                "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
                "ppncheck.review": {"handlers": ["stderr"], "level": "WARNING"},
            },
        },
    )
    server = uvicorn.Server(config)
    if open_browser:
        webbrowser.open(url)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
