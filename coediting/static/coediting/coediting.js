/* The article change form, edited by several desks at once (coediting/admin.py):
 * - a heartbeat says which edition tab this editor is in, and shows who else has
 *   the article open and what they saved since the form was opened;
 * - the fields changed and not saved yet are autosaved on the server, offered back
 *   when the form is opened again, and leaving with unsaved changes asks first.
 * Every text shown comes translated from the server or from data attributes.
 */
(function () {
  "use strict";

  // The rich-text editors (django-prose-editor, Tiptap), by their textarea.
  const editors = new Map();
  document.addEventListener("prose-editor:ready", function (event) {
    editors.set(event.detail.textarea, event.detail.editor);
    fieldReady(event.detail.textarea);
  });
  let fieldReady = function () {};

  function editorFor(textarea) {
    if (editors.has(textarea)) return editors.get(textarea);
    const wrapper = textarea.parentElement;
    const view = wrapper && wrapper.querySelector(".ProseMirror[contenteditable]");
    return (view && view.editor) || null;
  }

  // Fields whose values are not the editor's text.
  function skipped(element) {
    const name = element.name;
    return (
      !name ||
      element.disabled ||
      name === "csrfmiddlewaretoken" ||
      name.startsWith("_") ||
      name.startsWith("initial-") ||
      ["file", "submit", "button", "reset", "image"].includes(element.type)
    );
  }

  function valuesOf(form) {
    const values = {};
    for (const element of form.elements) {
      if (skipped(element)) continue;
      const list = values[element.name] || (values[element.name] = []);
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) list.push(element.value);
      } else if (element.tagName === "SELECT") {
        for (const option of element.selectedOptions) list.push(option.value);
      } else {
        list.push(element.value);
      }
    }
    return values;
  }

  function labelsOf(form, names) {
    const labels = {};
    for (const name of names) {
      for (const element of form.querySelectorAll("select")) {
        if (element.name !== name) continue;
        labels[name] = {};
        for (const option of element.selectedOptions) {
          labels[name][option.value] = option.textContent.trim();
        }
      }
    }
    return labels;
  }

  function same(a, b) {
    return JSON.stringify(a || []) === JSON.stringify(b || []);
  }

  function post(url, fields, token, keepalive) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      keepalive: Boolean(keepalive),
    });
  }

  function notice(list, text, className, key) {
    if (key && list.querySelector('[data-key="' + key + '"]')) return;
    const item = document.createElement("li");
    item.className = className;
    if (key) item.dataset.key = key;
    item.textContent = text;
    list.appendChild(item);
  }

  function start() {
    const panel = document.getElementById("coediting");
    if (!panel) return;
    const form = panel.closest("form");
    const tokenField = form && form.querySelector("[name=csrfmiddlewaretoken]");
    if (!tokenField) return;
    const token = tokenField.value;
    const list = panel.querySelector(".coediting-notices");
    const status = panel.querySelector(".coediting-status");
    const tabs = (panel.dataset.tabs || "").split(" ");
    const heartbeatMs = Math.max(1, Number(panel.dataset.heartbeatSeconds) || 30) * 1000;
    const autosaveMs = Math.max(1, Number(panel.dataset.autosaveSeconds) || 15) * 1000;
    let since = panel.dataset.since || "0";

    // --- Unsaved changes ------------------------------------------------------

    // What the form held when it was opened; until the editor first touches the
    // form, widgets that rewrite their fields as they start keep it up to date.
    let baseline = valuesOf(form);
    let touched = false;
    let submitting = false;
    // A form that came back with errors holds changes that were never saved.
    const cameBackWithErrors = Boolean(document.querySelector(".errornote"));

    fieldReady = function (textarea) {
      if (!touched && textarea.name) baseline[textarea.name] = [textarea.value];
    };
    for (const type of ["input", "change", "keydown", "paste", "drop"]) {
      form.addEventListener(type, function (event) {
        if (event.isTrusted && !panel.contains(event.target)) touched = true;
      }, true);
    }
    form.addEventListener("submit", function () { submitting = true; });

    function changes() {
      if (!touched) {
        baseline = valuesOf(form);
        return {};
      }
      const now = valuesOf(form);
      const changed = {};
      for (const name of Object.keys(now)) {
        if (!same(now[name], baseline[name])) changed[name] = now[name];
      }
      return changed;
    }

    window.addEventListener("beforeunload", function (event) {
      if (submitting) return;
      if (cameBackWithErrors || Object.keys(changes()).length) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    const autosaveUrl = panel.dataset.autosaveUrl;
    let lastSent = JSON.stringify({});

    function autosave(keepalive) {
      if (!autosaveUrl || submitting) return;
      const changed = changes();
      const key = JSON.stringify(changed);
      if (key === lastSent) return;
      lastSent = key;
      post(autosaveUrl, {
        data: key,
        labels: JSON.stringify(labelsOf(form, Object.keys(changed))),
        since: since,
      }, token, keepalive)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (answer && answer.text && status) status.textContent = answer.text;
        })
        .catch(function () { lastSent = null; });
    }

    if (autosaveUrl) {
      window.setInterval(autosave, autosaveMs);
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden") autosave(true);
      });
    }

    // --- The offer to restore ---------------------------------------------------

    function restore(saved) {
      const labels = saved.labels || {};
      touched = true;
      for (const [name, values] of Object.entries(saved.data || {})) {
        for (const element of form.elements) {
          if (element.name !== name || skipped(element)) continue;
          if (element.type === "checkbox" || element.type === "radio") {
            element.checked = values.includes(element.value);
          } else if (element.tagName === "SELECT") {
            for (const value of values) {
              if (![...element.options].some(function (o) { return o.value === value; })) {
                element.add(new Option((labels[name] || {})[value] || value, value));
              }
            }
            for (const option of element.options) option.selected = values.includes(option.value);
          } else {
            const value = values.length ? values[0] : "";
            const editor = element.tagName === "TEXTAREA" ? editorFor(element) : null;
            if (editor) editor.commands.setContent(value);
            element.value = value;
          }
          element.dispatchEvent(new Event("input", { bubbles: true }));
          element.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    }

    const offer = panel.querySelector(".coediting-offer");
    const savedData = document.getElementById("coediting-autosave");
    if (offer && savedData) {
      offer.hidden = false;
      offer.querySelector(".coediting-restore").addEventListener("click", function () {
        restore(JSON.parse(savedData.textContent));
        offer.remove();
        if (status) status.textContent = panel.dataset.restoredText;
        lastSent = null;
      });
      offer.querySelector(".coediting-discard").addEventListener("click", function () {
        offer.remove();
        lastSent = null;
        if (autosaveUrl) post(autosaveUrl, { discard: "1" }, token);
      });
    }

    // --- Presence -------------------------------------------------------------

    const presenceUrl = panel.dataset.presenceUrl;
    if (!presenceUrl) return;

    // The edition tab last chosen (by a tab, the keyboard or the main switch);
    // until then, the one the tabs opened in (the admin's language, if written).
    let chosenTab = null;
    // An edition tab's code: news/edition-fields.js relabels the tabs ("қз") and keeps
    // the code modeltranslation wrote ("kk") in data-edition-code.
    function codeOf(element) {
      return element.dataset.editionCode || element.textContent.trim();
    }
    function tabOf(link) {
      return link && link.closest(".ui-tabs-nav") ? codeOf(link) : null;
    }
    document.addEventListener("click", function (event) {
      chosenTab = tabOf(event.target.closest("a")) || chosenTab;
    });
    document.addEventListener("keyup", function () {
      chosenTab = tabOf(document.activeElement) || chosenTab;
    });
    document.addEventListener("change", function (event) {
      if (event.target.id === "modeltranslation-main-switch" && event.target.selectedOptions.length) {
        chosenTab = codeOf(event.target.selectedOptions[0]);
      }
    });

    function currentTab() {
      const opened = document.querySelector(".ui-tabs-active a");
      const tab = chosenTab || (opened && codeOf(opened));
      return tabs.includes(tab) ? tab : tabs[0];
    }

    let sentTab = null;
    function heartbeat() {
      sentTab = currentTab();
      post(presenceUrl, { tab: sentTab, since: since }, token)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer) return;
          since = String(answer.since);
          for (const item of list.querySelectorAll(".coediting-editor")) item.remove();
          for (const editor of answer.editors) notice(list, editor.text, "info coediting-editor");
          for (const saved of answer.saves) {
            notice(list, saved.text, "warning coediting-saved", "s" + saved.id);
          }
        })
        .catch(function () {});
    }

    heartbeat();
    window.setInterval(heartbeat, heartbeatMs);
    // A change of edition tab is told at once, not at the next heartbeat.
    window.setInterval(function () {
      if (currentTab() !== sentTab) heartbeat();
    }, 1000);
    window.addEventListener("pagehide", function () {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      body.append("leave", "1");
      if (navigator.sendBeacon) navigator.sendBeacon(presenceUrl, body);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
