/* The admin's translated fields in their editions' own language, direction and name.

 * news/admin_editions.py gives every translated widget its edition's lang, dir,
 * switcher label and own name. Here: the rich-text editor's editing area takes the
 * lang and dir of its textarea; modeltranslation's tabs, labelled by language code,
 * take the edition's switcher label and own name, as the reader switcher shows them;
 * and the editor's toolbar, which django-prose-editor writes in English without
 * asking gettext, is translated through the admin's JavaScript catalog
 * (msgids in locale/django/untranslated/, built by build_admin_catalogs).
 */
(function () {
  "use strict";
  var translate = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, args) { return text.replace("%s", args[0]); };
  var TOOLBAR = [
    "bold", "italic", "underline", "strike", "subscript", "superscript",
    "unordered list", "ordered list", "blockquote", "horizontal rule", "insert link",
    "remove link", "paragraph", "Paragraph", "undo", "redo", "edit HTML", "Insert table",
    "Merge cells", "Split cell", "Code", "Code block", "figure", "Styles", "Reset all classes"
  ];
  var HEADING = /^Heading (\d)$/;

  function localise(text) {
    if (TOOLBAR.indexOf(text) !== -1) {
      return translate(text);
    }
    var heading = HEADING.exec(text);
    return heading ? interpolate(translate("Heading %s"), [heading[1]]) : null;
  }

  function translateMenu(root) {
    root.querySelectorAll("[title], [aria-label]").forEach(function (el) {
      ["title", "aria-label"].forEach(function (name) {
        var text = el.getAttribute(name);
        var local = text && localise(text);
        if (local) { el.setAttribute(name, local); }
      });
    });
    // The block menu's entries ("Paragraph", "Heading 2") are text, not titles; the
    // buttons' text is a Material icon's ligature name and must stay as it is.
    root.querySelectorAll("*").forEach(function (el) {
      if (el.children.length === 0 && !el.classList.contains("material-icons")) {
        var local = localise(el.textContent.trim());
        if (local) { el.textContent = local; }
      }
    });
  }

  function editionOf(textarea, editorRoot) {
    var lang = textarea.getAttribute("lang");
    var dir = textarea.getAttribute("dir");
    if (!lang) { return; }
    editorRoot.querySelectorAll("[contenteditable]").forEach(function (area) {
      area.setAttribute("lang", lang);
      area.setAttribute("dir", dir);
    });
  }

  function editorReady(textarea) {
    var root = textarea.closest(".prose-editor") || textarea.parentElement;
    editionOf(textarea, root);
    translateMenu(root);
    // Menus that open later (the block menu's dropdown, table tools) come in as
    // new nodes.
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) { translateMenu(node.parentElement || node); }
        });
      });
    }).observe(root, { childList: true, subtree: true });
  }

  document.addEventListener("prose-editor:ready", function (event) {
    editorReady(event.detail.textarea);
  });

  function nameTabs() {
    document.querySelectorAll(".ui-tabs-nav a[href^='#tab_']:not([data-edition-named])").forEach(function (tab) {
      var panel = document.getElementById(tab.getAttribute("href").slice(1));
      var field = panel && panel.querySelector("[data-edition-label]");
      if (!field) { return; }
      tab.setAttribute("data-edition-named", "");
      // The code modeltranslation wrote ("kk-latn"), for scripts that ask which tab is
      // open (coediting.js), now that the text is the label.
      tab.setAttribute("data-edition-code", tab.textContent.trim());
      tab.textContent = field.getAttribute("data-edition-label");
      tab.setAttribute("lang", field.getAttribute("lang"));
      tab.setAttribute("title", field.getAttribute("data-edition-name"));
    });
  }

  // The switch beside the page title that turns every tab to one language.
  function nameSwitch() {
    var editions = {};
    document.querySelectorAll("[data-edition-label]").forEach(function (field) {
      field.classList.forEach(function (name) {
        if (name.indexOf("mt-field-") === 0) { editions[name.split("-").pop()] = field; }
      });
    });
    document.querySelectorAll(".modeltranslation-switch option:not([data-edition-named])").forEach(function (option) {
      // modeltranslation writes the language code ("kk-latn") as the text.
      var field = editions[option.textContent.trim().replace("-", "_")];
      if (!field) { return; }
      option.setAttribute("data-edition-named", "");
      option.setAttribute("data-edition-code", option.textContent.trim());
      option.textContent = field.getAttribute("data-edition-label");
      option.setAttribute("lang", field.getAttribute("lang"));
      option.setAttribute("title", field.getAttribute("data-edition-name"));
    });
  }

  // modeltranslation builds its tabs when jQuery finds the document ready, which may
  // come before or after this script's own events: name them whenever they appear.
  new MutationObserver(function () { nameTabs(); nameSwitch(); }).observe(document.documentElement, { childList: true, subtree: true });
}());
