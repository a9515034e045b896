/* Directives: a filter box and "tick all / none" above long organization lists, and a submit
   button that cannot be pressed twice (the server is idempotent anyway). No dependencies. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "th";
  var t = lang === "en"
    ? { filter: "Filter the list", all: "Tick all shown", none: "Untick all shown" }
    : { filter: "ค้นหาในรายการ", all: "เลือกทั้งหมดที่แสดง", none: "ไม่เลือกทั้งหมดที่แสดง" };

  function setup(picker) {
    var boxes = picker.querySelectorAll("input[type=checkbox]");
    if (boxes.length < 8) return;
    var bar = document.createElement("div");
    bar.className = "org-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = t.filter;
    input.setAttribute("aria-label", t.filter);
    var all = document.createElement("button");
    all.type = "button"; all.className = "button button-small button-secondary"; all.textContent = t.all;
    var none = document.createElement("button");
    none.type = "button"; none.className = "button button-small button-secondary"; none.textContent = t.none;
    bar.append(input, all, none);
    var list = picker.querySelector("fieldset") || picker;
    list.parentNode.insertBefore(bar, list);
    function labels() { return list.querySelectorAll("label.check"); }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      labels().forEach(function (l) { l.hidden = q && l.textContent.indexOf(q) === -1; });
    });
    function tick(on) {
      labels().forEach(function (l) { if (!l.hidden) { l.querySelector("input").checked = on; } });
    }
    all.addEventListener("click", function () { tick(true); });
    none.addEventListener("click", function () { tick(false); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-org-picker]").forEach(setup);
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var b = form.querySelector("[data-once-button]");
        if (b) { setTimeout(function () { b.disabled = true; }, 0); }
      });
    });
  });
})();
