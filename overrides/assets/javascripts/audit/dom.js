// Building page content from data. Text always goes in as textContent, so
// nothing a user typed, or a file held, can ever become markup.

// A new element: el("p", { className: "x", text: "words", attrs: { id: "y" } }, ...children).
// Text always goes in as textContent.
export function el(tag, { className = "", text = null, attrs = {} } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

// A GOV.UK-style error summary: list the problems and, unless the page is
// only restoring what it showed before a reload, move focus to it.
export function showProblems(summary, problems, { focus = true } = {}) {
  summary.querySelector("[data-error-list]").replaceChildren(...problems.map((text) => el("li", { text })));
  summary.hidden = false;
  if (focus) summary.focus();
}

// A name or text a user or a file supplied, inside a sentence: isolated, so
// right-to-left marks or overrides in it cannot reorder the words around it.
// As an element where the sentence is built from nodes; as Unicode isolates
// where it must be a string (an error summary item, a live announcement).
export function isolated(text) {
  return el("bdi", { text });
}

export const isolate = (text) => `\u2068${text}\u2069`;

// The engine's state in a page's status banner, in that page's own words.
export function showEngineState(banner, state, message, { ready, failed }) {
  if (state === "starting") return;
  banner.classList.toggle("audit-banner--warning", state !== "ready");
  if (state === "ready") banner.textContent = ready;
  else if (state === "restarting") banner.textContent = message;
  else banner.textContent = failed(message);
}
