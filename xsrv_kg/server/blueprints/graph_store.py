"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification).

- ``?graph=IRI`` names a graph, ``?default`` the store's own default graph (not the union
  of the named graphs that ``/sparql`` queries by default); with neither, the request is
  about the whole dataset.
- ``GET``/``HEAD`` read (open to everyone, CORS like every read): a graph as Turtle,
  N-Triples, JSON-LD or RDF/XML, the dataset as TriG, N-Quads or JSON-LD (``Accept``;
  406 when none fits). A named graph that does not exist is 404.
- ``PUT`` replaces a graph (201 when it is new, else 204), ``POST`` adds to it (to the
  dataset when no graph is named: the body is then TriG, N-Quads or JSON-LD and keeps its
  graphs), ``DELETE`` drops it (404 when absent). They need ``--allow-update`` and the
  bearer token, exactly as SPARQL Update does; the body obeys ``--max-body``.

The body is parsed completely before the store is touched: a body that does not parse is
refused whole (400, naming its line and column) and the store is left exactly as it was.
Each write is one transaction. JSON-LD remote contexts are never fetched (the server makes
no request on a client's behalf): a document that needs one is refused with 400.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, request, url_for

from ... import formats, vocab
from ...errors import BadInput, Forbidden, NotAcceptable, NotFound, UnsupportedMediaType
from ...query.negotiation import prefers
from ...sources import inference, loader
from ...store import Store, replace_graph_update
from ..sparql_request import Params
from ..state import endpoint
from .protocol import authorize_update

blueprint = Blueprint("graph_store", __name__)

#: Body media types holding triples (a graph), and holding quads (a dataset; JSON-LD may
#: name graphs too, so it is both).
GRAPH_INPUT: dict[str, ox.RdfFormat] = formats.body_types(formats.GRAPH_FORMATS)
DATASET_INPUT: dict[str, ox.RdfFormat] = formats.body_types(formats.DATASET_FORMATS)
INPUT = {**GRAPH_INPUT, **DATASET_INPUT}

#: What a GET offers, our preference first (``*/*`` gets the first).
GRAPH_OUTPUT = formats.media_types(formats.GRAPH_FORMATS)
DATASET_OUTPUT = formats.media_types(formats.DATASET_FORMATS)

REMOTE_CONTEXT = ("JSON-LD remote contexts are not fetched: this server makes no request on "
                  "a client's behalf. Put the context in the document itself "
                  '("@context": {{ … }}) instead of referring to {where}')


# --- reading an RDF request body (also used by /shacl) -------------------------------------

def _remote_contexts(data: bytes) -> list[str]:
    """The remote contexts a JSON-LD document refers to (``"@context": "http://…"``, in a
    list, or ``@import``), anywhere in it. Found before parsing, so no parser ever sees a
    document that would need one, whatever its own loader policy."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return []  # not JSON: the parser reports where
    found: list[str] = []
    stack: list[object] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    contexts = value if isinstance(value, list) else [value]
                    found += [c for c in contexts if isinstance(c, str)]
                elif key == "@import" and isinstance(value, str):
                    found.append(value)
                if isinstance(value, (dict, list)):
                    stack.append(value)
    return found


def syntax_message(exc: SyntaxError) -> str:
    """A parser's error as ``line L, column C: what`` (the loader's messages, for a body)."""
    message = loader.syntax_message(exc)
    if exc.lineno:
        return f"line {exc.lineno}, column {exc.offset}: {message}"
    return message


def parse_rdf(data: bytes, fmt: ox.RdfFormat, media: str, *, base_iri: str) -> list[ox.Quad]:
    """Parse ``data`` completely; 400 naming the line and column if it does not parse."""
    if fmt == ox.RdfFormat.JSON_LD:
        remote = _remote_contexts(data)
        if remote:
            raise BadInput(REMOTE_CONTEXT.format(where=", ".join(dict.fromkeys(remote))))
    try:
        # Fresh blank node ids: _:b0 in a body never joins a blank node already stored.
        quads = list(ox.parse(data, format=fmt, base_iri=base_iri, rename_blank_nodes=True))
    except SyntaxError as exc:
        if "LoadDocumentCallback" in str(exc) or "remote context" in str(exc).lower():
            raise BadInput(REMOTE_CONTEXT.format(where="a remote context")) from None
        raise BadInput(f"the {media} body does not parse: {syntax_message(exc)}") from None
    except (ValueError, OSError) as exc:
        raise BadInput(f"the {media} body cannot be read: {exc}") from None
    feature = loader.rdf12_feature(quads)
    if feature:
        raise BadInput(f"the {media} body cannot be used: {feature}")
    return quads


def read_rdf_body(accepted: Mapping[str, ox.RdfFormat], *, base_iri: str,
                  what: str = "this request") -> tuple[str, list[ox.Quad]]:
    """The request body's media type and quads: 415 for a type not in ``accepted`` (or a
    charset other than UTF-8), 413 past ``--max-body``, 400 if it does not parse."""
    media = (request.mimetype or "").lower()
    fmt = accepted.get(media)
    if fmt is None:
        raise UnsupportedMediaType(
            f"Content-Type {media or '(none)'} is not an RDF format {what} takes; use one of "
            f"{', '.join(accepted)}")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the body must be UTF-8, not {charset}")
    return media, parse_rdf(request.get_data(cache=True), fmt, media, base_iri=base_iri)


# --- the target: a graph, the default graph or the dataset -----------------------------------

@dataclass(frozen=True)
class Target:
    """What a request is about: ``graph`` (an IRI, or ``None`` for the default graph), or
    the whole dataset when ``dataset``."""

    graph: str | None = None
    dataset: bool = False

    @property
    def term(self) -> ox.NamedNode | ox.DefaultGraph:
        return ox.NamedNode(self.graph) if self.graph else ox.DefaultGraph()

    def describe(self) -> str:
        if self.dataset:
            return "the dataset"
        return f"graph <{self.graph}>" if self.graph else "the default graph"


def _target() -> Target:
    params = Params(request.query_string, "query string")
    graph = params.one("graph")
    if graph is not None and "default" in params.values:
        raise BadInput("give one of ?graph=IRI and ?default, not both")
    if graph is not None:
        if not graph:
            raise BadInput("?graph= needs an IRI (or use ?default for the default graph)")
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise BadInput(f"graph={graph!r} is not an absolute IRI: {exc}") from None
        return Target(graph)
    if "default" in params.values:
        return Target()
    return Target(dataset=True)


def _exists(store: Store, target: Target) -> bool:
    return target.graph is None or target.graph in store.graphs()


# --- the route ---------------------------------------------------------------------------------

@blueprint.route("/store", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    target = _target()
    if request.method in ("GET", "HEAD"):
        return _read(target)
    operation = f"Graph Store {request.method}"
    if target.dataset and request.method != "POST":
        verb = "replaces" if request.method == "PUT" else "drops"
        raise BadInput(f"{request.method} {verb} one graph: name it with ?graph=IRI or "
                       "?default (a whole dataset is added with POST, and replaced graph by "
                       "graph)")
    authorize_update(operation)
    _refuse_inferred([target.graph] if target.graph else [])
    if request.method == "DELETE":
        return _delete(target)
    return _write(target, replace=request.method == "PUT")


def _refuse_inferred(graphs: list[str]) -> None:
    """403 for a write to the inferred graph: it is recomputed from the others after every
    write (xsrv_kg/sources/inference.py), so what was written there would be lost."""
    inferred = inference.inferred_graph(endpoint().config)
    if inferred in graphs:
        raise Forbidden(f"<{inferred}> is computed from the other graphs after every write; "
                        "write to the graphs it is derived from")


def _negotiate(offered: tuple[str, ...], what: str) -> str:
    chosen = prefers(request.headers.get("Accept"), offered)
    if chosen is None:
        raise NotAcceptable(f"{what} is available as {', '.join(offered)}")
    return chosen


def _read(target: Target) -> Response:
    store = endpoint().store
    if not target.dataset and not _exists(store, target):  # missing in any format
        raise NotFound(f"graph <{target.graph}> does not exist")
    offered = DATASET_OUTPUT if target.dataset else GRAPH_OUTPUT
    media = _negotiate(offered, target.describe())
    fmt = ox.RdfFormat.from_media_type(media)
    prefixes = vocab.PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG,
                                         ox.RdfFormat.RDF_XML) else None
    if target.dataset:
        body = store.dump(fmt, None, prefixes=prefixes)
    elif target.graph is not None:
        body = store.dump(fmt, [target.graph], prefixes=prefixes)
    else:
        # The store's own default graph: an explicit dataset whose default graph is it.
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                              default_graphs=[], named_graphs=[])
        body = ox.serialize(list(triples), format=fmt, prefixes=prefixes)  # type: ignore[arg-type]
    response = Response(body, 200, content_type=formats.content_type(media))
    response.vary.add("Accept")
    return response


def _write(target: Target, *, replace: bool) -> Response:
    base = target.graph or url_for("graph_store.graph_store", _external=True)
    accepted = DATASET_INPUT if target.dataset else INPUT
    media, quads = read_rdf_body(accepted, base_iri=base, what=f"{request.method} to "
                                 f"{target.describe()}")
    named = sorted({q.graph_name.value for q in quads
                    if not isinstance(q.graph_name, ox.DefaultGraph)})
    _refuse_inferred(named)
    if not target.dataset:
        if named:
            raise BadInput(f"the {media} body names graphs ({', '.join(named[:5])}); a body "
                           f"sent to {target.describe()} holds triples only (send a dataset "
                           "to /store without ?graph)")
        graph = target.term
        quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]
    with endpoint().writing(f"Graph Store {request.method}") as store:
        existed = target.dataset or _exists(store, target)
        if not replace:
            store.add(quads)
        elif target.graph is not None:
            store.put(target.graph, quads)
        else:
            store.update(replace_graph_update(ox.DefaultGraph(), quads))
    return Response(status=204 if existed or not quads else 201)


def _delete(target: Target) -> Response:
    with endpoint().writing("Graph Store DELETE") as store:
        if not _exists(store, target):
            raise NotFound(f"graph <{target.graph}> does not exist")
        store.update(f"DROP GRAPH {target.term}" if target.graph else "DROP SILENT DEFAULT")
    return Response(status=204)
