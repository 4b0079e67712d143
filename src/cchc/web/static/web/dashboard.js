// Draws the dashboard's charts from the JSON the server put in data-series attributes.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("units-by-type");
  if (!box || !window.echarts) return;
  const series = JSON.parse(box.dataset.series);
  const chart = echarts.init(box);
  chart.setOption({
    tooltip: {},
    grid: { left: 8, right: 8, bottom: 8, top: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: series.map((row) => row.label) },
    series: [{ type: "bar", data: series.map((row) => row.count), itemStyle: { color: "#0d6efd" } }],
  });
  window.addEventListener("resize", () => chart.resize());
});
