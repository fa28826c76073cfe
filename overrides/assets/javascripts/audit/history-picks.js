// The audits kept on this device (audit/history.js), offered as choices on
// another page: the Compare page picks its baseline and review from them as
// well as from files. Listing them reads only the history's index (no
// Python); an audit's answers are read when it is picked, and again after a
// reload, so a pick always compares the answers as they are kept now.
//
// A name is the user's text: it goes into its option through textContent,
// between Unicode isolates (an option can hold no <bdi>), so direction marks
// in it cannot reorder the words around it.
import { AuditHistory, historyChannel } from "./history.js";
import { el, isolate } from "./dom.js";

function startedText(iso) {
  const date = new Date(iso);
  if (typeof iso !== "string" || Number.isNaN(date.getTime())) return "";
  return `started ${date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" })}, `;
}

function scoreText(score) {
  if (!score) return "not scored yet";
  return score.percent === null ? "not yet rated" : `score ${score.percent}% (${score.band_label})`;
}

// "September 2026: started 14 September 2026, score 45% (Developing)"
export function auditChoiceText(audit) {
  return `${isolate(audit.name)}: ${startedText(audit.created_at)}${scoreText(audit.score)}`;
}

// One option per audit (oldest first, as the self-audit lists them), with
// `selectedId` chosen if it is among them.
export function fillAuditChoices(select, audits, selectedId) {
  select.replaceChildren(...audits.map((audit) => el("option", {
    text: auditChoiceText(audit),
    attrs: { value: audit.id, selected: audit.id === selectedId },
  })));
}

export class HistoryPicks {
  constructor(frameworkId) {
    this.history = new AuditHistory(frameworkId);
    this.channel = historyChannel(frameworkId);
  }

  // The audits on this device, oldest first; null where the browser refuses storage.
  async list() {
    try {
      return await this.history.list();
    } catch (error) {
      return null;
    }
  }

  // An audit's answers as kept now; null if it is no longer on this device
  // (or cannot be read).
  async answers(id) {
    try {
      const record = await this.history.get(id);
      return record && typeof record.answers === "object" && record.answers !== null ? record.answers : null;
    } catch (error) {
      return null;
    }
  }

  // The self-audit changed the history in another tab (saved, renamed, deleted...).
  onChange(listener) {
    this.channel?.addEventListener("message", () => listener());
  }
}
