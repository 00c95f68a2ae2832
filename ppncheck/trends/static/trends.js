/* ppncheck trends: draws the page's charts with the vendored Chart.js from the figures in the
   page's JSON block (#trends-data).  Runs offline; fetches nothing.  Labels reach the canvas
   as text (Chart.js draws them with fillText), never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trends-data").textContent);
  var palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#000000", "#999999", "#882255", "#117733", "#332288", "#AA4499"];
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

  function lines(series) {
    return series.map(function (s, i) {
      var colour = s.overall ? "#1b1f24" : palette[i % palette.length];
      return {
        label: s.label, data: s.data, borderColor: colour, backgroundColor: colour,
        borderDash: s.overall ? [6, 4] : [], borderWidth: s.overall ? 3 : 2,
        pointRadius: 4, spanGaps: false, tension: 0
      };
    });
  }

  function lineChart(id, series, axisTitle, max) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "line",
      data: { labels: data.periods, datasets: lines(series) },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, max: max, title: { display: true, text: axisTitle } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  lineChart("chart-per100", data.per100, "findings per 100 notes");
  lineChart("chart-needs-work", data.needs_work, "% of notes needing work", 100);

  var rules = document.getElementById("chart-top-rules");
  if (rules) {
    new Chart(rules, {
      type: "bar",
      data: {
        labels: data.top_rules.labels,
        datasets: [{ label: "findings (all periods)", data: data.top_rules.data,
                     backgroundColor: palette[0] }]
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, title: { display: true, text: "findings" } } },
        plugins: { legend: { display: false } }
      }
    });
  }

  var training = document.getElementById("chart-training");
  if (training && data.training) {
    new Chart(training, {
      type: "bar",
      data: {
        labels: data.training.labels,
        datasets: [
          { label: data.training.before_label, data: data.training.before, backgroundColor: palette[7] },
          { label: data.training.after_label, data: data.training.after, backgroundColor: palette[2] }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: "findings per 100 notes" } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
})();
