// Last year's and this year's index side by side for each unit, from the JSON in #comparison-data.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("comparison-chart");
  const source = document.getElementById("comparison-data");
  if (!box || !source || !window.echarts) return;
  const { percent, tooltipHtml } = window.cchcFormat;
  const chart = JSON.parse(source.textContent);
  box.style.height = `${Math.max(220, 64 + 40 * chart.units.length)}px`;
  const plot = echarts.init(box);
  plot.setOption({
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (items) =>
        tooltipHtml(
          chart.units[items[0].dataIndex],
          ...items.map((item) => `${item.seriesName}: ${percent(item.value, 2)}`),
        ),
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 24, top: 8, bottom: 32, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: (value) => percent(value, 0) } },
    yAxis: { type: "category", inverse: true, data: chart.units, axisLabel: { width: 200, overflow: "truncate" } },
    series: [
      { name: chart.previous_name, type: "bar", data: chart.previous, itemStyle: { color: "#adb5bd" } },
      { name: chart.current_name, type: "bar", data: chart.current, itemStyle: { color: "#0d6efd" } },
    ],
  });
  window.addEventListener("resize", () => plot.resize());
});
