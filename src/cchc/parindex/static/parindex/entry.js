// Bulk entry on an area: each row is saved by htmx when one of its fields changes. This marks a row
// that is being saved and keeps the "save all" button from sending while a row's save is still on its
// way (the server would compare the two anyway, but the person would see two answers for one change).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-testid=area-form]");
  if (!form) return;
  let pending = 0;
  const saveAll = form.querySelector("[data-testid=save-all]");
  // Only the rows' fields count: the "Attach" button is swapped out with its answer, so its events
  // would no longer reach the page.
  const isField = (element) => element instanceof Element && element.matches("input, select, textarea") && form.contains(element);
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (!isField(event.target)) return;
    pending += 1;
    event.target.closest("tr")?.setAttribute("aria-busy", "true");
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (!isField(event.target)) return;
    pending = Math.max(0, pending - 1);
    event.target.closest("tr")?.removeAttribute("aria-busy");
  });
  // A refusal htmx does not swap in (403 for a page left open after the phase or the rights changed, a
  // server error, no network): the row says so instead of staying silent.
  const refused = (event) => {
    if (!form.contains(event.detail.elt)) return;
    const status = event.detail.target;
    if (!status || !form.contains(status)) return;
    const line = document.createElement("div");
    line.className = "text-danger";
    line.setAttribute("role", "alert");
    line.textContent = form.dataset.refusedText;
    status.replaceChildren(line);
  };
  document.body.addEventListener("htmx:responseError", refused);
  document.body.addEventListener("htmx:sendError", refused);
  form.addEventListener("submit", (event) => {
    // A submit from "Attach" without htmx goes on; "save all" waits for the rows being saved.
    if (event.submitter !== saveAll || pending === 0) return;
    event.preventDefault();
    const retry = () => (pending === 0 ? form.requestSubmit(saveAll) : setTimeout(retry, 50));
    setTimeout(retry, 50);
  });
});
