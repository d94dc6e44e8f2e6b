// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Copy a clause's permalink on click (the link still jumps to the clause).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.permalink") : null;
    if (!link || !navigator.clipboard) { return; }
    var url = link.getAttribute("data-permalink") || link.href;
    navigator.clipboard.writeText(new URL(url, window.location.href).href).then(function () {
      link.setAttribute("data-copied", "copied");
      link.title = "Link copied";
    }, function () { /* clipboard refused: the anchor navigation is enough */ });
  });
  // The table of contents (a <details>) is shown beside the text on wide screens by CSS alone; its `open`
  // state follows, so screen readers hear it as open there and browsers without ::details-content show it.
  var toc = document.querySelector("details.toc");
  if (toc && window.matchMedia) {
    var wide = window.matchMedia("(width > 52rem)");
    var follow = function () { toc.open = wide.matches; };
    follow();
    if (wide.addEventListener) { wide.addEventListener("change", follow); }
  }
  // j / k move between changes on redline pages.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea") { return; }
    if (event.key !== "j" && event.key !== "k") { return; }
    var changes = Array.prototype.slice.call(document.querySelectorAll("article.change"));
    if (!changes.length) { return; }
    var current = document.querySelector("article.change:target");
    var index = current ? changes.indexOf(current) : -1;
    var next = event.key === "j" ? Math.min(index + 1, changes.length - 1) : Math.max(index - 1, 0);
    window.location.hash = changes[next].id;
    changes[next].focus();
  });
})();
