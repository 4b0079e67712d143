// The ranking from the JSON in #ranking-data as horizontal bars, best on top, coloured by classification band.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("ranking-chart");
  const source = document.getElementById("ranking-data");
  if (!box || !source || !window.echarts) return;
  const { number, percent, tooltipHtml } = window.cchcFormat;
  const chart = JSON.parse(source.textContent);
  const palette = ["#198754", "#20c997", "#0d6efd", "#ffc107", "#fd7e14", "#dc3545"];
  const colour = (band) => {
    const position = chart.band_order.indexOf(band);
    return position < 0 ? "#6c757d" : palette[Math.min(position, palette.length - 1)];
  };
  box.style.height = `${Math.max(200, 48 + 28 * chart.units.length)}px`;
  const plot = echarts.init(box);
  plot.setOption({
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (items) => {
        const item = items[0];
        const band = chart.bands[item.dataIndex];
        return tooltipHtml(`${chart.units[item.dataIndex]}: ${percent(item.value, 2)}${band ? ` · ${band}` : ""}`);
      },
    },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: (value) => percent(value, 0) } },
    yAxis: { type: "category", inverse: true, data: chart.units, axisLabel: { width: 200, overflow: "truncate" } },
    series: [
      {
        type: "bar",
        data: chart.indices.map((value, position) => ({ value, itemStyle: { color: colour(chart.bands[position]) } })),
        label: { show: true, position: "right", formatter: (item) => number(item.value, 2) },
      },
    ],
  });
  window.addEventListener("resize", () => plot.resize());
});
