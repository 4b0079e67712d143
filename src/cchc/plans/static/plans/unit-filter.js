// Makes a long <select multiple> of units searchable: a filter box above it (with the unit names as
// suggestions), and the chosen units listed as removable chips. Without this script the plain
// <select multiple> still works. Used by the plan import's review page: [data-unit-filter] wraps
// the select; its data-* attributes carry the words, already translated by the page.
(() => {
  // Search without case or diacritics: "so noi vu" finds "Sở Nội vụ".
  const plain = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().trim();

  let shared = null; // one <datalist> of unit names for every select on the page

  function suggestions(select) {
    if (shared) return shared.id;
    shared = document.createElement("datalist");
    shared.id = "unit-filter-names";
    for (const option of select.options) {
      const item = document.createElement("option");
      item.value = option.text;
      shared.append(item);
    }
    document.body.append(shared);
    return shared.id;
  }

  function enhance(box) {
    const select = box.querySelector("select[multiple]");
    if (!select || select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    select.size = Math.min(8, select.options.length);

    const filter = document.createElement("input");
    filter.type = "search";
    filter.className = "form-control form-control-sm mb-1";
    filter.placeholder = box.dataset.filterLabel || "";
    filter.setAttribute("aria-label", box.dataset.filterLabel || "");
    filter.setAttribute("list", suggestions(select));
    filter.setAttribute("autocomplete", "off");
    filter.dataset.role = "unit-filter";

    const chosen = document.createElement("div");
    chosen.className = "d-flex flex-wrap gap-1 mt-1";
    chosen.dataset.role = "unit-chosen";
    chosen.setAttribute("aria-live", "polite");

    select.before(filter);
    select.after(chosen);

    // A name two units share ("Văn phòng HĐND và UBND" of many communes) is never chosen from the
    // words alone: the filter shows them all and the person picks the right one in the list.
    const byName = new Map();
    const twice = new Set();
    for (const option of select.options) {
      const name = plain(option.text);
      if (byName.has(name)) twice.add(name);
      byName.set(name, option);
    }
    for (const name of twice) byName.delete(name);

    function showChosen() {
      chosen.replaceChildren();
      const picked = [...select.selectedOptions];
      const count = document.createElement("span");
      count.className = "small text-muted me-1";
      count.textContent = `${box.dataset.chosenLabel || ""}: ${picked.length}`;
      chosen.append(count);
      for (const option of picked) {
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "btn btn-sm btn-outline-secondary py-0";
        chip.textContent = `${option.text} ×`;
        chip.title = `${box.dataset.removeLabel || ""} ${option.text}`;
        chip.setAttribute("aria-label", chip.title);
        chip.addEventListener("click", () => {
          option.selected = false;
          showChosen();
        });
        chosen.append(chip);
      }
    }

    function applyFilter() {
      const query = plain(filter.value);
      const exact = byName.get(query);
      if (exact) {
        // A name picked from the suggestions (or typed in full): choose it and start again.
        exact.selected = true;
        filter.value = "";
        showChosen();
      }
      const words = plain(filter.value);
      for (const option of select.options) {
        option.hidden = words !== "" && !plain(option.text).includes(words);
      }
    }

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault(); // Enter chooses the only unit left, never submits the whole review
      const visible = [...select.options].filter((option) => !option.hidden);
      if (filter.value && visible.length === 1) {
        visible[0].selected = true;
        filter.value = "";
        applyFilter();
        showChosen();
      }
    });
    select.addEventListener("change", showChosen);
    showChosen();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-unit-filter]").forEach(enhance);
  });
})();
