// Phrom: small enhancements on top of pages that work without JavaScript.
(function () {
  "use strict";

  // The main menu is a <details>: on wide screens keep it open and hide its "Menu" button
  // (CSS does this alone in browsers that can style ::details-content).
  var wide = window.matchMedia("(min-width: 56em)");
  function syncMenu() {
    document.querySelectorAll("[data-nav-menu]").forEach(function (menu) {
      if (wide.matches) {
        menu.open = true;
        menu.classList.add("is-static");
      } else if (menu.classList.contains("is-static")) {
        menu.open = false;
        menu.classList.remove("is-static");
      }
    });
  }

  function closeDropdowns(except) {
    document.querySelectorAll("details[data-dropdown][open]").forEach(function (d) {
      if (d !== except) d.open = false;
    });
  }

  document.addEventListener("DOMContentLoaded", syncMenu);
  if (wide.addEventListener) wide.addEventListener("change", syncMenu);

  // Close the user menu on Escape (focus back on its button) or on a click elsewhere.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector("details[data-dropdown][open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (e) {
    closeDropdowns(e.target.closest && e.target.closest("details[data-dropdown]"));
  });

  // The language switch returns to the page as it is now: htmx may have changed the address.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.matches && form.matches("[data-lang-switch]") && form.elements.next) {
      form.elements.next.value = window.location.pathname + window.location.search;
    }
  });
})();
