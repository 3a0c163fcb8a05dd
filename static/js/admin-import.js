// The admin's glossary import: importing and rebuilding the question bank take a few
// seconds before the next page arrives, so on submit the button is disabled (no second
// import) and an indeterminate progress bar with a message appears, announced politely.
(function () {
  "use strict";

  function ready(form) {
    const status = document.getElementById("import-progress");
    const bar = status.querySelector("progress");
    const text = status.querySelector("span");
    const button = form.querySelector("[type=submit]");

    form.addEventListener("submit", function () {
      // Disabled after the submit event has started the request; the button sends no value.
      button.disabled = true;
      bar.hidden = false;
      text.textContent = form.dataset.progressMessage;
    });
    // Back from the result page (bfcache): the form is usable again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        button.disabled = false;
        bar.hidden = true;
        text.textContent = "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("glossary-import-form");
    if (form) {
      ready(form);
    }
  });
})();
