"""Configuration in one place: defaults, overridden by ``XSRV_*`` environment variables.

The CLI (and later the Flask app factory) receive a :class:`Config`; nothing reads the
environment anywhere else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from . import vocab

#: The checkout this package lives in (``pip install -e .`` keeps it there).
DEFAULT_HOME = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    """Where the sources live and how graphs are named."""

    home: Path = DEFAULT_HOME
    base_iri: str = vocab.BASE
    #: Query the union of all named graphs as the default graph.
    union_default_graph: bool = True

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
        """Defaults, then ``XSRV_HOME`` / ``XSRV_BASE_IRI`` / ``XSRV_UNION_DEFAULT_GRAPH``."""
        env = os.environ if environ is None else environ
        config = cls()
        if env.get("XSRV_HOME"):
            config = replace(config, home=Path(env["XSRV_HOME"]).resolve())
        if env.get("XSRV_BASE_IRI"):
            config = replace(config, base_iri=env["XSRV_BASE_IRI"])
        if env.get("XSRV_UNION_DEFAULT_GRAPH"):
            flag = env["XSRV_UNION_DEFAULT_GRAPH"].lower() not in {"0", "false", "no"}
            config = replace(config, union_default_graph=flag)
        return replace(config, **overrides) if overrides else config
