// Agree a team's audit: colleagues' saved files side by side, and the lead's
// agreed rating and next step for each statement. The engine
// (audit_app.merge, in the Python worker) lines the files up and drafts the
// agreed audit; the lead's choices are applied here, to that draft, and the
// result is a normal saved audit, which can join the audits on this device
// (audit/history.js) and open in its own page. Files are read in this
// browser and kept in it (with the lead's choices) until "Clear": nothing is
// uploaded. Every piece of text from a file goes in through textContent or a
// field's value.
import { Engine, problemsIn } from "./audit/engine.js";
import { download } from "./audit/downloads.js";
import { el, isolate, isolated, showEngineState, showProblems } from "./audit/dom.js";
import { readFiles } from "./audit/files.js";
import { LocalRecord, isObject } from "./audit/storage.js";
import { AuditHistory, defaultName, historyChannel, openAuditMemory } from "./audit/history.js";
import { guardUnusableRecord } from "./audit/kept-aside.js";
import { scrollSideways } from "./table-scroll.js";

const NOT_RATED = "Not yet rated";
const NOTE_FIELDS = [
  ["owner", "Owner"],
  ["target_date", "Target date"],
  ["success_criteria", "Success criteria"],
  ["review_date", "Review date"],
];

// "2 Red, 1 Amber, 1 not yet rated": the spread in words, in rating order.
function spreadText(counts, ratings) {
  const parts = ratings.filter((rating) => counts[rating.id]).map((rating) => `${counts[rating.id]} ${rating.label}`);
  if (counts.unrated) parts.push(`${counts.unrated} not yet rated`);
  return parts.join(", ");
}

function subsectionRef(ref) {
  return ref.split(".").slice(0, -1).join(".");
}

function start(root) {
  if (root.dataset.ready) return;
  root.dataset.ready = "true";
  const $ = (selector) => root.querySelector(selector);
  const kept = new LocalRecord(root.dataset.storageKey, {
    isValid: (record) => Array.isArray(record.files) && isObject(record.choices),
  });
  const maxFileBytes = Number(root.dataset.maxFileBytes);
  const status = $("[data-engine-status]");
  const summary = $("[data-error-summary]");
  const results = $("[data-results]");
  const announcer = $("[data-announcer]");
  const fileInput = $("#moderate-files");
  const fileList = $("[data-file-list]");
  const statementsBox = $("[data-statements]");
  const keptNote = $(".team-kept");
  const keptText = keptNote.textContent;
  const ratingsByFramework = new Map();

  const state = { files: [], choices: {} };
  const found = kept.read();
  if (found.status === "ok") {
    state.files = found.record.files.filter((file) => isObject(file) && typeof file.text === "string")
      .map((file) => ({ name: typeof file.name === "string" ? file.name : "", text: file.text }));
    state.choices = found.record.choices;
  }
  let savingAllowed = guardUnusableRecord(kept, found, found.status === "ok" && state.files.length < found.record.files.length, {
    banner: $("[data-kept-aside]"),
    what: "files and choices",
    fileStem: "belonging-audit-team-files",
    onSavingAllowed: () => {
      savingAllowed = true;
      keep();
    },
  }).savingAllowed;
  // How many files the last choice added: if the engine cannot read them, they are not kept.
  let lastAdded = 0;
  let merged = null;
  let ratings = [];
  let run = 0;

  // ---- Keeping the work ---------------------------------------------------------
  function keep() {
    if (!savingAllowed) return;
    if (!state.files.length && !Object.keys(state.choices).length) {
      kept.remove();
      keptNote.textContent = keptText;
      return;
    }
    const saved = kept.write(state);
    keptNote.textContent = saved
      ? keptText
      : "Your work could not be kept in this browser (its storage may be full or turned off), so a reload "
        + "would lose it. Download the agreed answers (JSON) to keep them.";
    keptNote.classList.toggle("team-kept--failed", !saved);
  }

  // ---- The list of files ------------------------------------------------------------
  function renderFileList() {
    $("[data-files-empty]").hidden = state.files.length > 0;
    fileList.replaceChildren(...state.files.map((file, index) => el("li", { className: "team-file-list__item" },
      el("bdi", { className: "team-file-list__name", text: file.name || `File ${index + 1}`, attrs: { "data-file-name": "" } }),
      el("span", { className: "team-file-list__who", attrs: { "data-file-who": "" } }),
      el("button", {
        className: "md-button team-file-list__remove",
        attrs: { type: "button", "data-action": "remove", "data-index": index },
      }, "Remove", el("span", { className: "visually-hidden" }, " ", isolated(file.name || `file ${index + 1}`))),
    )));
  }

  async function addFiles(input) {
    const chosen = [...input.files];
    input.value = "";
    if (!chosen.length) return;
    summary.hidden = true;
    const { files, problems } = await readFiles(engine, chosen, maxFileBytes);
    const already = [];
    lastAdded = 0;
    for (const file of files) {
      if (state.files.some((loaded) => loaded.name === file.name && loaded.text === file.text)) {
        already.push(isolate(file.name));
      } else {
        state.files.push(file);
        lastAdded += 1;
      }
    }
    keep();
    renderFileList();
    const note = already.length ? `Already loaded, so not added again: ${already.join(", ")}.` : "";
    announcer.textContent = note;
    if (problems.length) showProblems(summary, problems);
    if (files.length) mergeNow({ fromUser: true, focus: !problems.length, note });
  }

  function removeFile(index) {
    const [removed] = state.files.splice(index, 1);
    keep();
    renderFileList();
    const buttons = fileList.querySelectorAll("[data-action=remove]");
    (buttons[Math.min(index, buttons.length - 1)] || fileInput).focus();
    lastAdded = 0;
    const note = `${removed.name ? isolate(removed.name) : "The file"} removed.`;
    announcer.textContent = note;
    mergeNow({ fromUser: true, note });
  }

  // ---- Engine -------------------------------------------------------------------------
  const engine = new Engine();
  engine.onStateChange((engineState, message) => {
    showEngineState(status, engineState, message, {
      ready: "Scoring engine ready. Choose your colleagues’ saved answers.",
      failed: (reason) => `The team’s audits cannot be put side by side here: ${reason} `
        + "Nothing you chose has left this device.",
    });
    if (engineState === "ready") mergeNow({ fromUser: false }).then(() => engine.prepareExcel());
  });

  async function ratingsFor(frameworkId) {
    if (!ratingsByFramework.has(frameworkId)) {
      const framework = JSON.parse(await engine.call("framework_json", frameworkId));
      ratingsByFramework.set(frameworkId, framework.ratings.map(({ id, label }) => ({ id, label })));
    }
    return ratingsByFramework.get(frameworkId);
  }

  // `fromUser`: the user just changed the files (else: restoring after a reload).
  async function mergeNow({ fromUser, focus = fromUser, note = "" }) {
    const token = ++run;
    if (!state.files.length) {
      merged = null;
      results.hidden = true;
      summary.hidden = true;
      return;
    }
    if (engine.state !== "ready") return; // merged as soon as the engine is ready
    let outcome;
    try {
      outcome = JSON.parse(await engine.call("merge", JSON.stringify(state.files)));
      if (outcome.ok) outcome.ratings = await ratingsFor(outcome.framework.id);
    } catch (error) {
      outcome = { ok: false, problems: [`The files could not be put side by side: ${error.message}`] };
    }
    if (token !== run) return; // the files changed meanwhile
    if (!outcome.ok) {
      // Files the engine cannot read are not kept, so a reload does not show
      // this again; what was side by side before stays on show.
      if (lastAdded) {
        state.files.splice(state.files.length - lastAdded, lastAdded);
      } else {
        if (!fromUser) state.files = [];
        merged = null;
        results.hidden = true;
      }
      lastAdded = 0;
      keep();
      renderFileList();
      if (merged) render();
      showProblems(summary, outcome.problems, { focus });
      return;
    }
    summary.hidden = true;
    merged = outcome;
    ratings = outcome.ratings;
    render();
    results.hidden = false;
    const counted = merged.summary;
    announcer.textContent = `${note ? `${note} ` : ""}${merged.colleagues.length} ${merged.colleagues.length === 1 ? "audit" : "audits"} side by side: `
      + `${counted.agreed} statements agreed, ${counted.disagreement} where colleagues disagree, `
      + `${counted.not_rated} not rated by anyone.`;
  }

  // ---- The lead's choices -------------------------------------------------------------
  function currentRating(item) {
    const choice = state.choices[item.statement_id];
    return choice && typeof choice.rating === "string" ? choice.rating : (item.agreed_rating || "");
  }

  function currentNextStep(item) {
    const choice = state.choices[item.statement_id];
    if (choice && typeof choice.next_step === "string") return choice.next_step;
    return merged.agreed.responses[item.statement_id]?.next_step || "";
  }

  function choose(statementId, key, value) {
    state.choices[statementId] = { ...(state.choices[statementId] || {}), [key]: value };
    keep();
    showProgress();
  }

  // The agreed audit: the engine's draft with the lead's ratings and next steps.
  function agreedAudit() {
    const audit = structuredClone(merged.agreed);
    for (const item of merged.spread) {
      const response = audit.responses[item.statement_id] ??= {};
      response.rating = currentRating(item) || null;
      response.next_step = currentNextStep(item);
    }
    return audit;
  }

  function showProgress() {
    if (!merged) return;
    const disputed = merged.spread.filter((item) => item.disagreement);
    const settled = disputed.filter((item) => currentRating(item)).length;
    const rated = merged.spread.filter((item) => currentRating(item)).length;
    const text = (disputed.length
      ? `You have chosen an agreed rating for ${settled} of the ${disputed.length} statements where colleagues disagree. `
      : "Colleagues do not disagree on any statement. ")
      + `The agreed audit rates ${rated} of ${merged.spread.length} statements.`;
    root.querySelectorAll("[data-progress]").forEach((node) => { node.textContent = text; });
  }

  // ---- Showing the spread ---------------------------------------------------------------
  function render() {
    const names = merged.colleagues;
    $("[data-colleagues]").replaceChildren(
      `Audits from ${names.length} ${names.length === 1 ? "colleague" : "colleagues"}: `,
      ...names.flatMap((name, index) => [index ? ", " : "", isolated(name)]),
      ".",
    );
    fileList.querySelectorAll("[data-file-who]").forEach((node, index) => {
      node.replaceChildren(...(names[index] ? [" (", isolated(names[index]), ")"] : []));
    });
    const counted = merged.summary;
    $("[data-summary]").replaceChildren(
      el("li", { text: `Everyone who rated it agreed: ${counted.agreed} of ${counted.statements} statements.` }),
      el("li", { text: `Colleagues disagree: ${counted.disagreement} of ${counted.statements}.` }),
      el("li", { text: `Nobody rated it: ${counted.not_rated} of ${counted.statements}.` }),
    );
    const notices = $("[data-notices]");
    notices.replaceChildren(...merged.notices.map((text) => el("li", { text })));
    notices.hidden = merged.notices.length === 0;

    const groups = [];
    let current = null;
    for (const item of merged.spread) {
      const ref = subsectionRef(item.ref);
      if (!current || current.ref !== ref) {
        const headingId = `moderate-sub-${ref.replaceAll(".", "-")}`;
        current = {
          ref,
          node: el("div", { className: "moderate-group" },
            el("h3", { attrs: { id: headingId } },
              el("span", { className: "statement__ref", text: ref }), ` ${item.subsection_title}`),
            el("p", { className: "moderate-group__section", text: item.section_title })),
        };
        groups.push(current);
      }
      current.node.append(statementBlock(item));
    }
    statementsBox.replaceChildren(...groups.map((group) => group.node));
    renderNotes();
    const target = openTarget();
    $("[data-action=add-to-audits]").hidden = !target;
    $("[data-open-note]").textContent = target
      ? `It becomes a new audit in ${target.name}, beside the audits already there (nothing is replaced), and opens there.`
      : `These are saved copies of the ${merged.framework.title}. Download the agreed answers (JSON) and open them in that tool.`;
    applyFilter();
    showProgress();
  }

  function statementBlock(item) {
    const id = item.statement_id;
    const verdict = item.disagreement
      ? el("p", { className: "moderate-flag moderate-flag--disagree", attrs: { "data-flag": "" } },
        el("strong", { text: "Colleagues disagree" }))
      : item.agreed_rating
        ? el("p", { className: "moderate-flag moderate-flag--agreed", attrs: { "data-flag": "" },
          text: `Everyone who rated it agreed: ${ratingLabel(item.agreed_rating)}` })
        : el("p", { className: "moderate-flag moderate-flag--none", attrs: { "data-flag": "" }, text: "Nobody rated this statement" });
    const examples = item.examples.length
      ? el("ul", { className: "statement__examples" }, ...item.examples.map((text) => el("li", { text })))
      : null;
    // Not a <section>: forty named regions would crowd a screen reader's landmarks; the headings do the work.
    return el("div", {
      className: `moderate-statement${item.disagreement ? " moderate-statement--disagree" : ""}`,
      attrs: { "data-statement-id": id, "data-disagreement": item.disagreement ? "true" : "false" },
    },
    el("h4", { attrs: { id: `moderate-st-${id}` } },
      el("span", { className: "statement__ref", text: item.ref }), ` ${item.text}`),
    examples,
    verdict,
    el("p", { className: "moderate-spread", attrs: { "data-spread": "" } },
      el("strong", { text: "Ratings: " }), `${spreadText(item.counts, ratings)}.`),
    written(item) ? colleaguesTable(item) : el("p", { className: "team-none", text: "No one wrote any notes for it." }),
    decision(item));
  }

  // Anyone rated it, or wrote anything for it: then everyone's row is worth a table.
  function written(item) {
    return item.counts.unrated < item.ratings.length
      || item.notes.some((notes) => ["evidence", "next_step", ...NOTE_FIELDS.map(([key]) => key)]
        .some((key) => notes[key] && notes[key].trim()));
  }

  function ratingLabel(ratingId) {
    return ratings.find((rating) => rating.id === ratingId)?.label || NOT_RATED;
  }

  function cell(text) {
    return text && text.trim() ? el("td", { className: "team-text", text }) : el("td", { className: "team-none", text: "None" });
  }

  function colleaguesTable(item) {
    const rows = item.ratings.map((rated, index) => {
      const notes = item.notes[index] || {};
      const action = NOTE_FIELDS.filter(([key]) => notes[key] && notes[key].trim())
        .map(([key, label]) => el("p", { className: "team-text" }, el("strong", { text: `${label}: ` }), notes[key]));
      return el("tr", {},
        el("th", { text: rated.name, attrs: { scope: "row" } }),
        el("td", {}, el("span", { className: `rag-tag rag-tag--${rated.rating || "unrated"}`, text: rated.rating_label })),
        cell(notes.evidence),
        cell(notes.next_step),
        action.length ? el("td", {}, ...action) : cell(""),
      );
    });
    const name = `Everyone’s ratings and notes for ${item.ref}`;
    return scrollSideways(el("table", { className: "team-table moderate-colleagues", attrs: { "aria-label": name } },
      el("thead", {}, el("tr", {}, ...["Colleague", "Rating", "Evidence", "Next step", "Owner, dates and success criteria"]
        .map((text) => el("th", { text, attrs: { scope: "col" } })))),
      el("tbody", {}, ...rows)), name);
  }

  function decision(item) {
    const id = item.statement_id;
    const chosen = currentRating(item);
    const option = (value, label) => {
      const inputId = `agree-${id}-${value || "unrated"}`;
      return el("div", { className: `rag-option rag-option--${value || "unrated"}` },
        el("input", { attrs: { type: "radio", id: inputId, name: `agree-${id}`, value, checked: chosen === value, "data-statement": id } }),
        el("label", { attrs: { for: inputId } }, el("span", { className: "rag-option__label", text: label })));
    };
    const textarea = el("textarea", {
      className: "audit-textarea",
      attrs: { id: `moderate-next-${id}`, rows: 3, "data-statement": id, "data-field": "next_step" },
    });
    textarea.value = currentNextStep(item);
    return el("div", { className: "moderate-decision" },
      el("fieldset", { className: "moderate-decision__rating" },
        el("legend", { text: `Agreed rating for ${item.ref}` }),
        el("div", { className: "rag-options" }, ...ratings.map((rating) => option(rating.id, rating.label)), option("", NOT_RATED))),
      el("div", { className: "audit-field" },
        el("label", { className: "audit-label", text: `Agreed next step for ${item.ref}`, attrs: { for: `moderate-next-${id}` } }),
        textarea));
  }

  function renderNotes() {
    const written = merged.subsection_notes.filter((entry) => entry.notes.some((note) => note.note.trim()));
    $("[data-notes-section]").hidden = written.length === 0;
    $("[data-notes]").replaceChildren(...written.map((entry) => el("div", { className: "moderate-notes" },
      el("h3", { attrs: { id: `moderate-notes-${entry.subsection_id}` } },
        el("span", { className: "statement__ref", text: entry.ref }), ` ${entry.title}`),
      el("dl", {}, ...entry.notes.filter((note) => note.note.trim()).flatMap((note) => [
        el("dt", { text: note.name }),
        el("dd", { className: "team-text", text: note.note }),
      ])))));
  }

  function applyFilter() {
    const only = $("#moderate-only-disagreements").checked;
    statementsBox.querySelectorAll(".moderate-group").forEach((group) => {
      let shown = 0;
      group.querySelectorAll(".moderate-statement").forEach((block) => {
        block.hidden = only && block.dataset.disagreement !== "true";
        if (!block.hidden) shown += 1;
      });
      group.hidden = shown === 0;
    });
  }

  // ---- Taking the agreed audit away -------------------------------------------------------
  async function busy(button, work) {
    if (!merged || button.getAttribute("aria-disabled") === "true") return;
    const label = button.textContent;
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Preparing…";
    try {
      await work();
    } catch (error) {
      showProblems(summary, [`That could not be made: ${error.message}`]);
    } finally {
      button.removeAttribute("aria-disabled");
      button.textContent = label;
    }
  }

  async function exportAgreed(format, stem) {
    const content = await engine.call("export", JSON.stringify(agreedAudit()), format, merged.framework.id);
    const problems = problemsIn(content);
    if (problems) showProblems(summary, problems);
    else download(content, stem, format);
  }

  async function downloadSpread() {
    const content = await engine.call("merge_report", JSON.stringify(state.files));
    const problems = problemsIn(content);
    if (problems) showProblems(summary, problems);
    else download(content, "belonging-audit-team-spread", "md");
  }

  // This audit's own page on this site ({ url, name }), if it has one.
  function openTarget() {
    try {
      return JSON.parse(root.dataset.openTargets)[merged.framework.id] || null;
    } catch (error) {
      return null;
    }
  }

  // A new audit in the history (nothing there is replaced), open in its own
  // page: that page opens the audit its tab last had open (openAuditMemory),
  // and its other tabs hear of the new one.
  async function addToAudits() {
    const target = merged && openTarget();
    if (!target) return;
    const frameworkId = merged.framework.id;
    let created;
    try {
      created = await new AuditHistory(frameworkId).create({ name: defaultName(new Date(), "Agreed audit"), answers: agreedAudit() });
    } catch (error) {
      showProblems(summary, ["The agreed audit could not be added to your audits on this device (the browser’s storage "
        + `may be full or turned off). Download the agreed answers (JSON) and open that file in ${target.name} instead.`]);
      return;
    }
    openAuditMemory(frameworkId).set(created.id);
    const channel = historyChannel(frameworkId);
    channel?.postMessage({ type: "list-changed" });
    channel?.close();
    window.location.assign(new URL(target.url, window.location.href).href);
  }

  function clearAll() {
    const sure = window.confirm("Clear the loaded files and your agreed ratings and next steps from this device? "
      + "This cannot be undone. To keep your choices, cancel and download the agreed answers first.");
    if (!sure) return;
    run += 1;
    state.files = [];
    state.choices = {};
    merged = null;
    keep();
    renderFileList();
    statementsBox.replaceChildren();
    results.hidden = true;
    summary.hidden = true;
    announcer.textContent = "The files and your choices are cleared from this device.";
  }

  // ---- Wiring --------------------------------------------------------------------------------
  fileInput.addEventListener("change", () => addFiles(fileInput));
  statementsBox.addEventListener("change", (event) => {
    const target = event.target;
    if (target.type === "radio" && target.dataset.statement) choose(target.dataset.statement, "rating", target.value);
  });
  statementsBox.addEventListener("input", (event) => {
    const target = event.target;
    if (target.dataset.field === "next_step") choose(target.dataset.statement, "next_step", target.value);
  });
  $("#moderate-only-disagreements").addEventListener("change", applyFilter);
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "remove") removeFile(Number(button.dataset.index));
    else if (action === "clear") clearAll();
    else if (action === "download-json") busy(button, () => exportAgreed("json", "belonging-audit-agreed-answers"));
    else if (action === "download-xlsx") busy(button, () => exportAgreed("xlsx", "belonging-audit-agreed-plan"));
    else if (action === "download-spread") busy(button, downloadSpread);
    else if (action === "add-to-audits") busy(button, addToAudits);
    else if (action === "print") window.print();
  });

  renderFileList();
}

const root = document.getElementById("moderate-app");
if (root) start(root);
