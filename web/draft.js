/* The draft review page (/documents/<id>/draft): a mark in the text leads to the facts it
 * belongs to; Accept / Reject post the decision with the update token the reviewer typed.
 *
 * The token is kept in this tab's sessionStorage only, and sent as `Authorization: Bearer`
 * (as SPARQL Update takes it). After a decision the page is reloaded, so the statuses, the
 * highlights and the validation of the accepted part all come from the server again; the
 * scroll position is kept across the reload.
 */
(function () {
  "use strict";

  var root = document.getElementById("draft-review");
  if (!root) return;
  var TOKEN_KEY = "xsrv-update-token";
  var SCROLL_KEY = "xsrv-draft-scroll:" + window.location.pathname;

  var kept = window.sessionStorage.getItem(SCROLL_KEY);
  if (kept !== null) {
    window.sessionStorage.removeItem(SCROLL_KEY);
    window.scrollTo(0, parseInt(kept, 10) || 0);
  }

  /* A mark leads to the first fact it belongs to, and flashes every one of them. */
  root.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-facts]");
    if (!mark) return;
    var ids = mark.getAttribute("data-facts").split(" ");
    ids.forEach(function (id, i) {
      var card = document.getElementById("fact-" + id);
      if (!card) return;
      if (i === 0) card.scrollIntoView({ block: "center" });
      card.classList.add("flash");
      window.setTimeout(function () { card.classList.remove("flash"); }, 1500);
    });
  });

  var input = document.getElementById("draft-token");
  if (!input) return; // read-only service: no buttons either
  input.value = window.sessionStorage.getItem(TOKEN_KEY) || "";
  input.addEventListener("input", function () {
    window.sessionStorage.setItem(TOKEN_KEY, input.value);
  });
  input.form.addEventListener("submit", function (event) { event.preventDefault(); });

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-decision]");
    if (!button) return;
    var card = button.closest("article.fact");
    var error = card.querySelector(".error");
    error.textContent = "";
    card.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(card.getAttribute("data-action"), {
      method: "POST",
      headers: {
        "Authorization": "Bearer " + input.value.trim(),
        "Content-Type": "application/json",
        "Accept": "application/json"
      },
      body: JSON.stringify({ decision: button.getAttribute("data-decision") })
    }).then(function (response) {
      if (response.ok) {
        window.sessionStorage.setItem(SCROLL_KEY, String(window.scrollY));
        window.location.reload();
        return null;
      }
      return response.json().then(function (body) {
        throw new Error(body && body.error ? body.error.message : response.statusText);
      }, function () { throw new Error(response.status + " " + response.statusText); });
    }).catch(function (failure) {
      error.textContent = error.getAttribute("data-failed") + failure.message;
      card.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });
})();
