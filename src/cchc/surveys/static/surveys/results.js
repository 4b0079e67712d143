// The survey results' two bar charts from the JSON in #sipas-charts: the overall index by unit, and the
// whole survey's index by element, each with last year's beside it when there was a survey.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("sipas-charts");
  if (!source || !window.echarts) return;
  const { percent, tooltipHtml } = window.cchcFormat;
  const charts = JSON.parse(source.textContent);
  const draw = (id, data) => {
    const box = document.getElementById(id);
    if (!box) return;
    box.style.height = `${Math.max(220, 64 + (data.compared ? 40 : 28) * data.names.length)}px`;
    const series = [];
    if (data.compared) {
      series.push({ name: data.previous_name, type: "bar", data: data.previous, itemStyle: { color: "#adb5bd" } });
    }
    series.push({
      name: data.current_name,
      type: "bar",
      data: data.current,
      itemStyle: { color: "#0d6efd" },
      label: { show: true, position: "right", formatter: (item) => percent(item.value, 2) },
    });
    const plot = echarts.init(box);
    plot.setOption({
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: (items) =>
          tooltipHtml(
            data.names[items[0].dataIndex],
            ...items.map((item) => `${item.seriesName}: ${percent(item.value, 2)}`),
          ),
      },
      legend: { bottom: 0 },
      grid: { left: 8, right: 64, top: 8, bottom: 32, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: (value) => percent(value, 0) } },
      yAxis: {
        type: "category",
        inverse: true,
        data: data.labels || data.names,
        axisLabel: { width: data.labels ? 80 : 200, overflow: "truncate" },
      },
      series,
    });
    window.addEventListener("resize", () => plot.resize());
  };
  draw("units-chart", charts.units);
  draw("elements-chart", charts.elements);
});
