// The connect flow's success page: when the vendor's application opened
// the page (window.opener), it is told the integration token, which it
// exchanges for the integration's ID with its API key
// (GET /v1/connect/integration-by-token/{token}). The token alone reveals
// nothing, so any opener may receive it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("connected");
    if (!el || !window.opener) { return; }
    window.opener.postMessage({
      type: "resultlinks:integration-connected",
      integration_token: el.getAttribute("data-integration-token"),
      integration_tool: el.getAttribute("data-tool")
    }, "*");
  });
})();
