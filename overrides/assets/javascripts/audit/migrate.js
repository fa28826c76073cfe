// Earlier versions of this site kept one audit per framework in localStorage.
// On the first visit after the history arrived, those answers become the
// first audit in the history, and anything that could not be read is kept
// aside there, exactly as it was. The old copy is removed only once the new
// one is safely written, so nothing is lost if this fails halfway.
import { LocalRecord, isObject } from "./storage.js";
import { defaultName } from "./history.js";

function validDate(iso) {
  const date = new Date(iso);
  return typeof iso === "string" && !Number.isNaN(date.getTime()) ? date : null;
}

// Where earlier versions kept the answers (a LocalRecord).
export function singleAuditRecord(frameworkId) {
  return new LocalRecord(`belonging-audit/${frameworkId}/answers`, { isValid: (record) => isObject(record.answers) });
}

// Returns { status, keptNow, raw }: status is what the old storage held
// ("empty", "ok" or "unreadable"); keptNow is false if text that could not be
// read (raw) could not be kept aside either, and then the old copy stays too.
export async function migrateSingleAudit(history, frameworkId) {
  const old = singleAuditRecord(frameworkId);
  const found = old.read();
  if (found.status === "ok") {
    const savedAt = validDate(found.record.savedAt) || new Date();
    await history.create({ name: defaultName(savedAt), answers: found.record.answers, createdAt: savedAt.toISOString() });
    old.remove();
  }
  for (const entry of old.keptAside()) {
    if (!(await history.keepAside(entry.raw))) return { status: found.status, keptNow: false, raw: entry.raw };
  }
  old.removeKeptAside();
  if (found.status === "unreadable") {
    if (!(await history.keepAside(found.raw))) return { status: "unreadable", keptNow: false, raw: found.raw };
    old.remove();
  }
  return { status: found.status, keptNow: true, raw: found.raw };
}
