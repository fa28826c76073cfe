// The self-audit page: wires the form to storage, the Python engine and the
// downloads. Works from the moment the HTML is parsed; scores join in when
// the engine is ready. No scoring happens here: the engine does it all.
//
// Nothing typed is ever lost in silence: the page says "saved" only after a
// write succeeded, keeps aside any stored answers it cannot show, never lets
// two tabs overwrite each other unasked, and the answers download (JSON)
// works whatever state the engine is in.
import { Engine, problemsIn } from "./audit/engine.js";
import { readAnswers, writeAnswers, ratingOf } from "./audit/form-state.js";
import { LocalRecord, askToPersist, isObject, dayAndTime, forgetValue, recallValue, rememberValue, savedText } from "./audit/storage.js";
import { watchOtherTabs } from "./audit/other-tabs.js";
import { guardUnusableRecord } from "./audit/kept-aside.js";
import { watchTextLimits } from "./audit/text-limits.js";
import { download } from "./audit/downloads.js";
import { fileBytes, tooLarge } from "./audit/files.js";
import { el, isolated, showEngineState, showProblems } from "./audit/dom.js";
import { renderScores, renderPlan, summarise } from "./audit/render.js";

const ANNOUNCE_DELAY_MS = 1200;
// The engine's JSON is the tidiest copy, but the download never waits long
// for it: the page's own copy of the answers is just as complete.
const JSON_EXPORT_WAIT_MS = 3000;


function within(ms, promise) {
  return Promise.race([promise, new Promise((resolve, reject) => setTimeout(() => reject(new Error("timed out")), ms))]);
}

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
  const maxFileBytes = Number(root.dataset.maxFileBytes);
  const store = new LocalRecord(`belonging-audit/${frameworkId}/answers`, { isValid: (record) => isObject(record.answers) });
  const downloadKey = `belonging-audit/${frameworkId}/downloaded-at`;
  const engine = new Engine();
  const $ = (selector) => root.querySelector(selector);
  const engineStatus = $("[data-engine-status]");
  const saveStatus = $("[data-save-status]");
  const toolsMessage = $("[data-tools-message]");
  // Why saving is paused, if it is: "other-tab" (this audit changed in another
  // tab) or "kept-aside" (stored answers this page could not keep aside).
  let savingPausedBy = null;
  let announceTimer = null;

  const answers = () => readAnswers(form, header);

  // ---- Engine status -----------------------------------------------------
  engine.onStateChange((state, message) => {
    showEngineState(engineStatus, state, message, {
      ready: "Scoring engine ready. Scores update as you rate statements.",
      failed: (reason) => `Scores and plan downloads are not available: ${reason} `
        + "You can still answer, and download your answers (JSON).",
    });
    if (state !== "ready") return;
    performance.mark("audit:engine-ready");
    root.querySelectorAll("[data-action=export], [data-action=import]").forEach((control) => { control.disabled = false; });
    refresh().then(() => engine.prepareExcel());
  });

  // ---- Scores and plan -----------------------------------------------------
  // Performance marks and measures ("audit:*") let `make bench` time the
  // page as users meet it; they cost nothing and send nothing anywhere.
  async function refresh({ announce = false } = {}) {
    if (engine.state !== "ready") return;
    const started = performance.now();
    let result;
    try {
      result = JSON.parse(await engine.call("score_and_plan", JSON.stringify(answers()), frameworkId));
    } catch (error) {
      result = { ok: false, problems: [error.message] };
    }
    if (!result.ok) {
      if (engine.state === "ready") engineStatus.textContent = `Scores could not be updated: ${result.problems.join(" ")}`;
      return;
    }
    renderScores(root, result.score);
    renderPlan(root, result.plan);
    performance.measure("audit:score-round-trip", { start: started });
    if (!performance.getEntriesByName("audit:first-score").length) performance.mark("audit:first-score");
    if (announce) {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => { $("[data-score-announcer]").textContent = summarise(result.score); }, ANNOUNCE_DELAY_MS);
    }
  }

  // ---- Saving on this device ---------------------------------------------
  function showSaveFailure(text) {
    saveStatus.textContent = text;
    saveStatus.classList.add("audit-save-status--failed");
    saveStatus.setAttribute("role", "alert");
  }

  // Says whether the answers are now saved on this device.
  function save() {
    if (savingPausedBy === "other-tab") {
      showSaveFailure("Not saved: this audit was changed in another tab. Choose above which answers to keep.");
      return false;
    }
    if (savingPausedBy === "kept-aside") {
      showSaveFailure("Not saved yet: first download the saved answers this page could not use (see above).");
      return false;
    }
    const record = store.write({ answers: answers() });
    if (!record) {
      showSaveFailure("Your answers could not be saved on this device (the browser's storage may be full "
        + "or turned off, as in some private windows). Download your answers (JSON) to keep them.");
      return false;
    }
    saveStatus.textContent = savedText(record.savedAt);
    saveStatus.classList.remove("audit-save-status--failed");
    saveStatus.removeAttribute("role");
    return true;
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
    const when = dayAndTime(iso);
    $("[data-download-status]").textContent = when
      ? `You last downloaded a copy on ${when}.`
      : "You have not downloaded a copy yet.";
  }

  // The engine is asked first, so Python scores while this page saves.
  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("fieldset.statement");
    if (event.target.type === "radio" && fieldset) {
      refresh({ announce: true });
      showActionFields(fieldset);
    } else if (event.target.name === "details.setting") {
      refresh({ announce: true });
      showPartsForSetting();
    } else {
      refresh();
    }
    save();
  });
  // Typing saves as you go (a crash loses at most the current keystroke).
  form.addEventListener("input", (event) => {
    if (event.target.type !== "radio") save();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  watchTextLimits(form);

  // ---- Another tab --------------------------------------------------------
  watchOtherTabs(store, $("[data-tab-warning]"), {
    what: "audit",
    things: "answers",
    content: () => ({ answers: answers() }),
    pause: () => {
      savingPausedBy = "other-tab";
      save();
    },
    keepMine: () => {
      savingPausedBy = null;
      save();
    },
    apply: (record) => {
      writeAnswers(form, record.answers);
      showAnswerDependentParts();
      savingPausedBy = null;
      saveStatus.textContent = savedText(record.savedAt);
      refresh();
    },
    download: () => downloadAnswers(),
    downloadLabel: "Download this tab's answers (JSON)",
  });

  // ---- Buttons ------------------------------------------------------------
  async function downloadAnswers() {
    const typed = answers();
    let content = `${JSON.stringify(typed, null, 2)}\n`;
    if (engine.state === "ready") {
      try {
        const exported = await within(JSON_EXPORT_WAIT_MS, engine.call("export", JSON.stringify(typed), "json", frameworkId));
        if (!problemsIn(exported)) content = exported;
      } catch (error) {
        // The page's own copy holds every answer; it is downloaded instead.
      }
    }
    download(content, `${fileStem}-answers`, "json");
    const when = new Date().toISOString();
    rememberValue(downloadKey, when);
    showDownloaded(when);
  }

  function showToolsMessage(text) {
    toolsMessage.textContent = text;
    toolsMessage.hidden = false;
  }

  // The button stays enabled (and focused) while the plan is made: disabling
  // it would drop keyboard focus to the page. A second press is ignored.
  async function exportPlan(button) {
    if (button.getAttribute("aria-disabled") === "true") return;
    const format = button.dataset.format;
    const label = button.textContent;
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Preparing…";
    toolsMessage.hidden = true;
    const started = performance.now();
    try {
      const content = await engine.call("export", JSON.stringify(answers()), format, frameworkId);
      const problems = problemsIn(content);
      if (problems) {
        showToolsMessage(`The plan could not be made: ${problems.join(" ")}`);
      } else {
        performance.measure(`audit:export-${format}`, { start: started });
        download(content, `${fileStem}-plan`, format);
      }
    } catch (error) {
      showToolsMessage(`The plan could not be made: ${error.message} You can still download your answers (JSON).`);
    } finally {
      button.removeAttribute("aria-disabled");
      button.textContent = label;
    }
  }

  function clearAll() {
    const sure = window.confirm("Clear all answers from this device? This cannot be undone. "
      + "If you want to keep them, cancel and download your answers first.");
    if (!sure) return;
    store.remove();
    forgetValue(downloadKey);
    form.reset();
    showAnswerDependentParts();
    saveStatus.textContent = "All answers cleared from this device.";
    showDownloaded(null);
    refresh();
  }

  // Where the opened answers stand, said truthfully.
  function importedText(saved) {
    if (saved) return " are now open here and saved on this device.";
    if (savingPausedBy === "other-tab") {
      return " are open in this tab but not saved on this device, because this audit was also changed in another "
        + "tab: choose above which answers to keep.";
    }
    if (savingPausedBy === "kept-aside") {
      return " are open here, but not saved on this device until you download the saved answers this page could "
        + "not use (see above).";
    }
    return " are open here, but could not be saved on this device (the browser's storage may be full or turned "
      + "off). Download your answers (JSON) to keep them.";
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
    const large = tooLarge(file, maxFileBytes);
    if (large) {
      outcome = { ok: false, problems: [large] };
    } else {
      try {
        // Bytes, not text: the engine checks the encoding, so nothing is changed unseen.
        outcome = JSON.parse(await engine.call("load_saved", await fileBytes(file), frameworkId));
      } catch (error) {
        outcome = { ok: false, problems: [`The file could not be checked: ${error.message}`] };
      }
    }
    if (!outcome.ok) {
      showProblems(summary, outcome.problems);
      return;
    }
    writeAnswers(form, outcome.audit);
    showAnswerDependentParts();
    const saved = save();
    await refresh();
    const notices = outcome.notices || [];
    success.replaceChildren(
      el("p", {}, "Answers from ", isolated(file.name), importedText(saved)),
      notices.length ? el("ul", {}, ...notices.map((text) => el("li", { text }))) : null,
    );
    success.classList.toggle("audit-banner--warning", !saved);
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
    let id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      // A malformed link (e.g. "#%"): look for the id as written.
    }
    const target = id && document.getElementById(id);
    if (target && root.contains(target)) {
      target.classList.add("is-linked");
      target.focus({ preventScroll: false });
    }
  }
  window.addEventListener("hashchange", focusTarget);

  // ---- Restore ------------------------------------------------------------
  const found = store.read();
  const leftover = found.status === "ok" && writeAnswers(form, found.record.answers).length > 0;
  const guard = guardUnusableRecord(store, found, leftover, {
    banner: $("[data-kept-aside]"),
    what: "answers",
    fileStem,
    onSavingAllowed: () => {
      savingPausedBy = null;
      save();
    },
  });
  if (!guard.savingAllowed) savingPausedBy = "kept-aside";
  if (found.status === "ok") saveStatus.textContent = savedText(found.record.savedAt);
  showAnswerDependentParts();
  showDownloaded(recallValue(downloadKey));
  askToPersist();
  focusTarget();
  performance.mark("audit:form-usable");
}

// Instant navigation is off (see mkdocs.yml), so every visit is a full page
// load and this runs once per page; start() is idempotent all the same.
const root = document.getElementById("audit-app");
if (root) start(root);
