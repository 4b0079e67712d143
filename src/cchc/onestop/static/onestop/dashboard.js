// Draws the one-stop dashboard's charts from the JSON the server put in <script type="application/json">.
// Clicking a point or a cell opens the dossiers behind it, as the tables below the charts do.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.echarts) return;
  const { number, percent, tooltipHtml } = window.cchcFormat;
  const read = (id) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  };
  const plots = [];

  const trend = read("trend-data");
  const trendBox = document.getElementById("trend-chart");
  if (trend && trendBox) {
    const colours = { on_time: "#198754", online: "#0d6efd" };
    const plot = echarts.init(trendBox);
    plot.setOption({
      tooltip: {
        trigger: "axis",
        formatter: (items) =>
          tooltipHtml(items[0].axisValueLabel, ...items.map((item) => `${item.seriesName}: ${percent(item.value)}`)),
      },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: trend.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: (value) => percent(value, 0) } },
      series: trend.series.map((series) => ({
        name: series.name,
        type: "line",
        data: series.data,
        connectNulls: false,
        itemStyle: { color: colours[series.key] },
      })),
    });
    plot.on("click", (event) => {
      const url = trend.urls[event.dataIndex];
      if (url) window.location.href = url;
    });
    plots.push(plot);
  }

  const heat = read("heat-data");
  const heatBox = document.getElementById("heat-chart");
  if (heat && heatBox) {
    heatBox.style.height = `${Math.max(200, 60 + 28 * heat.units.length)}px`;
    const plot = echarts.init(heatBox);
    plot.setOption({
      // Confined to the chart: ECharts then draws no arrow, which it would style with an attribute the CSP refuses.
      tooltip: {
        position: "top",
        confine: true,
        formatter: (item) => {
          const [x, y, count] = item.value;
          return tooltipHtml(`${heat.units[y]} · ${heat.fields[x]}: ${number(count)}`);
        },
      },
      grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
      xAxis: { type: "category", data: heat.fields, splitArea: { show: true }, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "category", data: heat.units, inverse: true, splitArea: { show: true } },
      visualMap: {
        min: 0,
        max: Math.max(1, heat.max),
        calculable: true,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemHeight: 80,
        formatter: (value) => number(value),
        inRange: { color: ["#fff5f0", "#fb6a4a", "#a50f15"] },
      },
      series: [{ type: "heatmap", data: heat.cells, label: { show: true, formatter: (item) => number(item.value[2]) } }],
    });
    plot.on("click", (event) => {
      const [x, y] = event.value;
      const url = heat.urls[y] && heat.urls[y][x];
      if (url) window.location.href = url;
    });
    plots.push(plot);
  }
  window.addEventListener("resize", () => plots.forEach((plot) => plot.resize()));
});
