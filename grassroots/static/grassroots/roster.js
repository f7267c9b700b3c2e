// Live totals of a vote's roster (recruitment/_roster.html). The server counts again and decides.
(function () {
  "use strict";
  var box = document.getElementById("roster");
  if (!box) return;
  var rows = box.querySelectorAll("tr.roster-row");
  function set(id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text;
  }
  function update() {
    var should = 0, present = 0, writtenYes = 0;
    rows.forEach(function (row) {
      if (row.dataset.watched) return;
      var excluded = row.querySelector(".roster-excluded").value !== "";
      var here = row.querySelector(".roster-present").checked;
      var written = row.querySelector(".roster-written").value;
      row.classList.toggle("text-muted", excluded);
      if (excluded) return;
      should += 1;
      if (here) present += 1;
      else if (written === "yes") writtenYes += 1;
    });
    set("total-should-attend", should);
    set("total-present", present);
    set("total-written-yes", writtenYes);
    var quorum = document.getElementById("total-quorum");
    if (quorum) {
      var ok = 2 * present > should;
      quorum.textContent = ok ? quorum.dataset.ok || "" : quorum.dataset.short || "";
      quorum.className = ok ? "text-success" : "text-danger";
    }
  }
  // The electorate depends on the vote date: list it again for a new date (before anything is ticked).
  var on = document.getElementById("id_on");
  if (on) {
    on.addEventListener("change", function () {
      if (!on.value) return;
      var url = new URL(window.location.href);
      if (url.searchParams.get("on") === on.value) return;
      url.searchParams.set("on", on.value);
      window.location.assign(url.toString());
    });
  }
  box.addEventListener("change", update);
  box.addEventListener("input", update);
  update();
})();
