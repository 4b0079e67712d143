// Draws the plan dashboard's stacked bar of tasks by area and status from the JSON in data-chart.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("tasks-by-area");
  if (!box || !window.echarts) return;
  const { number, tooltipHtml } = window.cchcFormat;
  const chart = JSON.parse(box.dataset.chart);
  // Status colours match the rest of the interface: grey not started, blue in progress, green done.
  const colours = { not_started: "#adb5bd", in_progress: "#0d6efd", done: "#198754", cancelled: "#6c757d" };
  const plot = echarts.init(box);
  plot.setOption({
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (items) =>
        tooltipHtml(items[0].axisValueLabel, ...items.map((item) => `${item.seriesName}: ${number(item.value)}`)),
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 8, bottom: 32, containLabel: true },
    xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (value) => number(value) } },
    // inverse: the first area on top, in the plan's order, as in the table below the chart.
    yAxis: {
      type: "category",
      inverse: true,
      data: chart.categories,
      axisLabel: { width: 160, overflow: "truncate" },
    },
    series: chart.series.map((series) => ({
      name: series.name,
      type: "bar",
      stack: "tasks",
      data: series.data,
      itemStyle: { color: colours[series.key] },
    })),
  });
  window.addEventListener("resize", () => plot.resize());
});
