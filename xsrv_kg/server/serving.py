"""Serving the app with waitress (a production WSGI server), stopping cleanly on signals."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from types import FrameType

from flask import Flask
from waitress.server import create_server


def serve(app: Flask, host: str, port: int, *, threads: int,
          announce: Callable[[str], None], max_url: int = 16_384,
          max_body: int = 1 << 20) -> None:
    """Serve ``app`` until SIGINT or SIGTERM; ``announce`` gets the URL once listening.

    Waitress's own caps sit above the app's (which answer in the client's format): headers
    may hold a URL up to ``max_url`` plus room for the rest, and waitress stops buffering a
    body at four times ``max_body`` (its plain 413) instead of its default 1 GiB.
    """
    server = create_server(app, host=host, port=port, threads=threads,
                           ident="xsrv-kg", clear_untrusted_proxy_headers=True,
                           channel_timeout=60,
                           max_request_header_size=max(262_144, max_url + 65_536),
                           max_request_body_size=4 * max_body + (1 << 20))
    shown_host = f"[{host}]" if ":" in host else host
    announce(f"http://{shown_host}:{server.effective_port}/")

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # SIGINT too: a shell starts background jobs with SIGINT ignored, and Python then leaves
    # it ignored, so `xsrv-kg serve &` would not stop on `kill -INT`.
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.close()
        sys.stdout.flush()
