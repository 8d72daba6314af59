/* The query workbench: the vendored YASGUI over this server's /sparql, the curated-query
 * gallery, a results table that shows labels and links IRIs to their pages, CSV (with a
 * UTF-8 BOM) and JSON downloads, a permalink, and the endpoint's errors with their position.
 *
 * Everything the page needs from the server is in #workbench[data-settings] (the pages'
 * Content-Security-Policy allows no inline script). Nothing here asks another server:
 * YASGUI's LOV and prefix.cc completers are replaced by completions from our own endpoint,
 * and entity IRIs (div:yong…) complete from our /search.json. An empty result with an
 * Xsrv-Hint header (a plain string where the data has "涌洞乡"@zh) shows the hint.
 */
(function () {
  "use strict";

  var root = document.getElementById("workbench");
  var host = document.getElementById("yasgui");
  if (!root || !host || typeof Yasgui === "undefined") return;

  var S = JSON.parse(root.getAttribute("data-settings"));
  var W = S.words;
  var ENDPOINT = new URL(S.endpoint, window.location.href).href;
  var PREFIXES = S.prefixes;
  var Yasqe = Yasgui.Yasqe;
  var Yasr = Yasgui.Yasr;
  var PAGE_ROWS = 500;          // rows drawn at once; "show more" draws the next ones
  var MAX_LABEL_IRIS = 2000;    // IRIs whose labels one result asks for
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger|nonPositiveInteger|negativeInteger|unsignedInt|unsignedLong)$/;

  /* ---- small helpers ------------------------------------------------------------------ */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function localName(iri) {
    var cut = Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/"));
    var name = cut >= 0 && cut < iri.length - 1 ? iri.slice(cut + 1) : iri;
    try { return decodeURIComponent(name); } catch (e) { return name; }
  }

  /* Our IRIs dereference on this server at the same path after the base. */
  function pageHref(iri) {
    if (iri.indexOf(S.base) === 0) return "/" + iri.slice(S.base.length);
    return iri;
  }

  var prefixList = Object.keys(PREFIXES).map(function (p) { return [p, PREFIXES[p]]; })
    .sort(function (a, b) { return b[1].length - a[1].length; });

  function shortIri(iri) {
    for (var i = 0; i < prefixList.length; i++) {
      var ns = prefixList[i][1];
      var rest = iri.slice(ns.length);
      if (iri.indexOf(ns) === 0 && /^[\w.-]*$/.test(rest) && !/\.$/.test(rest)) {
        return prefixList[i][0] + ":" + rest;
      }
    }
    return "<" + iri + ">";
  }

  function post(query) {
    var body = new URLSearchParams();
    body.set("query", query);
    return fetch(ENDPOINT, {
      method: "POST", body: body,
      headers: { "Accept": "application/sparql-results+json" }
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  /* ---- completions from our own ontology (no LOV, no prefix.cc) ----------------------- */

  function fetchTerms() {
    return post(S.termsQuery).then(function (doc) {
      var terms = { "class": [], "property": [] };
      doc.results.bindings.forEach(function (b) {
        var kind = b.kind && b.kind.value;
        if (terms[kind] && terms[kind].indexOf(b.term.value) < 0) terms[kind].push(b.term.value);
      });
      return terms;
    }).catch(function () { return { "class": [], "property": [] }; });
  }

  function configureEditor(terms) {
    // Its syntax check knows the predeclared prefixes too (Yasqe extends CodeMirror 5).
    var sparqlMode = Yasqe.modes && Yasqe.modes.sparql11;
    if (sparqlMode) {
      Yasqe.defineMode("sparql11", function (config, parserConfig) {
        var mode = sparqlMode(config, parserConfig);
        var startState = mode.startState;
        mode.startState = function () {
          var state = startState.apply(this, arguments);
          state.prefixes = Object.assign({}, PREFIXES, state.prefixes);
          return state;
        };
        return mode;
      });
    }
    // The editor knows the prefixes the endpoint predeclares, as if the query declared them.
    var ownPrefixes = Yasqe.prototype.getPrefixesFromQuery;
    Yasqe.prototype.getPrefixesFromQuery = function () {
      return Object.assign({}, PREFIXES, ownPrefixes.call(this));
    };
    Yasqe.forkAutocompleter("prefixes", {
      name: "xsrvPrefixes", persistenceId: null,
      get: Object.keys(PREFIXES).map(function (p) { return p + ": <" + PREFIXES[p] + ">"; })
    });
    Yasqe.forkAutocompleter("class", {
      name: "xsrvClass", bulk: true, persistenceId: null, get: terms["class"]
    });
    Yasqe.forkAutocompleter("property", {
      name: "xsrvProperty", bulk: true, persistenceId: null, get: terms.property
    });
    // Entity IRIs (div:xiushan-yongdong …) from /search.json, as one types div:yong.
    Yasqe.registerAutocompleter({
      name: "xsrvEntities", bulk: false, autoShow: true, persistenceId: null,
      isValidCompletionPosition: function (yasqe) {
        var token = yasqe.getCompleteToken();
        var m = /^([A-Za-z][\w.-]*):(\S*)$/.exec(token.string || "");
        return !!m && S.entityPrefixes.indexOf(m[1]) >= 0 && m[2].length > 0;
      },
      get: function (yasqe, token) { return searchEntities(token.string); },
      postprocessHints: function (yasqe, hints) {
        hints.forEach(function (h) {
          var found = entityInfo[h.text];
          if (found) h.displayText = h.text + "  " + found;
        });
        return hints;
      }
    }, false);
    Yasqe.defaults.autocompleters = AUTOCOMPLETERS;
    Yasqe.defaults.prefixCcApi = null;
  }

  var AUTOCOMPLETERS = ["variables", "xsrvPrefixes", "xsrvClass", "xsrvProperty", "xsrvEntities"];
  var entityInfo = {};  // prefixed name -> "label · type" of the last search's results

  /* Prefixed names of the resources /search.json finds for ``text`` (e.g. div:yong). */
  function searchEntities(text) {
    var url = new URL(S.search, window.location.href);
    url.searchParams.set("q", text);
    url.searchParams.set("lang", S.lang);
    url.searchParams.set("limit", "30");
    return fetch(url.href, { headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (doc) {
      var names = [];
      doc.results.forEach(function (r) {
        var name = shortIri(r.iri);
        if (name.charAt(0) === "<" || names.indexOf(name) >= 0) return;
        entityInfo[name] = r.label + (r.types.length ? " · " + r.types[0].label : "");
        names.push(name);
      });
      return names;
    }).catch(function () { return []; });
  }

  /* ---- labels ------------------------------------------------------------------------- */

  var labelCache = {};  // iri -> [{value, lang, property}]

  function fetchLabels(iris) {
    var wanted = iris.filter(function (i) { return !(i in labelCache); }).slice(0, MAX_LABEL_IRIS);
    if (!wanted.length) return Promise.resolve();
    var values = wanted.map(function (i) { return "<" + i.replace(/[<>"{}|^`\\\s]/g, "") + ">"; });
    var query = S.labelsQuery.replace("VALUES ?iri { }", "VALUES ?iri {\n  " + values.join("\n  ") + "\n}");
    wanted.forEach(function (i) { labelCache[i] = []; });
    return post(query).then(function (doc) {
      doc.results.bindings.forEach(function (b) {
        var list = labelCache[b.iri.value] || (labelCache[b.iri.value] = []);
        list.push({ value: b.label.value, lang: (b.label["xml:lang"] || "").toLowerCase(),
                    property: b.property.value });
      });
    }).catch(function () { wanted.forEach(function (i) { delete labelCache[i]; }); });
  }

  /* The label in the page language, then Chinese, then English, then any; else the local name. */
  function labelOf(iri) {
    var list = labelCache[iri] || [];
    var langs = [S.lang, "zh", "en", ""];
    for (var i = 0; i < langs.length; i++) {
      var want = langs[i];
      var hits = list.filter(function (l) {
        return want === "" ? true : (l.lang === want || l.lang.indexOf(want + "-") === 0);
      });
      if (hits.length) {
        hits.sort(function (a, b) { return /#label$/.test(b.property) - /#label$/.test(a.property); });
        return hits[0].value;
      }
    }
    return localName(iri);
  }

  /* ---- the results table (a YASR plugin) ---------------------------------------------- */

  function columnsOf(vars, bindings) {
    var taken = {};
    vars.forEach(function (v) { taken[v] = true; });
    var cols = [];
    vars.forEach(function (v) {
      cols.push({ v: v, label: false, name: v });
      var hasIri = bindings.some(function (b) { return b[v] && b[v].type === "uri"; });
      if (hasIri) {
        var name = v + "Label";
        while (taken[name]) name += "_";
        taken[name] = true;
        cols.push({ v: v, label: true, name: name });
      }
    });
    return cols;
  }

  function plainValue(col, b) {
    var t = b[col.v];
    if (!t) return "";
    if (col.label) return t.type === "uri" ? labelOf(t.value) : "";
    if (t.type === "bnode") return "_:" + t.value;
    return t.value;
  }

  function iriLink(iri, text) {
    var a = el("a", "wb-iri", text);
    a.href = pageHref(iri);
    a.title = iri;
    if (a.getAttribute("href") === iri) { a.rel = "noopener noreferrer"; a.classList.add("wb-external"); }
    return a;
  }

  function cellOf(col, b) {
    var td = el("td");
    var t = b[col.v];
    if (!t) return td;
    if (col.label) {
      td.className = "wb-label";
      if (t.type === "uri") td.appendChild(iriLink(t.value, labelOf(t.value)));
      return td;
    }
    if (t.type === "uri") {
      td.appendChild(iriLink(t.value, shortIri(t.value)));
    } else if (t.type === "bnode") {
      td.textContent = "_:" + t.value;
      td.className = "wb-bnode";
    } else {
      td.appendChild(document.createTextNode(t.value));
      if (t.datatype && NUMERIC.test(t.datatype)) td.className = "num";
      var lang = t["xml:lang"];
      if (lang && lang.toLowerCase().indexOf(S.lang) !== 0) td.appendChild(el("span", "wb-lang", "@" + lang));
      else if (lang) td.title = "@" + lang;
      else if (t.datatype && !NUMERIC.test(t.datatype) && !/#string$/.test(t.datatype)) {
        td.title = shortIri(t.datatype);
      }
    }
    return td;
  }

  function csvOf(cols, bindings) {
    function esc(s) { return /[",\r\n]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s; }
    var lines = [cols.map(function (c) { return esc(c.name); }).join(",")];
    bindings.forEach(function (b) {
      lines.push(cols.map(function (c) { return esc(plainValue(c, b)); }).join(","));
    });
    // The BOM lets Excel (on Chinese Windows too) read the file as UTF-8.
    return "\uFEFF" + lines.join("\r\n") + "\r\n";
  }

  function jsonOf(results) {
    var type = results.getContentType() || "";
    if (/json/.test(type)) return results.getOriginalResponseAsString();
    return JSON.stringify({ head: { vars: results.getVariables() },
                            results: { bindings: results.getBindings() } }, null, 2);
  }

  function saveFile(text, type, filename) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a");
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  var tabInfo = {};  // tab id -> {name, title, comment} of the curated query it holds

  function fileStem(yasr) {
    var tab = yasgui && yasgui.getTab();
    var info = tab && tabInfo[tab.getId()];
    return "xsrv-kg-" + (info ? info.name : "query");
  }

  function XsrvTable(yasr) {
    this.yasr = yasr;
    this.priority = 15;  // above YASR's own table (10), below its error view (20)
    this.label = W.table;
  }
  XsrvTable.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    if (!r || r.getError()) return false;
    var vars = r.getVariables && r.getVariables();
    return !!(vars && vars.length && r.getBindings());
  };
  XsrvTable.prototype.getIcon = function () {
    var icon = el("span", "wb-plugin-icon", "▦");
    icon.setAttribute("aria-hidden", "true");
    return icon;
  };
  XsrvTable.prototype.current = function () {
    var r = this.yasr.results;
    var vars = r.getVariables();
    var bindings = r.getBindings() || [];
    return { results: r, vars: vars, bindings: bindings, cols: columnsOf(vars, bindings) };
  };
  XsrvTable.prototype.download = function () {
    if (!this.canHandleResults()) return undefined;
    var self = this;
    return {
      getData: function () { var c = self.current(); return csvOf(c.cols, c.bindings); },
      contentType: "text/csv;charset=utf-8",
      title: W.download_csv,
      filename: fileStem(this.yasr) + ".csv"
    };
  };
  XsrvTable.prototype.draw = function () {
    var self = this;
    var c = this.current();
    var iris = [];
    var seen = {};
    c.bindings.forEach(function (b) {
      c.vars.forEach(function (v) {
        var t = b[v];
        if (t && t.type === "uri" && !seen[t.value]) { seen[t.value] = true; iris.push(t.value); }
      });
    });
    var done = fetchLabels(iris);
    return done.then(function () { self.render(c); });
  };
  XsrvTable.prototype.render = function (c) {
    var yasr = this.yasr;
    var controls = yasr.pluginControls;
    while (controls.firstChild) controls.firstChild.remove();
    var csvButton = el("button", "wb-download wb-download-csv", W.download_csv);
    csvButton.type = "button";
    csvButton.addEventListener("click", function () {
      saveFile(csvOf(c.cols, c.bindings), "text/csv;charset=utf-8", fileStem(yasr) + ".csv");
    });
    var jsonButton = el("button", "wb-download wb-download-json", W.download_json);
    jsonButton.type = "button";
    jsonButton.addEventListener("click", function () {
      saveFile(jsonOf(c.results), "application/sparql-results+json", fileStem(yasr) + ".json");
    });
    controls.appendChild(csvButton);
    controls.appendChild(jsonButton);

    var wrap = el("div", "wb-results");
    var info = el("p", "wb-summary");
    var seconds = c.results.getResponseTime ? c.results.getResponseTime() : 0;
    info.textContent = c.bindings.length + " " + W.rows +
      (seconds ? " · " + (seconds / 1000).toFixed(2) + " s" : "");
    var res = c.results.res;
    var truncated = res && res.headers && res.headers.get && res.headers.get("Xsrv-Truncated");
    if (truncated) info.appendChild(el("span", "wb-truncated", " · " + W.truncated + " (" + truncated + ")"));
    wrap.appendChild(info);
    if (!c.bindings.length) {
      wrap.appendChild(el("p", "wb-empty", W.no_rows));
      var hint = res && res.headers && res.headers.get && res.headers.get("Xsrv-Hint");
      if (hint) showHints(wrap, hint);
      yasr.resultsEl.appendChild(wrap);
      return;
    }
    var scroller = el("div", "table-wrap");
    var table = el("table", "wb-table");
    var thead = el("thead");
    var hr = el("tr");
    hr.appendChild(el("th", "wb-rownum", "#"));
    c.cols.forEach(function (col) {
      var th = el("th", col.label ? "wb-label" : "", col.label ? col.v + " · " + W.label : col.v);
      th.title = col.name;
      th.setAttribute("data-column", col.name);
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = el("tbody");
    table.appendChild(tbody);
    scroller.appendChild(table);
    wrap.appendChild(scroller);
    var shown = 0;
    var more = el("button", "wb-more", W.more);
    more.type = "button";
    function drawRows() {
      var end = Math.min(shown + PAGE_ROWS, c.bindings.length);
      var frag = document.createDocumentFragment();
      for (var i = shown; i < end; i++) {
        var tr = el("tr");
        tr.appendChild(el("td", "wb-rownum", String(i + 1)));
        for (var j = 0; j < c.cols.length; j++) tr.appendChild(cellOf(c.cols[j], c.bindings[i]));
        frag.appendChild(tr);
      }
      tbody.appendChild(frag);
      shown = end;
      more.hidden = shown >= c.bindings.length;
      more.textContent = W.more + " (" + shown + " / " + c.bindings.length + ")";
    }
    more.addEventListener("click", drawRows);
    drawRows();
    wrap.appendChild(more);
    yasr.resultsEl.appendChild(wrap);
  };

  /* The Xsrv-Hint header: "kind; query*=UTF-8''…; data*=UTF-8''…, …" (RFC 8187 values). */
  function parseHints(header) {
    return header.split(/,\s*/).map(function (element) {
      var hint = {};
      element.split(/;\s*/).slice(1).forEach(function (param) {
        var m = /^(\w+)\*=UTF-8''(.*)$/i.exec(param);
        if (m) { try { hint[m[1]] = decodeURIComponent(m[2]); } catch (e) { /* skip */ } }
      });
      return hint;
    }).filter(function (h) { return h.query && h.data; });
  }

  function showHints(wrap, header) {
    parseHints(header).forEach(function (h) {
      var note = el("p", "wb-hint-notice");
      note.setAttribute("role", "note");
      var parts = W.hint.split(/(\{query\}|\{data\})/);
      parts.forEach(function (part) {
        if (part === "{query}") note.appendChild(el("code", "wb-hint-query", h.query));
        else if (part === "{data}") note.appendChild(el("code", "wb-hint-data", h.data));
        else if (part) note.appendChild(document.createTextNode(part));
      });
      wrap.appendChild(note);
    });
  }

  Yasr.registerPlugin("xsrvTable", XsrvTable);
  Yasr.defaults.plugins.table = { enabled: false };
  Yasr.defaults.defaultPlugin = "xsrvTable";
  Yasr.defaults.pluginOrder = ["xsrvTable", "response"];
  Yasr.defaults.prefixes = PREFIXES;

  /* ---- errors, inline, with their position -------------------------------------------- */

  var errorMark = null;

  function clearErrorMark() {
    if (errorMark) { errorMark.clear(); errorMark = null; }
  }

  function markPosition(line, col) {
    var tab = yasgui && yasgui.getTab();
    if (!tab) return;
    var yasqe = tab.getYasqe();
    var doc = yasqe.getDoc();
    var l = Math.min(Math.max(line - 1, 0), doc.lineCount() - 1);
    var text = doc.getLine(l) || "";
    var ch = Math.min(Math.max(col - 1, 0), text.length);
    var from = ch >= text.length ? Math.max(text.length - 1, 0) : ch;
    clearErrorMark();
    errorMark = yasqe.markText({ line: l, ch: from }, { line: l, ch: Math.max(from + 1, ch) },
                               { className: "wb-error-mark" });
    doc.setCursor({ line: l, ch: ch });
    yasqe.focus();
  }

  Yasr.defaults.errorRenderers = [function (error) {
    // The table's download buttons are not for an error.
    var tab = yasgui && yasgui.getTab();
    var controls = tab && tab.getYasr() && tab.getYasr().pluginControls;
    while (controls && controls.firstChild) controls.firstChild.remove();
    var text = (error && error.text) || "";
    var status = error && error.status;
    var type = "";
    var message = text;
    try {
      var doc = JSON.parse(text);
      if (doc && doc.error) {
        status = doc.error.status;
        type = doc.error.type || "";
        message = doc.error.message || text;
      }
    } catch (e) { /* not our JSON error body: show it as it came */ }
    if (!message) return Promise.resolve(undefined);
    var box = el("div", "wb-error");
    box.setAttribute("role", "alert");
    box.appendChild(el("strong", "wb-error-title",
      W.error + (status ? " (" + status + (type ? " " + type : "") + ")" : "")));
    if (status === 503 || type === "query-timeout") box.appendChild(el("p", "wb-error-hint", W.timeout));
    box.appendChild(el("pre", "wb-error-message", message));
    var m = /error at (\d+):(\d+)/.exec(message);
    if (m) {
      var line = Number(m[1]);
      var col = Number(m[2]);
      var go = el("button", "wb-error-position",
        W.position + ": " + W.line.replace("{line}", line).replace("{col}", col));
      go.type = "button";
      go.addEventListener("click", function () { markPosition(line, col); });
      box.appendChild(go);
      setTimeout(function () { markPosition(line, col); }, 0);
    }
    return Promise.resolve(box);
  }];

  /* ---- the gallery, the permalink ----------------------------------------------------- */

  var yasgui = null;
  var curatedTexts = {};
  var aboutBox = root.querySelector(".wb-about");

  function showAbout(tab) {
    var info = tab && tabInfo[tab.getId()];
    if (!info) { aboutBox.hidden = true; return; }
    aboutBox.querySelector(".wb-about-title").textContent = info.title;
    aboutBox.querySelector(".wb-about-comment").textContent = info.comment;
    aboutBox.hidden = false;
  }

  function pristine(tab) {
    var q = tab.getQuery().trim();
    return !q || q === S.defaultQuery.trim() || curatedTexts[q] === true;
  }

  function loadCurated(link, run) {
    var query = new URL(link.href).searchParams.get("query") || "";
    var info = { name: link.getAttribute("data-name"), title: link.textContent.trim(),
                 comment: link.getAttribute("title") || "", query: query };
    var tab = yasgui.getTab();
    if (!tab || !pristine(tab)) tab = yasgui.addTab(true, { name: info.title });
    tab.setQuery(query);
    tab.setName(info.title);
    tabInfo[tab.getId()] = info;
    showAbout(tab);
    root.querySelectorAll(".wb-query").forEach(function (a) {
      a.classList.toggle("wb-current", a === link);
    });
    if (window.matchMedia("(max-width: 700px)").matches) {
      root.querySelector(".wb-gallery").open = false;
      aboutBox.scrollIntoView();
    }
    if (run) tab.query();
  }

  function permalink() {
    var tab = yasgui.getTab();
    var url = new URL("/", window.location.href);
    url.searchParams.set("query", tab.getQuery());
    return url.href;
  }

  function setupPage() {
    root.querySelectorAll(".wb-query").forEach(function (link) {
      var q = new URL(link.href).searchParams.get("query") || "";
      curatedTexts[q.trim()] = true;
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        loadCurated(link, true);
      });
    });
    var gallery = root.querySelector(".wb-gallery");
    if (gallery && window.matchMedia("(max-width: 700px)").matches) gallery.open = false;

    var button = root.querySelector(".wb-permalink");
    var field = root.querySelector(".wb-permalink-url");
    button.addEventListener("click", function () {
      field.value = permalink();
      field.hidden = false;
      field.focus();
      field.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = W.copied;
          setTimeout(function () { button.textContent = W.permalink; }, 2000);
        }, function () { /* the selected field is there to copy by hand */ });
      }
    });
  }

  function ownEndpoint(tab) {
    if (tab && tab.getEndpoint() !== ENDPOINT) tab.setEndpoint(ENDPOINT);
  }

  function start(terms) {
    configureEditor(terms);
    yasgui = new Yasgui(host, {
      autofocus: false,
      tabName: S.lang === "zh" ? "查询" : "Query",
      persistenceId: "xsrv-kg-workbench",
      copyEndpointOnNewTab: false,
      populateFromUrl: true,
      endpointCatalogueOptions: {
        getData: function () { return [{ endpoint: ENDPOINT }]; },
        keys: []
      },
      requestConfig: {
        endpoint: ENDPOINT, method: "POST",
        acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
        acceptHeaderGraph: "text/turtle,*/*;q=0.9"
      },
      yasqe: {
        value: S.defaultQuery,
        autocompleters: AUTOCOMPLETERS,
        prefixCcApi: null,
        editorHeight: "320px"
      },
      yasr: { defaultPlugin: "xsrvTable", prefixes: PREFIXES }
    });
    Object.keys(yasgui._tabs).forEach(function (id) { ownEndpoint(yasgui._tabs[id]); });
    yasgui.on("tabSelect", function (_y, id) {
      setTimeout(function () {
        var t = yasgui.getTab(id);
        ownEndpoint(t);
        showAbout(t);
      }, 0);
    });
    yasgui.on("tabAdd", function (_y, id) {
      setTimeout(function () { ownEndpoint(yasgui.getTab(id)); }, 0);
    });
    yasgui.on("queryBefore", function (_y, tab) { clearErrorMark(); ownEndpoint(tab); });
    yasgui.on("tabChange", function (_y, tab) {
      if (tab === yasgui.getTab()) showAbout(tab);
    });
    root.classList.add("wb-ready");
    window.xsrvWorkbench = yasgui;  // for the browser tests and the curious
  }

  setupPage();
  fetchTerms().then(start);
})();
