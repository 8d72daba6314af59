"""``/documents``: every policy document of the dataset, from the data, with its overview."""

from __future__ import annotations

import re

from .conftest import rows


def test_the_index_lists_every_policy_document_the_data_holds(client, store) -> None:
    expected = {r["d"] for r in rows(store, "SELECT ?d { ?d a xsrv:PolicyDocument }")}
    model = client.get("/documents.json?lang=en").get_json()
    assert {d["iri"] for d in model["documents"]} == expected
    assert len(expected) >= 2  # the county plan and the municipal plan at least


def test_each_document_says_what_the_data_states_and_nothing_else(client, store) -> None:
    model = client.get("/documents.json?lang=zh").get_json()
    for doc in model["documents"]:
        issuers = {r["i"] for r in rows(store, f"SELECT ?i {{ <{doc['iri']}> eli:passed_by ?i }}")}
        assert {t["iri"] for t in doc["issuer"]} == issuers
        rules = rows(store, f"""SELECT (COUNT(DISTINCT ?r) AS ?n) {{
            ?r a xsrv:FundRule ; xsrv:statedBy <{doc['iri']}> }}""")
        assert doc["stated"]["rules"] == int(rows_value(rules))
        assert doc["date"] is None or re.match(r"\d{4}", doc["date"])


def rows_value(found: list[dict[str, str]]) -> str:
    return next(iter(found[0].values()))


def test_every_document_links_to_its_own_overview(client) -> None:
    html = client.get("/documents?lang=en", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    links = [h.replace("&amp;", "&")
             for h in re.findall(r'class="document-overview" href="([^"]+)"', html)]
    model = client.get("/documents.json").get_json()
    assert len(links) == len(model["documents"])
    for link, doc in zip(links, model["documents"], strict=True):
        overview = client.get(link.replace("/overview?", "/overview.json?")).get_json()
        assert overview["document"]["iri"] == doc["iri"]


def test_every_page_links_the_index(client) -> None:
    html = client.get("/overview", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/documents?lang=' in html


def _belongs(store, focus: str, doc: str) -> bool:
    """The rule, restated: the document itself, minted under it, or xsrv:statedBy it."""
    return focus == doc or focus.startswith(doc + "/") or bool(
        rows(store, f"SELECT ?d {{ <{focus}> xsrv:statedBy <{doc}> }}"))


def test_each_document_s_validation_state_is_its_own_results(client, store, config) -> None:
    from xsrv_kg.validation import validate

    report = validate(store, config, engine=config.validation_engine)
    model = client.get("/documents.json?lang=en").get_json()
    for doc in model["documents"]:
        mine = [r for r in report.results if r.focus_iri and _belongs(store, r.focus_iri,
                                                                       doc["iri"])]
        state = doc["validation"]
        assert {s: state[s] for s in ("Violation", "Warning", "Info")} == {
            s: sum(r.severity == s for r in mine) for s in ("Violation", "Warning", "Info")}
        assert state["conforms"] == (state["Violation"] == 0)
    by_iri = {d["iri"]: d["validation"] for d in model["documents"]}
    # Both plans conform; their incomplete counts (the text declares more than it names) are
    # infos, each plan's own, and every result of the shipped data belongs to one of them.
    county, municipal = (by_iri["https://w3id.org/xsrv-kg/id/doc/" + d]
                         for d in ("xiushan-plan", "chongqing-plan"))
    assert county["conforms"] and municipal["conforms"]
    assert county["Info"] > 0 and municipal["Info"] > 0
    assert county["Info"] + municipal["Info"] == report.counts()["Info"]
    html = client.get("/documents?lang=en", headers={"Accept": "text/html"}).get_data(
        as_text=True)
    assert html.count('class="document-validation" data-conforms="true"') == len(by_iri)


def test_the_validation_link_shows_only_that_document_s_results(client, store) -> None:
    model = client.get("/documents.json?lang=zh").get_json()
    for doc in model["documents"]:
        link = doc["validation"]["href"]
        assert link.startswith("/validation?")
        page = client.get(link.replace("/validation?", "/validation.json?")).get_json()
        assert page["document"] == doc["iri"]
        assert {s: page["counts"][s] for s in page["counts"]} == {
            s: doc["validation"][s] for s in page["counts"]}
        focus = [r["focusIri"] for g in page["groups"] for s in g["shapes"] for r in s["results"]]
        assert all(_belongs(store, f, doc["iri"]) for f in focus)
        html = client.get(link, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert f'class="validation-document" data-document="{doc["iri"]}"' in html
    assert client.get("/validation.json?doc=no-such-plan").status_code == 404


# --- paging and filtering: the index of thousands of documents -----------------------------

def test_pages_of_the_index_together_are_the_whole_index_in_order(client) -> None:
    whole = [d["iri"] for d in client.get("/documents.json?size=1000").get_json()["documents"]]
    seen, url = [], "/documents.json?size=1"
    while url:
        response = client.get(url)
        model = response.get_json()
        seen += [d["iri"] for d in model["documents"]]
        assert model["total"] == model["matched"] == len(whole)
        assert len(model["documents"]) == 1
        url = model.get("next")
        if url:  # the header names the same neighbour as the twin
            assert f'<{url}>; rel="next"' in response.headers.getlist("Link")
    assert seen == whole


def test_a_filter_keeps_the_documents_whose_title_area_or_status_contain_it(client) -> None:
    model = client.get("/documents.json?lang=zh&q=重庆").get_json()
    labels = [d["label"] for d in model["documents"]]
    assert labels and all("重庆" in d["label"] or any("重庆" in t["label"]
                                                     for t in d["area"] + d["issuer"])
                          for d in model["documents"])
    assert model["matched"] == len(labels) < model["total"]
    none = client.get("/documents.json?q=no-such-document-anywhere").get_json()
    assert none["documents"] == [] and none["matched"] == 0
    html = client.get("/documents?q=no-such-document-anywhere&lang=en",
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "No document matches." in html


def test_a_page_past_the_last_is_empty_and_links_back(client) -> None:
    model = client.get("/documents.json?page=999").get_json()
    assert model["documents"] == [] and model["first"] == model["last"] == 0
    assert model["prev"].startswith("/documents.json?page=1")


def test_a_bad_page_or_size_is_a_400_naming_the_parameter(client) -> None:
    for query, name in (("page=0", "page"), ("page=x", "page"), ("size=1001", "size"),
                        ("size=-1", "size")):
        response = client.get(f"/documents.json?{query}", headers={"Accept": "application/json"})
        assert response.status_code == 400, query
        assert response.get_json()["error"]["message"].startswith(f"{name} must be"), query
    html = client.get("/documents?page=0", headers={"Accept": "text/html"})
    assert html.status_code == 400 and html.content_type.startswith("text/html")


def test_each_document_s_type_is_the_one_its_data_states(client, store) -> None:
    model = client.get("/documents.json?lang=en").get_json()
    for doc in model["documents"]:
        stated = {r["t"] for r in rows(store, f"SELECT ?t {{ <{doc['iri']}> eli:type_document ?t }}")}
        assert ({doc["type"]["iri"]} if doc["type"] else set()) == stated
    types = {d["iri"].rsplit("/", 1)[1]: d["type"]["label"] for d in model["documents"]
             if d["type"]}
    assert types["xiushan-plan"] == "plan" and types["yuweinongzu-2021-9"] == "notice"
    assert client.get("/documents.json?lang=en&q=notice").get_json()["matched"] >= 1


def test_a_drafted_document_links_its_review_page_and_others_do_not(tmp_path) -> None:
    from pathlib import Path

    from xsrv_kg.config import Config
    from xsrv_kg.draft import draft_file
    from xsrv_kg.server.app import create_app

    text = Path(__file__).parent / "fixtures" / "example-notice" / "source.txt"
    draft_file(text, doc_id="drafted-notice", folder=tmp_path / "drafted-notice")
    app = create_app(Config(data_paths=(tmp_path,), inference=False))
    client = app.test_client()
    model = client.get("/documents.json").get_json()
    drafted = [d for d in model["documents"] if d["draft"]]
    assert [d["iri"].rsplit("/", 1)[1] for d in drafted] == ["drafted-notice"]
    assert drafted[0]["draft"] == {"status": "review-draft",
                                   "href": "/documents/drafted-notice/draft"}
    assert client.get(drafted[0]["draft"]["href"]).status_code == 200
    html = client.get("/documents", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert html.count('class="document-draft"') == 1
