// polyfind widget: <script src="https://search.example/embed.js" data-target="#search"></script>
// Puts a search box with results into the target element, inside a Shadow DOM so the host
// page's CSS cannot break it and it cannot break the host. Talks only to the JSON API.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src, document.baseURI);
  var api = new URL("/api/search", base);
  var selector = script.getAttribute("data-target") || "#polyfind";
  var lang = script.getAttribute("data-lang") || "";
  var perPage = script.getAttribute("data-per-page") || "5";
  var RTL = { he: true };

  // Inherited host styles stop at .pf, whose every property is set here.
  var CSS = ":host{all:initial !important;display:block !important}" +
    ".pf{all:initial;display:block;font-family:'Noto Sans','Noto Sans Georgian'," +
    "'Noto Sans Hebrew',system-ui,sans-serif;color:#1d2330;line-height:1.5;font-size:16px}" +
    "*{box-sizing:border-box;text-transform:none;color:inherit;font-family:inherit}" +
    "form{display:flex;gap:.4rem}input{flex:1;font:inherit;padding:.45rem .6rem;" +
    "border:2px solid #8a93a6;border-radius:.4rem;min-width:0}" +
    "button{font:inherit;padding:.45rem .8rem;border-radius:.4rem;border:0;" +
    "background:#1f5fbf;color:#fff !important}ol{list-style:none;padding:0;margin:.5rem 0}" +
    "li{padding:.5rem 0;border-bottom:1px solid #e2e4ea;unicode-bidi:isolate}" +
    "a{color:#1f5fbf !important;font-weight:600}p{margin:.2rem 0;unicode-bidi:plaintext}" +
    "mark{background:#ffe58a;color:inherit}.meta{color:#596173;font-size:.85em}" +
    "input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #f0a400}";

  function safeHref(url) {
    try {
      var resolved = new URL(url, base);
      return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
    } catch (e) { return null; }
  }

  // The API's snippet is HTML with only <mark> tags; rebuild it from text nodes and MARK
  // elements alone, so nothing else from the server can ever run or render as markup.
  function snippetNodes(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createDocumentFragment();
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeType === 3) {
        out.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return out;
  }

  function mount(host) {
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = CSS;
    var form = document.createElement("form");
    form.setAttribute("role", "search");
    var input = document.createElement("input");
    input.type = "search";
    input.dir = "auto";
    input.setAttribute("aria-label", "Search");
    input.placeholder = "Search…";
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Search";
    form.append(input, button);
    var status = document.createElement("p");
    status.className = "meta";
    status.setAttribute("aria-live", "polite");
    var list = document.createElement("ol");
    var wrapper = document.createElement("div");
    wrapper.className = "pf";
    wrapper.append(form, status, list);
    root.append(style, wrapper);
    var timer = null;

    function run() {
      var q = input.value.trim();
      if (!q) { list.replaceChildren(); status.textContent = ""; return; }
      var url = new URL(api);
      url.searchParams.set("q", q);
      url.searchParams.set("per_page", perPage);
      if (lang) url.searchParams.set("lang", lang);
      fetch(url).then(function (r) { return r.json(); }).then(function (data) {
        list.replaceChildren();
        if (data.error) { status.textContent = data.error.message; return; }
        status.textContent = data.total + " results" +
          (data.suggestion ? " · did you mean: " + data.suggestion : "");
        data.results.forEach(function (hit) {
          var item = document.createElement("li");
          item.lang = hit.lang;
          item.dir = RTL[hit.lang] ? "rtl" : "ltr";
          var link = document.createElement("a");
          var href = safeHref(hit.url);
          if (href) link.href = href;
          link.textContent = hit.title;
          var snippet = document.createElement("p");
          snippet.appendChild(snippetNodes(hit.snippet));
          item.append(link, snippet);
          list.appendChild(item);
        });
      }).catch(function () { status.textContent = "Search is unavailable."; });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  }

  function start() {
    document.querySelectorAll(selector).forEach(function (host) {
      if (!host.shadowRoot) mount(host);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
