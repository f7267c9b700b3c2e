// The calendar heat map of an org's finalized meetings per day (meetings/cadence.html). The data comes from a
// json_script element; the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var box = document.getElementById("cadence-heatmap");
  var source = document.getElementById("cadence-heatmap-data");
  if (!box || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var most = data.days.reduce(function (m, d) { return Math.max(m, d[1]); }, 1);
  var chart = echarts.init(box, null, { renderer: "canvas" });
  chart.setOption({
    tooltip: { formatter: function (p) { return p.value[0] + "：" + p.value[1]; } },
    visualMap: {
      min: 0, max: most, orient: "horizontal", left: "center", bottom: 0,
      inRange: { color: ["#fde2e2", "#c00000"] }
    },
    calendar: { range: String(data.year), cellSize: ["auto", 14], top: 30, left: 40, right: 10 },
    series: [{ type: "heatmap", coordinateSystem: "calendar", data: data.days }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
