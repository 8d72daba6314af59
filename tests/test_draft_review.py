"""``/documents/<id>/draft``: the review page of a drafted document, its JSON twin, a
reviewer's decisions (update mode only), the accepted part's validation and its download.

Each test serves its own store (Flask's test client over ``create_app``), loaded from a
folder ``xsrv-kg draft`` wrote from the fictional designation notice of
tests/fixtures/draft/, so decisions made in one test are not seen by another.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.draft import draft_file
from xsrv_kg.server.app import create_app

from .conftest import rows

SOURCE = Path(__file__).parent / "fixtures" / "draft" / "designation-notice" / "source.txt"
DOC_ID = "demo-notice"
DOC = vocab.PREFIXES["doc"] + DOC_ID
PLAN = DOC + "/"
TOKEN = "review-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XSRV = vocab.XSRV


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("draft") / DOC_ID
    draft_file(SOURCE, doc_id=DOC_ID, folder=out)
    return out


def _client(folder: Path, **settings: object) -> Iterator[FlaskClient]:
    app = create_app(Config(data_paths=(folder,), **settings), workers=False)
    yield app.test_client()
    app.extensions["xsrv"].close()


@pytest.fixture
def client(folder: Path) -> Iterator[FlaskClient]:
    """The draft served with updates allowed (the token in the config, as from the env)."""
    yield from _client(folder, allow_update=True, update_token=TOKEN)


@pytest.fixture
def read_only(folder: Path, tmp_path: Path) -> Iterator[FlaskClient]:
    """The draft served read-only, beside a document that was not drafted (doc:plain)."""
    plain = tmp_path / "plain.ttl"
    plain.write_text(f"<{vocab.PREFIXES['doc']}plain> a <{XSRV}PolicyDocument> .\n",
                     encoding="utf-8")
    app = create_app(Config(data_paths=(folder, plain)), workers=False)
    yield app.test_client()
    app.extensions["xsrv"].close()


def store_of(client: FlaskClient):
    return client.application.extensions["xsrv"].store


def statuses(client: FlaskClient) -> dict[str, str]:
    """Fact id -> review status, as the store holds it now."""
    found = rows(store_of(client), f"""SELECT ?s ?status {{ ?s xsrv:reviewStatus ?status
        FILTER(STRSTARTS(STR(?s), "{PLAN}")) }}""")
    return {r["s"][len(PLAN):]: r["status"].rsplit("#", 1)[1] for r in found}


def assignment_of(client: FlaskClient, name: str) -> tuple[str, str]:
    """(assignment id, unit id) of the drafted assignment of the place named ``name``."""
    found = rows(store_of(client), f"""SELECT ?a ?u {{ ?a xsrv:assignedUnit ?u .
        ?u rdfs:label "{name}"@zh FILTER(STRSTARTS(STR(?a), "{PLAN}")) }}""")
    assert len(found) == 1, found
    return found[0]["a"][len(PLAN):], found[0]["u"][len(PLAN):]


def decide(client: FlaskClient, fact: str, decision: object, **kwargs):
    return client.post(f"/documents/{DOC_ID}/draft/{fact}", json={"decision": decision},
                       headers={**AUTH, **kwargs.pop("headers", {})}, **kwargs)


# --- reading ----------------------------------------------------------------------------------

def test_the_twin_lists_every_resource_the_draft_marks_for_review(client) -> None:
    model = client.get(f"/documents/{DOC_ID}/draft.json?lang=en").get_json()
    expected = statuses(client)
    ids = [f["id"] for f in model["facts"]]
    assert ids[0] == "document"  # doc:demo-notice itself, outside plan:
    assert set(ids[1:]) == set(expected) and len(ids) == len(set(ids))
    assert model["counts"] == {"draft": len(ids), "accepted": 0, "rejected": 0}
    for fact in model["facts"]:
        assert fact["status"]["iri"] == XSRV + "review-draft"
        assert fact["state"] == "draft"


def test_each_fact_shows_its_spans_rule_and_triples(client, folder: Path) -> None:
    text = (folder / "source.txt").read_text(encoding="utf-8")
    model = client.get(f"/documents/{DOC_ID}/draft.json").get_json()
    with_rule = [f for f in model["facts"] if f["rule"]]
    assert with_rule
    for fact in model["facts"]:
        for span in fact["spans"]:
            assert text[span["start"]:span["end"]] == span["exact"]
        # The snippet is Turtle: with the page's prefixes it parses, and its subject is the fact.
        prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in
                           {**vocab.PREFIXES, "plan": PLAN}.items())
        parsed = list(ox.parse(prefixes + fact["turtle"], format=ox.RdfFormat.TURTLE))
        subjects = {q.subject.value for q in parsed if isinstance(q.subject, ox.NamedNode)}
        assert subjects == {fact["iri"]}
        if fact["rule"]:
            assert ox.Literal(fact["rule"]) in {q.object for q in parsed}


def test_the_text_is_whole_and_every_span_is_highlighted(client, folder: Path) -> None:
    text = (folder / "source.txt").read_text(encoding="utf-8")
    model = client.get(f"/documents/{DOC_ID}/draft.json").get_json()
    assert "".join(s["text"] for s in model["text"]) == text
    for fact in model["facts"]:
        for span in fact["spans"]:
            pieces = [s for s in model["text"]
                      if span["start"] <= s["start"] and s["end"] <= span["end"]]
            assert "".join(p["text"] for p in pieces) == span["exact"]
            assert all(fact["id"] in p["facts"] for p in pieces)


def test_the_page_marks_the_text_and_is_read_only_without_update_mode(read_only) -> None:
    page = read_only.get(f"/documents/{DOC_ID}/draft?lang=en",
                         headers={"Accept": "text/html"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert page.headers["Link"] == \
        f'</documents/{DOC_ID}/draft.json?lang=en>; rel="alternate"; type="application/json"'
    assert 'mark id="t' in body and 'data-facts="' in body
    assert "<button" not in body and 'id="draft-token"' not in body
    assert "does not accept updates" in body
    assert "<script>" not in body  # CSP: own scripts from /static only
    assert f'href="/documents/{DOC_ID}/accepted.ttl"' in body


def test_the_page_has_a_token_field_and_buttons_in_update_mode(client) -> None:
    body = client.get(f"/documents/{DOC_ID}/draft", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    model = client.get(f"/documents/{DOC_ID}/draft.json").get_json()
    assert 'id="draft-token"' in body and 'type="password"' in body
    assert body.count('data-decision="accept"') == len(model["facts"])
    actions = re.findall(r'data-action="([^"]+)"', body)
    assert [html.unescape(a) for a in actions] == \
        [f"/documents/{DOC_ID}/draft/{f['id']}" for f in model["facts"]]


def test_unknown_document_and_undrafted_document_are_404(read_only) -> None:
    for url in ("/documents/no-such-doc/draft", "/documents/no-such-doc/draft.json"):
        response = read_only.get(url, headers={"Accept": "application/json"})
        assert response.status_code == 404
        assert "no policy document doc:no-such-doc" in response.get_json()["error"]["message"]
    plain = read_only.get("/documents/plain/draft.json")
    assert plain.status_code == 404
    assert "doc:plain has no drafted facts" in plain.get_json()["error"]["message"]
    assert read_only.get("/documents/plain/accepted.ttl").status_code == 404


# --- deciding ----------------------------------------------------------------------------------

def test_accept_and_reject_change_the_status_in_the_store(client) -> None:
    assignment, unit = assignment_of(client, "石桥镇")
    answer = decide(client, assignment, "accept")
    assert answer.status_code == 200
    assert answer.get_json() == {"fact": assignment, "iri": PLAN + assignment,
                                 "status": XSRV + "review-accepted", "state": "accepted"}
    # A form post is a decision too.
    assert client.post(f"/documents/{DOC_ID}/draft/fact-date", data={"decision": "reject"},
                       headers=AUTH).status_code == 200
    now = statuses(client)
    assert now[assignment] == "review-accepted" and now["fact-date"] == "review-rejected"
    assert now[unit] == "review-draft"
    # One status per fact: the decision replaced the draft status, it did not add one.
    assert len(rows(store_of(client), f"SELECT ?s {{ <{PLAN}{assignment}> xsrv:reviewStatus "
                                      "?s }")) == 1
    model = client.get(f"/documents/{DOC_ID}/draft.json").get_json()
    by_id = {f["id"]: f for f in model["facts"]}
    assert by_id[assignment]["state"] == "accepted" and by_id["fact-date"]["state"] == "rejected"
    assert model["counts"]["accepted"] == 1 and model["counts"]["rejected"] == 1
    # A decision can be changed.
    assert decide(client, "fact-date", "accept").status_code == 200
    assert statuses(client)["fact-date"] == "review-accepted"


def test_the_accepted_part_holds_what_the_accepted_facts_need(client) -> None:
    empty = client.get(f"/documents/{DOC_ID}/draft.json").get_json()["validation"]
    assert empty["included"]["accepted"] == []
    assert {"document", "text"} <= set(empty["included"]["context"])
    assignment, unit = assignment_of(client, "石桥镇")
    decide(client, assignment, "accept")
    included = client.get(f"/documents/{DOC_ID}/draft.json").get_json()["validation"][
        "included"]
    assert included["accepted"] == [assignment]
    # Its place, the place's parent (云岭市) and its category are context, kept as drafts.
    parent = rows(store_of(client), f"SELECT ?p {{ <{PLAN}{unit}> schema:containedInPlace ?p }}")
    assert {unit, parent[0]["p"][len(PLAN):], "document", "text"} <= set(included["context"])
    ttl = client.get(f"/documents/{DOC_ID}/accepted.ttl")
    assert ttl.headers["Content-Type"].startswith("text/turtle")
    assert "attachment" in ttl.headers["Content-Disposition"]
    graph = {(q.subject.value, q.predicate.value, q.object.value)
             for q in ox.parse(ttl.data, format=ox.RdfFormat.TURTLE)}
    assert (PLAN + assignment, XSRV + "assignedUnit", PLAN + unit) in graph
    assert (PLAN + assignment, XSRV + "reviewStatus", XSRV + "review-accepted") in graph
    assert (PLAN + unit, XSRV + "reviewStatus", XSRV + "review-draft") in graph
    # The text is the folder's source.txt, not repeated in the file.
    assert not any(p == vocab.PREFIXES["cnt"] + "chars" for _, p, _ in graph)
    # A fact nobody accepted or needs is not there.
    others = set(statuses(client)) - {s[len(PLAN):] for s, _, _ in graph if s.startswith(PLAN)}
    assert others


def test_rejecting_what_an_accepted_fact_needs_shows_in_its_validation(client) -> None:
    assignment, unit = assignment_of(client, "石桥镇")
    decide(client, assignment, "accept")
    before = client.get(f"/documents/{DOC_ID}/draft.json?lang=en").get_json()["validation"]
    focus_before = {r["focusIri"] for g in before["groups"] for s in g["shapes"]
                    for r in s["results"] if g["severity"] == "Violation"}
    assert PLAN + assignment not in focus_before
    decide(client, unit, "reject")
    after = client.get(f"/documents/{DOC_ID}/draft.json?lang=en").get_json()["validation"]
    assert after["included"]["rejected"] == [unit]
    assert unit not in after["included"]["context"]
    violations = [r for g in after["groups"] if g["severity"] == "Violation"
                  for s in g["shapes"] for r in s["results"]]
    assert not after["conforms"]
    assert any(r["focusIri"] == PLAN + assignment and r["path"] == "xsrv:assignedUnit"
               and r["fact"] == assignment for r in violations)
    graph = ox.parse(client.get(f"/documents/{DOC_ID}/accepted.ttl").data,
                     format=ox.RdfFormat.TURTLE)
    assert not any(PLAN + unit in (q.subject.value, q.object.value) for q in graph)


# --- refusals ----------------------------------------------------------------------------------

def test_a_decision_without_update_mode_is_403(read_only) -> None:
    answer = read_only.post(f"/documents/{DOC_ID}/draft/fact-date", json={"decision": "accept"},
                            headers={**AUTH, "Accept": "application/json"})
    assert answer.status_code == 403
    assert "--allow-update" in answer.get_json()["error"]["message"]


def test_a_decision_without_the_token_is_401_and_changes_nothing(client) -> None:
    before = statuses(client)
    missing = client.post(f"/documents/{DOC_ID}/draft/fact-date", json={"decision": "accept"},
                          headers={"Accept": "application/json"})
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in missing.get_json()["error"]["message"]
    wrong = client.post(f"/documents/{DOC_ID}/draft/fact-date", json={"decision": "accept"},
                        headers={"Authorization": "Bearer not-the-token-at-all",
                                 "Accept": "text/plain"})
    assert wrong.status_code == 401
    assert wrong.get_data(as_text=True) == "401 unauthorized: the update token is wrong\n"
    assert statuses(client) == before


def test_an_unknown_fact_or_document_is_404(client) -> None:
    answer = decide(client, "no-such-fact", "accept", headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert "no fact 'no-such-fact'" in answer.get_json()["error"]["message"]
    other = client.post("/documents/no-such-doc/draft/fact-date", data={"decision": "accept"},
                        headers={**AUTH, "Accept": "text/html"})
    assert other.status_code == 404 and other.content_type.startswith("text/html")
    assert "no policy document doc:no-such-doc" in other.get_data(as_text=True)


@pytest.mark.parametrize("decision", ["maybe", "", None, 1, "ACCEPT"])
def test_a_bad_decision_is_400_and_changes_nothing(client, decision) -> None:
    before = statuses(client)
    answer = decide(client, "fact-date", decision, headers={"Accept": "application/json"})
    assert answer.status_code == 400
    assert "use accept or reject" in answer.get_json()["error"]["message"]
    assert statuses(client) == before


def test_a_body_that_is_not_a_json_object_is_400(client) -> None:
    answer = client.post(f"/documents/{DOC_ID}/draft/fact-date", data="[1]",
                         headers={**AUTH, "Content-Type": "application/json",
                                  "Accept": "application/json"})
    assert answer.status_code == 400
    assert "JSON body must be an object" in answer.get_json()["error"]["message"]


def test_the_downloaded_part_saved_in_a_folder_validates_as_the_page_said(client,
                                                                          folder: Path,
                                                                          tmp_path: Path,
                                                                          config) -> None:
    """README's *Keeping the result*: accepted.ttl beside source.txt, validated as
    `xsrv-kg validate` does, gives the page's report of the accepted part."""
    from .conftest import validate_files

    assignment, unit = assignment_of(client, "石桥镇")
    decide(client, assignment, "accept")
    decide(client, "count-2", "accept")
    decide(client, unit, "reject")
    page = client.get(f"/documents/{DOC_ID}/draft.json?lang=en").get_json()["validation"]
    kept = tmp_path / DOC_ID
    kept.mkdir()
    (kept / "source.txt").write_bytes((folder / "source.txt").read_bytes())
    (kept / "accepted.ttl").write_bytes(client.get(f"/documents/{DOC_ID}/accepted.ttl").data)
    report = validate_files(config, [kept], engine="store")
    assert report.conforms == page["conforms"]
    assert report.counts() == page["counts"]
    assert page["counts"]["Violation"] >= 1  # the assignment whose place was rejected
    found = sorted((r.severity, r.focus_iri or "", r.path or "") for r in report.results)
    shown = sorted((g["severity"], r["focusIri"] or "", r["path"] or "")
                   for g in page["groups"] for s in g["shapes"] for r in s["results"])
    assert found == shown


@pytest.mark.slow
def test_decisions_on_a_disk_store_outlive_the_server(folder: Path, tmp_path: Path) -> None:
    """README's *Keeping the result*: `load --store oxigraph:DIR`, serve it with updates, decide;
    a new server on the same store shows the decision."""
    import subprocess
    import sys

    import requests

    from .live import serve

    spec = f"oxigraph:{tmp_path / 'store'}"
    subprocess.run([sys.executable, "-m", "xsrv_kg", "load", str(folder), "--store", spec,
                    "--quiet"], check=True, capture_output=True)
    with serve("--store", spec, "--allow-update", token=TOKEN) as server:
        answer = requests.post(f"{server.url}/documents/{DOC_ID}/draft/fact-date",
                               data={"decision": "reject"}, headers=AUTH, timeout=30)
        assert answer.status_code == 200
    with serve("--store", spec) as server:
        model = requests.get(f"{server.url}/documents/{DOC_ID}/draft.json", timeout=30).json()
    states = {f["id"]: f["state"] for f in model["facts"]}
    assert states["fact-date"] == "rejected"
    assert model["counts"]["rejected"] == 1 and model["counts"]["accepted"] == 0
