// Shared by the status page's pages: texts in two languages, the switch, small helpers.
"use strict";

const PST = (() => {
  const texts = JSON.parse(document.getElementById("pst-texts").textContent);
  const names = { id: "Bahasa Indonesia", en: "English" };
  let language = "id";
  try {
    language = new URLSearchParams(location.search).get("lang") ||
      localStorage.getItem("pst-lang") || "id";
  } catch (e) { /* private mode: Indonesian */ }
  if (!texts[language]) language = "id";
  const listeners = [];

  function t(key, params) {
    let text = texts[language][key] || texts.id[key] || key;
    for (const [name, value] of Object.entries(params || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  function setLanguage(code) {
    language = texts[code] ? code : "id";
    document.documentElement.lang = language;
    try { localStorage.setItem("pst-lang", language); } catch (e) { /* not kept */ }
    const other = language === "id" ? "en" : "id";
    const button = document.getElementById("lang");
    if (button) {
      button.textContent = names[other];
      button.lang = other;
    }
    listeners.forEach((fn) => fn());
  }

  function time(ms, zone) {
    try {
      return new Intl.DateTimeFormat("en-GB", {
        hour: "2-digit", minute: "2-digit", timeZone: zone || undefined,
      }).format(new Date(ms));
    } catch (e) {
      return new Date(ms).toTimeString().slice(0, 5);
    }
  }

  function show(id, text) {
    const element = document.getElementById(id);
    if (!element) return;
    element.hidden = !text;
    element.textContent = text || "";
  }

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("lang");
    if (button) button.addEventListener("click", () => setLanguage(language === "id" ? "en" : "id"));
    setLanguage(language);
  });

  return {
    t, time, show, setLanguage,
    get language() { return language; },
    onLanguage(fn) { listeners.push(fn); },
  };
})();
