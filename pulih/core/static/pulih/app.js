/* Pulih — small progressive enhancements. No inline scripts (CSP). */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments, self = this;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function chip(name, code, label) {
    var li = document.createElement("li");
    li.className = "chip";
    var input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = code;
    var span = document.createElement("span");
    span.textContent = label;
    var btn = document.createElement("button");
    btn.type = "button"; btn.className = "chip__remove"; btn.setAttribute("data-remove", "");
    btn.setAttribute("aria-label", "×"); btn.textContent = "×";
    li.appendChild(input); li.appendChild(span); li.appendChild(document.createTextNode(" ")); li.appendChild(btn);
    return li;
  }

  function initPicker(root) {
    var input = root.querySelector("[data-input]");
    var results = root.querySelector("[data-results]");
    var chosen = root.querySelector("[data-chosen]");
    var multiple = root.hasAttribute("data-multiple");
    var level = root.getAttribute("data-level");
    var name = root.getAttribute("data-name");
    var active = -1;

    function close() { results.hidden = true; results.innerHTML = ""; active = -1; }
    function pick(hit) {
      if (!multiple) { chosen.innerHTML = ""; }
      var exists = chosen.querySelector('input[value="' + hit.code + '"]');
      if (!exists) { chosen.appendChild(chip(name, hit.code, hit.label)); }
      input.value = ""; close();
      root.dispatchEvent(new CustomEvent("region:picked", { bubbles: true, detail: hit }));
    }
    var search = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var url = "/api/v1/regions/search?limit=15&q=" + encodeURIComponent(q) + (level ? "&level=" + level : "");
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (hits) {
          results.innerHTML = "";
          hits.forEach(function (hit, i) {
            var li = document.createElement("li");
            li.setAttribute("role", "option"); li.dataset.index = i;
            var b = document.createElement("strong"); b.textContent = hit.name;
            var s = document.createElement("small"); s.textContent = hit.label + " · " + hit.code;
            li.appendChild(b); li.appendChild(s);
            li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(hit); });
            results.appendChild(li);
          });
          results.hidden = hits.length === 0;
          results._hits = hits;
        })
        .catch(close);
    }, 200);
    input.addEventListener("input", search);
    input.addEventListener("keydown", function (e) {
      var items = results.querySelectorAll("li");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!items.length) return;
        active = (active + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      } else if (e.key === "Enter") {
        if (active >= 0 && results._hits) { e.preventDefault(); pick(results._hits[active]); }
        else if (!results.hidden) { e.preventDefault(); }
      } else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    chosen.addEventListener("click", function (e) {
      if (e.target.hasAttribute("data-remove")) { e.target.closest("li").remove(); }
    });
  }

  function initConfirm() {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      var msg = form.getAttribute("data-confirm");
      if (msg && !window.confirm(msg)) { e.preventDefault(); }
    }, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-region-picker]").forEach(initPicker);
    initConfirm();
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
  window.Pulih = { initPicker: initPicker };
})();
