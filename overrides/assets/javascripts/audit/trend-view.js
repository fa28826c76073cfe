// Draws the engine's trend (audit_app.trend) and report for governors
// (audit_app.governors_report): a small line chart per section, as inline
// SVG, and tables and lists that say the same in words. Nothing here
// computes a score: every number is the engine's. Colour is never the only
// signal: each chart is one line, its points carry their values, and the
// table beside it is the text equivalent. Text goes in as textContent only.
import { el, isolated } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const CHART = { width: 320, height: 150, left: 38, right: 22, top: 16, bottom: 26 };
// Above this many audits, only the first and last points are labelled.
const LABEL_EVERY_POINT_UP_TO = 8;

function svg(tag, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function scoreText(metrics) {
  if (!metrics) return "No audit";
  return metrics.percent === null ? "Not yet rated" : `${metrics.percent}% (${metrics.band_label})`;
}

// One area's line across the audits: percents from the engine, a gap where
// nothing was rated.
function lineChart(area, audits) {
  const { width, height, left, right, top, bottom } = CHART;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (index) => left + (audits.length === 1 ? plotWidth / 2 : (plotWidth * index) / (audits.length - 1));
  const y = (percent) => top + plotHeight * (1 - percent / 100);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "trend-chart__svg", "aria-hidden": "true", focusable: "false" });
  for (const level of [0, 50, 100]) {
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(level), y2: y(level), class: "trend-chart__grid" }));
    chart.append(svg("text", { x: left - 4, y: y(level) + 4, "text-anchor": "end", class: "trend-chart__axis" }, `${level}%`));
  }
  let path = "";
  area.percents.forEach((percent, index) => {
    if (percent === null) return;
    const previousRated = index > 0 && area.percents[index - 1] !== null;
    path += `${previousRated ? "L" : "M"}${x(index).toFixed(1)} ${y(percent).toFixed(1)} `;
  });
  if (path) chart.append(svg("path", { d: path.trim(), class: "trend-chart__line" }));
  const labelled = (index) => audits.length <= LABEL_EVERY_POINT_UP_TO || index === 0 || index === audits.length - 1;
  area.percents.forEach((percent, index) => {
    if (percent === null) return;
    chart.append(svg("circle", { cx: x(index), cy: y(percent), r: 3.5, class: "trend-chart__point" }));
    if (labelled(index)) {
      chart.append(svg("text", { x: x(index), y: y(percent) - 6, "text-anchor": "middle", class: "trend-chart__value" }, `${percent}%`));
    }
  });
  audits.forEach((audit, index) => {
    if (labelled(index)) {
      chart.append(svg("text", { x: x(index), y: height - 8, "text-anchor": "middle", class: "trend-chart__axis" }, String(audit.position)));
    }
  });
  return chart;
}

// A chart per section (and the whole audit), each with a caption that
// points to the table holding the same figures.
export function trendCharts(trend, tableHeadingId) {
  const areas = trend.areas.filter((area) => area.level !== "subsection");
  return areas.map((area) => el("figure", { className: "trend-chart" },
    lineChart(area, trend.audits),
    el("figcaption", {},
      `${area.level === "overall" ? "Whole audit" : `${area.ref}. ${area.title}`}: score in audits 1 to ${trend.audits.length}. `,
      el("a", { text: "The same figures as a table", attrs: { href: `#${tableHeadingId}` } }),
      ".")));
}

// Areas down the side, audits across: the text equivalent of the charts.
export function trendTable(trend, { caption }) {
  const head = el("tr", {}, el("th", { text: "Area", attrs: { scope: "col" } }),
    ...trend.audits.map((audit) => el("th", { attrs: { scope: "col" } }, `${audit.position}. `, isolated(audit.name))));
  const rows = trend.areas.map((area) => el("tr", { className: `trend-table__row--${area.level}` },
    el("th", { attrs: { scope: "row" }, text: area.level === "overall" ? "Whole audit" : `${area.ref} ${area.title}` }),
    ...area.points.map((point) => el("td", {},
      scoreText(point), el("br"), `${point.rated} of ${point.total} rated`))));
  return el("table", { className: "team-table trend-table" },
    el("caption", { text: caption }),
    el("thead", {}, head),
    el("tbody", {}, ...rows));
}

const MOVED_ORDER = [
  ["improved", "Improved"],
  ["worse", "Worse"],
  ["newly-rated", "Newly rated"],
  ["no-longer-rated", "No longer rated"],
];

function statementLine(statement) {
  return el("li", {},
    el("span", { className: "statement__ref", text: statement.ref }),
    ` ${statement.text} `,
    el("strong", { text: `(${statement.baseline_rating_label} to ${statement.review_rating_label})` }));
}

// The statements that moved between two audits, grouped by how.
export function movedLists(statements, headingLevel = "h4") {
  const groups = MOVED_ORDER.map(([movement, label]) => [label, statements.filter((s) => s.movement === movement)])
    .filter(([, moved]) => moved.length);
  if (!groups.length) return [el("p", { text: "No statement's rating changed." })];
  return groups.flatMap(([label, moved]) => [
    el(headingLevel, { text: `${label} (${moved.length})` }),
    el("ul", { className: "trend-moved" }, ...moved.map(statementLine)),
  ]);
}

const ACTION_FIELDS = [
  ["next_step", "Next step"],
  ["owner", "Owner"],
  ["target_date", "Target date"],
  ["success_criteria", "Success criteria"],
  ["review_date", "Review date"],
];

function actionItem(action) {
  const details = el("dl", {});
  for (const [key, label] of ACTION_FIELDS) {
    if (action[key]) details.append(el("dt", { text: label }), el("dd", { text: action[key] }));
  }
  return el("li", { className: `audit-plan__item audit-plan__item--${action.rating}` },
    el("p", { className: "audit-plan__title", text: `${action.number} ${action.text} (rated ${action.rating_label})` }),
    details.children.length ? details : null);
}

// The report for governors, from the engine's JSON (governors_report "json").
export function governorsReport(report) {
  const details = el("dl", { className: "governors-report__details" },
    ...report.details.flatMap(({ label, value }) => [el("dt", { text: label }), el("dd", {}, isolated(value))]));
  const summary = el("ul", {}, ...report.summary.map(({ label, text }) => el("li", {}, el("strong", { text: `${label}: ` }), text)));
  const thenAndNow = el("table", { className: "team-table" },
    el("caption", { text: report.previous ? "Scores in the previous audit and now" : "Scores now" }),
    el("thead", {}, el("tr", {},
      el("th", { text: "Area", attrs: { scope: "col" } }),
      el("th", { text: "Then", attrs: { scope: "col" } }),
      el("th", { text: "Now", attrs: { scope: "col" } }),
      el("th", { text: "Change", attrs: { scope: "col" } }))),
    el("tbody", {}, ...report.then_and_now.map((row) => el("tr", { className: `trend-table__row--${row.level}` },
      el("th", { attrs: { scope: "row" }, text: row.level === "overall" ? "Whole audit" : `${row.ref}. ${row.title}` }),
      el("td", { text: scoreText(row.then) }),
      el("td", { text: scoreText(row.now) }),
      el("td", { text: row.percent_change === null ? "Not comparable" : changeText(row.percent_change) })))));
  const moved = report.moved.flatMap((group) => group.statements.length
    ? [el("h4", { text: `${group.label} (${group.statements.length})` }), el("ul", {}, ...group.statements.map(statementLine))]
    : []);
  return [
    el("p", { className: "governors-report__title", text: report.title }),
    details,
    el("h3", { text: "Summary" }), summary,
    el("h3", { text: "Scores over time" }),
    el("div", { className: "trend-charts" }, ...trendCharts(report.trend, "governors-trend-table")),
    el("h4", { text: "The same figures as a table", attrs: { id: "governors-trend-table" } }),
    trendTable(report.trend, { caption: "Scores in each audit" }),
    el("h3", { text: "Then and now" }), thenAndNow,
    el("h3", { text: "Statements that moved" }),
    ...(moved.length ? moved : [el("p", { text: report.previous ? "No statement's rating changed." : "This is the first audit." })]),
    el("h3", { text: "Open actions" }),
    el("p", { text: report.actions_rule }),
    report.actions.length
      ? el("ol", { className: "audit-plan__list" }, ...report.actions.map(actionItem))
      : el("p", { text: "No open actions." }),
  ];
}

function changeText(change) {
  if (change > 0) return `Up ${change} points`;
  if (change < 0) return `Down ${-change} points`;
  return "No change";
}
