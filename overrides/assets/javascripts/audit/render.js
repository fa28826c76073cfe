// Shows the engine's answers on the page. Every piece of text goes in through
// textContent (never innerHTML): notes typed by users are shown as typed.
//
// After each change only what differs is touched: a score line whose words
// are the same, a bar whose counts are the same, a plan item whose action is
// the same, are left alone, so a click costs the browser one small repaint
// rather than re-laying out the page.

const STATUS_LABELS = { "not-started": "Not started", "in-progress": "In progress", completed: "Completed" };

function describe(metrics) {
  const { counts } = metrics;
  const tally = `${counts.red} Red, ${counts.amber} Amber, ${counts.green} Green, ${counts.unrated} not yet rated`;
  if (metrics.percent === null) return `Not yet rated. ${tally}.`;
  return `Score ${metrics.percent}% (${metrics.band_label}). ${metrics.rated} of ${metrics.total} rated: ${tally}.`;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setBar(bar, counts, total) {
  const key = `${counts.red} ${counts.amber} ${counts.green} ${counts.unrated} ${total}`;
  if (bar.dataset.counts === key) return;
  bar.dataset.counts = key;
  bar.replaceChildren();
  for (const rating of ["red", "amber", "green", "unrated"]) {
    if (!counts[rating]) continue;
    const segment = document.createElement("span");
    segment.className = `rag-bar__segment rag-bar__segment--${rating}`;
    segment.style.width = `${(100 * counts[rating]) / total}%`;
    segment.textContent = rating === "unrated" ? "" : rating[0].toUpperCase();
    bar.append(segment);
  }
}

export function renderScores(root, score) {
  setText(root.querySelector('[data-score-for="overall"]'), score.overall.percent === null
    ? "No statements rated yet."
    : `Overall: ${describe(score.overall)}`);
  const chartLines = [];
  for (const section of score.sections) {
    setText(root.querySelector(`[data-score-for="${section.id}"]`), describe(section));
    const status = root.querySelector(`[data-status-for="${section.id}"]`);
    setText(status, STATUS_LABELS[section.status]);
    if (status.dataset.status !== section.status) status.dataset.status = section.status;
    const short = section.percent === null ? "" : `${section.percent}% ${section.band_label}`;
    setText(root.querySelector(`[data-overview-score-for="${section.id}"]`), short);
    setBar(root.querySelector(`[data-bar-for="${section.id}"]`), section.counts, section.total);
    chartLines.push(`${section.number}. ${section.title}: ${describe(section)}`);
    for (const subsection of section.subsections) {
      setText(root.querySelector(`[data-score-for="${subsection.id}"]`), describe(subsection));
    }
  }
  setText(root.querySelector("[data-chart-text]"), chartLines.join(" "));
}

export function summarise(score) {
  const overall = score.overall;
  if (overall.percent === null) return "No statements rated yet.";
  return `Scores updated. Overall ${overall.percent}%, ${overall.band_label}. ${overall.rated} of ${overall.total} statements rated.`;
}

const PLAN_FIELDS = [
  ["evidence", "Evidence"],
  ["next_step", "Next step"],
  ["owner", "Owner"],
  ["target_date", "Target date"],
  ["success_criteria", "Success criteria"],
  ["review_date", "Review date"],
];

function planItem(action) {
  const item = document.createElement("li");
  item.className = `audit-plan__item audit-plan__item--${action.rating}`;
  const title = document.createElement("p");
  title.className = "audit-plan__title";
  const kind = action.kind === "sustain" ? "Sustain" : "Improve";
  title.textContent = `${action.number} ${action.text} (${kind}; rated ${action.rating_label})`;
  item.append(title);
  const details = document.createElement("dl");
  for (const [key, label] of PLAN_FIELDS) {
    if (!action[key]) continue;
    const term = document.createElement("dt");
    term.textContent = label;
    const value = document.createElement("dd");
    value.textContent = action[key];
    details.append(term, value);
  }
  if (details.children.length) item.append(details);
  return item;
}

// Items are kept by what they show: an unchanged action keeps its element.
const shownActions = new WeakMap();

export function renderPlan(root, plan) {
  const list = root.querySelector("[data-plan-list]");
  const empty = root.querySelector("[data-plan-empty]");
  if (empty.hidden !== plan.actions.length > 0) empty.hidden = plan.actions.length > 0;
  const before = shownActions.get(list) || new Map();
  const after = new Map();
  const items = plan.actions.map((action) => {
    const key = JSON.stringify(action);
    const item = before.get(key) || planItem(action);
    after.set(key, item);
    return item;
  });
  shownActions.set(list, after);
  const same = items.length === list.children.length && items.every((item, index) => list.children[index] === item);
  if (!same) list.replaceChildren(...items);
}
