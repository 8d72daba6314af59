"""A plain rdflib SPARQL endpoint: the floor that ``endpoint.py`` compares against.

It does what the simplest Python endpoint would do and nothing more: an
``rdflib.Dataset(default_union=True)`` loaded from one TriG file, ``/sparql`` answering GET
``?query=`` and POST (form or ``application/sparql-query``) with SPARQL Results JSON, served
by waitress. No worker processes, no time limit, no cache, no content negotiation.

    python benchmarks/rdflib_endpoint.py DATA.trig [--host 127.0.0.1] [--port 8001]
"""

from __future__ import annotations

import argparse
import sys

import rdflib
from flask import Flask, Response, request
from waitress import serve

JSON = "application/sparql-results+json"


def create_app(trig: str) -> Flask:
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(trig, format="trig")
    app = Flask(__name__)
    app.config["DATASET"] = dataset

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        if request.method == "POST" and request.mimetype == "application/sparql-query":
            query = request.get_data(as_text=True)
        else:
            query = request.values.get("query")
        if not query:
            return Response("missing 'query'\n", 400, content_type="text/plain")
        try:
            result = dataset.query(query)
            body = result.serialize(format="json")
        except Exception as exc:  # noqa: BLE001 - any failure is the client's answer
            return Response(f"{type(exc).__name__}: {exc}\n", 400, content_type="text/plain")
        return Response(body, 200, content_type=JSON)

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trig", help="the dataset as TriG")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args(argv)
    app = create_app(args.trig)
    print(f"rdflib endpoint: {len(app.config['DATASET'])} quads; serving "
          f"http://{args.host}:{args.port}/sparql", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="rdflib-floor",
          _quiet=True)


if __name__ == "__main__":
    sys.exit(main())
