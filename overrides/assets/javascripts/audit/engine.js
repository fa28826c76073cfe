// The page's door to the Python worker: one promise per request, and one
// clear answer about whether the engine started, within a time limit (a
// WebAssembly blocked by policy can hang rather than fail).

export const ENGINE_TIMEOUT_MS = 60000;

// Started once the form is usable: the page's goal is that people can type
// before any Python byte arrives, and on a two-core laptop compiling
// WebAssembly alongside parsing the page slows both.
export function startWorker() {
  try {
    return new Worker(new URL("../audit-worker.js", import.meta.url), { type: "module", name: "audit-engine" });
  } catch (error) {
    return null;
  }
}

export class Engine {
  constructor(worker, { timeoutMs = ENGINE_TIMEOUT_MS } = {}) {
    this.worker = worker;
    this.pending = new Map();
    this.nextId = 1;
    this.state = worker ? "starting" : "failed";
    this.failure = worker ? "" : "This browser cannot run the Python engine.";
    this.listeners = new Set();
    if (!worker) return;
    this.timer = setTimeout(() => this.fail("The Python engine took too long to start."), timeoutMs);
    worker.addEventListener("message", (event) => this.receive(event.data));
    worker.addEventListener("error", (event) => this.fail(event.message || "The Python engine stopped."));
  }

  onStateChange(listener) {
    this.listeners.add(listener);
    listener(this.state, this.failure);
  }

  setState(state, message = "") {
    if (this.state !== "starting") return;
    clearTimeout(this.timer);
    this.state = state;
    this.failure = message;
    this.listeners.forEach((listener) => listener(state, message));
  }

  fail(message) {
    this.setState("failed", message);
    for (const { reject } of this.pending.values()) reject(new Error(message));
    this.pending.clear();
  }

  receive(message) {
    if (message.type === "status") {
      if (message.state === "ready") this.setState("ready");
      else this.fail(message.message);
      return;
    }
    const request = this.pending.get(message.id);
    if (!request) return;
    this.pending.delete(message.id);
    if (message.ok) request.resolve(message.result);
    else request.reject(new Error(message.error));
  }

  // Pages with Excel downloads ask for it once they are showing answers.
  prepareExcel() {
    this.call("prepare_excel").catch(() => { /* the Excel button will say */ });
  }

  call(op, ...args) {
    if (this.state === "failed") return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args });
    });
  }
}
