"""``/.well-known/void``: the dataset description (VoID, DCAT) of what this server serves.

Its triple counts are counted in the store (once per store version), so they are the
store's own; the service description and every page's footer link here.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request, url_for

from ... import __version__
from ...errors import NotAcceptable
from ...formats import GRAPH_FORMATS, RDF_XML, TURTLE
from ...query.negotiation import negotiate
from ...sources.description import PREFIXES, describe_dataset
from ..state import config, store
from .memo import per_store_version

blueprint = Blueprint("void", __name__)


@blueprint.route("/.well-known/void")
def void() -> Response:
    accept = request.headers.get("Accept")
    chosen = negotiate(accept, None).graph
    if chosen is None:
        raise NotAcceptable("the dataset description is RDF: accept one of "
                            + ", ".join(f.media_type for f in GRAPH_FORMATS))
    if (accept or "*/*").strip() in ("", "*/*"):
        chosen = TURTLE
    endpoint_url = url_for("protocol.sparql", _external=True)
    triples = per_store_version("void", endpoint_url, lambda: describe_dataset(
        store(), config(), version=__version__, endpoint_url=endpoint_url))
    body = ox.serialize(triples, format=chosen.rdf,
                        prefixes=PREFIXES if chosen in (TURTLE, RDF_XML) else None)
    response = Response(body, 200, content_type=chosen.content_type)
    response.vary.add("Accept")
    return response
