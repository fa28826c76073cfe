// Reads and writes the form as the saved-audit JSON. Each field's name is its
// path in that JSON (e.g. "responses.safe-ethos-1.evidence"), set at build
// time from the framework data, so this file knows no statements or formats.

// Parts of a saved audit that say what it is, rather than hold answers.
const HEADER_KEYS = new Set(["schema", "framework"]);

function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
}

function getPath(source, path) {
  return path.split(".").reduce((node, key) => (node == null ? undefined : node[key]), source);
}

// Every [path, value] of the answers that is not itself a group of values.
function leaves(value, path = "") {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [[path, value]];
  return Object.entries(value).flatMap(([key, inner]) => (
    path === "" && HEADER_KEYS.has(key) ? [] : leaves(inner, path ? `${path}.${key}` : key)
  ));
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

// Puts saved answers into the form and returns the paths of the answers it
// could not show: answers for statements this version no longer has, and
// values of the wrong kind. The caller keeps the saved copy safe when any
// are left over, because the next save would drop them.
export function writeAnswers(form, answers) {
  const radioValues = new Map();
  for (const field of form.elements) {
    if (!field.name) continue;
    const value = getPath(answers, field.name);
    const text = typeof value === "string" ? value : "";
    if (field.type === "radio") {
      field.checked = text === field.value;
      radioValues.set(field.name, [...(radioValues.get(field.name) || []), field.value]);
    } else {
      field.value = text;
    }
  }
  const fieldNames = new Set([...form.elements].map((field) => field.name).filter(Boolean));
  return leaves(answers).filter(([path, value]) => {
    if (value === null || value === undefined || value === "") return false;
    if (typeof value !== "string" || !fieldNames.has(path)) return true;
    return radioValues.has(path) && !radioValues.get(path).includes(value);
  }).map(([path]) => path);
}

export function ratingOf(fieldset) {
  const checked = fieldset.querySelector("input[type=radio]:checked");
  return checked ? checked.value : "";
}
