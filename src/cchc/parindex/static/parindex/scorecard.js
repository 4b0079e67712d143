// The radar of the area indices from the JSON in #radar-data: self-assessed, and final once appraisal began.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("radar-data");
  const box = document.getElementById("radar-chart");
  if (!window.echarts || !source || !box) return;
  const { percent, tooltipHtml } = window.cchcFormat;
  const radar = JSON.parse(source.textContent);
  if (!radar.indicators.length) return;
  const short = (text) => (text.length > 28 ? `${text.slice(0, 27)}…` : text);
  const plot = echarts.init(box);
  plot.setOption({
    // Confined to the chart: ECharts then draws no arrow, which it would style with an attribute the CSP refuses.
    tooltip: {
      trigger: "item",
      confine: true,
      formatter: (item) =>
        tooltipHtml(
          item.name,
          ...radar.indicators.map((area, position) => `${area.name}. ${area.title}: ${percent(item.value[position], 2)}`),
        ),
    },
    legend: { bottom: 0 },
    radar: {
      radius: "62%",
      indicator: radar.indicators.map((area) => ({ name: `${area.name}. ${short(area.title)}`, max: area.max })),
    },
    series: [
      {
        type: "radar",
        areaStyle: { opacity: 0.15 },
        data: radar.series.map((series) => ({ name: series.name, value: series.values })),
      },
    ],
  });
  window.addEventListener("resize", () => plot.resize());
});
