/* Draws the report charts with the vendored Chart.js from the figures the server put in #report-data. */
(function () {
  "use strict";
  var source = document.getElementById("report-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  function draw(name, config) {
    var canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    if (canvas) { canvas.chart = new Chart(canvas, config); }
  }

  draw("trend", {
    type: "line",
    data: {
      labels: data.trend.labels,
      datasets: [
        { label: data.trend.share_label, data: data.trend.share, borderColor: "#17803d", yAxisID: "share", spanGaps: true },
        { label: data.trend.mean_label, data: data.trend.mean, borderColor: "#0b4f9c", yAxisID: "minutes", spanGaps: true }
      ]
    },
    options: {
      maintainAspectRatio: false,
      scales: {
        share: { position: "left", min: 0, max: 100 },
        minutes: { position: "right", min: 0, grid: { drawOnChartArea: false } }
      }
    }
  });

  draw("offices", {
    type: "bar",
    data: { labels: data.offices.labels, datasets: [{ label: data.offices.label, data: data.offices.share, backgroundColor: "#0b4f9c" }] },
    options: { maintainAspectRatio: false, indexAxis: "y", scales: { x: { min: 0, max: 100 } } }
  });
}());
