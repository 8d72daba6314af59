"""A parameterized curated query in a real browser (Playwright + Debian's chromium; see
conftest): the form is filled and submitted as a researcher would, and the answer read."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.browser


def test_filling_the_form_runs_the_query_for_that_unit(page, live_server):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/queries/division-profile")
    assert page.input_value("#param-unit") == "涌洞乡"  # the default, already answered
    page.fill("#param-unit", "隘口镇")
    page.click(".canned-form button[type=submit]")
    page.wait_for_url("**/queries/division-profile?*unit=*")
    page.wait_for_selector(".canned-table tbody tr", timeout=10_000)
    shown = page.inner_text(".canned-table")
    # What the JSON twin answers for the same value, read off the page.
    twin = requests.get(live_server.url + "/queries/division-profile.json",
                        params={"unit": "隘口镇"}, timeout=10).json()
    quotes = [b["quote"]["value"] for b in twin["result"]["results"]["bindings"]]
    assert quotes and all(q in shown for q in quotes)
    assert page.locator(".canned-table tbody tr").count() == len(quotes)
    assert "隘口镇" in page.inner_text(".canned-bound")
    page.shot("canned-division-profile")

    page.fill("#param-unit", "不存在乡")
    page.click(".canned-form button[type=submit]")
    page.wait_for_selector(".canned-error", timeout=10_000)
    assert "parameter unit" in page.inner_text(".canned-error")
    assert not errors, errors
