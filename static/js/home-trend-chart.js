// The home's 12-month trend; its data is the page's json_script "trend-data" (no inline script: CSP).
(function () {
  const data = JSON.parse(document.getElementById("trend-data").textContent);
  const series = [["Compliant", data.compliant, "#1a7f37"], ["At risk", data.at_risk, "#b35900"],
    ["Not compliant", data.not_compliant, "#c62828"]];
  new Chart(document.getElementById("trend-chart"), {type: "bar",
    data: {labels: data.labels, datasets: series.map(([label, values, color]) => ({label, data: values, backgroundColor: color}))},
    options: {maintainAspectRatio: false, plugins: {legend: {position: "bottom"}},
      scales: {x: {stacked: true}, y: {stacked: true, ticks: {precision: 0}}}}});
})();
