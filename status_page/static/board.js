// The waiting-room board in a browser: asks /api/board every two seconds.
"use strict";

(() => {
  let board = null;
  let problem = "";
  let offset = 0;  // the office's clock minus this screen's

  function item(className, parts) {
    const li = document.createElement("li");
    li.className = className;
    parts.forEach(([cls, text]) => {
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      li.appendChild(span);
    });
    return li;
  }

  function render() {
    PST.show("now-title", PST.t("now_calling"));
    PST.show("previous-title", board && board.recent_calls.length ? PST.t("previous_calls") : "");
    PST.show("counters-title", PST.t("counters"));
    PST.show("next-title", PST.t("next_numbers"));
    PST.show("notice", problem ? PST.t(problem) : "");
    if (!board) return;
    PST.show("office", board.office.name);
    PST.show("unit", board.office.unit);
    const now = board.now_calling;
    PST.show("now-number", now ? now.number : "");
    PST.show("now-counter", now ? PST.t("called", { counter: now.counter }) : PST.t("please_wait"));
    document.getElementById("previous").replaceChildren(...board.recent_calls.slice(0, 5).map(
      (c) => item("call", [["num", c.number], ["where", c.transferred_to ? "→ " + c.transferred_to : c.counter]])));
    document.getElementById("counters").replaceChildren(...board.counters.map((c) => {
      const state = c.number
        ? (c.ticket_status === "serving" ? PST.t("serving_short") : PST.t("calling")) + " " + c.number
        : PST.t("status_" + c.status);
      return item("counter " + c.status, [["name", c.name], ["state", state]]);
    }));
    document.getElementById("queues").replaceChildren(...board.queues.map((q) => item(
      "queue" + (q.closed ? " closed" : ""),
      [["name", q.name[PST.language] || q.name.id],
        ["next", q.closed && !q.next.length ? PST.t("status_closed") : q.next.join("  ")],
        ["count", PST.t("waiting", { n: q.waiting })]])));
    const running = [board.running_text, ...board.complaint_channels].filter(Boolean).join("   •   ");
    const ticker = document.getElementById("running");
    if (ticker.textContent !== running) ticker.textContent = running;
  }

  function tick() {
    if (board) PST.show("clock", PST.time(Date.now() + offset, board.timezone));
  }

  async function poll() {
    try {
      const response = await fetch("/api/board", { cache: "no-cache" });
      if (response.ok) {
        board = await response.json();
        offset = board.now - Date.now();
        problem = "";
      } else {
        problem = "unavailable";
      }
    } catch (e) {
      problem = "offline";
    }
    render();
    tick();
    setTimeout(poll, 2000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    PST.onLanguage(render);
    setInterval(tick, 1000);
    poll();
  });
})();
