// The self-audit page: wires the form to storage, the Python engine and the
// downloads. Works from the moment the HTML is parsed; scores join in when
// the engine is ready. No scoring happens here: the engine does it all.
import { Engine, startWorker } from "./audit/engine.js";
import { readAnswers, writeAnswers, ratingOf } from "./audit/form-state.js";
import { AnswerStore, timeOfDay, dayAndTime } from "./audit/storage.js";
import { download } from "./audit/downloads.js";
import { showProblems } from "./audit/dom.js";
import { renderScores, renderPlan, summarise } from "./audit/render.js";

const ANNOUNCE_DELAY_MS = 1200;

function start(root) {
  if (root.dataset.ready) return;
  root.dataset.ready = "true";
  const form = root.querySelector("#audit-form");
  const header = {
    schema: root.dataset.savedSchema,
    framework: { id: root.dataset.frameworkId, version: root.dataset.frameworkVersion },
  };
  const frameworkId = root.dataset.frameworkId;
  const fileStem = root.dataset.fileStem;
  const store = new AnswerStore(frameworkId);
  const engine = new Engine(startWorker());
  const $ = (selector) => root.querySelector(selector);
  let savingPaused = false;
  let announceTimer = null;

  const answers = () => readAnswers(form, header);

  // ---- Engine status -----------------------------------------------------
  const engineStatus = $("[data-engine-status]");
  engine.onStateChange((state, message) => {
    if (state === "starting") return;
    if (state === "ready") {
      performance.mark("audit:engine-ready");
      engineStatus.textContent = "Scoring engine ready. Scores update as you rate statements.";
      root.querySelectorAll("[data-action=export], [data-action=import]").forEach((control) => { control.disabled = false; });
      refresh().then(() => engine.prepareExcel());
    } else {
      engineStatus.classList.add("audit-banner--warning");
      engineStatus.textContent = `Scores and plan downloads are not available: ${message} `
        + "Your answers are still saved on this device, and you can still download them (JSON).";
    }
  });

  // ---- Scores and plan -----------------------------------------------------
  // Performance marks and measures ("audit:*") let `make bench` time the
  // page as users meet it; they cost nothing and send nothing anywhere.
  async function refresh({ announce = false } = {}) {
    if (engine.state !== "ready") return;
    const started = performance.now();
    const json = JSON.stringify(answers());
    try {
      const { score: scoreData, plan } = JSON.parse(await engine.call("score_and_plan", json, frameworkId));
      renderScores(root, scoreData);
      renderPlan(root, plan);
      performance.measure("audit:score-round-trip", { start: started });
      if (!performance.getEntriesByName("audit:first-score").length) performance.mark("audit:first-score");
      if (announce) {
        clearTimeout(announceTimer);
        announceTimer = setTimeout(() => { $("[data-score-announcer]").textContent = summarise(scoreData); }, ANNOUNCE_DELAY_MS);
      }
    } catch (error) {
      engineStatus.textContent = `Scores could not be updated: ${error.message}`;
    }
  }

  // ---- Saving on this device ---------------------------------------------
  const saveStatus = $("[data-save-status]");
  function save() {
    if (savingPaused) return;
    try {
      const record = store.save(answers());
      saveStatus.textContent = `Saved on this device at ${timeOfDay(record.savedAt)}.`;
      saveStatus.classList.remove("audit-save-status--failed");
    } catch (error) {
      saveStatus.textContent = "Your answers could not be saved on this device (the browser's storage may be full "
        + "or turned off, as in some private windows). Download your answers (JSON) to keep them.";
      saveStatus.classList.add("audit-save-status--failed");
      saveStatus.setAttribute("role", "alert");
    }
  }

  function showActionFields(fieldset) {
    const rating = ratingOf(fieldset);
    const actions = fieldset.querySelector(".statement__actions");
    actions.hidden = !actions.dataset.showsFor.split(" ").includes(rating);
  }

  // Frameworks with settings (a school, an early years setting) show only
  // the parts for the chosen one; answers elsewhere are kept, not cleared.
  function showPartsForSetting() {
    const setting = form.elements["details.setting"]?.value || "";
    for (const part of root.querySelectorAll("[data-applies-to]")) {
      part.hidden = setting !== "" && !part.dataset.appliesTo.split(" ").includes(setting);
    }
  }

  function showAnswerDependentParts() {
    form.querySelectorAll("fieldset.statement").forEach(showActionFields);
    showPartsForSetting();
  }

  function showDownloaded(iso) {
    $("[data-download-status]").textContent = iso
      ? `You last downloaded a copy on ${dayAndTime(iso)}.`
      : "You have not downloaded a copy yet.";
  }

  form.addEventListener("change", (event) => {
    save();
    const fieldset = event.target.closest("fieldset.statement");
    if (event.target.type === "radio" && fieldset) {
      showActionFields(fieldset);
      refresh({ announce: true });
    } else if (event.target.name === "details.setting") {
      showPartsForSetting();
      refresh({ announce: true });
    } else {
      refresh();
    }
  });
  // Typing saves as you go (a crash loses at most the current keystroke).
  form.addEventListener("input", (event) => {
    if (event.target.type !== "radio") save();
  });
  form.addEventListener("submit", (event) => event.preventDefault());

  // ---- Another tab --------------------------------------------------------
  const tabWarning = $("[data-tab-warning]");
  store.onChangeElsewhere((record) => {
    savingPaused = true;
    tabWarning.replaceChildren();
    const text = document.createElement("p");
    text.textContent = `This audit was changed in another tab or window at ${timeOfDay(record.savedAt)}. `
      + "So that neither copy overwrites the other, this tab has stopped saving.";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.textContent = "Load the latest answers and keep going here";
    button.addEventListener("click", () => {
      const latest = store.load();
      if (latest) writeAnswers(form, latest.answers);
      showAnswerDependentParts();
      savingPaused = false;
      tabWarning.hidden = true;
      save();
      refresh();
    });
    tabWarning.append(text, button);
    tabWarning.hidden = false;
  });

  // ---- Buttons ------------------------------------------------------------
  async function downloadAnswers() {
    let content = JSON.stringify(answers(), null, 2);
    if (engine.state === "ready") {
      try { content = await engine.call("export", content, "json", frameworkId); } catch (error) { /* keep the raw copy */ }
    }
    download(content, `${fileStem}-answers`, "json");
    showDownloaded(store.markDownloaded());
  }

  // The button stays enabled (and focused) while the plan is made: disabling
  // it would drop keyboard focus to the page. A second press is ignored.
  async function exportPlan(button) {
    if (button.getAttribute("aria-disabled") === "true") return;
    const format = button.dataset.format;
    const label = button.textContent;
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Preparing…";
    const started = performance.now();
    try {
      const content = await engine.call("export", JSON.stringify(answers()), format, frameworkId);
      performance.measure(`audit:export-${format}`, { start: started });
      download(content, `${fileStem}-plan`, format);
    } catch (error) {
      engineStatus.textContent = `The plan could not be made: ${error.message}`;
    } finally {
      button.removeAttribute("aria-disabled");
      button.textContent = label;
    }
  }

  function clearAll() {
    const sure = window.confirm("Clear all answers from this device? This cannot be undone. "
      + "If you want to keep them, cancel and download your answers first.");
    if (!sure) return;
    store.clear();
    form.reset();
    showAnswerDependentParts();
    saveStatus.textContent = "All answers cleared from this device.";
    showDownloaded(null);
    refresh();
  }

  async function importFile(input) {
    const file = input.files[0];
    input.value = "";
    if (!file) return;
    const summary = $("[data-error-summary]");
    const success = $("[data-import-success]");
    summary.hidden = true;
    success.hidden = true;
    let outcome;
    try {
      outcome = JSON.parse(await engine.call("load_saved", await file.text(), frameworkId));
    } catch (error) {
      outcome = { ok: false, problems: [`The file could not be checked: ${error.message}`] };
    }
    if (!outcome.ok) {
      showProblems(summary, outcome.problems);
      return;
    }
    writeAnswers(form, outcome.audit);
    showAnswerDependentParts();
    save();
    await refresh();
    const notices = (outcome.notices || []).join(" ");
    success.textContent = `Answers from ${file.name} are now open here and saved on this device. ${notices}`.trim();
    success.hidden = false;
    success.focus();
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "download-json") downloadAnswers();
    else if (action === "export") exportPlan(button);
    else if (action === "print") window.print();
    else if (action === "clear") clearAll();
    else if (button.classList.contains("audit-copy-link")) copyStatementLink(button);
  });
  $("[data-action=import]").addEventListener("change", (event) => importFile(event.target));

  async function copyStatementLink(button) {
    const url = new URL(`#${button.dataset.target}`, location.href).href;
    const announcer = $("[data-score-announcer]");
    try {
      await navigator.clipboard.writeText(url);
      announcer.textContent = "Link to this statement copied.";
    } catch (error) {
      announcer.textContent = `Could not copy automatically. The link is ${url}`;
    }
  }

  // ---- Deep links: /audit/#<statement id> ----------------------------------
  function focusTarget() {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && root.contains(target)) {
      target.classList.add("is-linked");
      target.focus({ preventScroll: false });
    }
  }
  window.addEventListener("hashchange", focusTarget);

  // ---- Restore ------------------------------------------------------------
  const saved = store.load();
  if (saved) {
    writeAnswers(form, saved.answers);
    saveStatus.textContent = `Saved on this device at ${timeOfDay(saved.savedAt)}.`;
  }
  showAnswerDependentParts();
  showDownloaded(store.lastDownloaded());
  store.askToPersist();
  focusTarget();
  performance.mark("audit:form-usable");
}

// Instant navigation is off (see mkdocs.yml), so every visit is a full page
// load and this runs once per page; start() is idempotent all the same.
const root = document.getElementById("audit-app");
if (root) start(root);
