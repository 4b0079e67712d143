// Draws the dashboard's charts from the JSON the server put in data-series attributes.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("units-by-type");
  if (!box || !window.echarts) return;
  const { number, tooltipHtml } = window.cchcFormat;
  const series = JSON.parse(box.dataset.series);
  const chart = echarts.init(box);
  chart.setOption({
    // Confined to the chart: ECharts then draws no arrow, which it would style with an attribute the CSP refuses.
    tooltip: { confine: true, formatter: (item) => tooltipHtml(`${item.name}: ${number(item.value)}`) },
    grid: { left: 8, right: 8, bottom: 8, top: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (value) => number(value) } },
    yAxis: { type: "category", data: series.map((row) => row.label) },
    series: [{ type: "bar", data: series.map((row) => row.count), itemStyle: { color: "#0d6efd" } }],
  });
  window.addEventListener("resize", () => chart.resize());
});
