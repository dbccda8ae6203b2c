// How to rate at the kiosk: the ticket's code as a QR for the kiosk's scanner, and typed.
"use strict";

(() => {
  const code = decodeURIComponent(location.pathname.split("/")[2] || "");
  let number = "";

  function render() {
    PST.show("title", PST.t("rate_title"));
    PST.show("step-1", PST.t("rate_step_1"));
    PST.show("step-2", PST.t("rate_step_2"));
    PST.show("back", PST.t("rate_back"));
    PST.show("number", number);
    // Groups of four are easier to type; the kiosk ignores the spaces.
    PST.show("code", code.match(/.{1,4}/g).join(" "));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const base = "/t/" + encodeURIComponent(code);
    document.getElementById("qr").src = base + "/qr.svg";
    document.getElementById("back").href = base;
    PST.onLanguage(render);
    render();
    fetch("/api/t/" + encodeURIComponent(code), { cache: "no-cache" })
      .then((r) => (r.ok ? r.json() : null))
      .then((answer) => {
        if (answer && answer.state === "today") {
          number = answer.ticket.number;
          PST.show("office", answer.office.name);
          render();
        }
      })
      .catch(() => { /* the code and the QR are enough */ });
  });
})();
