// Phrom — the plan editor: nothing typed is lost, no failure is silent.
//
// 1. htmx answers 409 (a conflict: both texts) and 422 (a form with errors) are swapped in like any
//    answer; every other failure (no network, signed out, 403, 404, 5xx) shows a visible message.
// 2. Every form with data-draft-key keeps a copy of what is typed in localStorage (key: plan, user,
//    section, table, row) until the server confirms the save (the "phrom:saved" event). A page that
//    finds copies offers to restore them: "มีข้อความที่ยังไม่ได้บันทึก — กู้คืน". A restored copy keeps
//    the version it was typed on, so saving it over someone else's later save shows both texts.
(function () {
  "use strict";

  var PREFIX = "phrom-draft:";
  var MAX_AGE = 14 * 24 * 3600 * 1000; // copies older than two weeks are dropped
  var pending = {}; // draft key -> values, waiting for their form to arrive (edit / add buttons)

  function editor() {
    return document.querySelector("[data-draft-scope]");
  }
  function msg(name) {
    var t = document.getElementById("plans-messages");
    return (t && t.dataset[name]) || name;
  }
  function storageKey(localKey) {
    var ed = editor();
    return ed ? PREFIX + ed.dataset.draftScope + ":" + localKey : null;
  }
  function store() {
    try {
      return window.localStorage;
    } catch (e) {
      return null; // private mode or disabled storage: the editor still works, without copies
    }
  }
  function formOf(elt) {
    if (!elt || !elt.closest) return null;
    return elt.tagName === "FORM" ? elt : elt.closest("form");
  }

  // -- htmx answers and failures ------------------------------------------------------------------
  function configure() {
    if (!window.htmx) return;
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "409", swap: true, error: false },
      { code: "422", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false },
    ];
  }

  function alertBox() {
    return document.getElementById("plans-alert");
  }
  function showAlert(text, link) {
    var box = alertBox();
    if (!box) {
      window.alert(text);
      return;
    }
    box.textContent = text + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = link.text;
      box.appendChild(a);
    }
    box.hidden = false;
  }
  function hideAlert() {
    var box = alertBox();
    if (box) box.hidden = true;
  }
  function markNotSaved(elt) {
    var form = formOf(elt);
    if (!form) return;
    var status = form.querySelector(".save-status");
    if (status) {
      status.textContent = msg("notSaved") === "notSaved" ? "✕" : msg("notSaved");
      status.className = "save-status is-error";
    }
    if (form.dataset.draftKey) saveDraft(form); // make sure the copy is there
  }
  function isLoginPage(xhr) {
    var login = msg("loginUrl");
    try {
      return !!xhr.responseURL && new URL(xhr.responseURL).pathname.indexOf(login) === 0;
    } catch (e) {
      return false;
    }
  }

  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (isLoginPage(xhr)) {
      // the session ended: the POST was redirected to the sign-in page; show no sign-in form in a row
      e.detail.shouldSwap = false;
      e.detail.isError = false;
      showAlert(msg("login"), { href: msg("loginUrl"), text: "↗" });
      markNotSaved(e.detail.elt);
    }
  });
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var status = xhr.status;
    var text =
      status === 403 && /CSRF/.test(xhr.responseText || "")
        ? msg("csrf") // the page is too old or the sign-in ended: the form's security token was refused
        : status === 403
          ? msg("forbidden")
          : status === 404
            ? msg("notfound")
            : status === 409
              ? msg("locked")
              : msg("server");
    showAlert(text);
    markNotSaved(e.detail.elt);
  });
  // A refusal that changes nothing on the page (a locked plan, a stale delete): say it.
  document.addEventListener("phrom:alert", function (e) {
    showAlert((e.detail && e.detail.text) || msg("server"));
  });
  document.addEventListener("htmx:targetError", function () {
    showAlert(msg("notfound"));
  });
  document.addEventListener("htmx:sendError", function (e) {
    showAlert(msg("network"));
    markNotSaved(e.detail.elt);
  });
  document.addEventListener("htmx:timeout", function (e) {
    showAlert(msg("network"));
    markNotSaved(e.detail.elt);
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = formOf(e.detail.elt);
    if (form) form._phromSentAt = Date.now();
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.status >= 200 && xhr.status < 300 && !isLoginPage(xhr)) hideAlert();
  });

  // -- copies of unsaved forms ----------------------------------------------------------------------
  function serialize(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "autosave" || el.disabled) return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) values.push([el.name, el.value]);
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) {
          values.push([el.name, o.value]);
        });
      } else if (el.type !== "submit" && el.type !== "button") {
        values.push([el.name, el.value]);
      }
    });
    return values;
  }

  function fill(form, values) {
    var byName = {};
    values.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "anchor") return;
      var v = byName[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = v.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = v.indexOf(o.value) !== -1;
        });
      } else if (el.type !== "submit" && el.type !== "button" && v.length) {
        el.value = v[v.length - 1];
      }
    });
    var status = form.querySelector(".save-status");
    if (status) {
      status.textContent = msg("restored");
      status.className = "save-status is-error";
    }
  }

  function same(a, b) {
    var strip = function (vals) {
      return JSON.stringify(
        vals.filter(function (p) {
          return p[0] !== "version";
        })
      );
    };
    return strip(a) === strip(b);
  }

  function saveDraft(form) {
    var s = store();
    var key = storageKey(form.dataset.draftKey);
    if (!s || !key) return;
    try {
      s.setItem(key, JSON.stringify({ at: Date.now(), values: serialize(form) }));
    } catch (e) {
      /* storage full: nothing more to do */
    }
  }

  function readDraft(key) {
    var s = store();
    if (!s) return null;
    try {
      return JSON.parse(s.getItem(key));
    } catch (e) {
      return null;
    }
  }

  function onEdit(e) {
    var form = formOf(e.target);
    if (form && form.dataset.draftKey) saveDraft(form);
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  // The server confirmed a save: drop the copy unless the user typed more after it was sent.
  document.addEventListener("phrom:saved", function (e) {
    var local = e.detail && e.detail.key;
    var key = local && storageKey(local);
    var s = store();
    if (!key || !s) return;
    var draft = readDraft(key);
    var form = document.querySelector('form[data-draft-key="' + local + '"]');
    var sentAt = (form && form._phromSentAt) || Date.now();
    if (!draft || draft.at <= sentAt) s.removeItem(key);
  });

  function sectionDrafts() {
    var ed = editor();
    var s = store();
    if (!ed || !s) return [];
    var prefix = PREFIX + ed.dataset.draftScope + ":" + ed.dataset.section + ":";
    var found = [];
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(PREFIX) === 0) {
        var d = readDraft(k);
        if (!d || Date.now() - d.at > MAX_AGE) {
          found.push({ key: k, expired: true });
        } else if (k.indexOf(prefix) === 0) {
          found.push({ key: k, local: k.slice((PREFIX + ed.dataset.draftScope + ":").length), draft: d });
        }
      }
    }
    found
      .filter(function (f) {
        return f.expired;
      })
      .forEach(function (f) {
        s.removeItem(f.key);
      });
    return found.filter(function (f) {
      if (f.expired) return false;
      var form = document.querySelector('form[data-draft-key="' + f.local + '"]');
      if (form && same(serialize(form), f.draft.values)) {
        s.removeItem(f.key); // what is on the page is what was typed: nothing to restore
        return false;
      }
      return true;
    });
  }

  function showBanner() {
    var ed = editor();
    var banner = document.getElementById("draft-banner");
    if (!ed || !banner || ed.dataset.editable !== "1") return;
    var drafts = sectionDrafts();
    if (!drafts.length) {
      banner.hidden = true;
      return;
    }
    var latest = Math.max.apply(
      null,
      drafts.map(function (d) {
        return d.draft.at;
      })
    );
    var when = banner.querySelector("[data-draft-when]");
    if (when) when.textContent = new Date(latest).toLocaleString(document.documentElement.lang || undefined);
    banner.hidden = false;
    banner._drafts = drafts;
  }

  function restore(local, values) {
    var form = document.querySelector('form[data-draft-key="' + local + '"]');
    if (form) {
      fill(form, values);
      return;
    }
    var selector = /:new$/.test(local) ? '[data-add-key="' + local + '"]' : '[data-edit-key="' + local + '"]';
    var button = document.querySelector(selector);
    if (button) {
      pending[local] = values;
      button.click();
    }
  }

  document.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest("[data-draft-restore], [data-draft-discard], [data-remove-row]");
    if (!t) return;
    var banner = document.getElementById("draft-banner");
    if (t.hasAttribute("data-draft-restore") && banner) {
      (banner._drafts || []).forEach(function (d) {
        restore(d.local, d.draft.values);
      });
      banner.hidden = true;
    } else if (t.hasAttribute("data-draft-discard") && banner) {
      var s = store();
      (banner._drafts || []).forEach(function (d) {
        if (s) s.removeItem(d.key);
      });
      banner.hidden = true;
    } else if (t.hasAttribute("data-remove-row")) {
      var form = formOf(t);
      var key = form && form.dataset.draftKey && storageKey(form.dataset.draftKey);
      if (key && store()) store().removeItem(key);
      var row = t.closest(".editable-row");
      if (row) row.remove();
    }
  });

  // A form that arrives (edit or add button) picks up a copy waiting for it.
  document.addEventListener("htmx:load", function (e) {
    var root = e.detail.elt;
    if (!root || !root.querySelectorAll) return;
    var forms = root.matches && root.matches("form[data-draft-key]") ? [root] : root.querySelectorAll("form[data-draft-key]");
    Array.prototype.forEach.call(forms, function (form) {
      var local = form.dataset.draftKey;
      if (pending[local]) {
        fill(form, pending[local]);
        delete pending[local];
      }
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first && root !== document.body && !form.closest(".plan-fields, .text-part")) first.focus();
    });
  });

  // On phones the list of sections starts closed.
  function syncNav() {
    var narrow = window.matchMedia("(max-width: 59.99em)").matches;
    document.querySelectorAll("[data-editor-nav]").forEach(function (d) {
      d.open = !narrow;
    });
  }

  configure();
  function start() {
    syncNav();
    showBanner();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
