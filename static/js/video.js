// Video facades: the host's player is put in the page only when the reader
// presses play, so that nothing is requested from the host before that.
// Without this script the facade is a link to the video on the host's site.
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll(".video-facade"), function (facade) {
    var link = facade.querySelector(".video-play");
    var embed = facade.getAttribute("data-embed");
    if (!link || !embed) return;
    link.setAttribute("role", "button");
    link.addEventListener("keydown", function (event) {
      // A button also answers the space bar.
      if (event.key === " ") { event.preventDefault(); link.click(); }
    });
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = embed;
      frame.title = facade.getAttribute("data-title");
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      facade.replaceChildren(frame);
      facade.classList.add("video-playing");
      frame.focus();
    });
  });
})();
