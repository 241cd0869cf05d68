// Shared by the page's script (/static/common.js) and the widget (/embed.js wraps this and
// the widget in one closure, so a host page gets no global): the API's marked text rebuilt
// safely, CLDR plurals and numbers through the browser's Intl, and a WAI-ARIA combobox.
var PF = (function () {
  "use strict";

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function number(ui, n) { return new Intl.NumberFormat(ui).format(n); }

  // strings[key] is {one, few, many, other, ...}: the form the locale's plural rules pick.
  function plural(strings, ui, key, n) {
    var forms = strings[key];
    var form = new Intl.PluralRules(ui).select(n);
    return fmt(forms[form] || forms.other, { n: number(ui, n) });
  }

  // The API's snippet and title_html are escaped text with only <mark> tags: rebuild them
  // from text nodes and MARK elements alone, so nothing else can ever run or render.
  function markedNodes(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createDocumentFragment();
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return out;
  }

  function safeHref(url, base) {
    try {
      var resolved = new URL(url, base);
      return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
    } catch (e) { return null; }
  }

  // el("a", {href: x, className: "y", lang: "pl"}, [child, "text"])
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "className" || key === "textContent" || key === "hidden") node[key] = props[key];
      else if (props[key] !== null && props[key] !== undefined) node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // The WAI-ARIA combobox pattern on `input` (role=combobox) with the popup `listbox`:
  // ↓/↑ move through its options (focus stays in the box: aria-activedescendant), Enter
  // picks the active one (onPick), Esc closes the popup. Keys do nothing page-wide. The
  // popup is redrawn as answers come in (open() after each): the option the user moved to
  // stays the active one, found again by what it leads to, or none is; never another
  // option that took its place.
  function combobox(input, listbox, onPick) {
    var active = -1, activeKey = null;
    function options() {
      return Array.prototype.slice.call(listbox.querySelectorAll("[role=option]"));
    }
    function keyOf(option) {
      return option.getAttribute("data-href") || option.getAttribute("data-q") || option.textContent;
    }
    function setActive(index) {
      var all = options();
      active = all[index] ? index : -1;
      activeKey = active >= 0 ? keyOf(all[active]) : null;
      all.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === active)); });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function open(yes) {
      yes = Boolean(yes) && options().length > 0;
      listbox.hidden = !yes;
      input.setAttribute("aria-expanded", String(yes));
      setActive(yes && activeKey !== null ? options().map(keyOf).indexOf(activeKey) : -1);
    }
    input.addEventListener("keydown", function (event) {
      var count = options().length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!count) return;
        event.preventDefault();
        if (listbox.hidden) open(true);
        if (event.key === "ArrowDown") setActive(active + 1 >= count ? 0 : active + 1);
        else setActive(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !listbox.hidden) {
        event.preventDefault();
        var chosen = options()[active];
        onPick(chosen);
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        open(false);
      }
    });
    // A click picks without taking the focus from the box first.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) onPick(option);
    });
    return { open: open, reset: function () { setActive(-1); },
             isOpen: function () { return !listbox.hidden; } };
  }

  // ["he", "yi"] -> {he: true, yi: true} (the languages written right to left, from i18n.py)
  function flags(codes) {
    var set = {};
    (codes || []).forEach(function (code) { set[code] = true; });
    return set;
  }

  return { fmt: fmt, number: number, plural: plural, markedNodes: markedNodes,
           safeHref: safeHref, el: el, combobox: combobox, flags: flags };
})();
