// Shows the engine's answers on the page. Every piece of text goes in through
// textContent (never innerHTML): notes typed by users are shown as typed.

const STATUS_LABELS = { "not-started": "Not started", "in-progress": "In progress", completed: "Completed" };

function describe(metrics) {
  const { counts } = metrics;
  const tally = `${counts.red} Red, ${counts.amber} Amber, ${counts.green} Green, ${counts.unrated} not yet rated`;
  if (metrics.percent === null) return `Not yet rated. ${tally}.`;
  return `Score ${metrics.percent}% (${metrics.band_label}). ${metrics.rated} of ${metrics.total} rated: ${tally}.`;
}

function setBar(bar, counts, total) {
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
  const overall = root.querySelector('[data-score-for="overall"]');
  overall.textContent = score.overall.percent === null
    ? "No statements rated yet."
    : `Overall: ${describe(score.overall)}`;
  const chartLines = [];
  for (const section of score.sections) {
    root.querySelector(`[data-score-for="${section.id}"]`).textContent = describe(section);
    root.querySelector(`[data-status-for="${section.id}"]`).textContent = STATUS_LABELS[section.status];
    root.querySelector(`[data-status-for="${section.id}"]`).dataset.status = section.status;
    const short = section.percent === null ? "" : `${section.percent}% ${section.band_label}`;
    root.querySelector(`[data-overview-score-for="${section.id}"]`).textContent = short;
    setBar(root.querySelector(`[data-bar-for="${section.id}"]`), section.counts, section.total);
    chartLines.push(`${section.number}. ${section.title}: ${describe(section)}`);
    for (const subsection of section.subsections) {
      root.querySelector(`[data-score-for="${subsection.id}"]`).textContent = describe(subsection);
    }
  }
  root.querySelector("[data-chart-text]").textContent = chartLines.join(" ");
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

export function renderPlan(root, plan) {
  const list = root.querySelector("[data-plan-list]");
  root.querySelector("[data-plan-empty]").hidden = plan.actions.length > 0;
  list.replaceChildren(...plan.actions.map((action) => {
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
  }));
}
