"""Sending a :class:`~.steps.Step` to a live server, and reading and checking the answer:
the W3C expectation first (status class, result format, value), then our contract's code."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

import rdflib
import requests

from .manifest import quiet_rdflib
from .steps import Step, body_bytes

RS = "{http://www.w3.org/2005/sparql-results#}"

BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {  # media type -> rdflib parser
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "text/n3": "n3",
}
#: The RDF formats our server's contract offers (for queries and the service description).
OFFERED_RDF = ("text/turtle", "application/n-triples", "application/ld+json",
               "application/rdf+xml")


def send(server, step: Step) -> requests.Response:
    url = server.sparql
    if step.params:
        url += "?" + urlencode(step.params, quote_via=quote, safe="")
    # None drops requests' default "Accept: */*": upstream's requests send no Accept header.
    headers: dict[str, str | None] = {"Accept": None}
    if step.content_type:
        headers["Content-Type"] = step.content_type
    if step.auth:
        headers["Authorization"] = f"Bearer {server.token}"
    return requests.request(step.method, url, data=body_bytes(step.body), headers=headers,
                            timeout=60, allow_redirects=False)


def media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def parse_boolean(response: requests.Response) -> bool:
    kind = media_type(response)
    if kind == "application/sparql-results+json":
        value = response.json()["boolean"]
    else:
        element = ET.fromstring(response.content).find(f"{RS}boolean")
        assert element is not None, response.text
        value = {"true": True, "false": False}[element.text.strip()]
    assert isinstance(value, bool), value
    return value


Table = tuple[list[str], list[dict[str, tuple[str, str]]]]


def parse_table(response: requests.Response) -> Table:
    """Variables and solutions; each bound variable -> (uri|literal|bnode|unknown, value)."""
    kind = media_type(response)
    if kind == "application/sparql-results+json":
        data = response.json()
        solutions = [{var: ({"typed-literal": "literal"}.get(b["type"], b["type"]), b["value"])
                      for var, b in binding.items()} for binding in data["results"]["bindings"]]
        return data["head"]["vars"], solutions
    if kind == "application/sparql-results+xml":
        root = ET.fromstring(response.content)
        variables = [v.get("name") for v in root.iter(f"{RS}variable")]
        solutions = []
        for result in root.iter(f"{RS}result"):
            solution = {}
            for binding in result.findall(f"{RS}binding"):
                term = binding[0]
                solution[binding.get("name")] = (term.tag.removeprefix(RS), term.text or "")
            solutions.append(solution)
        return variables, solutions
    text = response.content.decode("utf-8")
    if kind == "text/csv":
        lines = list(csv.reader(io.StringIO(text)))
        return lines[0], [{var: ("unknown", cell) for var, cell in zip(lines[0], line,
                                                                       strict=True) if cell}
                          for line in lines[1:] if line]
    lines = text.rstrip("\n").split("\n")
    variables = [v.removeprefix("?") for v in lines[0].split("\t")]
    solutions = []
    for line in lines[1:]:
        solution = {}
        for var, cell in zip(variables, line.split("\t"), strict=True):
            if not cell:
                continue
            if cell.startswith("<") and cell.endswith(">"):
                solution[var] = ("uri", cell[1:-1])
            elif cell.startswith("_:"):
                solution[var] = ("bnode", cell[2:])
            else:
                solution[var] = ("literal", cell.split("^^")[0].split("@")[0].strip('"'))
        solutions.append(solution)
    return variables, solutions


def parse_rdf(response: requests.Response, base: str) -> rdflib.Graph:
    fmt = RDF_TYPES[media_type(response)]
    graph = rdflib.Dataset() if fmt in ("nquads", "trig") else rdflib.Graph()
    with quiet_rdflib():
        graph.parse(data=response.content, format=fmt, publicID=base)
    return graph


def check_response(where: str, step: Step, response: requests.Response, base: str) -> None:
    """The W3C expectation first (status class, format, value), then our contract's code."""
    said = f"{where}\n-> {response.status_code} {response.headers.get('Content-Type')}: " \
           f"{response.text[:400]}"
    status_class = response.status_code // 100
    assert status_class in step.status, (
        f"W3C: expected a {'/'.join(f'{c}xx' for c in sorted(step.status))} response; {said}")
    if status_class == 2 and step.format:
        kind = media_type(response)
        if step.format == "boolean":
            assert kind in BOOLEAN_TYPES, f"W3C: not a boolean result type; {said}"
            value = parse_boolean(response)
            if step.boolean is not None:
                assert value is step.boolean, f"W3C: expected {step.boolean}; {said}"
            parsed: object = value
        elif step.format == "tabular":
            assert kind in TABULAR_TYPES, f"W3C: not a tabular result type; {said}"
            parsed = parse_table(response)
        else:
            assert kind in RDF_TYPES, f"W3C: not an RDF media type; {said}"
            parsed = parse_rdf(response, base)
        if step.check:
            try:
                step.check(parsed)
            except AssertionError as exc:
                raise AssertionError(f"W3C: result check {step.check.__name__} failed: {exc}; "
                                     f"{said}") from None
    assert response.status_code in step.contract, (
        f"contract: expected {' or '.join(map(str, sorted(step.contract)))}; {said}")


def describe(step: Step, response: requests.Response) -> str:
    body = body_bytes(step.body)
    shown = "" if body is None else f" body={body[:300]!r}"
    return (f"{step.method} {response.request.url} Content-Type={step.content_type}"
            f"{' (with token)' if step.auth else ''}{shown}")

