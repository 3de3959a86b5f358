"use strict";
// A click on the image sets the focal point fields (fractions 0..1 of its width and
// height), which every cropped rendition centres on (news/images.py crop_box). The
// marker is placed through the CSSOM, which the content security policy allows.
(function () {
  const fraction = (value) => Math.min(1, Math.max(0, value));

  function attach(picker) {
    const across = document.getElementById(picker.dataset.focalAcross);
    const down = document.getElementById(picker.dataset.focalDown);
    const image = picker.querySelector("img");
    const marker = picker.querySelector(".focal-point-marker");
    if (!across || !down || !image || !marker) return;
    const place = () => {
      marker.style.left = `${fraction(Number(across.value) || 0) * 100}%`;
      marker.style.top = `${fraction(Number(down.value) || 0) * 100}%`;
    };
    image.addEventListener("click", (event) => {
      const box = image.getBoundingClientRect();
      across.value = fraction((event.clientX - box.left) / box.width).toFixed(3);
      down.value = fraction((event.clientY - box.top) / box.height).toFixed(3);
      for (const field of [across, down]) {
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
      place();
    });
    across.addEventListener("input", place);
    down.addEventListener("input", place);
    place();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".focal-point").forEach(attach);
  });
})();
