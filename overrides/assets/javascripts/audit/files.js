// Files a user chooses, read in this browser: nothing is sent anywhere.
// A file is read as bytes and decoded by the engine (audit_app), which
// checks its size, encoding and shape by the same rules as the command line,
// so a file in an unexpected encoding is refused rather than changed unseen.

import { isolate } from "./dom.js";

// The problem with a file too large to be a saved audit, before reading it.
export function tooLarge(file, maxBytes) {
  if (file.size <= maxBytes) return null;
  return `The file is too large (${(file.size / 1024 / 1024).toFixed(1)} MB). A saved audit is never more than `
    + `${Math.floor(maxBytes / 1024 / 1024)} MB, so this is probably not the right file.`;
}

// The file's bytes, as the engine takes them.
export async function fileBytes(file) {
  return new Uint8Array(await file.arrayBuffer());
}

// { text } or { problems }: the file's text as the engine decoded it.
async function readOne(engine, file, maxBytes) {
  const large = tooLarge(file, maxBytes);
  if (large) return { problems: [large] };
  try {
    const outcome = JSON.parse(await engine.call("read_file", await fileBytes(file)));
    return outcome.ok ? { text: outcome.text } : { problems: outcome.problems };
  } catch (error) {
    return { problems: [`The file could not be read: ${error.message}`] };
  }
}

// The chosen files as { files: [{ name, text }], problems }, in the order
// chosen. Each problem names its file (isolated, so direction marks in a
// name cannot reorder the sentence).
export async function readFiles(engine, fileList, maxBytes) {
  const files = [];
  const problems = [];
  for (const file of fileList) {
    const read = await readOne(engine, file, maxBytes);
    if (read.text !== undefined) files.push({ name: file.name, text: read.text });
    else problems.push(...read.problems.map((problem) => `${isolate(file.name || "A file with no name")}: ${problem}`));
  }
  return { files, problems };
}
