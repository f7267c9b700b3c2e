// Export buttons (a[data-export]): while the server prepares the file the button shows a busy state
// (disabled, a spinner and its data-busy-text, e.g. 正在生成…) until the download starts. The link is sent
// with ?download=<token>; the response sets the cookie download-<token>, which ends the busy state.
(function () {
  "use strict";
  var WAIT_MS = 250;
  var GIVE_UP_MS = 180000;

  function hasCookie(name) {
    return document.cookie.split("; ").some(function (c) {
      return c.indexOf(name + "=") === 0;
    });
  }

  function dropCookie(name) {
    document.cookie = name + "=; Max-Age=0; path=/; SameSite=Lax";
  }

  function start(link) {
    if (link.getAttribute("aria-disabled") === "true") return;
    var token = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("download", token);
    var label = link.innerHTML;
    link.classList.add("disabled");
    link.setAttribute("aria-disabled", "true");
    link.setAttribute("aria-busy", "true");
    link.innerHTML =
      '<span class="spinner-border spinner-border-sm" role="status" aria-hidden="true"></span> ' +
      (link.getAttribute("data-busy-text") || "…");
    var cookie = "download-" + token;
    var began = Date.now();
    var timer = window.setInterval(function () {
      if (hasCookie(cookie) || Date.now() - began > GIVE_UP_MS) {
        window.clearInterval(timer);
        dropCookie(cookie);
        link.innerHTML = label;
        link.classList.remove("disabled");
        link.removeAttribute("aria-disabled");
        link.removeAttribute("aria-busy");
      }
    }, WAIT_MS);
    window.location.href = url.toString();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-export]") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    start(link);
  });
})();
