// How the audit worker starts Python, as fast as this browser allows, and
// prepares Excel support without ever making a score wait.
//
// A return visit restores a memory snapshot of Python with the engine
// already imported (made at build time from blank audits: it never holds
// anyone's answers), kept in Cache Storage. A first visit, or any visit
// whose snapshot is missing, damaged, stale or cannot be stored, starts
// Python plainly; only time tells the difference. Serving the snapshot to
// first visits too would add 6 MB (gzip) to their 5 MB download, so a first
// visit fetches it only after its first score, while the user reads.
// Measured (make bench, medians of 5 profiles): a return visit's first
// score comes at 0.43x the main-thread baseline with the snapshot against
// 0.55x without. Chromium does not reuse compiled WebAssembly here (traces
// show the module compiled again on every visit, even with immutable
// caching), so a restore still compiles pyodide.asm.wasm lazily.
//
// The snapshot API (_loadSnapshot) is private to Pyodide, hence the plain
// start behind every step.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const RUNTIME_URL = new URL("../pyodide/", import.meta.url).href;
const CACHE_NAME = "audit-engine-snapshot";
// The smallest valid WebAssembly module. If the page's policy or the browser
// forbids WebAssembly, compiling it fails at once, whereas Pyodide would hang.
const EMPTY_WASM_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
// Quiet work (fetching the snapshot, importing openpyxl) waits until no
// call has arrived for this long, so it never delays a score.
const IDLE_MS = 1000;
const quiet = { messageCallback: () => {} };

// When the page last asked for something, and whether it is waiting for an
// Excel file right now (then Excel support is prepared at once). This
// listener runs before the worker's own message handler.
let lastCallAt = performance.now();
let excelWanted = false;
const wakeExcelWaiter = new Set();
let sawFirstCall;
const firstCall = new Promise((resolve) => { sawFirstCall = resolve; });
self.addEventListener("message", (event) => {
  lastCallAt = performance.now();
  sawFirstCall();
  if ((event.data.args || []).includes("xlsx")) {
    excelWanted = true;
    wakeExcelWaiter.forEach((wake) => wake());
  }
});

// Resolves once no call has arrived for IDLE_MS (or, with forExcel, as soon
// as an Excel file is wanted).
async function whenIdle({ forExcel = false } = {}) {
  for (;;) {
    const quietFor = performance.now() - lastCallAt;
    if ((forExcel && excelWanted) || quietFor >= IDLE_MS) return;
    await new Promise((resolve) => {
      const wake = () => { clearTimeout(timer); wakeExcelWaiter.delete(wake); resolve(); };
      const timer = setTimeout(wake, IDLE_MS - quietFor);
      if (forExcel) wakeExcelWaiter.add(wake);
    });
  }
}

async function checkWebAssembly() {
  try {
    await WebAssembly.compile(EMPTY_WASM_MODULE);
  } catch (error) {
    throw new Error(`WebAssembly is not available here (${error.message}).`);
  }
}

function startPyodide(snapshot) {
  return loadPyodide({
    indexURL: RUNTIME_URL,
    lockFileURL: new URL("pyodide-lock.json", RUNTIME_URL).href,
    packageBaseUrl: RUNTIME_URL,
    ...(snapshot ? { _loadSnapshot: snapshot } : {}),
  });
}

// snapshot.json names the snapshot made for exactly these runtime files; its
// file name carries the key (build id, stdlib and engine hashes).
async function readManifest() {
  try {
    const response = await fetch(new URL("snapshot.json", RUNTIME_URL));
    return response.ok ? await response.json() : null;
  } catch (error) {
    return null;
  }
}

const snapshotURL = (manifest) => new URL(manifest.file, RUNTIME_URL).href;

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The kept snapshot for this runtime, as a response still to be read, or
// null. Reading 30 MB takes a while, so it overlaps Pyodide's own start.
async function keptSnapshot(manifest) {
  try {
    const cache = await caches.open(CACHE_NAME);
    return (await cache.match(snapshotURL(manifest))) || null;
  } catch (error) {
    return null; // No Cache Storage here (some private modes): start plainly.
  }
}

// Its bytes, if they are exactly what the build made; otherwise the restore
// fails, and the caller removes it and starts plainly.
async function verifiedBytes(response, manifest) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length === manifest.bytes && await sha256(bytes) === manifest.sha256) return bytes;
  throw new Error("the kept snapshot is damaged");
}

// The restored memory holds the engine, its data and openpyxl already
// imported, so it needs nothing from disk: the wheels are not installed again
// (that took 300 ms or more, and would hold up any score asked meanwhile).
// A traceback from it names each file and line, without the line's text.
async function restore(response, manifest) {
  const bytes = verifiedBytes(response, manifest);
  // Pyodide awaits it only after loading its script: until then a rejection
  // would be reported as unhandled.
  bytes.catch(() => {});
  const pyodide = await startPyodide(bytes);
  // Every restore would otherwise draw the same "random" numbers.
  pyodide.runPython("import random; random.seed()");
  return pyodide;
}

async function plainStart() {
  const pyodide = await startPyodide(null);
  await pyodide.loadPackage(["audit-app"], quiet);
  return pyodide;
}

// The snapshot is served gzip-compressed (hosts do not compress unknown
// types); a host that sends it with Content-Encoding has decoded it already.
async function decompressed(response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// After a plain start, while the user reads: fetch this runtime's snapshot
// and keep it for the next visit, replacing any older one.
async function keepSnapshotForNextVisit(manifest) {
  try {
    await firstCall;
    await whenIdle();
    const response = await fetch(snapshotURL(manifest), { cache: "no-store" });
    if (!response.ok) return;
    const bytes = await decompressed(response);
    if (bytes.length !== manifest.bytes || await sha256(bytes) !== manifest.sha256) return;
    const cache = await caches.open(CACHE_NAME);
    for (const request of await cache.keys()) await cache.delete(request);
    await cache.put(snapshotURL(manifest), new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
    performance.mark("audit:snapshot-kept");
  } catch (error) {
    // Storage full or refused: the next visit starts plainly, as this one did.
  }
}

// Starts Python with the engine imported; resolves to { pyodide, bridge, restored }.
export async function startEngine() {
  const [, manifest] = await Promise.all([checkWebAssembly(), self.caches ? readManifest() : null]);
  const kept = manifest && await keptSnapshot(manifest);
  let pyodide = null;
  if (kept) {
    try {
      pyodide = await restore(kept, manifest);
      performance.mark("audit:snapshot-restored");
    } catch (error) {
      console.warn(`Starting the engine without its snapshot: ${error && error.message}`);
      await caches.delete(CACHE_NAME).catch(() => {});
    }
  }
  const restored = Boolean(pyodide);
  pyodide ??= await plainStart();
  if (!restored && manifest) keepSnapshotForNextVisit(manifest);
  return { pyodide, bridge: pyodide.pyimport("audit_app.bridge"), restored };
}

// openpyxl: already imported in a restored snapshot. After a plain start it
// is fetched and imported (one uninterruptible step of a few hundred ms) only
// once the page has been quiet for IDLE_MS, unless an Excel file is wanted now.
let excelSupport = null;

export function prepareExcel(pyodide) {
  excelSupport ??= (async () => {
    if (pyodide.runPython("import sys; 'openpyxl' in sys.modules")) return;
    await whenIdle({ forExcel: true });
    await pyodide.loadPackage(["openpyxl"], quiet);
    await whenIdle({ forExcel: true });
    pyodide.runPython("import openpyxl");
  })();
  return excelSupport;
}
