"""Configuration in one place: defaults, overridden by ``XSRV_*`` environment variables.

The CLI and the Flask app factory receive a :class:`Config`; nothing reads the environment
anywhere else. Command-line options override it with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import vocab
from .errors import BadInput

#: The validation engines: SPARQL in the store (the default, fast at any size), or pySHACL on
#: rdflib copies (the reference). Here, not in validation/, so the CLI can offer them
#: without importing the validation stack at start-up.
VALIDATION_ENGINES = ("store", "pyshacl")


#: This package's folder.
PACKAGE_DIR = Path(__file__).resolve().parent


def default_home(package: Path = PACKAGE_DIR) -> Path:
    """The folder holding ontology/, data/, shapes/, queries/, web/ and templates/: the copy an
    installed wheel ships in the package, else the checkout the package lives in (a source
    tree, or ``pip install -e .``). ``XSRV_HOME`` overrides both (see :meth:`Config.from_env`).

    >>> default_home(Path("/nowhere/xsrv_kg"))
    PosixPath('/nowhere')
    """
    shipped = package / "_home"
    return shipped if (shipped / "ontology").is_dir() else package.parent


DEFAULT_HOME = default_home()


@dataclass(frozen=True)
class Config:
    """Where the sources live and how graphs are named."""

    home: Path = DEFAULT_HOME
    base_iri: str = vocab.BASE
    #: Query the union of all named graphs as the default graph.
    union_default_graph: bool = True
    #: Keep the inferred graph (``<base>graph/inferred``: RDFS subclass and subproperty
    #: closure, fund rule -> unit shortcuts; :mod:`xsrv_kg.sources.inference`) up to date.
    inference: bool = True
    #: Data files or folders to serve instead of ``data/`` (empty: the project's data).
    data_paths: tuple[Path, ...] = ()

    # --- the store (see :func:`xsrv_kg.store.open_store`) ----------------------------------
    #: ``memory`` (embedded, loaded from files at start), ``oxigraph:DIR`` (embedded, on
    #: disk) or ``sparql:QUERY_URL`` (a SPARQL 1.1 server).
    store: str = "memory"
    #: A ``sparql:`` store's update endpoint when it is not the query URL.
    update_url: str | None = None
    #: A ``sparql:`` store's Graph Store Protocol endpoint, if it has one.
    gsp_url: str | None = None

    #: The document ``/overview`` shows when none is asked for: an id under ``doc:``
    #: (``xiushan-plan``) or an IRI.
    document: str = "xiushan-plan"

    #: How the shapes are checked: ``store`` (SPARQL in the store, fast at any size) or
    #: ``pyshacl`` (the reference engine, on rdflib copies; slow past 10^4 triples).
    validation_engine: str = "store"

    # --- the SPARQL endpoint --------------------------------------------------------------
    #: Seconds a query may run before its worker is stopped and the client gets an error.
    time_limit: float = 10.0
    #: Most rows (solutions or triples) in one result; 0 for no cap.
    max_rows: int = 100_000
    #: Most characters of term text in one result (a measure of its size that costs
    #: nothing to keep: the JSON is somewhat larger); 0 for no cap.
    max_result_bytes: int = 32 << 20
    #: Largest request body accepted, in bytes.
    max_body: int = 1 << 20
    #: Longest query or update text accepted, in characters.
    max_query_length: int = 100_000
    #: Longest request target (path and query string) accepted, in bytes.
    max_url_length: int = 16_384
    #: Query worker processes (each holds a copy of an in-memory store).
    workers: int = 2
    #: Threads of the WSGI server (concurrent requests).
    threads: int = 16
    #: Server processes (more than one only for a read-only in-memory service, whose
    #: processes share the loaded store; each has its own result cache).
    processes: int = 1
    #: Bytes of serialized results kept in the result cache; 0 switches it off.
    cache_bytes: int = 64 << 20
    #: SPARQL Update over HTTP; needs ``update_token`` as well.
    allow_update: bool = False
    #: The bearer token updates must carry (from XSRV_UPDATE_TOKEN, never a CLI argument).
    update_token: str | None = field(default=None, repr=False)
    #: Endpoints a query may call with SERVICE (exact IRIs); empty: none.
    service_allow_list: tuple[str, ...] = ()

    @property
    def ontology_dir(self) -> Path:
        return self.home / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.home / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.home / "queries"

    def graph_iri(self, name: str) -> str:
        """The IRI of the named graph ``name`` (e.g. ``ontology``, ``documents/xiushan-plan``)."""
        return f"{self.base_iri}graph/{name}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Config:
        """Defaults, then these ``XSRV_*`` variables (the README's *Settings* table says
        what each means; a command-line option wins over its variable):

        - where the sources are and how they are named: ``XSRV_HOME``, ``XSRV_BASE_IRI``,
          ``XSRV_UNION_DEFAULT_GRAPH`` and ``XSRV_INFERENCE`` (``0``, ``false`` or ``no`` to
          switch them off);
        - the store: ``XSRV_STORE``, ``XSRV_UPDATE_URL``, ``XSRV_GSP_URL``;
        - validation: ``XSRV_VALIDATION_ENGINE``;
        - the document the overview shows by default: ``XSRV_DOCUMENT``;
        - the endpoint's limits: ``XSRV_TIME_LIMIT``, ``XSRV_MAX_ROWS``,
          ``XSRV_MAX_RESULT_BYTES``, ``XSRV_MAX_BODY``, ``XSRV_MAX_QUERY_LENGTH``,
          ``XSRV_MAX_URL_LENGTH``, ``XSRV_WORKERS``, ``XSRV_THREADS``, ``XSRV_PROCESSES``,
          ``XSRV_CACHE_BYTES``;
        - what it may do: ``XSRV_UPDATE_TOKEN``, ``XSRV_SERVICE_ALLOW_LIST`` (space-separated).

        Nothing else in the package reads the environment.
        """
        env = os.environ if environ is None else environ
        config = cls()
        if env.get("XSRV_HOME"):
            config = replace(config, home=Path(env["XSRV_HOME"]).resolve())
        if env.get("XSRV_BASE_IRI"):
            config = replace(config, base_iri=env["XSRV_BASE_IRI"])
        if env.get("XSRV_DOCUMENT"):
            config = replace(config, document=env["XSRV_DOCUMENT"])
        for name in ("union_default_graph", "inference"):
            raw = env.get(f"XSRV_{name.upper()}")
            if raw:
                config = replace(config, **{name: raw.lower() not in {"0", "false", "no"}})
        numbers: dict[str, type] = {"time_limit": float, "max_rows": int,
                                    "max_result_bytes": int, "max_body": int,
                                    "max_query_length": int, "max_url_length": int,
                                    "workers": int, "threads": int, "processes": int,
                                    "cache_bytes": int}
        for name, kind in numbers.items():
            raw = env.get(f"XSRV_{name.upper()}")
            if raw:
                try:
                    config = replace(config, **{name: kind(raw)})
                except ValueError:
                    raise BadInput(f"XSRV_{name.upper()}={raw!r} is not a number") from None
        for name in ("store", "update_url", "gsp_url", "validation_engine"):
            if env.get(f"XSRV_{name.upper()}"):
                config = replace(config, **{name: env[f"XSRV_{name.upper()}"]})
        if config.validation_engine not in VALIDATION_ENGINES:
            raise BadInput(f"XSRV_VALIDATION_ENGINE={config.validation_engine!r}: use "
                           f"{' or '.join(VALIDATION_ENGINES)}")
        if env.get("XSRV_UPDATE_TOKEN"):
            config = replace(config, update_token=env["XSRV_UPDATE_TOKEN"])
        if env.get("XSRV_SERVICE_ALLOW_LIST"):
            allowed = tuple(env["XSRV_SERVICE_ALLOW_LIST"].split())
            config = replace(config, service_allow_list=allowed)
        return replace(config, **overrides) if overrides else config
