// The self-audit page: wires the form to the audits kept on this device
// (IndexedDB, audit/history.js), the Python engine and the downloads. Works
// from the moment the HTML is parsed; scores join in when the engine is
// ready. No scoring happens here: the engine does it all.
//
// Nothing typed is ever lost in silence: the page says "saved" only after a
// write succeeded, keeps aside any stored answers it cannot show, never lets
// two tabs overwrite each other unasked, and the answers download (JSON)
// works whatever state the engine is in.
//
// The list of audits (audit/history-panel.js) and the trend with the report
// for governors (audit/trend-panel.js) share this page's state through the
// `page` object below.
import { Engine, problemsIn } from "./audit/engine.js";
import { readAnswers, writeAnswers, ratingOf } from "./audit/form-state.js";
import { askToPersist, dayAndTime, recallValue, rememberValue, savedText } from "./audit/storage.js";
import { AuditHistory, historyChannel, openAuditMemory } from "./audit/history.js";
import { migrateSingleAudit, singleAuditRecord } from "./audit/migrate.js";
import { renderHistory } from "./audit/history-view.js";
import { historyPanel } from "./audit/history-panel.js";
import { trendPanel } from "./audit/trend-panel.js";
import { watchOtherTabs } from "./audit/other-tabs.js";
import { showKeptAsideNotice } from "./audit/kept-aside.js";
import { watchTextLimits } from "./audit/text-limits.js";
import { download } from "./audit/downloads.js";
import { showEngineState } from "./audit/dom.js";
import { renderScores, renderPlan, summarise } from "./audit/render.js";

const ANNOUNCE_DELAY_MS = 1200;
// The engine's JSON is the tidiest copy, but the download never waits long
// for it: the page's own copy of the answers is just as complete.
const JSON_EXPORT_WAIT_MS = 3000;
// Buttons whose work waits on the engine: they say "Preparing…" meanwhile.
const SLOW_ACTIONS = new Set(["export", "new-copy", "download-all", "governors-print", "governors-export", "trend-export"]);

function within(ms, promise) {
  return Promise.race([promise, new Promise((resolve, reject) => setTimeout(() => reject(new Error("timed out")), ms))]);
}

async function start(root) {
  if (root.dataset.ready) return;
  root.dataset.ready = "true";
  const $ = (selector) => root.querySelector(selector);
  const form = $("#audit-form");
  const frameworkId = root.dataset.frameworkId;
  const header = { schema: root.dataset.savedSchema, framework: { id: frameworkId, version: root.dataset.frameworkVersion } };
  const downloadKey = `belonging-audit/${frameworkId}/downloaded-at`;
  const openMemory = openAuditMemory(frameworkId);
  const engineStatus = $("[data-engine-status]");
  const saveStatus = $("[data-save-status]");
  const toolsMessage = $("[data-tools-message]");
  let announceTimer = null;

  const page = {
    root,
    form,
    header,
    frameworkId,
    fileStem: root.dataset.fileStem,
    maxFileBytes: Number(root.dataset.maxFileBytes),
    history: new AuditHistory(frameworkId),
    channel: historyChannel(frameworkId),
    engine: new Engine(),
    // The audits on this device (their index, oldest first), and the one open here.
    audits: [],
    openId: null,
    // False where the browser refuses to keep anything (storage turned off).
    storageWorks: true,
    // Why saving is paused, if it is: "other-tab" (this audit changed in
    // another tab) or "kept-aside" (stored answers that could not be kept aside).
    savingPausedBy: null,
    answers: () => readAnswers(form, header),
    openAudit: () => page.audits.find((audit) => audit.id === page.openId) || null,
    whenSaved: () => saving || Promise.resolve(true),
  };
  const { history, channel, engine } = page;

  // ---- Engine status -----------------------------------------------------
  engine.onStateChange((state, message) => {
    showEngineState(engineStatus, state, message, {
      ready: "Scoring engine ready. Scores update as you rate statements.",
      failed: (reason) => `Scores and plan downloads are not available: ${reason} `
        + "You can still answer, and download your answers (JSON).",
    });
    if (state !== "ready") return;
    performance.mark("audit:engine-ready");
    root.querySelectorAll("[data-action=export], [data-action=import], [data-action=new-copy], [data-action=download-all]")
      .forEach((control) => { control.disabled = false; });
    refresh().then(() => {
      page.trend.update();
      engine.prepareExcel();
    });
  });

  // ---- Scores and plan -----------------------------------------------------
  // Performance marks and measures ("audit:*") let `make bench` time the
  // page as users meet it; they cost nothing and send nothing anywhere.
  async function refresh({ announce = false } = {}) {
    if (engine.state !== "ready") return;
    const started = performance.now();
    let result;
    try {
      result = JSON.parse(await engine.call("score_and_plan", JSON.stringify(page.answers()), frameworkId));
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
    keepScoreInList(result.score.overall);
  }

  // The list shows each audit's last score without starting Python.
  function keepScoreInList(overall) {
    const audit = page.openAudit();
    if (!audit || !page.storageWorks) return;
    const score = { percent: overall.percent, band_label: overall.band_label, rated: overall.rated, total: overall.total };
    if (JSON.stringify(audit.score) === JSON.stringify(score)) return;
    audit.score = score;
    history.setScore(audit.id, score).then(() => {
      showList();
      channel?.postMessage({ type: "list-changed" });
    }, () => { /* the score is on the page; the list catches up later */ });
  }

  // ---- Saving on this device ---------------------------------------------
  function showSaveFailure(text) {
    saveStatus.textContent = text;
    saveStatus.classList.add("audit-save-status--failed");
    saveStatus.setAttribute("role", "alert");
  }

  function showSaved(savedAt) {
    saveStatus.textContent = savedText(savedAt);
    saveStatus.classList.remove("audit-save-status--failed");
    saveStatus.removeAttribute("role");
  }

  // One write at a time, each of the answers as they are by then, so a burst
  // of typing costs a few writes, never an out-of-date one last. With no
  // audit open yet (or the open one deleted elsewhere), the first answer
  // starts a new audit, so nothing typed is ever without a home.
  let saving = null;
  let saveAgain = false;

  async function writeOnce() {
    const answers = page.answers();
    if (page.openAudit()) return history.save(page.openId, answers);
    const created = await history.create({ answers });
    page.openId = created.id;
    openMemory.set(created.id);
    page.audits = await history.list();
    showList();
    channel?.postMessage({ type: "list-changed" });
    return { saved_at: created.updated_at };
  }

  // Resolves to whether the answers are now saved on this device.
  function save() {
    if (page.savingPausedBy === "other-tab") {
      showSaveFailure("Not saved: this audit was changed in another tab. Choose above which answers to keep.");
      return Promise.resolve(false);
    }
    if (page.savingPausedBy === "kept-aside") {
      showSaveFailure("Not saved yet: first download the saved answers this page could not use (see above).");
      return Promise.resolve(false);
    }
    if (!page.storageWorks) {
      showSaveFailure("Your answers cannot be kept on this device (this browser is not letting the site store "
        + "anything, as in some private windows). Download your answers (JSON) to keep them.");
      return Promise.resolve(false);
    }
    if (saving) {
      saveAgain = true;
      return saving;
    }
    saving = (async () => {
      let saved;
      saveStatus.setAttribute("aria-busy", "true");
      do {
        saveAgain = false;
        try {
          const record = await writeOnce();
          showSaved(record.saved_at);
          channel?.postMessage({ type: "saved", id: page.openId, tabId: history.tabId });
          saved = true;
        } catch (error) {
          showSaveFailure("Your answers could not be saved on this device (the browser's storage may be full "
            + "or turned off, as in some private windows). Download your answers (JSON) to keep them.");
          saved = false;
        }
      } while (saveAgain && saved);
      saving = null;
      saveStatus.removeAttribute("aria-busy");
      page.trend.schedule();
      return saved;
    })();
    return saving;
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

  // ---- Showing answers -----------------------------------------------------
  function showAnswers(answers) {
    const leftover = writeAnswers(form, answers).length > 0;
    showAnswerDependentParts();
    refresh();
    return leftover;
  }

  // Opens an audit kept here. Answers the form has no place for are kept
  // aside first, exactly as they were, so the next save cannot drop them.
  async function showAudit(id) {
    const record = await history.get(id);
    if (!record) return false;
    page.openId = id;
    openMemory.set(id);
    const leftover = showAnswers(record.answers);
    showSaved(record.saved_at);
    if (leftover) await keepAside(JSON.stringify(record.answers), "leftover");
    showList();
    return true;
  }

  // A blank form, with no audit open: the next answer starts a new one.
  function startBlank() {
    page.openId = null;
    form.reset();
    showAnswers(header);
    saveStatus.textContent = "Not saved yet.";
  }

  async function keepAside(raw, reason) {
    const keptNow = await history.keepAside(raw);
    if (!keptNow) page.savingPausedBy = "kept-aside";
    await showKeptAside({ reason, keptNow, raw });
  }

  async function showKeptAside({ reason = null, keptNow = true, raw = null } = {}) {
    const entries = keptNow ? await history.keptAside() : [{ raw, keptAt: new Date().toISOString() }];
    if (!entries.length) return;
    showKeptAsideNotice($("[data-kept-aside]"), {
      entries,
      reason,
      keptNow,
      what: "answers",
      fileStem: page.fileStem,
      onDownloaded: () => {
        page.savingPausedBy = null;
        save();
      },
      onRemove: () => history.removeKeptAside(),
    });
  }

  function showList() {
    if (!page.storageWorks) return;
    renderHistory(root, page.audits, page.openId);
    if (!performance.getEntriesByName("audit:list-shown").length) performance.mark("audit:list-shown");
  }

  // ---- Another tab --------------------------------------------------------
  // A save of the audit open here pauses this tab (audit/other-tabs.js); any
  // other change to the list just redraws it.
  const thisAuditElsewhere = {
    listeners: [],
    onChangeElsewhere(listener) { this.listeners.push(listener); },
    async read() {
      const record = page.openId && await history.get(page.openId);
      return record ? { status: "ok", record: { answers: record.answers, savedAt: record.saved_at } } : { status: "empty" };
    },
  };
  watchOtherTabs(thisAuditElsewhere, $("[data-tab-warning]"), {
    what: "audit",
    things: "answers",
    content: () => ({ answers: page.answers() }),
    pause: () => {
      page.savingPausedBy = "other-tab";
      save();
    },
    keepMine: () => {
      page.savingPausedBy = null;
      save();
    },
    apply: (record) => {
      showAnswers(record.answers);
      page.savingPausedBy = null;
      showSaved(record.savedAt);
    },
    download: () => downloadAnswersOf(page.answers()),
    downloadLabel: "Download this tab's answers (JSON)",
  });
  channel?.addEventListener("message", async ({ data }) => {
    if (data.type === "saved" && data.id === page.openId && data.tabId !== history.tabId) {
      const latest = await thisAuditElsewhere.read();
      if (latest.status === "ok") thisAuditElsewhere.listeners.forEach((listener) => listener(latest.record));
      return;
    }
    if (data.type === "deleted" && data.id === page.openId) {
      page.openId = null;
      $("[data-history-announcer]").textContent = "This audit was deleted in another tab or window. Its answers "
        + "are still on this page: your next answer keeps them as a new audit, or download them.";
    }
    try {
      page.audits = await history.list();
    } catch (error) {
      return;
    }
    showList();
    page.trend.schedule(0);
  });

  // ---- Downloads ------------------------------------------------------------
  async function downloadAnswersOf(answers) {
    let content = `${JSON.stringify(answers, null, 2)}\n`;
    if (engine.state === "ready") {
      try {
        const exported = await within(JSON_EXPORT_WAIT_MS, engine.call("export", JSON.stringify(answers), "json", frameworkId));
        if (!problemsIn(exported)) content = exported;
      } catch (error) {
        // The page's own copy holds every answer; it is downloaded instead.
      }
    }
    download(content, `${page.fileStem}-answers`, "json");
    const when = new Date().toISOString();
    rememberValue(downloadKey, when);
    showDownloaded(when);
  }

  function showDownloaded(iso) {
    const when = dayAndTime(iso);
    $("[data-download-status]").textContent = when
      ? `You last downloaded a copy on ${when}.`
      : "You have not downloaded a copy yet.";
  }

  function showToolsMessage(text) {
    toolsMessage.textContent = text;
    toolsMessage.hidden = false;
  }

  async function exportPlan(format) {
    const started = performance.now();
    const content = await engine.call("export", JSON.stringify(page.answers()), format, frameworkId);
    const problems = problemsIn(content);
    if (problems) {
      showToolsMessage(`The plan could not be made: ${problems.join(" ")}`);
      return;
    }
    performance.measure(`audit:export-${format}`, { start: started });
    download(content, `${page.fileStem}-plan`, format);
  }

  // The button stays enabled (and focused) while the file is made: disabling
  // it would drop keyboard focus to the page. A second press is ignored.
  async function busy(button, work, failure = "That could not be done") {
    if (button.getAttribute("aria-disabled") === "true") return;
    const label = button.textContent;
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Preparing…";
    toolsMessage.hidden = true;
    try {
      await work();
    } catch (error) {
      showToolsMessage(`${failure}: ${error.message} You can still download your answers (JSON).`);
    } finally {
      button.removeAttribute("aria-disabled");
      button.textContent = label;
    }
  }

  Object.assign(page, { save, refresh, showAudit, showAnswers, startBlank, showList, showToolsMessage, downloadAnswersOf });
  page.trend = trendPanel(page);
  const panels = [historyPanel(page), page.trend];

  // ---- Clicks --------------------------------------------------------------
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const { action } = button.dataset;
    const work = action === "download-json" ? () => downloadAnswersOf(page.answers())
      : action === "export" ? () => exportPlan(button.dataset.format)
        : action === "print" ? () => window.print()
          : button.classList.contains("audit-copy-link") ? () => copyStatementLink(button)
            : panels.map((panel) => panel.actionFor(button)).find(Boolean);
    if (!work) return;
    if (SLOW_ACTIONS.has(action)) busy(button, work, action === "export" ? "The plan could not be made" : undefined);
    else work();
  });

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
    let target = location.hash.slice(1);
    try {
      target = decodeURIComponent(target);
    } catch (error) {
      // A malformed link (e.g. "#%"): look for the id as written.
    }
    const element = target && document.getElementById(target);
    if (element && root.contains(element)) {
      element.classList.add("is-linked");
      element.focus({ preventScroll: false });
    }
  }
  window.addEventListener("hashchange", focusTarget);

  // ---- Restore ------------------------------------------------------------
  // The form waits (inert) for the few milliseconds it takes to read the
  // history, so nothing typed meanwhile is overwritten by the restore. The
  // audit this tab had open comes back; in a new tab, the latest one saved.
  form.inert = true;
  try {
    const migrated = await migrateSingleAudit(history, frameworkId);
    page.audits = await history.list();
    const wanted = openMemory.get();
    const latest = [...page.audits].sort((a, b) => String(a.updated_at).localeCompare(String(b.updated_at))).pop();
    const chosen = page.audits.some((audit) => audit.id === wanted) ? wanted : latest?.id;
    if (!migrated.keptNow) {
      page.savingPausedBy = "kept-aside";
      await showKeptAside({ reason: "unreadable", keptNow: false, raw: migrated.raw });
    }
    if (!chosen || !(await showAudit(chosen))) showList();
    if (migrated.keptNow && $("[data-kept-aside]").hidden) {
      await showKeptAside({ reason: migrated.status === "unreadable" ? "unreadable" : null });
    }
  } catch (error) {
    // Storage turned off or full: answers an earlier version kept are shown
    // (and stay where they are), and the page works without keeping anything.
    page.storageWorks = false;
    const earlier = singleAuditRecord(frameworkId).read();
    if (earlier.status === "ok") showAnswers(earlier.record.answers);
    $("[data-history]").hidden = false;
    $("[data-history-empty]").textContent = "This browser is not letting this site keep audits on this device "
      + "(its storage may be full, or turned off as in some private windows). You can still answer, see scores "
      + "and download your answers (JSON).";
    showSaveFailure("Not saved: this browser is not letting the site keep anything on this device. "
      + "Download your answers (JSON) to keep them.");
  }
  form.inert = false;
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
