// Answers live in this browser's localStorage only. Every write can fail
// (storage full, private browsing, disabled): callers are told, never silently.

export class AnswerStore {
  constructor(frameworkId) {
    this.key = `belonging-audit/${frameworkId}/answers`;
    this.downloadKey = `belonging-audit/${frameworkId}/downloaded-at`;
    this.tabId = Math.random().toString(36).slice(2);
  }

  load() {
    const raw = localStorage.getItem(this.key);
    if (!raw) return null;
    try {
      return JSON.parse(raw);
    } catch (error) {
      return null;
    }
  }

  save(answers) {
    const record = { answers, savedAt: new Date().toISOString(), tabId: this.tabId };
    localStorage.setItem(this.key, JSON.stringify(record));
    return record;
  }

  clear() {
    localStorage.removeItem(this.key);
    localStorage.removeItem(this.downloadKey);
  }

  // Remembering when is a convenience: if storage is full, the download
  // itself has still happened, so say when without storing it.
  markDownloaded() {
    const when = new Date().toISOString();
    try {
      localStorage.setItem(this.downloadKey, when);
    } catch (error) {
      // Nothing to do: the caller still shows the time.
    }
    return when;
  }

  lastDownloaded() {
    return localStorage.getItem(this.downloadKey);
  }

  // Another tab saved this audit: tell the caller, with that tab's record.
  onChangeElsewhere(listener) {
    window.addEventListener("storage", (event) => {
      if (event.key !== this.key || event.newValue === null) return;
      try {
        const record = JSON.parse(event.newValue);
        if (record.tabId !== this.tabId) listener(record);
      } catch (error) {
        // Not our format; ignore.
      }
    });
  }

  async askToPersist() {
    if (navigator.storage && navigator.storage.persist) {
      try {
        return await navigator.storage.persist();
      } catch (error) {
        return false;
      }
    }
    return false;
  }
}

export function timeOfDay(iso) {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

export function dayAndTime(iso) {
  return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
}
