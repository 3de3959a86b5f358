// Counts one read of the article. Sent from the page (not the article view) so
// that reads are counted even when the page is served from a cache.
(function () {
  var script = document.currentScript;
  var url = script && script.getAttribute("data-beacon");
  if (!url) return;
  if (navigator.sendBeacon) {
    navigator.sendBeacon(url);
  } else {
    fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
  }
})();
