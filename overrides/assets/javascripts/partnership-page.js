// Partnership meeting preparation: Toolkit 4's key questions (rendered at
// build time from the engine's question file) as a checklist with notes,
// saved as you go in this browser. The Markdown agenda is made by the Python
// engine (audit_app.agenda, via the bridge's `agenda`); the printed agenda is
// drawn here from the same choices, so printing works even without Python.
// Every piece of text typed by the user goes in through textContent or value.
import { el, showEngineState, showProblems } from "./audit/dom.js";
import { Engine } from "./audit/engine.js";
import { LocalRecord, isObject, savedText } from "./audit/storage.js";
import { guardUnusableRecord } from "./audit/kept-aside.js";
import { watchOtherTabs } from "./audit/other-tabs.js";
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

  // Shows a kept preparation; says whether any of it had no place on the form
  // (a question since removed, a value of the wrong kind), so it is kept aside.
  function fill(values) {
    form.reset();
    const text = (value) => (typeof value === "string" ? value : "");
    let leftover = false;
    const wrongKind = (value, kind) => value !== undefined && value !== null && typeof value !== kind;
    for (const key of ["meeting_date", "other_notes"]) {
      form.elements.namedItem(key).value = text(values[key]);
      leftover ||= wrongKind(values[key], "string");
    }
    const chosen = values.questions && typeof values.questions === "object" ? values.questions : {};
    leftover ||= wrongKind(values.questions, "object");
    const known = new Set(questions.map((fieldset) => fieldset.dataset.question));
    leftover ||= Object.keys(chosen).some((id) => !known.has(id));
    for (const id of known) {
      const answer = chosen[id] && typeof chosen[id] === "object" ? chosen[id] : {};
      checkbox(id).checked = answer.checked === true;
      notes(id).value = text(answer.notes);
      leftover ||= wrongKind(answer.notes, "string") || wrongKind(answer.checked, "boolean");
    }
    return leftover;
  }

  // ---- Saving on this device ---------------------------------------------------
  const store = new LocalRecord(STORAGE_KEY, { isValid: (record) => isObject(record.preparation) });
  // Why saving is paused, if it is: "other-tab" or "kept-aside" (see audit-page.js).
  let savingPausedBy = null;

  function showSaveFailure(text) {
    saveStatus.textContent = text;
    saveStatus.classList.add("audit-save-status--failed");
    saveStatus.setAttribute("role", "alert");
  }

  function save() {
    if (savingPausedBy === "other-tab") {
      showSaveFailure("Not saved: this preparation was changed in another tab. Choose above which notes to keep.");
      return;
    }
    if (savingPausedBy === "kept-aside") {
      showSaveFailure("Not saved yet: first download the saved notes this page could not use (see above).");
      return;
    }
    const record = store.write({ preparation: preparation() });
    if (!record) {
      showSaveFailure("Your notes could not be saved on this device (the browser's storage may be full "
        + "or turned off, as in some private windows). Download or print the agenda to keep them.");
      return;
    }
    saveStatus.textContent = savedText(record.savedAt);
    saveStatus.classList.remove("audit-save-status--failed");
    saveStatus.removeAttribute("role");
  }

  // ---- Another tab ------------------------------------------------------------------
  watchOtherTabs(store, $("[data-tab-warning]"), {
    what: "meeting preparation",
    things: "notes",
    content: () => ({ preparation: preparation() }),
    pause: () => {
      savingPausedBy = "other-tab";
      save();
    },
    keepMine: () => {
      savingPausedBy = null;
      save();
    },
    apply: (record) => {
      fill(record.preparation);
      savingPausedBy = null;
      saveStatus.textContent = savedText(record.savedAt);
      renderAgenda();
    },
    download: () => download(`${JSON.stringify(preparation(), null, 2)}\n`, "partnership-meeting-notes", "json"),
    downloadLabel: "Download this tab's notes (JSON)",
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
    store.remove();
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
  const found = store.read();
  const leftover = found.status === "ok" && fill(found.record.preparation);
  const guard = guardUnusableRecord(store, found, leftover, {
    banner: $("[data-kept-aside]"),
    what: "notes",
    fileStem: "partnership-meeting-notes",
    onSavingAllowed: () => {
      savingPausedBy = null;
      save();
    },
  });
  if (!guard.savingAllowed) savingPausedBy = "kept-aside";
  if (found.status === "ok") saveStatus.textContent = savedText(found.record.savedAt);
  renderAgenda();

  const engine = new Engine();
  engine.onStateChange((state, message) => {
    showEngineState(engineStatus, state, message, {
      ready: "Ready: you can download the agenda.",
      failed: (reason) => `Downloads of the agenda are not available: ${reason} `
        + "You can still prepare your notes and print the agenda.",
    });
    if (state === "ready") downloadButton.disabled = false;
  });
}

const root = document.getElementById("meeting-app");
if (root) start(root);
