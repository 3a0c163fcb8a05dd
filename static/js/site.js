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

  // The account menu is a <details>: it works without a script; this adds what people expect
  // of a pop-up panel: Escape closes it (the focus goes back to the name), so does a click or
  // a focus elsewhere on the page.
  const closeAccountMenu = (event) => {
    const menu = document.querySelector(".account-menu[open]");
    if (!menu) return;
    if (event.type === "keydown") {
      if (event.key !== "Escape") return;
      menu.open = false;
      menu.querySelector("summary").focus();
    } else if (!menu.contains(event.target)) {
      menu.open = false;
    }
  };
  document.addEventListener("keydown", closeAccountMenu);
  document.addEventListener("click", closeAccountMenu);
  document.addEventListener("focusin", closeAccountMenu);

  document.addEventListener("DOMContentLoaded", () => {
    focusMessages();
    showCurrentLetter();
  });
  document.addEventListener("htmx:afterSettle", showCurrentLetter);
})();
