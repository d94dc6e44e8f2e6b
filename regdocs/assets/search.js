// Starts Pagefind's search UI (served from this site; no other host is contacted).
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (typeof PagefindUI === "undefined") { return; }
  new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
});
