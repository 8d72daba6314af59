"""HTTP for the remote store: keep-alive connections to a SPARQL server, form bodies, replies.

Connections are ``http.client``'s, kept alive one per thread and server; a connection the
server closed while idle is noticed (its socket turned readable) and replaced before it is
used. Not urllib3's pool: ``benchmarks/remote_store.py`` measured it 35–50 % slower on the
small queries pages and the endpoint send (its per-request Python work; the bytes on the wire
are the same), so this small pool stays.

Errors become :class:`~xsrv_kg.errors.UpstreamError`, naming the server and the reason.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import select
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import UpstreamError

#: Seconds to wait for a TCP connection to the server.
CONNECT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Reply:
    """A whole answer: status, ``Content-Type``, body and the ``Server`` header."""

    status: int
    content_type: str
    body: bytes
    server: str = ""  # the Server: header (``Virtuoso/07.20.3229 …``)

    @property
    def text(self) -> str:
        charset = re.search(r"charset=([\w-]+)", self.content_type)
        try:
            return self.body.decode(charset[1] if charset else "utf-8", "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


# application/x-www-form-urlencoded as urllib's urlencode writes it, by table (it is in the
# path of every query, and urlencode is slow on long non-ASCII text).
_FORM_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_FORM_BYTE = [chr(b) if b in _FORM_SAFE else "+" if b == 0x20 else f"%{b:02X}"
              for b in range(256)]


def form_encode(fields: Iterable[tuple[str, str]]) -> bytes:
    """``fields`` as a form body (UTF-8, percent-encoded; space as ``+``)."""
    return "&".join("".join([_FORM_BYTE[b] for b in k.encode()]) + "="
                    + "".join([_FORM_BYTE[b] for b in v.encode()])
                    for k, v in fields).encode("ascii")


class Connections:
    """Keep-alive HTTP connections: one per thread and server (``scheme://host:port``)."""

    def __init__(self, read_timeout: float) -> None:
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self.read_timeout = read_timeout

    def request(self, method: str, url: str, body: bytes | None,
                headers: dict[str, str], *, idempotent: bool) -> Reply:
        """Send one request and read the whole answer. An idempotent request whose
        kept-alive connection the server closed as it was reused is sent once more."""
        try:
            return self._request(method, url, body, headers, idempotent=idempotent)
        except TimeoutError:
            raise UpstreamError(f"the SPARQL server at {url} did not answer within "
                                f"{self.read_timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else \
                (str(exc) or type(exc).__name__)
            raise UpstreamError(f"cannot reach the SPARQL server at {url}: {reason}") from None

    def _request(self, method: str, url: str, body: bytes | None,
                 headers: dict[str, str], *, idempotent: bool) -> Reply:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        pool: dict = self._local.__dict__.setdefault("pool", {})
        for attempt in (1, 2):
            conn = pool.get(key)
            reused = conn is not None
            if conn is not None and _closed_by_peer(conn):
                self._drop(key, conn)
                conn, reused = None, False
            if conn is None:
                conn = pool[key] = self._open(*key)
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._drop(key, conn)
                # A keep-alive connection the server closed as we reused it: try once more.
                if reused and idempotent and attempt == 1:
                    continue
                raise
            except BaseException:
                self._drop(key, conn)
                raise
            if response.will_close:
                self._drop(key, conn)
            return Reply(response.status, response.getheader("Content-Type") or "", data,
                         response.getheader("Server") or "")
        raise AssertionError("unreachable")

    def _open(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = kind(netloc, timeout=CONNECT_TIMEOUT)
        conn.connect()
        assert conn.sock is not None
        conn.sock.settimeout(self.read_timeout)
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._all.append(conn)
        return conn

    def _drop(self, key: tuple[str, str], conn: http.client.HTTPConnection) -> None:
        conn.close()
        pool: dict = self._local.__dict__.setdefault("pool", {})
        if pool.get(key) is conn:
            del pool[key]
        with self._lock, contextlib.suppress(ValueError):
            self._all.remove(conn)

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()


def _closed_by_peer(conn: http.client.HTTPConnection) -> bool:
    """Whether an idle keep-alive connection became readable: the server closed it (or sent
    something unasked), so it must not carry the next request."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        if hasattr(select, "poll"):  # no FD_SETSIZE limit, unlike select()
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True
