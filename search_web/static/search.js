// Progressive enhancement of the plain GET form: results as you type from the JSON API
// (rendered from text nodes; the address follows, so results stay linkable) and suggestions
// in a WAI-ARIA combobox. Without JavaScript the server-rendered page works as it is.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || typeof PF === "undefined") return;
  var T = JSON.parse(form.getAttribute("data-strings"));
  var ui = form.getAttribute("data-ui");
  var docPath = form.getAttribute("data-doc");
  var input = form.querySelector("#q");
  var listbox = document.getElementById("suggestions");
  var status = document.getElementById("status");
  var heading = document.getElementById("heading");
  var results = document.getElementById("results");
  var RTL = PF.flags(T.rtl);
  var el = PF.el;
  var timer = null;
  var asked = 0;
  var shown = input.value.trim();

  function langFilter() {
    var field = form.querySelector("[name=lang]");
    return field ? field.value : "";
  }

  function pageUrl(changes) {
    var params = new URLSearchParams({ ui: ui, q: input.value.trim() });
    if (langFilter()) params.set("lang", langFilter());
    Object.keys(changes || {}).forEach(function (key) {
      if (changes[key]) params.set(key, changes[key]); else params.delete(key);
    });
    return "?" + params.toString();
  }

  function docUrl(id, q) {
    return docPath.replace("ID", encodeURIComponent(id)) + "?" +
      new URLSearchParams({ q: q, ui: ui }).toString();
  }

  function hitNode(hit, q) {
    var also = null;
    if (hit.translations.length) {
      var links = [];
      hit.translations.forEach(function (tr, i) {
        if (i) links.push(" · ");
        links.push(el("a", { href: docUrl(tr.id, q), lang: tr.lang },
                       [T.endonyms[tr.lang] || tr.lang]));
      });
      also = el("p", { className: "also", dir: T.dir, lang: ui }, [T.also_in + ": "].concat(links));
    }
    var title = el("a", { href: docUrl(hit.id, q) }, [PF.markedNodes(hit.title_html)]);
    var item = el("li", { className: "result", lang: hit.lang, dir: RTL[hit.lang] ? "rtl" : "ltr" }, [
      el("h2", {}, [title, " ", el("span", { className: "badge", title: T.language }, [hit.lang])]),
      el("p", { className: "snippet" }, [PF.markedNodes(hit.snippet)]),
    ]);
    if (also) item.appendChild(also);
    return item;
  }

  function render(data, q) {
    var lang = langFilter();
    var nodes = [el("p", { className: "summary" }, [
      el("span", { className: "total" }, [PF.plural(T, ui, "results", data.total)]), " ",
      el("span", { className: "took" }, [PF.fmt(T.took, { ms: PF.number(ui, Math.round(data.took_ms)) })]),
    ])];
    data.transliterated.forEach(function (code) {
      nodes.push(el("p", { className: "translit" },
                    [PF.fmt(T.transliterated, { language: T.names[code] || code, q: q })]));
    });
    if (data.suggestion) {
      nodes.push(el("p", { className: "suggestion" }, [T.did_you_mean + ": ",
        el("a", { href: pageUrl({ q: data.suggestion }), dir: "auto" }, [data.suggestion]), "?"]));
    }
    var codes = Object.keys(data.facets.lang).sort();
    if (codes.length) {
      var chips = [el("a", { href: pageUrl({ lang: "" }), "aria-current": lang ? null : "true" },
                      [T.all_languages])];
      codes.forEach(function (code) {
        chips.push(el("a", { href: pageUrl({ lang: code }), lang: code,
                             "aria-current": code === lang ? "true" : null },
                      [T.endonyms[code] || code, " ", el("span", { className: "count" },
                                                         [PF.number(ui, data.facets.lang[code])])]));
      });
      nodes.push(el("nav", { className: "facets", "aria-label": T.filter_label }, chips));
    }
    if (!data.results.length) {
      var tips = [T.tips];
      if (lang) tips.push(" ", el("a", { className: "all", href: pageUrl({ lang: "" }) }, [T.search_all]));
      nodes.push(el("div", { className: "empty" }, [
        el("p", {}, [PF.fmt(T.no_results, { q: q })]), el("p", {}, tips)]));
    }
    nodes.push(el("ol", { className: "results", start: "1" },
                  data.results.map(function (hit) { return hitNode(hit, q); })));
    var pages = Math.ceil(data.total / data.per_page);
    if (pages > 1) {
      var label = PF.fmt(T.page_of, { page: PF.number(ui, 1), pages: PF.number(ui, pages) });
      nodes.push(el("nav", { className: "pager", "aria-label": label }, [
        el("span", {}, [label]), el("a", { rel: "next", href: pageUrl({ page: "2" }) }, [T.next])]));
    }
    results.replaceChildren.apply(results, nodes);
    status.textContent = PF.plural(T, ui, "results", data.total);
    heading.textContent = PF.fmt(T.heading, { q: q });
    heading.className = "visually-hidden";
    document.title = q + " — polyfind";
  }

  // The language filter is shown once: once results show their own chips, the select
  // becomes a hidden field keeping its value.
  function replaceSelect() {
    var select = form.querySelector("select[name=lang]");
    if (!select) return;
    var hidden = el("input", { type: "hidden", name: "lang", value: select.value });
    form.querySelector("label[for=lang]").remove();
    select.replaceWith(hidden);
  }

  function search() {
    var q = input.value.trim();
    if (q === shown) return;
    shown = q;
    var mine = ++asked;
    if (!q) {
      results.replaceChildren(el("p", { className: "intro" }, [T.intro]));
      history.replaceState(null, "", "?" + new URLSearchParams({ ui: ui }).toString());
      return;
    }
    var url = new URL("/api/search", location.href);
    url.search = new URLSearchParams({ q: q, per_page: "10", prefer: ui, prefix: "auto" }).toString();
    if (langFilter()) url.searchParams.set("lang", langFilter());
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      if (mine !== asked) return;  // a later keystroke's answer wins
      if (data.error) {
        results.replaceChildren(el("p", { className: "notice" }, [data.error.message]));
        return;
      }
      replaceSelect();
      render(data, q);
      history.replaceState(null, "", pageUrl({ page: "" }));
    }).catch(function () {
      if (mine === asked) status.textContent = T.widget_unavailable;
    });
  }

  function suggest() {
    var q = input.value;
    var url = new URL("/api/suggest", location.href);
    url.searchParams.set("q", q);
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      if (q !== input.value) return;
      listbox.replaceChildren.apply(listbox, (data.suggestions || []).slice(0, 8).map(function (s, i) {
        return el("li", { role: "option", id: "suggestion-" + i, "aria-selected": "false", dir: "auto" }, [s]);
      }));
      combo.open(document.activeElement === input && data.suggestions.length > 0);
    }).catch(function () {});
  }

  var combo = PF.combobox(input, listbox, function (option) {
    input.value = option.textContent + " ";
    combo.open(false);
    input.focus();
    search();
  });

  input.addEventListener("input", function () {
    combo.reset();
    clearTimeout(timer);
    timer = setTimeout(function () { search(); suggest(); }, 150);
  });
  input.addEventListener("blur", function () { combo.open(false); });
  form.addEventListener("change", function (event) {
    if (event.target.name === "lang" && input.value.trim()) { shown = null; search(); }
  });
})();
