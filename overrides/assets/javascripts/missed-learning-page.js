// The missed-learning calculator: reads the form, asks the Python engine
// (audit_app.missed_learning, via the bridge's `missed_learning`) and shows
// its answer. No arithmetic and no checking happens here: the engine does it
// all, and its problems are shown as they are, each linked to its field.
// Every piece of text goes in through textContent.
import { el, showEngineState } from "./audit/dom.js";
import { Engine } from "./audit/engine.js";
import { LocalRecord, isObject } from "./audit/storage.js";
import { guardUnusableRecord } from "./audit/kept-aside.js";

const STORAGE_KEY = "belonging-audit/missed-learning";
const MODE_FIELDS = { percent: ["percent"], sessions: ["attended", "possible"] };
const ASSUMPTIONS = ["school_days_per_year", "sessions_per_day", "lessons_per_day", "days_so_far", "key_stage_years"];

// A number as the engine writes it in its sentences: 190, 24.7, 1,234.
const show = (value) => Number(value).toLocaleString("en-GB", { maximumFractionDigits: 6 });


function start(root) {
  if (root.dataset.ready) return;
  root.dataset.ready = "true";
  const $ = (selector) => root.querySelector(selector);
  const form = $("#missed-form");
  const field = (key) => form.elements.namedItem(key);
  const summary = $("[data-error-summary]");
  const results = $("[data-results]");
  const engineStatus = $("[data-engine-status]");
  const saveStatus = $("[data-save-status]");
  let calculated = false;

  const mode = () => (form.elements.namedItem("mode").value === "sessions" ? "sessions" : "percent");

  function showMode() {
    root.querySelectorAll("[data-reveal-for]").forEach((reveal) => {
      reveal.hidden = reveal.dataset.revealFor !== mode();
    });
  }

  // What the page keeps: every field as typed (both modes), and whether the
  // figures were worked out, so a reload shows the results again.
  function fieldValues() {
    const values = { mode: mode() };
    for (const key of [...MODE_FIELDS.percent, ...MODE_FIELDS.sessions, ...ASSUMPTIONS]) values[key] = field(key).value;
    return values;
  }

  // What the engine is given: the chosen attendance and the assumptions, as typed.
  function engineInput(values = fieldValues()) {
    const input = {};
    for (const key of [...MODE_FIELDS[values.mode], ...ASSUMPTIONS]) input[key] = values[key];
    return input;
  }

  const store = new LocalRecord(STORAGE_KEY, { isValid: (record) => isObject(record.fields) });
  // False while figures kept on this device that this page could not use
  // wait to be downloaded (they are never overwritten unseen).
  let savingAllowed = true;

  function save() {
    if (!savingAllowed) return;
    if (store.write({ fields: fieldValues(), calculated })) {
      if (saveStatus.dataset.failed) {
        saveStatus.textContent = "";
        delete saveStatus.dataset.failed;
      }
      return;
    }
    saveStatus.dataset.failed = "true";
    saveStatus.textContent = "Your figures could not be kept on this device (the browser's storage may be full "
      + "or turned off), so they will not be here next time. The calculator still works.";
  }

  // Shows kept figures; says whether any had no place on the form (kept aside then).
  function fill(fields) {
    const chosen = fields.mode === "sessions" ? "sessions" : "percent";
    form.querySelector(`input[name=mode][value=${chosen}]`).checked = true;
    let leftover = fields.mode !== undefined && fields.mode !== chosen;
    const known = ["mode", ...MODE_FIELDS.percent, ...MODE_FIELDS.sessions, ...ASSUMPTIONS];
    for (const key of known.slice(1)) {
      if (typeof fields[key] === "string") field(key).value = fields[key];
      else leftover ||= fields[key] !== undefined && fields[key] !== null;
    }
    return leftover || Object.keys(fields).some((key) => !known.includes(key));
  }

  // Whether the kept figures had been worked out (so the results show again).
  function restore() {
    const found = store.read();
    const leftover = found.status === "ok" && fill(found.record.fields);
    savingAllowed = guardUnusableRecord(store, found, leftover, {
      banner: $("[data-kept-aside]"),
      what: "figures",
      fileStem: "missed-learning-figures",
      onSavingAllowed: () => {
        savingAllowed = true;
        save();
      },
    }).savingAllowed;
    return found.status === "ok" && found.record.calculated === true;
  }

  // ---- Problems ----------------------------------------------------------------
  const visibleInputs = () => [...form.querySelectorAll("input[data-label]")].filter((input) => !input.closest("[hidden]"));

  // The engine names the field in its words (its labels are the page's labels):
  // the field whose label comes first in the problem is the one to fix.
  function fieldForProblem(problem) {
    const text = problem.toLowerCase();
    let best = null;
    let bestAt = Infinity;
    for (const input of visibleInputs()) {
      const at = text.indexOf(input.dataset.label.toLowerCase());
      if (at !== -1 && (at < bestAt || (at === bestAt && input.dataset.label.length > best.dataset.label.length))) {
        best = input;
        bestAt = at;
      }
    }
    return best || field(MODE_FIELDS[mode()][0]);
  }

  function clearProblems() {
    summary.hidden = true;
    summary.querySelector("[data-error-list]").replaceChildren();
    form.querySelectorAll("[data-error-for]").forEach((message) => {
      message.hidden = true;
      message.textContent = "";
      const input = field(message.dataset.errorFor);
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", `${input.id}-hint`);
      input.closest(".missed-field").classList.remove("missed-field--error");
    });
  }

  // In the order of the fields on the form (GOV.UK), whatever order the engine checked them in.
  function showProblems(problems) {
    clearProblems();
    const inputs = [...form.querySelectorAll("input[data-label]")];
    const found = problems
      .map((problem, index) => ({ problem, index, input: fieldForProblem(problem) }))
      .sort((a, b) => inputs.indexOf(a.input) - inputs.indexOf(b.input) || a.index - b.index);
    const items = found.map(({ problem, input }) => {
      const message = form.querySelector(`[data-error-for="${input.name}"]`);
      message.textContent = message.textContent ? `${message.textContent} ${problem}` : `Error: ${problem}`;
      message.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", `${input.id}-hint ${message.id}`);
      input.closest(".missed-field").classList.add("missed-field--error");
      const link = el("a", { text: problem });
      link.href = `#${input.id}`;
      const item = el("li");
      item.append(link);
      return item;
    });
    summary.querySelector("[data-error-list]").replaceChildren(...items);
    summary.hidden = false;
    summary.focus();
  }

  // GOV.UK error summary: a link puts the cursor in the field, its label in view.
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    const label = form.querySelector(`label[for="${input.id}"]`);
    (label || input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });

  // ---- Results ------------------------------------------------------------------
  function periodRow(heading, figures, { weeks = true } = {}) {
    const row = el("tr");
    const header = el("th", { text: heading });
    header.scope = "row";
    row.append(
      header,
      el("td", { text: show(figures.days_missed) }),
      el("td", { text: weeks ? show(figures.weeks_missed) : "Not applicable" }),
      el("td", { text: show(figures.sessions_missed) }),
      el("td", { text: `about ${show(figures.lessons_missed)}` }),
    );
    return row;
  }

  function renderResults(result) {
    $("[data-summary]").replaceChildren(...result.summary.map((line) => el("li", { text: line })));
    const rows = [];
    if (result.so_far) {
      rows.push(periodRow(`So far this year (${show(result.so_far.days_possible)} school days)`, result.so_far));
    } else {
      const row = el("tr");
      const header = el("th", { text: "So far this year" });
      header.scope = "row";
      const cell = el("td", { text: "Give the school days so far this year to see this." });
      cell.colSpan = 4;
      row.append(header, cell);
      rows.push(row);
    }
    rows.push(periodRow("An average school week", result.per_week, { weeks: false }));
    rows.push(periodRow(`A full school year (${show(result.full_year.days_possible)} school days)`, result.full_year));
    const years = result.key_stage.years;
    rows.push(periodRow(
      `A ${show(years)}-year key stage (${show(result.key_stage.days_possible)} school days)`,
      result.key_stage,
    ));
    $("[data-table-body]").replaceChildren(...rows);
    $("[data-flags]").replaceChildren(...result.flags.map((flag) => {
      const item = el("li", { className: `missed-flag missed-flag--${flag.applies ? "applies" : "not"}` });
      item.dataset.flag = flag.id;
      const verdict = `${flag.label}: ${flag.applies ? "applies" : "does not apply"} at ${show(result.absence_percent)}% absence.`;
      item.append(el("strong", { text: verdict }), ` ${flag.label} means ${flag.description}.`);
      return item;
    }));
    $("[data-notes]").replaceChildren(...result.notes.map((note) => el("li", { text: note })));
    $("[data-results-stale]").hidden = true;
    results.hidden = false;
  }

  async function calculate({ focus = true } = {}) {
    if (focus && engine.state === "starting") {
      engineStatus.textContent = "Getting the calculator ready. Your figures will be worked out as soon as it is.";
    }
    let result;
    try {
      result = JSON.parse(await engine.call("missed_learning", JSON.stringify(engineInput())));
    } catch (error) {
      result = { ok: false, problems: [`The calculator could not work this out: ${error.message}`] };
    }
    if (!result.ok) {
      results.hidden = true;
      calculated = false;
      save();
      if (focus) showProblems(result.problems);
      return;
    }
    clearProblems();
    renderResults(result);
    calculated = true;
    save();
    if (focus) $("#missed-results-heading").focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    calculate();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "mode") showMode();
  });
  form.addEventListener("input", () => {
    if (calculated) {
      calculated = false;
      $("[data-results-stale]").hidden = results.hidden;
    }
    save();
  });

  $("[data-action=clear]").addEventListener("click", () => {
    store.remove();
    form.reset();
    for (const input of form.querySelectorAll("input[data-label]")) input.value = input.dataset.default || "";
    showMode();
    clearProblems();
    results.hidden = true;
    calculated = false;
    saveStatus.textContent = "Cleared: the figures are no longer kept on this device.";
  });

  // ---- Restore, then start the engine -------------------------------------------
  const showAgain = restore();
  showMode();
  const engine = new Engine();
  engine.onStateChange((state, message) => {
    showEngineState(engineStatus, state, message, {
      ready: "Calculator ready.",
      failed: (reason) => `The calculator is not available in this browser: ${reason}`,
    });
  });
  if (showAgain) calculate({ focus: false });
}

const root = document.getElementById("missed-app");
if (root) start(root);
