// The ticket's page: asks /api/t/<code> every few seconds and shows where the visitor stands.
"use strict";

(() => {
  const code = decodeURIComponent(location.pathname.split("/")[2] || "");
  let answer = null;      // the last good answer of the server
  let problem = "";       // "unavailable", "offline", "not_found", "too_many" or ""
  let timer = null;

  function vibrateOnce(view) {
    const key = [view.number, view.called_at, view.recall_count].join("/");
    let seen = "";
    try { seen = sessionStorage.getItem("pst-called") || ""; } catch (e) { /* ignore */ }
    if (seen === key) return;
    try { sessionStorage.setItem("pst-called", key); } catch (e) { /* ignore */ }
    if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
  }

  function line(className, text) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function statusLines(view, zone) {
    const out = [];
    const counter = view.counter || "";
    switch (view.status) {
      case "waiting":
        if (view.position) out.push(line("position", PST.t("position", { n: view.position })));
        if (view.ahead === 0) out.push(line("ahead", PST.t("ahead_none")));
        else if (view.ahead) out.push(line("ahead", PST.t("ahead", { n: view.ahead })));
        if (view.open_counters === 0) out.push(line("info", PST.t("no_counter")));
        else if (view.ahead) out.push(line("info", PST.t("estimate", { n: view.estimate_minutes })));
        if (view.deadline_at && answer && view.deadline_at > answer.as_of) {
          out.push(line("info", PST.t("deadline", { time: PST.time(view.deadline_at, zone) })));
        }
        break;
      case "called":
        out.push(line("called", PST.t("called", { counter })));
        if (view.recall_count > 0) out.push(line("info", PST.t("called_again")));
        break;
      case "serving":
        out.push(line("serving", PST.t("serving", { counter })));
        break;
      case "done": {
        out.push(line("info", PST.t("done")));
        if (view.rated) {
          out.push(line("info", PST.t("rated")));
        } else {
          const p = document.createElement("p");
          const a = document.createElement("a");
          a.className = "button";
          a.id = "rate";
          a.href = "/t/" + encodeURIComponent(code) + "/rate";
          a.textContent = PST.t("rate_link");
          p.appendChild(a);
          out.push(p);
        }
        break;
      }
      case "no_show":
        out.push(line("warning", PST.t("no_show", { counter })));
        if (view.back_until && answer && view.back_until > answer.as_of) {
          out.push(line("info", PST.t("no_show_back", { time: PST.time(view.back_until, zone) })));
        } else {
          out.push(line("info", PST.t("no_show_late")));
        }
        break;
      case "unserved":
        out.push(line("warning", PST.t("unserved")));
        break;
      default:
        break;
    }
    return out;
  }

  function render() {
    const status = document.getElementById("status");
    status.replaceChildren();
    const notices = { unavailable: "unavailable", offline: "offline" };
    PST.show("notice", notices[problem] ? PST.t(notices[problem]) : "");
    if (problem === "not_found" || problem === "too_many") {
      document.getElementById("card").hidden = true;
      PST.show("notice", PST.t(problem));
      return;
    }
    const card = document.getElementById("card");
    if (!answer) {
      card.hidden = true;
      return;
    }
    if (answer.state === "past") {
      card.hidden = true;
      ["promise", "keep-open", "wifi", "transferred", "updated"].forEach((id) => PST.show(id, ""));
      status.append(
        line("warning", PST.t("past", { date: answer.day_text[PST.language] })),
        line("info", PST.t("past_hint")));
      return;
    }
    const zone = answer.timezone;
    const original = answer.ticket;
    const view = original.transferred_to || original;
    PST.show("office", answer.office.name);
    card.hidden = false;
    PST.show("label", PST.t("ticket_title"));
    PST.show("number", view.number);
    PST.show("service", view.service.name[PST.language] || view.service.name.id);
    PST.show("priority", view.priority ? PST.t("priority") : "");
    PST.show("transferred", original.transferred_to ? PST.t("transferred", {
      service: view.service.name[PST.language] || view.service.name.id, number: view.number,
    }) : "");
    if (problem === "unavailable" || problem === "offline") {
      // What was true a while ago may mislead: only the number stays.
      PST.show("promise", "");
      PST.show("keep-open", "");
      PST.show("updated", PST.t("updated", { time: PST.time(answer.as_of, zone) }));
      return;
    }
    statusLines(view, zone).forEach((p) => status.appendChild(p));
    const waiting = view.status === "waiting";
    PST.show("promise", waiting ? PST.t("promise", { minutes: view.service.target_minutes }) : "");
    PST.show("keep-open", waiting ? PST.t("keep_open") : "");
    PST.show("wifi", waiting && answer.office.wifi ? PST.t("wifi", { name: answer.office.wifi }) : "");
    PST.show("updated", PST.t("updated", { time: PST.time(answer.as_of, zone) }));
    document.body.classList.toggle("is-called", view.status === "called");
    document.title = (view.status === "called" ? "▶ " + PST.t("called", { counter: view.counter || "" })
      : view.number) + " · Antrian PST";
    if (view.status === "called") vibrateOnce(view);
  }

  async function poll() {
    clearTimeout(timer);
    let wait = 5000;
    try {
      const response = await fetch("/api/t/" + encodeURIComponent(code), {
        cache: "no-cache", headers: { Accept: "application/json" },
      });
      if (response.status === 200) {
        answer = await response.json();
        problem = "";
        wait = (answer.poll_seconds || 5) * 1000;
      } else if (response.status === 404) {
        problem = "not_found";
        wait = 30000;
      } else if (response.status === 429) {
        problem = "too_many";
        wait = (Number(response.headers.get("Retry-After")) || 60) * 1000;
      } else {
        problem = "unavailable";
        wait = 3000;
      }
    } catch (e) {
      problem = "offline";
      wait = 3000;
    }
    render();
    timer = setTimeout(poll, wait);
  }

  document.addEventListener("DOMContentLoaded", () => {
    PST.onLanguage(render);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") poll();
    });
    poll();
  });
})();
