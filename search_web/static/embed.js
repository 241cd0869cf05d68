// polyfind widget: <script src="https://search.example/embed.js" data-target="#search"></script>
// Puts a search box with results into the target element, inside a Shadow DOM so the host
// page's CSS cannot break it and it cannot break the host. Talks only to the JSON API.
// Served at /embed.js together with common.js (PF) in one closure and the interface
// strings of search_web/i18n.py written in where STRINGS is.
(function () {
  "use strict";
  var STRINGS = /*STRINGS*/{};
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src, document.baseURI);
  var selector = script.getAttribute("data-target") || "#polyfind";
  var lang = script.getAttribute("data-lang") || "";
  var perPage = script.getAttribute("data-per-page") || "5";
  var hostLang = (document.documentElement.lang || "").toLowerCase().split("-")[0];
  var ui = script.getAttribute("data-ui") || hostLang;
  if (!STRINGS[ui]) ui = "en";
  var T = STRINGS[ui];
  var prefer = STRINGS[hostLang] && hostLang !== "en" ? hostLang : "";
  var RTL = PF.flags(T.rtl);
  var el = PF.el;
  var widgets = 0;

  // Inherited host styles stop at .pf, whose every property is set here.
  var CSS = ":host{all:initial !important;display:block !important}" +
    ".pf{all:initial;display:block;font-family:'Noto Sans','Noto Sans Georgian'," +
    "'Noto Sans Hebrew',system-ui,sans-serif;color:#1d2330;line-height:1.5;font-size:16px}" +
    "*{box-sizing:border-box;text-transform:none;color:inherit;font-family:inherit}" +
    "[hidden]{display:none !important}" +
    "form{display:flex;gap:.4rem}input{flex:1;font:inherit;padding:.45rem .6rem;" +
    "border:2px solid #8a93a6;border-radius:.4rem;min-width:0;background:#fff}" +
    "button{font:inherit;padding:.45rem .8rem;border-radius:.4rem;border:0;cursor:pointer;" +
    "background:#1f5fbf;color:#fff !important}" +
    "button.link{background:none;padding:0;color:#1f5fbf !important;text-decoration:underline}" +
    "ul{list-style:none;padding:0;margin:.5rem 0;max-height:32rem;overflow:auto}" +
    "li{padding:.5rem;border-bottom:1px solid #e2e4ea;unicode-bidi:isolate;cursor:pointer}" +
    "li[aria-selected=true]{background:#eef3fb;outline:2px solid #1f5fbf;outline-offset:-2px}" +
    "li.sug{padding:.25rem .5rem;color:#1d2330}" +
    ".t{display:block;color:#1f5fbf !important;font-weight:600;text-decoration:underline}" +
    ".s{display:block;unicode-bidi:plaintext}.badge{font-size:.75em;color:#596173;" +
    "border:1px solid #d0d4dc;border-radius:.3rem;padding:0 .3rem;margin-inline-start:.4rem}" +
    "mark{background:#ffe58a;color:inherit}.meta{color:#596173;font-size:.85em;margin:.4rem 0}" +
    "input:focus-visible,button:focus-visible{outline:3px solid #f0a400}";

  function mount(host) {
    var n = ++widgets;
    var root = host.attachShadow({ mode: "open" });
    var input = el("input", {
      type: "search", dir: "auto", role: "combobox", "aria-autocomplete": "list",
      "aria-expanded": "false", "aria-controls": "pf-list", "aria-label": T.search_label,
      placeholder: T.placeholder, autocomplete: "off",
    });
    var form = el("form", { role: "search" }, [input, el("button", { type: "submit" }, [T.search])]);
    var status = el("p", { className: "meta", role: "status" });
    var fix = el("button", { type: "button", className: "link", dir: "auto" });
    var mean = el("p", { className: "meta", hidden: true }, [T.did_you_mean + ": ", fix, "?"]);
    var list = el("ul", { id: "pf-list", role: "listbox", "aria-label": T.search_label, hidden: true });
    var more = el("button", { type: "button", className: "more", hidden: true }, [T.more]);
    var wrapper = el("div", { className: "pf", lang: ui, dir: T.dir }, [form, status, mean, list, more]);
    root.append(el("style", { textContent: CSS }), wrapper);
    var state = { q: "", page: 1, total: 0, hits: [], suggestions: [], asked: 0 };
    var timer = null;

    function option(kind, i, props, children) {
      return el("li", Object.assign({ role: "option", id: "pf" + n + "-" + kind + i,
                                      "aria-selected": "false", className: kind }, props), children);
    }

    function fill() {
      var options = state.suggestions.slice(0, 4).map(function (s, i) {
        return option("sug", i, { dir: "auto", "data-q": s }, [s]);
      });
      state.hits.forEach(function (hit, i) {
        options.push(option("hit", i, {
          lang: hit.lang, dir: RTL[hit.lang] ? "rtl" : "ltr", "data-href": PF.safeHref(hit.url, base),
        }, [el("span", { className: "t" }, [PF.markedNodes(hit.title_html),
                                            el("span", { className: "badge" }, [hit.lang])]),
            el("span", { className: "s" }, [PF.markedNodes(hit.snippet)])]));
      });
      list.replaceChildren.apply(list, options);
      combo.open(options.length > 0);
      more.hidden = list.hidden || state.hits.length >= state.total;
    }

    function ask(path, params) {
      var url = new URL(path, base);
      Object.keys(params).forEach(function (k) { if (params[k]) url.searchParams.set(k, params[k]); });
      return fetch(url).then(function (r) { return r.json(); });
    }

    function run(page) {
      var q = input.value.trim();
      var mine = ++state.asked;
      if (!q) {
        state.hits = []; state.suggestions = []; state.total = 0;
        status.textContent = ""; mean.hidden = true; fill(); return;
      }
      ask("/api/search", { q: q, page: String(page), per_page: perPage, lang: lang, prefer: prefer, prefix: "auto" })
        .then(function (data) {
          if (mine !== state.asked) return;  // a later keystroke's answer wins
          if (data.error) { status.textContent = data.error.message; return; }
          state.q = q; state.page = page; state.total = data.total;
          state.hits = page === 1 ? data.results : state.hits.concat(data.results);
          var words = [data.total ? PF.plural(T, ui, "results", data.total)
                                  : PF.fmt(T.no_results, { q: q })];
          data.transliterated.forEach(function (code) {
            words.push(PF.fmt(T.transliterated, { language: T.names[code] || code, q: q }));
          });
          status.textContent = words.join(" · ");
          mean.hidden = !data.suggestion;
          fix.textContent = data.suggestion || "";
          fill();
        }).catch(function () { if (mine === state.asked) status.textContent = T.widget_unavailable; });
      if (page === 1) {
        ask("/api/suggest", { q: input.value }).then(function (data) {
          if (mine !== state.asked) return;  // typed on since
          state.suggestions = data.suggestions || [];
          fill();
        }).catch(function () {});
      }
    }

    function searchFor(text) {
      input.value = text;
      input.focus();
      run(1);
    }

    var combo = PF.combobox(input, list, function (chosen) {
      if (chosen.hasAttribute("data-q")) searchFor(chosen.getAttribute("data-q") + " ");
      else if (chosen.getAttribute("data-href")) window.location.assign(chosen.getAttribute("data-href"));
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);  // (the words as typed are searched now, not again in 200 ms)
      run(1);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      state.suggestions = [];
      timer = setTimeout(function () { run(1); }, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") more.hidden = true;
    });
    fix.addEventListener("click", function () { searchFor(fix.textContent); });
    more.addEventListener("click", function () { run(state.page + 1); });
  }

  function start() {
    document.querySelectorAll(selector).forEach(function (host) {
      if (!host.shadowRoot) mount(host);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
