// Starts Pagefind's search UI (served from this site; no other host is contacted).
// `search.html?q=words` fills the box and searches; typing keeps `?q=` in step, so a search can be linked.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query && query.trim()) { ui.triggerSearch(query); }
  var input = document.querySelector("#search input");
  if (!input || !window.history.replaceState) { return; }
  input.addEventListener("input", function () {
    var url = new URL(window.location.href);
    if (input.value.trim()) { url.searchParams.set("q", input.value); } else { url.searchParams.delete("q"); }
    window.history.replaceState(window.history.state, "", url.href);
  });
});
