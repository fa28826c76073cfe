// Reads and writes the form as the saved-audit JSON. Each field's name is its
// path in that JSON (e.g. "responses.safe-ethos-1.evidence"), set at build
// time from the framework data, so this file knows no statements or formats.

function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
}

function getPath(source, path) {
  return path.split(".").reduce((node, key) => (node == null ? undefined : node[key]), source);
}

// The answers as the engine's saved-audit format. Untouched fields are left
// out (the engine treats missing as empty), which keeps storage small.
export function readAnswers(form, header) {
  const answers = { ...header, details: {}, responses: {}, subsection_notes: {} };
  for (const field of form.elements) {
    if (!field.name || (field.type === "radio" && !field.checked)) continue;
    if (field.value === "") continue;
    setPath(answers, field.name, field.value);
  }
  return answers;
}

export function writeAnswers(form, answers) {
  for (const field of form.elements) {
    if (!field.name) continue;
    const value = getPath(answers, field.name);
    if (field.type === "radio") field.checked = (value ?? "") === field.value;
    else field.value = value ?? "";
  }
}

export function ratingOf(fieldset) {
  const checked = fieldset.querySelector("input[type=radio]:checked");
  return checked ? checked.value : "";
}
