// "Apply filters": empty fields are left out of the URL that is shared and bookmarked. Without
// this script the server redirects such a URL to the same one without them (dialogues/listing.py).
"use strict";
(function () {
  document.querySelectorAll("form.filters").forEach(function (form) {
    var emptied = [];
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (field) {
        var choice = field.type === "checkbox" || field.type === "radio";
        if (!choice && !field.disabled && field.value === "") {
          field.disabled = true;  // a disabled field is not sent
          emptied.push(field);
        }
      });
    });
    // back to this page from the results (the page may come from the browser's cache): usable again
    window.addEventListener("pageshow", function () {
      emptied.forEach(function (field) { field.disabled = false; });
      emptied = [];
    });
  });
})();
