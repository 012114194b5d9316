// A partner specialization's points over its window; its data is the page's json_script "points-data"
// (no inline script: CSP).
(function () {
  const data = JSON.parse(document.getElementById("points-data").textContent);
  const day = (n) => new Date(Date.parse(data.origin) + n * 86400000).toISOString().slice(0, 10);
  new Chart(document.getElementById("points-chart"), {
    type: "line",
    data: {datasets: [
      {label: "Points collected", data: data.points, stepped: true, borderColor: "#0b5cad"},
      {label: "Required", data: [{x: 0, y: data.required}, {x: data.end, y: data.required}], borderColor: "#c62828",
       borderDash: [6, 4], pointRadius: 0},
    ]},
    options: {animation: false, parsing: true, maintainAspectRatio: false,
      scales: {x: {type: "linear", min: 0, max: data.end, ticks: {callback: day, includeBounds: false}}, y: {beginAtZero: true}},
      plugins: {tooltip: {callbacks: {title: (items) => day(items[0].parsed.x)}}}},
  });
})();
