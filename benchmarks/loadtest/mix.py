"""The request mix: four classes of request (curated, malformed, slow, page), what each answer
must be, and the seeded plan that hands them out in proportion."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[2]

CLASSES = ("curated", "malformed", "slow", "page")
#: Nominal shares of the mix; the slow share is capped (see ``slow_cap``), the rest is curated.
SHARES = {"curated": 0.80, "malformed": 0.12, "slow": 0.03, "page": 0.05}
#: Seconds of run time the slow queries may take, one after another per free worker.
SLOW_BUDGET = 40.0
#: Seconds a slow query keeps its place after its answer: its worker was killed, and the
#: replacement takes about 0.3 s to start on an idle 2-core machine, more under load.
RESPAWN_GRACE = 1.0

SOLUTION_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"

SLOW_QUERIES = {
    "4-way cross join": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                        "?j ?k ?l }",
    # (p|!p)* is "any predicate, any number of times": ?p* is not SPARQL (a path needs IRIs).
    "any-path closure join": "SELECT (COUNT(*) AS ?n) WHERE { "
                             "?s (<urn:x:p>|!<urn:x:p>)* ?o . ?x (<urn:x:p>|!<urn:x:p>)* ?y }",
}


@dataclass(frozen=True)
class Spec:
    """One request to send, and what its answer must be."""

    cls: str
    variant: str
    method: str
    target: str                       # path and query string
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    expect: int = 200                 # the status this request must get
    query: str | None = None          # curated: the query's name, for the row check
    fmt: str | None = None            # curated: the format the answer must be in
    content_type: str | None = None   # pages: the Content-Type the answer must start with


def curated_queries() -> dict[str, str]:
    """``queries/*.rq`` without the federated ones (they call a second endpoint)."""
    return {p.stem: p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "queries").glob("*.rq"))
            if not p.stem.startswith("federated-")}


def query_request(cls: str, variant: str, how: str, text: str, headers: dict[str, str],
                   params: dict[str, str] | None = None, **kw: object) -> Spec:
    """A query sent ``how``: ``GET``, ``form`` (POST urlencoded) or ``direct`` (POST body)."""
    params = params or {}
    if how == "GET":
        return Spec(cls, variant, "GET", "/sparql?" + urlencode({"query": text, **params}),
                    None, tuple(headers.items()), **kw)
    if how == "form":
        body = urlencode({"query": text, **params}).encode()
        return Spec(cls, variant, "POST", "/sparql", body,
                    tuple({**headers, "Content-Type": FORM}.items()), **kw)
    target = "/sparql" + ("?" + urlencode(params) if params else "")
    return Spec(cls, variant, "POST", target, text.encode("utf-8"),
                tuple({**headers, "Content-Type": DIRECT}.items()), **kw)


def curated_spec(rng: random.Random, name: str, text: str) -> Spec:
    how = rng.choice(("GET", "form", "direct"))
    choice = rng.choice(("json", "xml", "csv", "tsv", "turtle>xml", "*/*", "format="))
    headers: dict[str, str] = {}
    params: dict[str, str] = {}
    if choice == "turtle>xml":
        # Turtle first: a SELECT has no Turtle form, so the next choice (XML) must win.
        headers["Accept"] = "text/turtle, application/sparql-results+xml;q=0.8"
        fmt = "xml"
    elif choice == "*/*":
        headers["Accept"] = "*/*"
        fmt = "json"
    elif choice == "format=":
        fmt = rng.choice(tuple(SOLUTION_TYPES))
        params["format"] = fmt
        headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8"  # a browser's
    else:
        fmt = choice
        headers["Accept"] = SOLUTION_TYPES[fmt]
    if rng.random() < 0.5:
        headers["Accept-Encoding"] = "gzip"
    return query_request("curated", f"{how} {choice}", how, text, headers, params,
                          query=name, fmt=fmt)


def malformed_specs(max_body: int) -> list[Spec]:
    """Requests the endpoint must refuse with a 4xx, one of each kind."""
    json_accept = {"Accept": SOLUTION_TYPES["json"]}
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * (max_body + 1024)
    return [
        query_request("malformed", "syntax error GET", "GET", "SELEC * WHERE { ?s ?p ?o }",
                       json_accept, expect=400),
        query_request("malformed", "syntax error POST", "form",
                       "SELECT ?s WHERE { ?s ?p }", json_accept, expect=400),
        query_request("malformed", "syntax error direct", "direct",
                       "SELECT * WHERE { ?s ?p ?o } LIMIT x", {}, expect=400),
        Spec("malformed", "Content-Type text/plain", "POST", "/sparql", b"ASK {}",
             (("Content-Type", "text/plain"),), expect=415),
        Spec("malformed", "Content-Type application/json", "POST", "/sparql",
             b'{"query": "ASK {}"}', (("Content-Type", "application/json"),), expect=415),
        Spec("malformed", "no Content-Type", "POST", "/sparql", b"ASK {}", (), expect=415),
        Spec("malformed", "charset latin-1", "POST", "/sparql", b"ASK {}",
             (("Content-Type", DIRECT + "; charset=latin-1"),), expect=415),
        Spec("malformed", "form without query", "POST", "/sparql", b"foo=bar",
             (("Content-Type", FORM),), expect=400),
        query_request("malformed", "empty query", "GET", "", json_accept, expect=400),
        query_request("malformed", "unknown format", "GET", "ASK {}", {},
                       {"format": "bogus"}, expect=400),
        query_request("malformed", "nothing acceptable", "GET", "ASK {}",
                       {"Accept": "image/png"}, expect=406),
        Spec("malformed", "invalid UTF-8 GET", "GET", "/sparql?query=ASK%20%7B%FF%FE%7D",
             None, (), expect=400),
        Spec("malformed", "invalid UTF-8 direct", "POST", "/sparql", b"ASK {\xff\xfe}",
             (("Content-Type", DIRECT),), expect=400),
        query_request("malformed", "oversize form", "form", big, json_accept, expect=413),
        query_request("malformed", "oversize direct", "direct", big, json_accept,
                       expect=413),
        Spec("malformed", "query given twice", "GET",
             "/sparql?" + urlencode([("query", "ASK {}"), ("query", "SELECT * {}")]),
             None, (), expect=400),
        Spec("malformed", "update by GET", "GET", "/sparql?update=CLEAR%20ALL", None, (),
             expect=400),
        Spec("malformed", "update (read-only)", "POST", "/sparql", b"update=CLEAR+ALL",
             (("Content-Type", FORM),), expect=403),
        query_request("malformed", "SERVICE not allowed", "form",
                       "SELECT * { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }",
                       json_accept, expect=403),
        Spec("malformed", "PUT", "PUT", "/sparql", b"ASK {}", (("Content-Type", DIRECT),),
             expect=405),
        query_request("malformed", "bad graph IRI", "GET", "ASK {}", json_accept,
                       {"default-graph-uri": "not an iri"}, expect=400),
        Spec("malformed", "unknown resource", "GET", "/id/no/such-thing", None,
             (("Accept", "text/html"),), expect=404),
    ]


def slow_specs() -> list[Spec]:
    return [query_request("slow", f"{name} {how}", how, text,
                           {"Accept": SOLUTION_TYPES["json"]}, expect=503)
            for name, text in SLOW_QUERIES.items() for how in ("GET", "form")]


def page_specs(iris: list[str], base: str) -> list[Spec]:
    """Pages and linked-data documents; ``/id/…`` pages weigh most."""
    def page(variant: str, target: str, accept: str, ctype: str) -> Spec:
        return Spec("page", variant, "GET", target, None,
                    (("Accept", accept), ("Accept-Encoding", "gzip")), content_type=ctype)

    html = "text/html,application/xhtml+xml,*/*;q=0.8"
    specs = [
        page("/", "/", html, "text/html"),
        page("/overview", "/overview", html, "text/html"),
        page("/overview.json", "/overview.json", "application/json", "application/json"),
        page("/shacl turtle", "/shacl", "text/turtle", "text/turtle"),
        page("/shacl json", "/shacl?format=json&lang=en", "*/*", "application/json"),
        page("/shacl html", "/shacl", html, "text/html"),
        page("/validation", "/validation", html, "text/html"),
        page("/queries.json", "/queries.json", "application/json", "application/json"),
        page("/sparql description", "/sparql", "text/turtle", "text/turtle"),
        page("/ontology", "/ontology", html, "text/html"),
    ]
    for iri in iris:
        path = "/" + quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~")
        specs.append(page("/id/… html", path, html, "text/html"))
        specs.append(page("/id/… turtle", path, "text/turtle", "text/turtle"))
    return specs


def slow_cap(time_limit: float, slow_concurrency: int) -> int:
    """How many slow queries fit in ``SLOW_BUDGET`` seconds, ``slow_concurrency`` at a time."""
    per_query = time_limit + RESPAWN_GRACE + 0.1  # the limit, the replacement, the rest
    return max(1, math.floor(SLOW_BUDGET * slow_concurrency / per_query))


def plan_counts(requests: int, cap: int, slow: int | None = None) -> dict[str, int]:
    """Requests per class: the nominal shares, the slow ones capped (or ``slow`` exactly)."""
    counts = {cls: round(requests * SHARES[cls]) for cls in ("malformed", "slow", "page")}
    counts["slow"] = min(counts["slow"], cap) if slow is None else min(slow, requests)
    counts["curated"] = requests - sum(counts.values())
    return {cls: counts[cls] for cls in CLASSES}


def build_plan(counts: dict[str, int], seed: int, queries: dict[str, str],
               malformed: list[Spec], slow: list[Spec], pages: list[Spec]) -> list[Spec]:
    """The requests in the order they are handed out; the same for the same seed.

    Within a class the variants take turns (curated queries too), so that even a small run
    covers each; the order is shuffled, and the slow queries are spread evenly over it.
    """
    rng = random.Random(seed)
    names = list(queries)
    rest: list[Spec] = []
    rest += [curated_spec(rng, names[i % len(names)], queries[names[i % len(names)]])
             for i in range(counts["curated"])]
    rest += [malformed[i % len(malformed)] for i in range(counts["malformed"])]
    rest += [pages[i % len(pages)] for i in range(counts["page"])]
    rng.shuffle(rest)
    n_slow = counts["slow"]
    plan: list[Spec] = []
    total = len(rest) + n_slow
    slots = {math.floor((k + 0.5) * total / n_slow) for k in range(n_slow)} if n_slow else set()
    slow_iter = (slow[k % len(slow)] for k in range(n_slow))
    rest_iter = iter(rest)
    for position in range(total):
        plan.append(next(slow_iter) if position in slots else next(rest_iter))
    return plan

