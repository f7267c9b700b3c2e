// The roster of a vote (recruitment/_roster.html): live totals, one state per member (present, a written
// opinion, or not counted), "all present". The server counts again and decides.
(function () {
  "use strict";
  var box = document.getElementById("roster");
  if (!box) return;
  var rows = Array.prototype.slice.call(box.querySelectorAll("tr.roster-row:not([data-watched])"));
  function set(id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text;
  }
  function parts(row) {
    return {
      here: row.querySelector(".roster-present"),
      written: row.querySelector(".roster-written"),
      excluded: row.querySelector(".roster-excluded"),
      note: row.querySelector(".roster-note"),
    };
  }
  // A member is present, or wrote an opinion, or is not counted: choosing one clears the others.
  function settle(row, changed) {
    var p = parts(row);
    if (changed === p.here && p.here.checked) {
      p.written.value = "";
      p.excluded.value = "";
    } else if (changed === p.written && p.written.value) {
      p.here.checked = false;
      p.excluded.value = "";
    } else if (changed === p.excluded && p.excluded.value) {
      p.here.checked = false;
      p.written.value = "";
    }
    p.note.classList.toggle("d-none", !p.excluded.value);
    row.classList.toggle("text-muted", p.excluded.value !== "");
  }
  function update() {
    var should = 0, present = 0, writtenYes = 0;
    rows.forEach(function (row) {
      var p = parts(row);
      if (p.excluded.value !== "") return;
      should += 1;
      if (p.here.checked) present += 1;
      else if (p.written.value === "yes") writtenYes += 1;
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
  function all(present) {
    rows.forEach(function (row) {
      var p = parts(row);
      if (p.excluded.value !== "" || (present && p.written.value)) return;
      p.here.checked = present;
      settle(row, p.here);
    });
    update();
  }
  var allButton = document.getElementById("roster-all-present");
  if (allButton) allButton.addEventListener("click", function () { all(true); });
  var noneButton = document.getElementById("roster-none-present");
  if (noneButton) noneButton.addEventListener("click", function () { all(false); });
  // The electorate depends on the vote date: offer to list it again for a new date (nothing is lost unasked).
  var on = document.getElementById("id_on");
  var notice = document.getElementById("roster-date-changed");
  var relist = document.getElementById("roster-relist");
  if (on && notice && relist) {
    var listed = on.value;
    on.addEventListener("change", function () {
      notice.classList.toggle("d-none", !on.value || on.value === listed);
    });
    relist.addEventListener("click", function (event) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("on", on.value);
      window.location.assign(url.toString());
    });
  }
  box.addEventListener("change", function (event) {
    var row = event.target.closest("tr.roster-row");
    if (row && !row.dataset.watched) settle(row, event.target);
    update();
  });
  box.addEventListener("input", update);
  rows.forEach(function (row) { settle(row, null); });
  update();
})();
