// Figures in the browser as the server's `number` and `percent` filters print them (cchc_format):
// the page's language decides the separators (Vietnamese: decimal comma, dot between thousands), a
// non-breaking space comes before %, and a missing value is a dash, because no data is not zero.
// Chart tooltips are HTML, and unit or area names come from people: tooltipHtml escapes every piece.
window.cchcFormat = (() => {
  const NO_DATA = "—";
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  const locale = () => document.documentElement.lang || "vi";
  const missing = (value) => value === null || value === undefined || value === "" || !Number.isFinite(Number(value));

  const number = (value, digits = 0) =>
    missing(value)
      ? NO_DATA
      : Number(value).toLocaleString(locale(), {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
          useGrouping: "always",
        });

  const percent = (value, digits = 1) => (missing(value) ? NO_DATA : `${number(value, digits)}\u00a0%`);

  const escapeHtml = (text) => String(text ?? "").replace(/[&<>"']/g, (character) => ESCAPES[character]);

  // One line per argument, each escaped: a title, then "name: value" lines.
  const tooltipHtml = (...lines) => lines.map(escapeHtml).join("<br>");

  return { NO_DATA, number, percent, escapeHtml, tooltipHtml };
})();
