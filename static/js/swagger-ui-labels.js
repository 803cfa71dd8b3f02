// Swagger UI renders a few controls without an accessible name as operations are opened and
// tried out (axe: select-name, button-name, label-content-name-mismatch, and code samples that
// scroll but cannot be reached by keyboard). Name them as they appear.
"use strict";
(function () {
  function label(root) {
    root.querySelectorAll("select.examples-select-element:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", "Examples");
    });
    root.querySelectorAll("button.close-modal:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Close");
    });
    root.querySelectorAll("button.modal-btn.authorize[aria-label]").forEach(function (button) {
      button.removeAttribute("aria-label"); // its text, "Authorize", names it
    });
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }
  var target = document.getElementById("swagger-ui");
  new MutationObserver(function () { label(target); }).observe(target, { childList: true, subtree: true });
})();
