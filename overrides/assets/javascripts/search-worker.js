// Material's search worker, told to build its index later. Building the
// index of the whole site takes a few hundred milliseconds of processor time
// on every page load; on a two-core school laptop that slows whatever else
// is starting, above all the self-audit's Python. So the index is built once
// the page has had INDEX_DELAY_MS to settle, or at once when the reader
// reaches for search (search-wake.js says so on a BroadcastChannel). Until
// then Material's own messages wait here, in order, and nothing is lost.
//
// macros/search_deferral.py points Material's config at this file, naming
// Material's worker in the query string (it carries a content hash).
const INDEX_DELAY_MS = 3000;
const MATERIAL_WORKER = /^workers\/search\.[0-9a-f]+\.min\.js$/;

const held = [];
let building = false;

function buildNow() {
  if (building) return;
  building = true;
  for (const data of held.splice(0)) self.dispatchEvent(new MessageEvent("message", { data }));
}

// Registered before Material's listener, so it runs first and can hold a message back.
self.addEventListener("message", (event) => {
  if (building) return;
  event.stopImmediatePropagation();
  if (held.push(event.data) === 1) setTimeout(buildNow, INDEX_DELAY_MS);
});
// The page may have said "build" before this worker was listening, so it
// also asks; the page answers if the reader has reached for search.
const wake = new BroadcastChannel("search-wake");
wake.addEventListener("message", (event) => { if (event.data === "build") buildNow(); });
wake.postMessage("wanted?");

const material = new URL(self.location.href).searchParams.get("material") || "";
if (!MATERIAL_WORKER.test(material)) throw new Error(`Not Material's search worker: ${material}`);
importScripts(new URL(material, self.location.href).href);
