// Citizens' pages: small helps on top of forms that work without JavaScript.
(function () {
  "use strict";

  // With JavaScript, htmx shows the next step as soon as a place is chosen: no "Show" button.
  document.documentElement.classList.add("citizen-js");

  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  // List the files chosen, and flag one that is over the limit before it is sent for nothing.
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file]")) return;
    var list = input.parentNode.querySelector("[data-chosen-files]");
    if (!list) return;
    var form = input.form;
    var max = form && form.dataset.maxFile ? parseInt(form.dataset.maxFile, 10) : 0;
    list.textContent = "";
    Array.prototype.forEach.call(input.files || [], function (f) {
      var li = document.createElement("li");
      li.textContent = f.name + " (" + size(f.size) + ")";
      if (max && f.size > max) {
        li.className = "too-big";
        li.textContent += " — " + (document.documentElement.lang === "th" ? "ใหญ่เกินไป" : "too large");
      }
      list.appendChild(li);
    });
  });

  // One press sends the form once: a slow upload invites a second press.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches(".apply-form, .add-doc form")) return;
    if (form.dataset.sending) {
      e.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    var button = form.querySelector("button[type=submit]");
    if (button) button.setAttribute("aria-disabled", "true");
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        window.print();
      });
    });
  });
})();
