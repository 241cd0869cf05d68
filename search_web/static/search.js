// Progressive enhancement of the plain GET form: search as you type, suggestions, and
// keyboard navigation through results. Without JavaScript the page works as it is.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("#q");
  var langSelect = form.querySelector("#lang");
  var list = document.getElementById("suggestions");
  var timer = null;
  var lastQuery = input.value;

  function params() {
    var data = new URLSearchParams(new FormData(form));
    data.delete("page");
    return data;
  }

  function refresh() {
    var q = input.value.trim();
    if (q === lastQuery.trim() || q.length < 2) return;
    lastQuery = input.value;
    var data = params();
    fetch(form.action + "?" + data.toString(), { headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("results");
        var current = document.getElementById("results");
        if (fresh && current) current.replaceWith(fresh);
        history.replaceState(null, "", "?" + data.toString());
      })
      .catch(function () {});
  }

  function suggest() {
    var q = input.value;
    if (!list || q.trim().length < 2) return;
    fetch("/api/suggest?q=" + encodeURIComponent(q))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        list.replaceChildren();
        (data.suggestions || []).forEach(function (s) {
          var option = document.createElement("option");
          option.value = s;
          list.appendChild(option);
        });
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { refresh(); suggest(); }, 250);
  });
  if (langSelect) langSelect.addEventListener("change", function () { form.submit(); });

  // Arrow keys move through result titles; Enter follows the selected one.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(document.querySelectorAll(".result h2 a"));
    if (!links.length) return;
    var index = links.indexOf(document.activeElement);
    index = event.key === "ArrowDown" ? Math.min(index + 1, links.length - 1)
                                      : Math.max(index - 1, -1);
    event.preventDefault();
    document.querySelectorAll(".result.selected").forEach(function (el) {
      el.classList.remove("selected");
    });
    if (index < 0) { input.focus(); return; }
    links[index].focus();
    links[index].closest(".result").classList.add("selected");
  });
})();
