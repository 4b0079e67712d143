// Draws the overview's on-time trend from the JSON the server put in <script type="application/json">;
// clicking a month opens that month's one-stop dashboard, as the table under the chart does.
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("overview-trend");
  const box = document.getElementById("overview-trend-chart");
  if (!data || !box || !window.echarts) return;
  const { percent, tooltipHtml } = window.cchcFormat;
  const trend = JSON.parse(data.textContent);
  const series = [{ name: trend.name, type: "line", data: trend.values, connectNulls: false, itemStyle: { color: "#198754" } }];
  if (trend.goal !== null) {
    series.push({
      name: trend.goal_name,
      type: "line",
      data: trend.values.map(() => trend.goal),
      symbol: "none",
      lineStyle: { type: "dashed" },
      itemStyle: { color: "#dc3545" },
    });
  }
  const chart = echarts.init(box);
  chart.setOption({
    // Confined to the chart: ECharts then draws no arrow, which it would style with an attribute the CSP refuses.
    tooltip: {
      trigger: "axis",
      confine: true,
      formatter: (items) =>
        tooltipHtml(trend.labels[items[0].dataIndex], ...items.map((item) => `${item.seriesName}: ${percent(item.value)}`)),
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
    xAxis: { type: "category", data: trend.months },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: (value) => percent(value, 0) } },
    series,
  });
  chart.on("click", (event) => {
    const url = trend.urls[event.dataIndex];
    if (url) window.location.href = url;
  });
  window.addEventListener("resize", () => chart.resize());
});
