// Compare two audits: a baseline and a later review, each picked from the
// audits kept on this device (audit/history-picks.js) or chosen as a saved
// file. The engine (audit_app.compare, in the Python worker) does all the
// comparing; this page shows its answer, and every piece of text from a file
// or an audit goes in through textContent. The two choices are kept in this
// browser so a reload shows the comparison again (a file's text; for an
// audit on this device, its id and name, its answers read again from the
// history); "Clear" forgets them.
import { Engine, problemsIn } from "./audit/engine.js";
import { download } from "./audit/downloads.js";
import { LocalRecord, isObject } from "./audit/storage.js";
import { el, isolate, isolated, showEngineState, showProblems } from "./audit/dom.js";
import { readFiles } from "./audit/files.js";
import { guardUnusableRecord } from "./audit/kept-aside.js";
import { HistoryPicks, fillAuditChoices } from "./audit/history-picks.js";
import { scrollSideways } from "./table-scroll.js";

const SIDES = ["baseline", "review"];
const SIDE_NAMES = { baseline: "The baseline", review: "The review" };
const DETAIL_ROWS = [
  ["school", "School or setting"],
  ["date", "Date of the audit"],
  ["completed_by", "Completed by"],
];
const MOVEMENT_ORDER = ["improved", "worse", "unchanged", "newly-rated", "no-longer-rated", "not-rated"];
const MOVEMENT_WORDS = {
  improved: "improved",
  worse: "worse",
  unchanged: "unchanged",
  "newly-rated": "newly rated",
  "no-longer-rated": "no longer rated",
  "not-rated": "not rated in either",
};

// ---- Words for numbers (the same words in the table, the summary and the tests) ----

function scoreText(metrics) {
  return metrics.percent === null ? "Not yet rated" : `${metrics.percent}% (${metrics.band_label})`;
}

function changeText(change) {
  if (change === null || change === undefined) return "Not comparable";
  if (change > 0) return `Up ${change}`;
  if (change < 0) return `Down ${-change}`;
  return "No change";
}

function ratedText(metrics, coverage) {
  return `${metrics.rated} of ${metrics.total} (${coverage}%)`;
}

function movementText(statement) {
  const { movement, movement_label: label } = statement;
  if (movement === "improved" || movement === "worse") {
    return `${label} (${statement.baseline_rating_label} to ${statement.review_rating_label})`;
  }
  return label;
}

function ratingTag(rating, label) {
  return el("span", { className: `rag-tag rag-tag--${rating || "unrated"}`, text: label });
}

// ---- The choices ------------------------------------------------------------------
// A side's choice is a file ({ name, text }) or one of the audits on this
// device ({ audit: id, name, answers }, kept without its answers).

const isChoice = (choice) => choice === null || choice === undefined || (isObject(choice)
  && (typeof choice.text === "string" || (typeof choice.audit === "string" && typeof choice.name === "string")));

// What the engine is given: a file's text, or an audit's answers (once read).
const engineInput = (choice) => (choice.audit ? choice.answers : choice.text);

const toKeep = (choice) => (choice?.audit ? { audit: choice.audit, name: choice.name } : choice || null);

// Its name, isolated (it is the user's text), in a sentence.
function describeChoice(choice) {
  if (choice.audit) return [isolated(choice.name), ", from your audits on this device"];
  // Chosen by an earlier version of this page: the self-audit's answers as they were then.
  if (choice.device) return ["the self-audit answers this device kept"];
  return [isolated(choice.name || "a file with no name")];
}

// ---- The page --------------------------------------------------------------------

function start(root) {
  if (root.dataset.ready) return;
  root.dataset.ready = "true";
  const $ = (selector) => root.querySelector(selector);
  const record = new LocalRecord(root.dataset.storageKey, { isValid: (found) => SIDES.every((side) => isChoice(found[side])) });
  const picks = new HistoryPicks(root.dataset.frameworkId);
  const maxFileBytes = Number(root.dataset.maxFileBytes);
  const status = $("[data-engine-status]");
  const summary = $("[data-error-summary]");
  const results = $("[data-results]");
  const announcer = $("[data-announcer]");
  const keptNote = $("[data-kept]");
  const keptText = keptNote.textContent;
  const state = { baseline: null, review: null };
  // The audits on this device (oldest first), or null where they cannot be read.
  let audits = [];
  let comparison = null;
  let run = 0;

  const found = record.read();
  if (found.status === "ok") {
    // An audit's answers are read again from the history (readAudits, below).
    for (const side of SIDES) state[side] = toKeep(found.record[side]);
  }
  let savingAllowed = guardUnusableRecord(record, found, false, {
    banner: $("[data-kept-aside]"),
    what: "chosen audits",
    fileStem: "belonging-audit-comparison-files",
    onSavingAllowed: () => {
      savingAllowed = true;
      keep();
    },
  }).savingAllowed;
  // The side chosen last: if the engine cannot compare it, it is not kept.
  let lastChosen = null;

  function showChoices() {
    for (const side of SIDES) {
      const line = $(`#compare-${side}-chosen`);
      if (state[side]) line.replaceChildren("Chosen: ", ...describeChoice(state[side]), ".");
      else line.textContent = "No audit chosen yet.";
    }
  }

  function keep() {
    if (!savingAllowed) return;
    if (!state.baseline && !state.review) {
      record.remove();
      keptNote.textContent = keptText;
      return;
    }
    const saved = record.write({ baseline: toKeep(state.baseline), review: toKeep(state.review) });
    keptNote.textContent = saved
      ? keptText
      : "Your choices could not be kept in this browser (its storage may be full or turned off), "
        + "so after a reload you would need to choose them again. The comparison still works.";
    keptNote.classList.toggle("team-kept--failed", !saved);
  }

  // ---- Engine -------------------------------------------------------------------
  const engine = new Engine();
  engine.onStateChange((engineState, message) => {
    showEngineState(status, engineState, message, {
      ready: "Scoring engine ready. Choose two saved audits to compare.",
      failed: (reason) => `Comparing is not available: ${reason} Nothing you chose has left this device.`,
    });
    if (engineState === "ready") compareNow({ fromUser: false }).then(() => engine.prepareExcel());
  });

  // `fromUser`: the user just chose (else: restoring, or the history changed
  // elsewhere, when `announce` is false: nothing changed on this page).
  async function compareNow({ fromUser, announce = true }) {
    const token = ++run;
    if (!state.baseline || !state.review || SIDES.some((side) => engineInput(state[side]) === undefined)) {
      results.hidden = true;
      comparison = null;
      return;
    }
    if (engine.state !== "ready") return; // compared as soon as the engine is ready
    let outcome;
    try {
      outcome = JSON.parse(await engine.call("compare", engineInput(state.baseline), engineInput(state.review)));
    } catch (error) {
      outcome = { ok: false, problems: [`The audits could not be compared: ${error.message}`] };
    }
    if (token !== run) return; // a newer choice has been made meanwhile
    if (!outcome.ok) {
      results.hidden = true;
      comparison = null;
      // What cannot be compared is not kept, so a reload does not show this again.
      for (const side of fromUser && lastChosen ? [lastChosen] : SIDES) state[side] = null;
      keep();
      showChoices();
      showProblems(summary, outcome.problems, { focus: fromUser });
      return;
    }
    summary.hidden = true;
    comparison = outcome;
    render(outcome);
    results.hidden = false;
    if (!announce) return;
    const overall = outcome.overall;
    announcer.textContent = `Comparison ready. Overall score: ${scoreText(overall.baseline)} in the baseline, `
      + `${scoreText(overall.review)} in the review.`;
  }

  // ---- Showing the comparison ---------------------------------------------------------
  function render(data) {
    $("[data-files-text]").replaceChildren(
      "Baseline: ", ...describeChoice(state.baseline), ". Review: ", ...describeChoice(state.review), ".",
    );
    renderDetails(data);
    const notices = $("[data-notices]");
    notices.replaceChildren(...data.notices.map((text) => el("li", { text })));
    notices.hidden = data.notices.length === 0;
    renderOverall(data.overall);
    renderScores(data);
    renderStatements(data);
  }

  function renderDetails(data) {
    const rows = DETAIL_ROWS
      .map(([key, label]) => [label, data.baseline_details[key] || "", data.review_details[key] || ""])
      .filter(([, before, after]) => before || after);
    if (data.setting_label) {
      rows.push(["Setting compared", data.setting_label, data.setting_label]);
    }
    const body = el("tbody", {}, ...rows.map(([label, before, after]) => el("tr", {},
      el("th", { text: label, attrs: { scope: "row" } }),
      el("td", { text: before || "Not given" }),
      el("td", { text: after || "Not given" }),
    )));
    const table = el("table", { className: "team-table compare-details" },
      el("caption", { text: "About the two audits" }),
      el("thead", {}, el("tr", {},
        el("td"),
        el("th", { text: "Baseline", attrs: { scope: "col" } }),
        el("th", { text: "Review", attrs: { scope: "col" } }),
      )),
      body,
    );
    $("[data-details]").replaceChildren(rows.length ? table : "");
  }

  function renderOverall(overall) {
    const scoreLine = `${scoreText(overall.baseline)} in the baseline, ${scoreText(overall.review)} in the review`
      + (overall.percent_change === null ? "." : `: ${changeText(overall.percent_change).toLowerCase()}`
        + `${overall.percent_change ? " percentage points" : ""}.`);
    const coverageLine = `${ratedText(overall.baseline, overall.coverage_percent_baseline)} statements in the baseline, `
      + `${ratedText(overall.review, overall.coverage_percent_review)} in the review: `
      + `${changeText(overall.coverage_change).toLowerCase()}${overall.coverage_change ? " percentage points" : ""}.`;
    const movements = MOVEMENT_ORDER.map((kind) => `${overall.movements[kind]} ${MOVEMENT_WORDS[kind]}`).join(", ");
    const line = (label, text) => el("li", {}, el("strong", { text: `${label}: ` }), text);
    $("[data-overall]").replaceChildren(el("ul", { className: "compare-overall__list" },
      line("Overall score", scoreLine),
      line("Statements rated", coverageLine),
      line("Statements", `${movements}.`),
    ));
  }

  function scoreRow(ref, title, change, level) {
    return el("tr", { className: `compare-row compare-row--${level}`, attrs: { "data-area": change.id || "overall" } },
      el("td", { text: ref }),
      el("th", { text: title, attrs: { scope: "row" } }),
      el("td", { text: scoreText(change.baseline) }),
      el("td", { text: scoreText(change.review) }),
      el("td", { text: changeText(change.percent_change) }),
      el("td", { text: ratedText(change.baseline, change.coverage_percent_baseline) }),
      el("td", { text: ratedText(change.review, change.coverage_percent_review) }),
      el("td", { text: changeText(change.coverage_change) }),
    );
  }

  function renderScores(data) {
    const headers = ["Ref", "Area", "Baseline score", "Review score", "Change in score",
      "Rated in the baseline", "Rated in the review", "Change in coverage"];
    const rows = [scoreRow("", "Whole audit", data.overall, "overall")];
    for (const section of data.sections) {
      rows.push(scoreRow(section.number, section.title, section, "section"));
      for (const subsection of section.subsections) rows.push(scoreRow(subsection.ref, subsection.title, subsection, "subsection"));
    }
    const table = el("table", {
      className: "team-table compare-scores",
      attrs: { "aria-labelledby": "compare-scores" },
    },
    el("thead", {}, el("tr", {}, ...headers.map((text) => el("th", { text, attrs: { scope: "col" } })))),
    el("tbody", {}, ...rows));
    $("[data-score-table]").replaceChildren(table);
    scrollSideways(table, "Scores by section and subsection");
  }

  function renderStatements(data) {
    const headers = ["Ref", "Statement", "Baseline", "Review", "Movement"];
    const groups = [];
    let current = null;
    for (const statement of data.statements) {
      if (!current || current.id !== statement.subsection_id) {
        const ref = statement.ref.split(".").slice(0, -1).join(".");
        current = { id: statement.subsection_id, body: el("tbody", {}, el("tr", { className: "compare-group" },
          el("th", { text: `${ref} ${statement.subsection_title}`, attrs: { colspan: headers.length, scope: "rowgroup" } }))) };
        groups.push(current);
      }
      current.body.append(el("tr", {
        className: `compare-statement compare-statement--${statement.movement}`,
        attrs: { "data-statement-id": statement.statement_id, "data-movement": statement.movement },
      },
      el("td", { text: statement.ref }),
      el("td", { text: statement.text }),
      el("td", {}, ratingTag(statement.baseline_rating, statement.baseline_rating_label)),
      el("td", {}, ratingTag(statement.review_rating, statement.review_rating_label)),
      el("td", {}, el("span", { className: `movement movement--${statement.movement}`, text: movementText(statement) }))));
    }
    const table = el("table", {
      className: "team-table compare-statements",
      attrs: { "aria-labelledby": "compare-statements" },
    },
    el("thead", {}, el("tr", {}, ...headers.map((text) => el("th", { text, attrs: { scope: "col" } })))),
    ...groups.map((group) => group.body));
    $("[data-statement-table]").replaceChildren(table);
    scrollSideways(table, "Statement by statement");
  }

  // ---- Choosing -----------------------------------------------------------------------
  async function choose(side, input) {
    const chosen = [...input.files].slice(0, 1);
    input.value = "";
    if (!chosen.length) return;
    summary.hidden = true;
    const { files, problems } = await readFiles(engine, chosen, maxFileBytes);
    if (problems.length) {
      showProblems(summary, problems);
      return;
    }
    state[side] = files[0];
    lastChosen = side;
    afterChoice();
  }

  function afterChoice() {
    summary.hidden = true;
    keep();
    showChoices();
    compareNow({ fromUser: true });
  }

  // ---- Choosing from the audits on this device ---------------------------------------
  // What a side's list shows: its pick, else what the list showed before,
  // else the audit before the latest (baseline) and the latest (review).
  function listed(side) {
    const present = (id) => audits.some((audit) => audit.id === id);
    const fallback = audits[side === "baseline" ? Math.max(audits.length - 2, 0) : audits.length - 1];
    return [state[side]?.audit, $(`#compare-${side}-audit`).value].find(present) ?? fallback.id;
  }

  function showAudits() {
    const shown = audits === null ? "unavailable" : audits.length ? "some" : "none";
    root.querySelectorAll("[data-history-note]").forEach((note) => { note.hidden = note.dataset.historyNote !== shown; });
    for (const side of SIDES) {
      $(`[data-history-pick="${side}"]`).hidden = shown !== "some";
      if (shown === "some") fillAuditChoices($(`#compare-${side}-audit`), audits, listed(side));
    }
  }

  async function pickAudit(side) {
    const audit = audits?.find((entry) => entry.id === $(`#compare-${side}-audit`).value);
    if (!audit) return;
    const answers = await picks.answers(audit.id);
    if (!answers) {
      showProblems(summary, [`${isolate(audit.name)} could not be read from this device (it may have just been `
        + "deleted in another tab). Choose another audit."]);
      await reread({ announce: false });
      return;
    }
    state[side] = { audit: audit.id, name: audit.name, answers };
    lastChosen = side;
    announcer.textContent = `${isolate(audit.name)} chosen as the ${side}.`;
    afterChoice();
  }

  // The audits on this device, read again (when the page opens, and whenever
  // the self-audit changes them in another tab): the lists, and each side's
  // pick with its answers as they are kept now. A pick that is no longer
  // there is cleared, and the page says so.
  async function readAudits({ announce }) {
    audits = await picks.list();
    showAudits();
    const gone = [];
    let changed = false;
    for (const side of SIDES) {
      const choice = state[side];
      if (!choice?.audit) continue;
      const audit = audits?.find((entry) => entry.id === choice.audit);
      const answers = audit ? await picks.answers(audit.id) : null;
      if (!answers) {
        state[side] = null;
        gone.push(`${SIDE_NAMES[side]}, ${isolate(choice.name)}, `
          + (audits === null
            ? "cannot be read, because this browser is not letting this site read the audits kept on this device. "
            : "is no longer among your audits on this device (it may have been deleted). ")
          + "It has been cleared: choose another audit or a saved file.");
        changed = true;
      } else if (audit.name !== choice.name || JSON.stringify(answers) !== JSON.stringify(choice.answers)) {
        state[side] = { audit: audit.id, name: audit.name, answers };
        changed = true;
      }
    }
    if (!changed) return;
    keep();
    showChoices();
    await compareNow({ fromUser: false, announce });
    if (gone.length) showProblems(summary, gone, { focus: false });
  }

  // One reading at a time, in order.
  let reading = Promise.resolve();
  function reread(options) {
    reading = reading.then(() => readAudits(options));
    return reading;
  }

  function clear() {
    run += 1;
    state.baseline = null;
    state.review = null;
    comparison = null;
    keep();
    showChoices();
    results.hidden = true;
    summary.hidden = true;
    announcer.textContent = "Both audits cleared from this page.";
  }

  // The button keeps focus while the file is made; a second press is ignored.
  async function exportComparison(button) {
    if (!comparison || button.getAttribute("aria-disabled") === "true") return;
    const format = button.dataset.format;
    const label = button.textContent;
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Preparing…";
    try {
      const content = await engine.call("compare_export", engineInput(state.baseline), engineInput(state.review), format);
      const problems = problemsIn(content);
      if (problems) showProblems(summary, problems);
      else download(content, "belonging-audit-comparison", format);
    } catch (error) {
      showProblems(summary, [`The comparison could not be downloaded: ${error.message}`]);
    } finally {
      button.removeAttribute("aria-disabled");
      button.textContent = label;
    }
  }

  for (const side of SIDES) {
    $(`#compare-${side}`).addEventListener("change", (event) => choose(side, event.target));
  }
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "use-audit") pickAudit(button.dataset.side);
    else if (action === "clear") clear();
    else if (action === "export") exportComparison(button);
    else if (action === "print") window.print();
  });

  picks.onChange(() => reread({ announce: false }));

  showChoices();
  reread({ announce: true });
}

const root = document.getElementById("compare-app");
if (root) start(root);
