// Every audit a school has done, kept on this device, in this browser's
// IndexedDB (through idb-keyval, served from this site). Nothing is sent
// anywhere.
//
// One small index per framework lists the audits (name, dates, details and
// the last score the engine gave), so the list shows without reading every
// audit or starting Python; each audit's answers sit under a key of their
// own. Saving an audit writes its answers and its line in the index in one
// transaction, so the two never disagree.
//
//   index/<framework id>      { audits: [summary, ...] }   (oldest first)
//   audit/<audit id>          { id, framework_id, answers, saved_at, tab_id }
//   kept-aside/<framework id> [{ keptAt, raw }, ...]
//
// Every method may throw where the browser refuses storage (turned off, or
// full): callers say so plainly and keep the answers on screen.
import { createStore, promisifyRequest } from "../../vendor/idb-keyval.mjs";

const DATABASE = "belonging-audit";
const STORE = "audits";
let sharedStore = null;

function database() {
  sharedStore ??= createStore(DATABASE, STORE);
  return sharedStore;
}

// One transaction over the store: `work(objectStore)` returns a promise.
function transaction(mode, work) {
  return database()(mode, (store) => work(store));
}

const request = (req) => promisifyRequest(req);

function newId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// "Audit, 2 December 2026": the name a new audit gets until it is renamed
// (an agreed audit's: "Agreed audit, 2 December 2026").
export function defaultName(when = new Date(), kind = "Audit") {
  return `${kind}, ${when.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" })}`;
}

// Oldest first: the order of the list, the trend and the report. (Audits
// added from a backup keep the dates they were made.)
function sortedByCreation(audits) {
  return [...audits].sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
}

// The details the list shows, from an audit's answers.
function detailsOf(answers) {
  const details = (answers && typeof answers.details === "object" && answers.details) || {};
  const text = (value) => (typeof value === "string" ? value : "");
  return { school: text(details.school), date: text(details.date), completed_by: text(details.completed_by) };
}

export class AuditHistory {
  constructor(frameworkId) {
    this.frameworkId = frameworkId;
    this.indexKey = `index/${frameworkId}`;
    this.asideKey = `kept-aside/${frameworkId}`;
    this.tabId = Math.random().toString(36).slice(2);
  }

  auditKey(id) {
    return `audit/${id}`;
  }

  // The audits of this framework, oldest first (an empty list if none yet).
  async list() {
    const index = await transaction("readonly", (store) => request(store.get(this.indexKey)));
    return sortedByCreation(Array.isArray(index?.audits) ? index.audits : []);
  }

  async get(id) {
    return transaction("readonly", (store) => request(store.get(this.auditKey(id))));
  }

  async getMany(ids) {
    return transaction("readonly", (store) => Promise.all(ids.map((id) => request(store.get(this.auditKey(id))))));
  }

  // Apply `change(summaries)` to the index and put `records` in the same transaction.
  async #update(change, records = []) {
    return transaction("readwrite", async (store) => {
      const index = (await request(store.get(this.indexKey))) || { audits: [] };
      const audits = change(Array.isArray(index.audits) ? index.audits : []);
      for (const record of records) store.put(record, this.auditKey(record.id));
      await request(store.put({ ...index, audits }, this.indexKey));
      return sortedByCreation(audits);
    });
  }

  // A new audit with these answers; returns its summary. A name already in
  // use gets a number ("Audit, 2 December 2026 (2)"), so every line differs.
  async create({ name = defaultName(), answers, createdAt = new Date().toISOString() }) {
    const summary = {
      id: newId(), name, created_at: createdAt, updated_at: createdAt, details: detailsOf(answers), score: null,
    };
    const record = { id: summary.id, framework_id: this.frameworkId, answers, saved_at: createdAt, tab_id: this.tabId };
    await this.#update((audits) => {
      const taken = new Set(audits.map((audit) => audit.name));
      for (let number = 2; taken.has(summary.name); number += 1) summary.name = `${name} (${number})`;
      return [...audits, summary];
    }, [record]);
    return summary;
  }

  // Add audits from a backup, as they were (ids, names and dates kept).
  async addMany(entries) {
    const summaries = entries.map(({ id, name, created_at: createdAt, updated_at: updatedAt, answers, score }) => ({
      id, name, created_at: createdAt, updated_at: updatedAt, details: detailsOf(answers), score: score || null,
    }));
    const records = entries.map(({ id, answers, updated_at: updatedAt }) => ({
      id, framework_id: this.frameworkId, answers, saved_at: updatedAt, tab_id: this.tabId,
    }));
    await this.#update((audits) => [...audits, ...summaries], records);
  }

  // Save the open audit's answers; returns the record written.
  async save(id, answers) {
    const savedAt = new Date().toISOString();
    const record = { id, framework_id: this.frameworkId, answers, saved_at: savedAt, tab_id: this.tabId };
    await this.#update((audits) => audits.map((audit) => (audit.id === id
      ? { ...audit, updated_at: savedAt, details: detailsOf(answers) }
      : audit)), [record]);
    return record;
  }

  // The engine's latest score for an audit, for the list (no answers change).
  async setScore(id, score) {
    return this.#update((audits) => audits.map((audit) => (audit.id === id ? { ...audit, score } : audit)));
  }

  async rename(id, name) {
    return this.#update((audits) => audits.map((audit) => (audit.id === id ? { ...audit, name } : audit)));
  }

  async remove(id) {
    return transaction("readwrite", async (store) => {
      const index = (await request(store.get(this.indexKey))) || { audits: [] };
      store.delete(this.auditKey(id));
      const audits = (index.audits || []).filter((audit) => audit.id !== id);
      await request(store.put({ ...index, audits }, this.indexKey));
      return sortedByCreation(audits);
    });
  }

  // ---- Kept aside: stored text this page could not use, exactly as it was ----
  async keepAside(raw) {
    return transaction("readwrite", async (store) => {
      const kept = (await request(store.get(this.asideKey))) || [];
      if (!kept.some((entry) => entry.raw === raw)) kept.push({ keptAt: new Date().toISOString(), raw });
      await request(store.put(kept, this.asideKey));
      return true;
    }).catch(() => false);
  }

  async keptAside() {
    const kept = await transaction("readonly", (store) => request(store.get(this.asideKey))).catch(() => null);
    return Array.isArray(kept) ? kept.filter((entry) => entry && typeof entry.raw === "string") : [];
  }

  async removeKeptAside() {
    await transaction("readwrite", (store) => request(store.delete(this.asideKey)));
  }
}

// Which audit a tab has open survives a reload of the tab (sessionStorage).
// The Agree page sets it too, so the audit it adds is the one that opens.
export function openAuditMemory(frameworkId) {
  const key = `belonging-audit/${frameworkId}/open`;
  return {
    get: () => { try { return sessionStorage.getItem(key); } catch (error) { return null; } },
    set: (value) => { try { sessionStorage.setItem(key, value); } catch (error) { /* a reload opens the latest */ } },
  };
}

// Tabs and windows with the same framework open hear of each other's saves.
export function historyChannel(frameworkId) {
  try {
    return new BroadcastChannel(`belonging-audit/${frameworkId}`);
  } catch (error) {
    return null;
  }
}
