// resultlinks pages work without this script; it only adds live updates
// and confirmations.
//
// data-poll="URL": the element's contents are replaced every 2 s by the
// same element in the page at URL, until that element no longer has
// data-poll (the work it shows has finished); then the page is loaded
// once more.
// data-confirm="question": a form asks before it is sent.
(function () {
  "use strict";
  function poll(el) {
    var url = el.getAttribute("data-poll");
    if (!url) { return; }
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = el.id ? doc.getElementById(el.id) : null;
          if (!fresh) { return; }
          el.innerHTML = fresh.innerHTML;
          if (fresh.hasAttribute("data-poll")) {
            poll(el);
          } else {
            // The work finished: load the page once more, so that what
            // it changed elsewhere on the page shows too.
            el.removeAttribute("data-poll");
            window.location.reload();
          }
        })
        .catch(function () { poll(el); });
    }, 2000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) {
        if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
      });
    });
  });
})();
