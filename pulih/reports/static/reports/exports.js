/* Pulih — progress of background exports: polls each running job's JSON status. */
(function () {
  "use strict";
  function poll(item) {
    var url = item.getAttribute("data-export-status");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        var bar = item.querySelector("progress");
        var label = item.querySelector("[data-export-label]");
        var link = item.querySelector("[data-export-download]");
        item.setAttribute("data-status", job.status);
        if (bar) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
        if (label) { label.textContent = job.status_label + (job.status === "running" ? " · " + job.percent + "%" : ""); }
        if (job.status === "done" && link) { link.hidden = false; }
        if (job.status === "queued" || job.status === "running") { setTimeout(function () { poll(item); }, 1500); }
      })
      .catch(function () { setTimeout(function () { poll(item); }, 5000); });
  }
  document.querySelectorAll("[data-export-status]").forEach(function (item) {
    var status = item.getAttribute("data-status");
    if (status === "queued" || status === "running") { poll(item); }
  });
})();
