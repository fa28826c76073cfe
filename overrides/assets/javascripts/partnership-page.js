// Partnership meeting preparation: Toolkit 4's key questions (rendered at
// build time from the engine's question file) as a checklist with notes,
// saved as you go in this browser. The Markdown agenda is made by the Python
// engine (audit_app.agenda, via the bridge's `agenda`); the printed agenda is
// drawn here from the same choices, so printing works even without Python.
// Every piece of text typed by the user goes in through textContent or value.
import { el, showProblems } from "./audit/dom.js";
import { Engine } from "./audit/engine.js";
import { timeOfDay } from "./audit/storage.js";
import { download } from "./audit/downloads.js";

const STORAGE_KEY = "belonging-audit/partnership-meeting";


function start(root) {
  if (root.dataset.ready) return;
  root.dataset.ready = "true";
  const $ = (selector) => root.querySelector(selector);
  const form = $("#meeting-form");
  const questions = [...form.querySelectorAll("fieldset[data-question]")];
  const saveStatus = $("[data-save-status]");
  const engineStatus = $("[data-engine-status]");
  const summary = $("[data-error-summary]");
  const agendaSection = $("[data-agenda]");
  const downloadButton = $("[data-action=download-agenda]");
  const tabId = Math.random().toString(36).slice(2);

  const checkbox = (id) => form.elements.namedItem(`questions.${id}.checked`);
  const notes = (id) => form.elements.namedItem(`questions.${id}.notes`);

  // The meeting preparation in the engine's input form (audit_app.agenda):
  // only questions that are ticked or have notes are listed.
  function preparation() {
    const chosen = {};
    for (const fieldset of questions) {
      const id = fieldset.dataset.question;
      const checked = checkbox(id).checked;
      const text = notes(id).value;
      if (checked || text) chosen[id] = { checked, notes: text };
    }
    return {
      meeting_date: form.elements.namedItem("meeting_date").value,
      questions: chosen,
      other_notes: form.elements.namedItem("other_notes").value,
    };
  }

  function fill(values) {
    form.reset();
    form.elements.namedItem("meeting_date").value = typeof values.meeting_date === "string" ? values.meeting_date : "";
    form.elements.namedItem("other_notes").value = typeof values.other_notes === "string" ? values.other_notes : "";
    const chosen = values.questions && typeof values.questions === "object" ? values.questions : {};
    for (const fieldset of questions) {
      const id = fieldset.dataset.question;
      const answer = chosen[id] || {};
      checkbox(id).checked = answer.checked === true;
      notes(id).value = typeof answer.notes === "string" ? answer.notes : "";
    }
  }

  // ---- Saving on this device ---------------------------------------------------
  let savingPaused = false;

  function save() {
    if (savingPaused) return;
    try {
      const record = { preparation: preparation(), savedAt: new Date().toISOString(), tabId };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(record));
      saveStatus.textContent = `Saved on this device at ${timeOfDay(record.savedAt)}.`;
      saveStatus.classList.remove("audit-save-status--failed");
      saveStatus.removeAttribute("role");
    } catch (error) {
      saveStatus.textContent = "Your notes could not be saved on this device (the browser's storage may be full "
        + "or turned off, as in some private windows). Download or print the agenda to keep them.";
      saveStatus.classList.add("audit-save-status--failed");
      saveStatus.setAttribute("role", "alert");
    }
  }

  function load() {
    try {
      const record = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
      return record && typeof record.preparation === "object" && record.preparation !== null ? record : null;
    } catch (error) {
      return null;
    }
  }

  // ---- Another tab ------------------------------------------------------------------
  // The same preparation open in two tabs: neither silently overwrites the other.
  const tabWarning = $("[data-tab-warning]");
  window.addEventListener("storage", (event) => {
    if (event.key !== STORAGE_KEY || event.newValue === null) return;
    let record;
    try {
      record = JSON.parse(event.newValue);
    } catch (error) {
      return;
    }
    if (!record || record.tabId === tabId) return;
    savingPaused = true;
    const text = el("p", { text: `This meeting preparation was changed in another tab or window at ${timeOfDay(record.savedAt)}. `
      + "So that neither copy overwrites the other, this tab has stopped saving." });
    const button = el("button", { text: "Load the latest notes and keep going here", className: "md-button" });
    button.type = "button";
    button.addEventListener("click", () => {
      const latest = load();
      if (latest) fill(latest.preparation);
      savingPaused = false;
      tabWarning.hidden = true;
      save();
      renderAgenda();
    });
    tabWarning.replaceChildren(text, button);
    tabWarning.hidden = false;
  });

  // ---- The printed agenda ----------------------------------------------------------
  // The same agenda as the engine's Markdown: a question is on it if it is
  // ticked or has notes; items are numbered through the whole agenda.
  function renderAgenda() {
    const values = preparation();
    const body = $("[data-agenda-body]");
    const parts = [];
    if (values.meeting_date.trim()) {
      const date = el("p", { className: "meeting-print__date" });
      date.append(el("strong", { text: "Meeting date:" }), ` ${values.meeting_date}`);
      parts.push(date);
    }
    parts.push(el("p", { text: `Questions from ${root.dataset.questionsTitle} (${root.dataset.questionsSource}).` }));
    let number = 0;
    for (const group of root.querySelectorAll(".meeting-group")) {
      const items = [...group.querySelectorAll("fieldset[data-question]")].filter((fieldset) => {
        const id = fieldset.dataset.question;
        return checkbox(id).checked || notes(id).value.trim();
      });
      if (!items.length) continue;
      parts.push(el("h3", { text: group.querySelector("h3").textContent }));
      const list = el("ol");
      list.start = number + 1;
      for (const fieldset of items) {
        number += 1;
        const id = fieldset.dataset.question;
        const item = el("li");
        item.dataset.question = id;
        const legend = fieldset.querySelector("legend").cloneNode(true);
        legend.querySelectorAll(".visually-hidden, .meeting-question__number").forEach((node) => node.remove());
        item.append(el("p", { text: legend.textContent.trim(), className: "meeting-print__question" }));
        const text = notes(id).value;
        if (text.trim()) {
          const note = el("p", { className: "meeting-print__notes" });
          note.append(el("em", { text: "Notes:" }), ` ${text}`);
          item.append(note);
        }
        list.append(item);
      }
      parts.push(list);
    }
    if (number === 0) parts.push(el("p", { text: "No questions chosen yet: tick the questions to discuss at the meeting." }));
    if (values.other_notes.trim()) {
      parts.push(el("h3", { text: "Other notes" }), el("p", { text: values.other_notes, className: "meeting-print__notes" }));
    }
    parts.push(
      el("h3", { text: "Actions agreed" }),
      el("p", { text: "To complete at the meeting: what will be done, by whom and by when.", className: "meeting-print__hint" }),
      el("div", { className: "meeting-print__space" }),
    );
    body.replaceChildren(...parts);
  }

  // ---- Buttons ---------------------------------------------------------------------------
  // The button keeps focus while the agenda is made; a second press is ignored.
  async function downloadAgenda(button) {
    if (button.getAttribute("aria-disabled") === "true") return;
    const label = button.textContent;
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Preparing…";
    try {
      const result = JSON.parse(await engine.call("agenda", JSON.stringify(preparation())));
      if (!result.ok) {
        showProblems(summary, result.problems);
        return;
      }
      summary.hidden = true;
      download(result.markdown, "partnership-meeting-agenda", "md");
    } catch (error) {
      showProblems(summary, [`The agenda could not be made: ${error.message}`]);
    } finally {
      button.removeAttribute("aria-disabled");
      button.textContent = label;
    }
  }

  function printAgenda() {
    renderAgenda();
    agendaSection.hidden = false;
    window.print();
  }

  function clearAll() {
    const sure = window.confirm("Clear the meeting preparation from this device? This cannot be undone. "
      + "If you want to keep it, cancel and download or print the agenda first.");
    if (!sure) return;
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch (error) {
      // Nothing kept, nothing to remove.
    }
    fill({});
    renderAgenda();
    agendaSection.hidden = true;
    summary.hidden = true;
    saveStatus.textContent = "The meeting preparation has been cleared from this device.";
  }

  form.addEventListener("input", () => {
    save();
    if (!agendaSection.hidden) renderAgenda();
  });
  form.addEventListener("change", () => {
    save();
    if (!agendaSection.hidden) renderAgenda();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  // Printing from the browser's own menu prints the agenda as it is now.
  window.addEventListener("beforeprint", renderAgenda);
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "download-agenda") downloadAgenda(button);
    else if (action === "print") printAgenda();
    else if (action === "clear") clearAll();
  });

  // ---- Restore, then start the engine ------------------------------------------------
  const saved = load();
  if (saved) {
    fill(saved.preparation);
    saveStatus.textContent = `Saved on this device at ${timeOfDay(saved.savedAt)}.`;
  }
  renderAgenda();

  const engine = new Engine();
  engine.onStateChange((state, message) => {
    if (state === "starting") return;
    if (state === "ready") {
      engineStatus.textContent = "Ready: you can download the agenda.";
      downloadButton.disabled = false;
    } else {
      engineStatus.classList.add("audit-banner--warning");
      engineStatus.textContent = `Downloads of the agenda are not available: ${message} `
        + "Your notes are still saved on this device, and you can still print the agenda.";
    }
  });
}

const root = document.getElementById("meeting-app");
if (root) start(root);
