// Parallax reading app: small enhancements over pages that work without them.
// Search as you type, reading progress, highlighting a selection, and the reader's text size
// and theme. No framework and no network beyond this server.
(function () {
  "use strict";
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = tokenMeta ? tokenMeta.getAttribute("content") : "";

  function post(path, fields) {
    var body = new URLSearchParams(fields);
    return fetch(path, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf }
    });
  }

  // The reader's text size and theme, kept in this browser only.
  var root = document.documentElement;
  var size = parseInt(localStorage.getItem("parallax.font") || "3", 10);
  var theme = localStorage.getItem("parallax.theme") || "";
  function applyLook() {
    for (var i = 1; i <= 5; i++) root.classList.toggle("font-" + i, i === size);
    root.classList.toggle("theme-dark", theme === "dark");
    root.classList.toggle("theme-light", theme === "light");
  }
  applyLook();

  document.addEventListener("DOMContentLoaded", function () {
    liveSearch();
    reader();
    var retry = document.querySelector("[data-retry-after]");
    if (retry) setTimeout(function () { location.reload(); }, 1000 * parseInt(retry.getAttribute("data-retry-after"), 10));
  });

  function liveSearch() {
    var input = document.querySelector("[data-live-search]");
    if (!input) return;
    var timer = null, shown = input.value;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = input.value.trim();
        if (query === shown) return;
        shown = query;
        var results = document.querySelector("[data-search-results]");
        if (!results) {
          if (query.length < 2) return;
          // Anywhere but the search page, typing opens it with the query so far.
          location.href = "/search?q=" + encodeURIComponent(query);
          return;
        }
        fetch("/search?fragment=1&q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.text(); })
          .then(function (html) {
            if (shown !== query) return;
            results.innerHTML = html;
            history.replaceState(null, "", "/search?q=" + encodeURIComponent(query));
          });
      }, 200);
    });
    if (document.querySelector("[data-search-results]")) {
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }
  }

  function reader() {
    var article = document.getElementById("article");
    if (!article) return;
    var item = article.getAttribute("data-item");
    var tools = document.querySelector("[data-reader-tools]");
    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) return;
        if (button.hasAttribute("data-font")) {
          size = Math.max(1, Math.min(5, size + parseInt(button.getAttribute("data-font"), 10)));
          localStorage.setItem("parallax.font", String(size));
        } else if (button.hasAttribute("data-theme-toggle")) {
          var dark = theme === "dark" || (theme === "" && matchMedia("(prefers-color-scheme: dark)").matches);
          theme = dark ? "light" : "dark";
          localStorage.setItem("parallax.theme", theme);
        }
        applyLook();
      });
    }
    markHighlights(article);
    trackProgress(article, item);
    highlightSelection(article);
  }

  // Highlights are marked in the page's text, whatever markup the article has.
  function markHighlights(article) {
    var body = article.querySelector("[data-article-body]");
    if (!body || body.querySelector("mark")) return;
    document.querySelectorAll("[data-highlight]").forEach(function (entry) {
      var quote = entry.getAttribute("data-highlight").replace(/\s+/g, " ").trim();
      if (quote.length < 3) return;
      var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      var node;
      while ((node = walker.nextNode())) {
        var index = node.nodeValue.indexOf(quote);
        if (index < 0) continue;
        var range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + quote.length);
        var mark = document.createElement("mark");
        range.surroundContents(mark);
        break;
      }
    });
  }

  // The position is sent as the reader scrolls: at most every two seconds, and only when it moved.
  function trackProgress(article, item) {
    var sent = parseFloat(article.getAttribute("data-progress") || "0");
    var pending = null;
    function position() {
      var top = article.getBoundingClientRect().top + window.scrollY;
      var span = article.offsetHeight - window.innerHeight;
      if (span <= 0) return 1;
      return Math.max(0, Math.min(1, (window.scrollY - top + window.innerHeight * 0.1) / span));
    }
    window.addEventListener("scroll", function () {
      if (pending) return;
      pending = setTimeout(function () {
        pending = null;
        var now = Math.round(position() * 100) / 100;
        if (Math.abs(now - sent) < 0.02) return;
        sent = now;
        post("/items/" + item + "/progress", { progress: String(now) });
      }, 2000);
    }, { passive: true });
  }

  // Selecting text in the article brings the highlight form beside it, with the passage filled in.
  function highlightSelection(article) {
    var form = document.querySelector("[data-highlight-form]");
    var body = article.querySelector("[data-article-body]");
    if (!form || !body) return;
    var quote = form.querySelector("textarea[name=quote]");
    document.addEventListener("mouseup", function (event) {
      if (form.contains(event.target)) return;
      var selection = window.getSelection();
      var text = selection ? selection.toString().replace(/\s+/g, " ").trim() : "";
      if (!text || !body.contains(selection.anchorNode)) {
        form.classList.remove("floating");
        return;
      }
      quote.value = text;
      var box = selection.getRangeAt(0).getBoundingClientRect();
      form.classList.add("floating");
      form.style.top = (window.scrollY + box.bottom + 8) + "px";
      form.style.left = Math.max(8, window.scrollX + box.left) + "px";
      var note = form.querySelector("input[name=note]");
      if (note) note.focus({ preventScroll: true });
    });
  }
})();
