// Searches by ID number stay out of URLs (core/id_search.py): when the search box of the page holds a run of
// six digits or more (an ID number, the start of one as it is typed, a phone number), every htmx GET of the
// page (the live search, the pages of the results) sends the search text in the X-Search header instead of
// ?q=, so that no server's access log writes it down. The pushed URL then has no q either.
(function () {
  "use strict";
  var SENT_IN_HEADER = /[0-9\uFF10-\uFF19]{6,}/; // as core.id_search.SENT_IN_HEADER; full-width digits too
  document.body.addEventListener("htmx:configRequest", function (event) {
    var box = document.querySelector("input[data-search-header]");
    if (!box || !SENT_IN_HEADER.test(box.value || "")) return;
    if (String(event.detail.verb).toLowerCase() !== "get") return;
    delete event.detail.parameters[box.name];
    event.detail.path = event.detail.path.replace(/([?&])q=[^&#]*&?/, "$1").replace(/[?&]$/, "");
    event.detail.headers["X-Search"] = encodeURIComponent(box.value);
  });
})();
