"""Serving the app with granian: HTTP parsed in compiled code, the app in worker processes.

Why granian rather than a pure-Python server: requests are read and parsed by Rust (hyper),
so a client that sends half a request and stalls costs a socket, not a Python thread, and
the Python of each request starts only once the request is complete.

Two ways to give each granian worker process its app, chosen by
:func:`~xsrv_kg.query.endpoint.queries_in_threads`:

- **Load once, fork many** (a read-only service on an in-memory store): this process loads
  the store and builds the app before granian starts; every worker is a ``fork`` of it and
  shares the loaded store's memory. A worker replaced after a runaway query
  (:mod:`xsrv_kg.query.threads`) is a fresh fork, serving within milliseconds.
- **Each worker loads** (updates, or a store on disk or behind another server): one worker
  builds the app itself; it must be the only one to open the store, and it keeps queries in
  killable worker processes.

Either way each worker reports back whether it came up, so a failure to load ends
``xsrv-kg serve`` with the loader's message and exit code, not a server that answers nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
from collections.abc import Callable
from functools import partial
from multiprocessing.queues import SimpleQueue
from multiprocessing.util import Finalize

from flask import Flask

from ..config import Config
from ..errors import BadInput, XsrvError
from ..query.endpoint import queries_in_threads
from .state import endpoint as endpoint_of

#: Seconds between a replacement process's start and the old one's stop: longer than the
#: grace its queries get to finish (query.threads.GRACE), so each has its answer by then.
RESPAWN_INTERVAL = 0.7


def serve(config: Config, host: str, port: int, *, announce: Callable[[str], None]) -> int:
    """Serve ``config``'s app on ``host:port`` until SIGINT or SIGTERM; return an exit code.

    ``announce`` gets a line once the store is loaded and one with the URL once the server
    listens. ``port`` 0 picks a free port. A worker that fails to load raises its
    :class:`XsrvError` here, in the parent.
    """
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    forked = queries_in_threads(config)
    processes = config.processes
    if processes > 1 and not forked:
        raise BadInput("several server processes (--processes) need a read-only service on "
                       "the in-memory store: with updates, or a store on disk or behind "
                       "another server, one process must hold the store")
    if port == 0:
        port = _free_port(host)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/"
    if forked:
        # granian starts workers with the process start method: fork shares the store.
        multiprocessing.set_start_method("fork", force=True)
        app = _load(config)
        _warm(app)
        announce(_summary(app))
        reports: SimpleQueue = multiprocessing.get_context().SimpleQueue()
        loader = partial(_forked_app, app, reports)
    else:
        reports = multiprocessing.get_context().SimpleQueue()
        loader = partial(_build_app, config, reports)
    server = Server(
        "xsrv_kg", address=host, port=port, interface=Interfaces.WSGI, workers=processes,
        blocking_threads=config.threads, backlog=2048,
        # Headers may hold a URL up to max_url plus room for the rest; the app's 414 names
        # the limit, granian's own cap only stops absurd headers.
        http1_settings=HTTP1Settings(max_buffer_size=max(417_792, config.max_url_length
                                                         + 65_536),
                                     header_read_timeout=30_000),
        log_enabled=False,
        # A runaway query's process is replaced (query/threads.py): the fresh fork starts
        # and serves at once; the old one answers what it has, then is asked to stop and is
        # killed a second later at the latest.
        respawn_interval=RESPAWN_INTERVAL, workers_kill_timeout=1)
    outcome: dict[str, object] = {}
    watcher = threading.Thread(
        target=_watch_reports, daemon=True,
        args=(reports, processes, announce, url, outcome, not forked))
    watcher.start()
    # A shell starts background jobs with SIGINT ignored, and Python leaves it ignored;
    # granian installs its own handlers for SIGINT and SIGTERM, so `xsrv-kg serve &`
    # stops on either.
    try:
        server.serve(target_loader=loader, wrap_loader=False)
    except RuntimeError as exc:  # granian's bind failure ("Address already in use")
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise XsrvError(f"cannot listen on {shown_host}:{port}: {reason}") from None
    except SystemExit as exc:  # granian exits 1 when a worker died
        outcome.setdefault("code", exc.code if isinstance(exc.code, int) else 1)
    except KeyboardInterrupt:
        pass
    finally:
        if forked:
            endpoint_of(app).close()
    watcher.join(1)
    failed = outcome.get("failure")
    if failed:
        error = XsrvError(str(failed))
        error.exit_code = int(outcome.get("code") or 1)  # type: ignore[call-overload]
        raise error
    return int(outcome.get("code", 0) or 0)  # type: ignore[call-overload]


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _watch_reports(reports: SimpleQueue, processes: int, announce: Callable[[str], None],
                   url: str, outcome: dict[str, object], summary: bool) -> None:
    """Announce the URL once the workers are up (and the first one's load, if they load);
    on a worker's failure, stop the server with that worker's message and exit code.

    It reads on after that: every replacement worker reports too, and an unread pipe
    would fill up and block them.
    """
    ready = 0
    while True:
        try:
            report = reports.get()
        except (EOFError, OSError):
            return
        if report[0] == "failed":
            outcome["failure"], outcome["code"] = report[1], report[2]
            os.kill(os.getpid(), signal.SIGTERM)
            return
        if ready == 0 and summary:
            announce(report[1])
        ready += 1
        if ready == processes:
            announce(f"serving {url}  (SPARQL endpoint: {url}sparql)  Ctrl+C stops")


def _summary(app: Flask) -> str:
    endpoint = endpoint_of(app)
    config = endpoint.config
    verb = "serving" if endpoint.store.persistent else "loaded"
    return (f"{verb} {len(endpoint.store)} quads in {len(endpoint.graphs())} graphs "
            f"({endpoint.store.spec}); {endpoint.executor.describe()}, time limit "
            f"{config.time_limit:g} s" + ("; updates enabled" if config.allow_update else ""))


def _recycle_this_process() -> None:
    """Ask granian (the parent) for fresh worker processes: SIGHUP starts new ones and then
    stops the old ones, this one with its runaway query among them."""
    os.kill(os.getppid(), signal.SIGHUP)


def _load(config: Config) -> Flask:
    from .app import create_app

    return create_app(config, recycle=_recycle_this_process)


#: What every process would otherwise compute on its first visit: the validation report (25 s
#: at 10^6 triples), the overview, and the compiled templates of the pages, made once before
#: forking and inherited by every fork.
WARM_PATHS = tuple(f"{path}?lang={lang}" for lang in ("zh", "en")
                   for path in ("/validation", "/overview", "/"))


def _warm(app: Flask) -> None:
    """Request :data:`WARM_PATHS` in this process, so their memos are made before the fork."""
    client = app.test_client()
    for path in WARM_PATHS:
        client.get(path, headers={"Accept": "text/html"})


def _forked_app(app: Flask, reports: SimpleQueue) -> Flask:
    """In a forked worker: the app loaded before the fork, ready as it is."""
    reports.put(("ready", ""))
    return app


def _build_app(config: Config, reports: SimpleQueue) -> Flask:
    """In a worker process: the app over a freshly opened store, reported to the parent."""
    try:
        app = _load(config)
    except XsrvError as exc:
        reports.put(("failed", str(exc), exc.exit_code))
        raise SystemExit(exc.exit_code) from None
    except Exception as exc:
        reports.put(("failed", f"the service failed to start: {type(exc).__name__}: {exc}", 1))
        raise
    # A worker process ends through multiprocessing, which runs these finalizers (not
    # atexit): the query workers and the snapshot folder go with it.
    Finalize(app, endpoint_of(app).close, exitpriority=10)
    reports.put(("ready", _summary(app)))
    return app
