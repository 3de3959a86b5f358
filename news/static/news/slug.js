/* The slug filled from the title (or name) as the editor types.

   The rules come from the server (core.slugs.RULES, in the input's
   data-slug-rules), so this script and core.slugs.slugify make the same slug;
   keep the two functions step for step alike. Only an empty slug is filled (a
   new article, or one whose slug was cleared), and only until the editor types
   in the slug: an existing address never changes behind anyone's back. */
(function () {
  "use strict";

  function slugify(text, code, rules, maxLength) {
    const letters = rules.letters[code] || {};
    const common = rules.common;
    let latin = "";
    for (const char of (text || "").toLowerCase()) {
      const mapped = Object.prototype.hasOwnProperty.call(letters, char) ? letters[char] : char;
      for (const c of mapped) {
        latin += Object.prototype.hasOwnProperty.call(common, c) ? common[c] : c;
      }
    }
    const bare = latin.normalize("NFKD").replace(/\p{M}/gu, "");
    let slug = bare.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (maxLength && slug.length > maxLength) {
      let cut = slug.slice(0, maxLength);
      if (slug[maxLength] !== "-" && cut.includes("-")) {
        cut = cut.slice(0, cut.lastIndexOf("-"));
      }
      slug = cut.replace(/^-+|-+$/g, "");
    }
    return slug;
  }

  function slugFrom(sources, rules, maxLength) {
    for (const code of rules.order) {
      const source = sources.find((entry) => entry.code === code);
      if (!source) continue;
      const slug = slugify(source.input.value, code, rules, maxLength);
      if (slug) return slug;
    }
    return "";
  }

  function attach(slugInput) {
    if (slugInput.value) return;
    const rules = JSON.parse(slugInput.dataset.slugRules);
    const maxLength = parseInt(slugInput.dataset.slugMaxLength, 10) || 0;
    const sources = JSON.parse(slugInput.dataset.slugFrom)
      .map(([id, code]) => ({ input: document.getElementById(id), code }))
      .filter((entry) => entry.input);
    let typedByHand = false;
    slugInput.addEventListener("input", () => {
      // Emptied by hand: follow the title again; otherwise the editor's slug stays.
      typedByHand = slugInput.value !== "";
    });
    const fill = () => {
      if (!typedByHand) slugInput.value = slugFrom(sources, rules, maxLength);
    };
    for (const { input } of sources) {
      input.addEventListener("input", fill);
      input.addEventListener("change", fill);
    }
  }

  function start() {
    document.querySelectorAll("input[data-slug-from]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
