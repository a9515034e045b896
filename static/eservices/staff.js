// Staff pages of the e-services: remove an editable row (steps, documents) without a round trip.
// Rows are added by htmx (a blank row from the server); removing one needs no server: the form
// is saved as a whole.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-row]");
  if (!button) return;
  const row = button.closest("tr");
  const body = row && row.parentElement;
  if (!row) return;
  row.remove();
  if (body && !body.querySelector("tr")) {
    // keep one empty row so there is always somewhere to type
    const add = body.closest(".card")?.querySelector("[hx-get]");
    if (add) add.click();
  }
});

// A print button is shown only where printing works (it needs JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});
