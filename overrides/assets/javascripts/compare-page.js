// Compare two audits: a baseline and a later review, chosen as saved files
// (or, for the review, the self-audit answers saved on this device). The
// engine (audit_app.compare, in the Python worker) does all the comparing;
// this page shows its answer, and every piece of text from a file goes in
// through textContent. The two chosen files are kept in this browser so a
// reload shows the comparison again; "Clear" forgets them.
import { Engine, problemsIn } from "./audit/engine.js";
import { download } from "./audit/downloads.js";
import { LocalRecord, dayAndTime, isObject, recallValue } from "./audit/storage.js";
import { el, isolated, showEngineState, showProblems } from "./audit/dom.js";
import { readFiles } from "./audit/files.js";
import { guardUnusableRecord } from "./audit/kept-aside.js";
import { scrollSideways } from "./table-scroll.js";

const SIDES = ["baseline", "review"];
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

// ---- The page --------------------------------------------------------------------

function start(root) {
  if (root.dataset.ready) return;
  root.dataset.ready = "true";
  const $ = (selector) => root.querySelector(selector);
  const isChoice = (choice) => choice === null || choice === undefined || (isObject(choice) && typeof choice.text === "string");
  const kept = new LocalRecord(root.dataset.storageKey, { isValid: (record) => SIDES.every((side) => isChoice(record[side])) });
  const maxFileBytes = Number(root.dataset.maxFileBytes);
  const status = $("[data-engine-status]");
  const summary = $("[data-error-summary]");
  const results = $("[data-results]");
  const announcer = $("[data-announcer]");
  const keptNote = $("[data-kept]");
  const keptText = keptNote.textContent;
  const state = { baseline: null, review: null };
  let comparison = null;
  let run = 0;

  const found = kept.read();
  if (found.status === "ok") {
    for (const side of SIDES) state[side] = found.record[side] || null;
  }
  let savingAllowed = guardUnusableRecord(kept, found, false, {
    banner: $("[data-kept-aside]"),
    what: "chosen files",
    fileStem: "belonging-audit-comparison-files",
    onSavingAllowed: () => {
      savingAllowed = true;
      keep();
    },
  }).savingAllowed;
  // The side chosen last: if the engine cannot compare it, it is not kept.
  let lastChosen = null;

  // A chosen file's name (isolated: it is the user's text), or this device's answers.
  function describeChoice(choice) {
    if (!choice.device) return isolated(choice.name || "a file with no name");
    const when = dayAndTime(choice.device);
    return `the answers saved on this device${when ? ` (saved ${when})` : ""}`;
  }

  function showChoices() {
    for (const side of SIDES) {
      const line = $(`#compare-${side}-chosen`);
      if (state[side]) line.replaceChildren("Chosen: ", describeChoice(state[side]), ".");
      else line.textContent = "No file chosen yet.";
    }
  }

  function keep() {
    if (!savingAllowed) return;
    if (!state.baseline && !state.review) {
      kept.remove();
      keptNote.textContent = keptText;
      return;
    }
    const saved = kept.write({ baseline: state.baseline, review: state.review });
    keptNote.textContent = saved
      ? keptText
      : "These files could not be kept in this browser (its storage may be full or turned off), "
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

  async function compareNow({ fromUser }) {
    const token = ++run;
    if (!state.baseline || !state.review) {
      results.hidden = true;
      comparison = null;
      return;
    }
    if (engine.state !== "ready") return; // compared as soon as the engine is ready
    let outcome;
    try {
      outcome = JSON.parse(await engine.call("compare", state.baseline.text, state.review.text));
    } catch (error) {
      outcome = { ok: false, problems: [`The files could not be compared: ${error.message}`] };
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
    const overall = outcome.overall;
    announcer.textContent = `Comparison ready. Overall score: ${scoreText(overall.baseline)} in the baseline, `
      + `${scoreText(overall.review)} in the review.`;
  }

  // ---- Showing the comparison ---------------------------------------------------------
  function render(data) {
    $("[data-files-text]").replaceChildren(
      "Baseline: ", describeChoice(state.baseline), ". Review: ", describeChoice(state.review), ".",
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

  function useDevice() {
    let record = null;
    try {
      record = JSON.parse(recallValue(root.dataset.answersKey) || "null");
    } catch (error) {
      record = null;
    }
    if (!isObject(record) || !isObject(record.answers)) {
      showProblems(summary, ["There are no self-audit answers saved on this device. Choose a saved file (JSON) instead."]);
      return;
    }
    state.review = { name: "", text: JSON.stringify(record.answers), device: record.savedAt || new Date().toISOString() };
    lastChosen = "review";
    afterChoice();
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
      const content = await engine.call("compare_export", state.baseline.text, state.review.text, format);
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
    if (action === "use-device") useDevice();
    else if (action === "clear") clear();
    else if (action === "export") exportComparison(button);
    else if (action === "print") window.print();
  });

  showChoices();
}

const root = document.getElementById("compare-app");
if (root) start(root);
