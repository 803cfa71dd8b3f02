// "Cite this record": the date of access is the reader's. The page may have been rendered, and
// cached, days before; without this script the line keeps its placeholder.
"use strict";
(function () {
  var lang = document.documentElement.lang || "en";
  var today = new Date();
  var iso = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
    .map(function (part) { return String(part).padStart(2, "0"); }).join("-");
  // "2 December 2026" in English; "02.12.2026" in Russian, as Russian citations give it
  var shown = lang === "ru"
    ? today.toLocaleDateString("ru", { day: "2-digit", month: "2-digit", year: "numeric" })
    : today.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  document.querySelectorAll("[data-accessed]").forEach(function (slot) {
    var time = document.createElement("time");
    time.dateTime = iso;
    time.textContent = shown;
    slot.replaceChildren(time);
  });
})();
