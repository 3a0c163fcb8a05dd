// The attempt page: a countdown from the server's remaining seconds that submits the attempt
// at zero, polite screen-reader announcements, and autosave warnings with retries.
(function () {
  "use strict";

  const timer = document.getElementById("timer");
  const status = () => document.getElementById("save-status");

  // -- countdown ------------------------------------------------------------------------
  if (timer) {
    const value = document.getElementById("timer-value");
    const announcer = document.getElementById("timer-announcer");
    const form = document.getElementById(timer.dataset.timeoutForm);
    // Screen readers hear the time at these moments only (the announcer is a polite live
    // region): every second would drown out the question being read.
    const milestones = [1800, 900, 600, 300, 120, 60, 30, 10];
    let endsAt = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
    const total = Number(timer.dataset.totalSeconds) || 3600;
    let submitted = false;
    let previous = null; // seconds left at the last tick

    const format = (seconds) => {
      const h = Math.floor(seconds / 3600);
      const m = Math.floor((seconds % 3600) / 60);
      const s = seconds % 60;
      const mm = String(m).padStart(h ? 2 : 1, "0");
      return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
    };
    const spoken = (seconds) => {
      if (seconds >= 60) {
        const minutes = Math.round(seconds / 60);
        return minutes + (minutes === 1 ? " minute" : " minutes") + " left";
      }
      return seconds + (seconds === 1 ? " second" : " seconds") + " left";
    };

    const tick = () => {
      const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      value.textContent = format(left);
      timer.classList.toggle("timer--low", left <= Math.max(60, Math.min(300, total / 10)));
      // A milestone passed since the last tick: say what is left now. A tab that slept or a
      // resync can jump past several; one announcement of the real time left covers them.
      const passed = previous !== null && milestones.some((m) => previous > m && left <= m);
      if (passed && left > 0) announcer.textContent = spoken(left);
      previous = left;
      if (left === 0 && !submitted && form) {
        submitted = true;
        announcer.textContent = "Time is up. Submitting your answers.";
        form.submit();
      }
    };
    tick();
    setInterval(tick, 1000);

    // Every saved answer carries the server's remaining seconds: resynchronise on it.
    document.body.addEventListener("htmx:afterSettle", () => {
      const element = status();
      if (element && element.dataset.secondsLeft !== undefined) {
        endsAt = Date.now() + Number(element.dataset.secondsLeft) * 1000;
        tick();
      }
    });
  }

  // -- autosave failures: warn, and retry until the server answers ---------------------
  let retryDelay = 2000;
  const warn = (message, isError) => {
    const element = status();
    if (!element) return;
    element.textContent = message;
    element.classList.toggle("save-status--error", Boolean(isError));
  };
  const retry = (form) => {
    warn("Your last answer is not saved yet: the connection failed. Retrying…", true);
    setTimeout(() => htmx.trigger(form, "change"), retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  };
  document.body.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt.closest("form[data-autosave]");
    if (form) retry(form);
  });
  document.body.addEventListener("htmx:responseError", (event) => {
    const form = event.detail.elt.closest("form[data-autosave]");
    if (!form) return;
    const xhr = event.detail.xhr;
    if (xhr.status >= 500) {
      retry(form);
    } else {
      warn(xhr.responseText || "This answer could not be saved.", true);
    }
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) retryDelay = 2000;
  });
})();
