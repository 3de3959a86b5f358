// Turns each gallery's plain list of figures into a viewer: one photo at a time,
// swiped on touch screens (CSS scroll snapping), moved with the previous/next
// buttons or the arrow keys, with a "3 / 12" counter read out to screen readers.
// Without this script the gallery stays a list of figures, every photo visible.
(function () {
  "use strict";

  function enhance(gallery) {
    var list = gallery.querySelector(".gallery-photos");
    var slides = list ? Array.prototype.slice.call(list.children) : [];
    if (slides.length < 2) return;
    var rtl = getComputedStyle(gallery).direction === "rtl";
    var current = 0;

    var controls = document.createElement("div");
    controls.className = "gallery-controls";
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", gallery.getAttribute("data-controls"));
    var previous = button(gallery.getAttribute("data-previous"), "gallery-previous");
    var next = button(gallery.getAttribute("data-next"), "gallery-next");
    var counter = document.createElement("p");
    counter.className = "gallery-counter";
    counter.setAttribute("aria-live", "polite");
    controls.appendChild(previous);
    controls.appendChild(counter);
    controls.appendChild(next);
    list.parentNode.insertBefore(controls, list);

    // The list itself takes the keyboard focus, so that the arrow keys move through it.
    list.tabIndex = 0;
    list.setAttribute("aria-label", gallery.getAttribute("data-controls"));
    gallery.classList.add("gallery-enhanced");

    function show(index, smooth) {
      current = Math.max(0, Math.min(slides.length - 1, index));
      // Scroll the list only (scrollIntoView would also scroll the page).
      var slide = slides[current];
      var offset = slide.offsetLeft - list.offsetLeft;
      list.scrollTo({ left: rtl ? offset - (list.scrollWidth - list.clientWidth) : offset,
                      behavior: smooth ? "smooth" : "auto" });
      update();
    }

    function update() {
      counter.textContent = gallery.getAttribute("data-counter")
        .replace("{current}", String(current + 1))
        .replace("{total}", String(slides.length));
      previous.disabled = current === 0;
      next.disabled = current === slides.length - 1;
      slides.forEach(function (slide, i) {
        // Photos out of view are hidden from assistive technology, not from the page.
        slide.setAttribute("aria-hidden", i === current ? "false" : "true");
      });
    }

    previous.addEventListener("click", function () { show(current - 1, true); });
    next.addEventListener("click", function () { show(current + 1, true); });
    list.addEventListener("keydown", function (event) {
      var forward = rtl ? "ArrowLeft" : "ArrowRight";
      var back = rtl ? "ArrowRight" : "ArrowLeft";
      var target = { Home: 0, End: slides.length - 1 }[event.key];
      if (event.key === forward) target = current + 1;
      if (event.key === back) target = current - 1;
      if (target === undefined) return;
      event.preventDefault();
      show(target, true);
    });

    // A swipe ends on a snapped photo: follow it.
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            var index = slides.indexOf(entry.target);
            if (index !== current) { current = index; update(); }
          }
        });
      }, { root: list, threshold: 0.6 });
      slides.forEach(function (slide) { observer.observe(slide); });
    }
    update();
  }

  function button(label, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.setAttribute("aria-label", label);
    element.title = label;
    return element;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), enhance);
})();
