// Behaviour that used to sit in inline handlers, which the Content-Security-Policy refuses:
// [data-action=print] prints the page, [data-action=back] goes back a page, [data-action=expand] turns the
// chevron of an org tree node down when its children are loaded, [data-action=copy] copies the text of the
// field its data-target names (a calendar feed's URL) and selects it where the clipboard is not offered.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-action]") : null;
    if (!el) return;
    var action = el.getAttribute("data-action");
    if (action === "print") {
      window.print();
    } else if (action === "back") {
      event.preventDefault();
      window.history.back();
    } else if (action === "expand") {
      var icon = el.querySelector("i");
      if (icon) icon.className = "bi bi-chevron-down";
    } else if (action === "copy") {
      var field = document.getElementById(el.getAttribute("data-target"));
      if (!field) return;
      field.select();
      if (navigator.clipboard) navigator.clipboard.writeText(field.value);
    }
  });
})();
