// The portfolio's status chart; its data is the page's json_script "status-data" (no inline script: CSP).
(function () {
  const data = JSON.parse(document.getElementById("status-data").textContent);
  new Chart(document.getElementById("status-chart"), {type: "bar", data: {labels: data.labels,
    datasets: [{label: "Credentials", data: data.values, backgroundColor: ["#1a7f37", "#b35900", "#c62828"]}]},
    options: {maintainAspectRatio: false, plugins: {legend: {display: false}}, scales: {y: {ticks: {precision: 0}}}}});
})();
