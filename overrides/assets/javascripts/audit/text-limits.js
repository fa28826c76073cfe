// Answer boxes hold what the engine accepts, and say so where typing
// happens. The limit itself is the engine's (`maxlength`, set at build time
// from audit_app), so the form and every saved file agree:
// * near the limit, a GOV.UK-style count says how many characters are left;
// * a paste that does not fit says how much was kept (the rest is still on
//   the clipboard), rather than being cut short in silence;
// * a damaged character (half of an emoji pair) is repaired where it was typed.
import { el } from "./dom.js";

const WARN_FROM = 0.9;

function messageFor(field) {
  const id = `${field.id}-limit`;
  let message = document.getElementById(id);
  if (!message) {
    message = el("p", { className: "audit-hint audit-limit", attrs: { id, "aria-live": "polite" } });
    field.after(message);
    field.setAttribute("aria-describedby", `${field.getAttribute("aria-describedby") || ""} ${id}`.trim());
  }
  return message;
}

function countLeft(field) {
  const limit = field.maxLength;
  const left = limit - field.value.length;
  if (field.value.length < limit * WARN_FROM && !document.getElementById(`${field.id}-limit`)) return;
  const message = messageFor(field);
  message.classList.toggle("audit-limit--reached", left <= 0);
  if (field.value.length < limit * WARN_FROM) message.textContent = "";
  else if (left > 0) message.textContent = `You have ${left.toLocaleString("en-GB")} characters left.`;
  else message.textContent = `This box is full: it holds up to ${limit.toLocaleString("en-GB")} characters.`;
}

function repairCharacters(field) {
  if (field.value.isWellFormed()) return false;
  field.value = field.value.toWellFormed();
  messageFor(field).textContent = "A damaged character (for example, half of an emoji) was replaced with �.";
  return true;
}

function notePaste(event) {
  const field = event.target;
  if (!(field.maxLength > 0)) return;
  const pasted = event.clipboardData?.getData("text/plain") || "";
  const room = field.maxLength - field.value.length + (field.selectionEnd - field.selectionStart);
  if (pasted.length <= room) return;
  // Read after the browser has inserted what fits.
  setTimeout(() => {
    messageFor(field).textContent = `Only the first ${Math.max(room, 0).toLocaleString("en-GB")} characters of what you `
      + `pasted fitted: this box holds up to ${field.maxLength.toLocaleString("en-GB")} characters. `
      + "The rest is still on your clipboard.";
  });
}

export function watchTextLimits(form) {
  form.addEventListener("input", (event) => {
    const field = event.target;
    if (!(field.maxLength > 0)) return;
    if (!repairCharacters(field)) countLeft(field);
  });
  form.addEventListener("paste", notePaste);
}
