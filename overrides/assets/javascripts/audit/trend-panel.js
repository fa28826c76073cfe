// "How your audits have changed" and the report for governors, on the
// self-audit page. The engine works out the trend from every audit on this
// device (oldest first); this module asks for it once answering pauses and
// draws it (trend-view.js). It needs two audits or more.
import { el, isolated } from "./dom.js";
import { problemsIn } from "./engine.js";
import { download } from "./downloads.js";
import { governorsReport, movedLists, trendCharts, trendTable } from "./trend-view.js";

// The trend is worked out again once answering pauses, not on every key.
const TREND_AFTER_QUIET_MS = 2500;

// `page` is the self-audit page's shared state (see audit-page.js).
export function trendPanel(page) {
  const { engine, history, frameworkId, fileStem } = page;
  const $ = (selector) => page.root.querySelector(selector);
  let timer = null;

  // Every audit as the engine takes it: names and answers, oldest first.
  async function audits() {
    const records = await history.getMany(page.audits.map((audit) => audit.id));
    return JSON.stringify(page.audits.map((audit, index) => ({ name: audit.name, data: records[index]?.answers || {} })));
  }

  async function update() {
    const section = $("[data-trend]");
    if (engine.state !== "ready" || !page.storageWorks || page.audits.length < 2) {
      section.hidden = true;
      return;
    }
    const trend = JSON.parse(await engine.call("trend", await audits(), frameworkId));
    if (!trend.ok) {
      section.hidden = true;
      return;
    }
    const latest = trend.changes[trend.changes.length - 1];
    $("[data-trend-summary]").textContent = `${trend.audits.length} audits on this device, oldest first. Each chart `
      + "shows one part's score in each audit; the table below gives the same figures in words.";
    $("[data-trend-charts]").replaceChildren(...trendCharts(trend, "audit-trend-table-heading"));
    $("[data-trend-table]").replaceChildren(trendTable(trend, { caption: "Score and statements rated in each audit" }));
    $("[data-trend-moved]").replaceChildren(
      el("p", {}, "From ", isolated(latest.from_name), " to ", isolated(latest.to_name), ":"),
      ...movedLists(latest.moved),
    );
    section.hidden = false;
  }

  function schedule(delay = TREND_AFTER_QUIET_MS) {
    clearTimeout(timer);
    timer = setTimeout(() => update().catch(() => { /* the trend shows again after the next change */ }), delay);
  }

  // The report for governors, on screen and then on paper without the site.
  async function printReport() {
    const report = JSON.parse(await engine.call("governors_report", await audits(), "json", frameworkId));
    if (!report.ok) {
      page.showToolsMessage(`The report could not be made: ${report.problems.join(" ")}`);
      return;
    }
    $("[data-governors-body]").replaceChildren(...governorsReport(report));
    $("[data-governors-report]").hidden = false;
    document.body.classList.add("printing-governors-report");
    window.addEventListener("afterprint", () => document.body.classList.remove("printing-governors-report"), { once: true });
    window.print();
  }

  async function exportFile(op, format, stem) {
    const content = await engine.call(op, await audits(), format, frameworkId);
    const problems = problemsIn(content);
    if (problems) page.showToolsMessage(`That could not be made: ${problems.join(" ")}`);
    else download(content, stem, format);
  }

  // Returns the work for a clicked button, or null if it is not this panel's.
  function actionFor(button) {
    const { action, format } = button.dataset;
    if (action === "governors-print") return printReport;
    if (action === "governors-export") return () => exportFile("governors_report", format, `${fileStem}-governors-report`);
    if (action === "trend-export") return () => exportFile("trend_export", format, `${fileStem}-trend`);
    return null;
  }

  return { update, schedule, actionFor };
}
