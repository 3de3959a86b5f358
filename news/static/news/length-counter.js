"use strict";
// Live "count / limit" under every length-limited field of an admin form.
// The browser's maxlength would cut pasted text without a word, so the form has
// none: past the limit the count turns red and the server refuses the save.
(function () {
  const script = document.currentScript;
  const overTemplate = script.dataset.over;
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, key) =>
      key in values ? numbers.format(values[key]) : match,
    );
  }

  function attach(field) {
    const limit = Number(field.dataset.maxLength);
    if (!limit || field.dataset.lengthCounter) return;
    field.dataset.lengthCounter = "on";
    const counter = document.createElement("span");
    counter.className = "length-count";
    counter.id = `${field.id || field.name}-length`;
    field.insertAdjacentElement("afterend", counter);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
    const update = () => {
      // Code points, as the server counts them.
      const count = Array.from(field.value).length;
      const over = count - limit;
      counter.textContent =
        over > 0
          ? fill(overTemplate, { count, limit, over })
          : fill("{count} / {limit}", { count, limit });
      counter.classList.toggle("over-limit", over > 0);
      if (over > 0) {
        field.setAttribute("aria-invalid", "true");
        counter.setAttribute("role", "alert");
        field.dataset.lengthInvalid = "on";
      } else if (field.dataset.lengthInvalid) {
        // Only what this script marked: the server's own error marks stay.
        field.removeAttribute("aria-invalid");
        counter.removeAttribute("role");
        delete field.dataset.lengthInvalid;
      }
    };
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("[data-max-length]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
