// Behaviours that templates ask for with data-* attributes, since the Content-Security-Policy refuses
// inline code (onchange=, onclick=, <script> blocks). Listening on the document covers elements that
// htmx swaps in later as well.
//   data-autosubmit on a select or input: its form is sent as soon as the value changes;
//   data-confirm="question" on a form: sending it asks the question first;
//   data-print on a button: prints the page.
(() => {
  document.addEventListener("change", (event) => {
    const field = event.target.closest("[data-autosubmit]");
    if (!field || !field.form) return;
    // requestSubmit, unlike submit(), goes through the form's submit listeners (data-confirm).
    if (field.form.requestSubmit) field.form.requestSubmit();
    else field.form.submit();
  });

  document.addEventListener("submit", (event) => {
    const question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
