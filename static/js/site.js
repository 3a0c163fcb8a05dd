// Marks the page as scripted, so no-JavaScript fallbacks (plain submit buttons) can hide.
document.documentElement.classList.add("js");
