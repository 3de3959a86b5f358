// Live coverage: asks the live feed for new entries every data-live-poll seconds
// and puts them at the top of the list, newest first. The page already holds
// every entry when it is served, so without this script nothing is missing.
// The feed answers 304 while nothing changed; polling stops when coverage ends.
(function () {
  var script = document.currentScript;
  var url = script && script.getAttribute("data-live-url");
  var list = document.querySelector(".live-entries");
  if (!url || !list || !window.fetch) return;
  var every = parseFloat(script.getAttribute("data-live-poll")) || 30;
  var seconds = every;
  var etag = null;

  function parse(html) {
    var holder = document.createElement("ul");
    holder.innerHTML = html; // the server's own markup of one entry, text already sanitised
    return holder.firstElementChild;
  }

  // Makes the list hold exactly `entries` (newest first), touching only what changed.
  function place(entries) {
    var wanted = {};
    entries.forEach(function (entry) {
      wanted["live-entry-" + entry.id] = true;
    });
    // Entries the newsroom deleted leave the page too.
    Array.prototype.slice.call(list.children).forEach(function (item) {
      if (!wanted[item.id]) item.remove();
    });
    var cursor = list.firstElementChild;
    entries.forEach(function (entry) {
      var node = document.getElementById("live-entry-" + entry.id);
      var fresh = parse(entry.html);
      if (node && node.outerHTML !== fresh.outerHTML) {
        node.replaceWith(fresh); // corrected by the newsroom
        if (cursor === node) cursor = fresh;
        node = fresh;
      }
      node = node || fresh;
      if (node === cursor) cursor = cursor.nextElementSibling;
      else list.insertBefore(node, cursor);
    });
    var empty = document.querySelector(".live-empty");
    if (empty && entries.length) empty.remove();
  }

  function ended() {
    Array.prototype.slice.call(document.querySelectorAll(".live-label")).forEach(function (label) {
      label.remove();
    });
  }

  function poll() {
    if (document.hidden) {
      // Nobody is looking: ask again later rather than load the server for nothing.
      window.setTimeout(poll, seconds * 1000);
      return;
    }
    var headers = etag ? { "If-None-Match": etag } : {};
    // no-store: this script keeps the ETag itself, so the 304 reaches it unchanged.
    fetch(url, { headers: headers, cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("live feed: " + response.status);
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        seconds = every;
        if (data) {
          place(data.entries);
          if (!data.running) {
            ended();
            return;
          }
        }
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () {
        // A network hiccup or a deploy: try again later, a little less often.
        seconds = Math.min(seconds * 2, 300);
        window.setTimeout(poll, seconds * 1000);
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
