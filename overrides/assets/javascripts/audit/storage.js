// Everything the tools keep in this browser goes through here. Storage can be
// full, turned off, or throw on mere access (some privacy settings), and a
// kept record can be damaged or written by an older version of the site. So
// every method answers rather than throws, and a record that cannot be read
// is never overwritten before it has been kept aside, exactly as it was.

// This site's localStorage, or null where the browser refuses access.
function storageArea() {
  try {
    return window.localStorage;
  } catch (error) {
    return null;
  }
}

function readKey(key) {
  try {
    return storageArea()?.getItem(key) ?? null;
  } catch (error) {
    return null;
  }
}

function writeKey(key, value) {
  try {
    const area = storageArea();
    if (!area) return false;
    area.setItem(key, value);
    return true;
  } catch (error) {
    return false;
  }
}

function removeKey(key) {
  try {
    storageArea()?.removeItem(key);
  } catch (error) {
    // Nothing could be kept, so nothing needs removing.
  }
}

export const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

// One record under one key: { ...content, savedAt, tabId }. `isValid` says
// whether a parsed record has the shape this page can use.
export class LocalRecord {
  constructor(key, { isValid = isObject } = {}) {
    this.key = key;
    this.asideKey = `${key}/kept-aside`;
    this.isValid = (record) => isObject(record) && isValid(record);
    this.tabId = Math.random().toString(36).slice(2);
  }

  // { status: "empty" } | { status: "ok", record, raw } | { status: "unreadable", raw }
  read() {
    const raw = readKey(this.key);
    if (raw === null) return { status: "empty" };
    let record;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      return { status: "unreadable", raw };
    }
    return this.isValid(record) ? { status: "ok", record, raw } : { status: "unreadable", raw };
  }

  // The record as written, or null if the browser refused to store it.
  write(content) {
    const record = { ...content, savedAt: new Date().toISOString(), tabId: this.tabId };
    return writeKey(this.key, JSON.stringify(record)) ? record : null;
  }

  remove() {
    removeKey(this.key);
  }

  // Keep a stored text that this page cannot use, exactly as it was, beside
  // the record. Says whether it could be kept.
  keepAside(raw) {
    const kept = this.keptAside();
    if (kept.some((entry) => entry.raw === raw)) return true;
    kept.push({ keptAt: new Date().toISOString(), raw });
    return writeKey(this.asideKey, JSON.stringify(kept));
  }

  keptAside() {
    try {
      const kept = JSON.parse(readKey(this.asideKey) || "[]");
      return Array.isArray(kept) ? kept.filter((entry) => isObject(entry) && typeof entry.raw === "string") : [];
    } catch (error) {
      return [];
    }
  }

  removeKeptAside() {
    removeKey(this.asideKey);
  }

  // Another tab or window wrote this record: tell the caller, with its record.
  onChangeElsewhere(listener) {
    window.addEventListener("storage", (event) => {
      if (event.key !== this.key || event.newValue === null) return;
      try {
        const record = JSON.parse(event.newValue);
        if (this.isValid(record) && record.tabId !== this.tabId) listener(record);
      } catch (error) {
        // Not a record this page wrote; nothing to do.
      }
    });
  }
}

// A small value (a date, a flag) under its own key: best effort, never throws.
export const rememberValue = (key, value) => writeKey(key, value);
export const recallValue = (key) => readKey(key);
export const forgetValue = (key) => removeKey(key);

export async function askToPersist() {
  try {
    return navigator.storage && navigator.storage.persist ? await navigator.storage.persist() : false;
  } catch (error) {
    return false;
  }
}

// Dates from storage may be damaged: an unreadable one is shown as nothing.
function validDate(iso) {
  const date = new Date(iso);
  return typeof iso === "string" && !Number.isNaN(date.getTime()) ? date : null;
}

export function timeOfDay(iso) {
  const date = validDate(iso);
  return date ? date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }) : "";
}

export function dayAndTime(iso) {
  const date = validDate(iso);
  return date ? date.toLocaleString("en-GB", { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }) : "";
}

// "Saved on this device at 10:42." (or without the time if it is unreadable)
export function savedText(iso) {
  const time = timeOfDay(iso);
  return time ? `Saved on this device at ${time}.` : "Saved on this device.";
}
