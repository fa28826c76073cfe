// The page's door to the Python worker. Every call ends in an answer or a
// plain message, never a wait without end: the engine is watched, and if its
// worker fails, stops answering, or Python suffers a fatal error after it had
// started, it is restarted once; if that fails too, the page is told plainly.
//
// States: "starting" -> "ready" | "failed"; "ready" -> "restarting" ->
// "ready" | "failed". Listeners get (state, message) on every change.

// A WebAssembly blocked by policy can hang rather than fail.
const START_TIMEOUT_MS = 60000;
// No call takes more than a fraction of a second once Python runs; one that
// has not answered in this time means the worker is gone or stuck.
const CALL_TIMEOUT_MS = 20000;
// The first Excel export fetches and imports openpyxl, which takes longer.
const EXCEL_CALL_TIMEOUT_MS = 90000;
const RESTARTS_ALLOWED = 1;

const MESSAGES = {
  noWorker: "This browser cannot run the scoring engine.",
  startTimeout: "The scoring engine took too long to start.",
  noWasm: "This browser does not allow WebAssembly here, which the scoring engine needs.",
  damaged: "The scoring engine’s files could not be loaded, or are damaged.",
  restarting: "The scoring engine stopped unexpectedly and is restarting. Your answers are safe.",
  stoppedAgain: "The scoring engine stopped again, so it is not available in this tab. Reload the page to try again.",
  callLost: "The scoring engine stopped before it answered.",
};

// Started once the form is usable: the page's goal is that people can type
// before any Python byte arrives, and on a two-core laptop compiling
// WebAssembly alongside parsing the page slows both.
function startWorker() {
  try {
    return new Worker(new URL("../audit-worker.js", import.meta.url), { type: "module", name: "audit-engine" });
  } catch (error) {
    return null;
  }
}

// What a school leader is told when the engine cannot start. The worker's
// own words (a Python traceback, "exit(1)") are for developers: the console.
function startFailure(detail) {
  if (detail) console.warn(`Scoring engine: ${detail}`);
  return /webassembly/i.test(detail || "") ? MESSAGES.noWasm : MESSAGES.damaged;
}

export class Engine {
  constructor() {
    this.pending = new Map();
    this.waiting = [];
    this.nextId = 1;
    this.restartsLeft = RESTARTS_ALLOWED;
    this.listeners = new Set();
    this.state = "starting";
    this.failure = "";
    this.launch();
  }

  launch() {
    this.worker = startWorker();
    if (!this.worker) {
      this.setState("failed", MESSAGES.noWorker);
      return;
    }
    const worker = this.worker;
    this.startTimer = setTimeout(() => this.lost(worker, MESSAGES.startTimeout), START_TIMEOUT_MS);
    worker.addEventListener("message", (event) => { if (worker === this.worker) this.receive(event.data); });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.lost(worker, event.message || MESSAGES.callLost);
    });
  }

  onStateChange(listener) {
    this.listeners.add(listener);
    listener(this.state, this.failure);
  }

  setState(state, message = "") {
    clearTimeout(this.startTimer);
    this.state = state;
    this.failure = state === "failed" ? message : "";
    const waiting = state === "ready" || state === "failed" ? this.waiting.splice(0) : [];
    for (const request of waiting) {
      if (state === "ready") this.send(request);
      else request.reject(new Error(message));
    }
    this.listeners.forEach((listener) => listener(state, message));
  }

  // The worker failed, went quiet or reported a fatal error. Before it ever
  // started, that is final (a restart would meet the same blocked file);
  // after, it is restarted once.
  lost(worker, detail) {
    if (worker !== this.worker || this.state === "failed") return;
    worker.terminate();
    this.worker = null;
    const restarted = this.restartsLeft < RESTARTS_ALLOWED;
    if (this.state === "starting") {
      const message = restarted ? MESSAGES.stoppedAgain : startFailure(detail);
      this.rejectPending(message);
      this.setState("failed", message);
      return;
    }
    this.rejectPending(MESSAGES.callLost);
    if (this.restartsLeft > 0) {
      this.restartsLeft -= 1;
      console.warn(`Scoring engine restarted: ${detail}`);
      this.setState("restarting", MESSAGES.restarting);
      this.state = "starting";
      this.launch();
    } else {
      this.setState("failed", MESSAGES.stoppedAgain);
    }
  }

  rejectPending(message) {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new Error(message));
    }
    this.pending.clear();
  }

  receive(message) {
    if (message.type === "status") {
      if (message.state === "ready" && this.state === "starting") this.setState("ready");
      else if (message.state === "failed") this.lost(this.worker, message.message);
      return;
    }
    const request = this.pending.get(message.id);
    if (!request) return;
    this.pending.delete(message.id);
    clearTimeout(request.timer);
    if (message.ok) request.resolve(message.result);
    else request.reject(new Error(message.error));
  }

  // Pages with Excel downloads ask for it once they are showing answers.
  prepareExcel() {
    this.call("prepare_excel").catch(() => { /* the Excel button will say */ });
  }

  // Calls made while the engine starts (or restarts) wait for it; their
  // time limit runs from when they are sent.
  call(op, ...args) {
    if (this.state === "failed") return Promise.reject(new Error(this.failure));
    return new Promise((resolve, reject) => {
      const request = { op, args, resolve, reject };
      if (this.state === "ready") this.send(request);
      else this.waiting.push(request);
    });
  }

  send({ op, args, resolve, reject }) {
    const id = this.nextId++;
    const worker = this.worker;
    const timeout = op === "prepare_excel" || args.includes("xlsx") ? EXCEL_CALL_TIMEOUT_MS : CALL_TIMEOUT_MS;
    const timer = setTimeout(() => this.lost(worker, `no answer to ${op} within ${timeout} ms`), timeout);
    this.pending.set(id, { resolve, reject, timer });
    worker.postMessage({ id, op, args });
  }
}

// An engine answer that is problems rather than a result ({"ok": false, ...}).
export function problemsIn(result) {
  if (typeof result !== "string" || !result.startsWith('{"ok": false')) return null;
  try {
    return JSON.parse(result).problems || ["The engine could not do that."];
  } catch (error) {
    return ["The engine could not do that."];
  }
}
