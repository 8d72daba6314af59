"""Serving the app with waitress (a production WSGI server), stopping cleanly on signals."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from types import FrameType

from flask import Flask
from waitress.server import create_server


def serve(app: Flask, host: str, port: int, *, threads: int,
          announce: Callable[[str], None]) -> None:
    """Serve ``app`` until SIGINT or SIGTERM; ``announce`` gets the URL once listening."""
    server = create_server(app, host=host, port=port, threads=threads,
                           ident="xsrv-kg", clear_untrusted_proxy_headers=True,
                           channel_timeout=60)
    shown_host = f"[{host}]" if ":" in host else host
    announce(f"http://{shown_host}:{server.effective_port}/")

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        sys.stdout.flush()
