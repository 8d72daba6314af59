"""The draft review page in a real browser (Playwright + Debian's chromium; see conftest), on
a live ``xsrv-kg serve --allow-update`` of a folder ``xsrv-kg draft`` wrote: a reviewer gives
the token once, accepts one fact and rejects another, and the server holds both decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from xsrv_kg import vocab
from xsrv_kg.draft import draft_file

from .live import serve

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SOURCE = Path(__file__).parent / "fixtures" / "draft" / "designation-notice" / "source.txt"
DOC_ID = "demo-notice"
TOKEN = "browser-review-token-42"


@pytest.fixture(scope="module")
def draft_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("draft") / DOC_ID
    draft_file(SOURCE, doc_id=DOC_ID, folder=folder)
    with serve(str(folder), "--allow-update", token=TOKEN) as server:
        yield server


def twin(server) -> dict:
    return requests.get(f"{server.url}/documents/{DOC_ID}/draft.json", timeout=30).json()


def test_a_reviewer_accepts_one_fact_and_rejects_another(page, draft_server) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{draft_server.url}/documents/{DOC_ID}/draft?lang=en")
    facts = twin(draft_server)["facts"]
    accepted = next(f for f in facts if f["rule"] == "lists.member")["id"]
    rejected = next(f for f in facts if f["rule"] == "document.date")["id"]
    page.shot("before")

    # Without the token the server refuses, and the page says why.
    card = page.locator(f"article.fact[data-fact='{accepted}']")
    card.locator("button[data-decision=accept]").click()
    page.wait_for_function(
        "id => document.querySelector(`article[data-fact='${id}'] .error`).textContent !== ''",
        arg=accepted)
    assert "Authorization: Bearer" in card.locator(".error").inner_text()
    assert twin(draft_server)["counts"]["accepted"] == 0

    page.fill("#draft-token", TOKEN)
    card.locator("button[data-decision=accept]").click()
    page.wait_for_selector(f"article.fact[data-fact='{accepted}'][data-state=accepted]")
    # The token stays in the tab across the reload; the other fact is decided without retyping.
    assert page.input_value("#draft-token") == TOKEN
    page.locator(f"article.fact[data-fact='{rejected}'] button[data-decision=reject]").click()
    page.wait_for_selector(f"article.fact[data-fact='{rejected}'][data-state=rejected]")

    by_id = {f["id"]: f for f in twin(draft_server)["facts"]}
    assert by_id[accepted]["status"]["iri"] == vocab.XSRV + "review-accepted"
    assert by_id[rejected]["status"]["iri"] == vocab.XSRV + "review-rejected"
    counts = page.locator(".draft-counts")
    assert counts.get_attribute("data-accepted") == "1"
    assert counts.get_attribute("data-rejected") == "1"
    assert "accepted" in page.locator(f"article.fact[data-fact='{accepted}']").get_attribute(
        "class")
    assert "1 accepted facts" in page.locator(".draft-validation .note").inner_text()
    page.shot("after")
    assert errors == [e for e in errors if "401" in e]  # only the refused post, logged
