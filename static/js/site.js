// Site-wide behaviour that needs a script; every page works without it.
(function () {
  "use strict";

  // Marks the page as scripted, so no-JavaScript fallbacks (plain submit buttons) can hide.
  document.documentElement.classList.add("js");

  // A message after a redirect ("Your answers were submitted.") gets the focus, as GOV.UK's
  // notification banner does: screen readers read the focused message at once, whereas a live
  // region that already holds its text when the page loads is announced by few of them. The
  // next Tab goes on from the message into the page. Not when the address names a fragment:
  // the reader asked to go there.
  const focusMessages = () => {
    const messages = document.getElementById("messages");
    if (messages && !location.hash) messages.focus();
  };

  // On a phone the letters scroll sideways in one row: bring the chosen one into view.
  const showCurrentLetter = () => {
    const current = document.querySelector('.letters [aria-current="true"]');
    if (!current) return;
    const strip = current.closest("ul");
    if (strip.scrollWidth <= strip.clientWidth) return;
    strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
  };

  document.addEventListener("DOMContentLoaded", () => {
    focusMessages();
    showCurrentLetter();
  });
  document.addEventListener("htmx:afterSettle", showCurrentLetter);
})();
