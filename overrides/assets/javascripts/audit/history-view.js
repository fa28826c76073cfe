// The list "Your audits on this device", drawn from the history's index (no
// Python needed, so it shows as soon as the page is usable). Names and
// details are the user's text: textContent only, inside <bdi>.
import { el, isolated } from "./dom.js";

function scoreText(score) {
  if (!score) return "Not scored yet";
  return score.percent === null ? "Not yet rated" : `${score.percent}% (${score.band_label})`;
}

function ratedText(score) {
  if (!score) return "";
  return `${score.rated} of ${score.total}`;
}

function actionButton(action, label, audit) {
  return el("button", {
    className: "md-button history-table__button",
    attrs: { type: "button", "data-action": action, "data-id": audit.id },
  }, label, el("span", { className: "visually-hidden" }, " ", isolated(audit.name)));
}

function row(audit, openId) {
  const isOpen = audit.id === openId;
  const name = el("th", { attrs: { scope: "row" } }, isolated(audit.name));
  if (isOpen) name.append(" ", el("strong", { className: "history-table__open", text: "Open now" }));
  return el("tr", { attrs: { "data-audit-id": audit.id } },
    name,
    el("td", {}, isolated(audit.details?.date || "")),
    el("td", {}, isolated(audit.details?.completed_by || "")),
    el("td", { text: scoreText(audit.score) }),
    el("td", { text: ratedText(audit.score) }),
    el("td", { className: "history-table__actions" },
      isOpen ? null : actionButton("history-open", "Open", audit),
      actionButton("history-rename", "Rename", audit),
      actionButton("history-download", "Download", audit),
      actionButton("history-delete", "Delete", audit)));
}

export function renderHistory(root, audits, openId) {
  root.querySelector("[data-history]").hidden = false;
  root.querySelector("[data-history-empty]").hidden = audits.length > 0;
  root.querySelector("[data-history-scroll]").hidden = audits.length === 0;
  root.querySelector("[data-history-rows]").replaceChildren(...audits.map((audit) => row(audit, openId)));
}

// Renaming happens in the row itself: a labelled box, Save and Cancel.
export function showRename(root, audit, { onSave, onCancel }) {
  const cell = root.querySelector(`tr[data-audit-id="${CSS.escape(audit.id)}"] > th`);
  const inputId = `rename-${audit.id}`;
  const input = el("input", { className: "audit-input", attrs: { id: inputId, type: "text", maxlength: 200, autocomplete: "off" } });
  input.value = audit.name;
  const save = el("button", { className: "md-button md-button--primary", text: "Save name", attrs: { type: "button" } });
  const cancel = el("button", { className: "md-button", text: "Cancel", attrs: { type: "button" } });
  const submit = () => onSave(input.value.trim() || audit.name);
  save.addEventListener("click", submit);
  cancel.addEventListener("click", onCancel);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") submit();
    else if (event.key === "Escape") onCancel();
  });
  cell.replaceChildren(
    el("label", { className: "audit-label", text: "New name", attrs: { for: inputId } }),
    input,
    el("span", { className: "audit-buttons" }, save, cancel),
  );
  input.focus();
  input.select();
}
