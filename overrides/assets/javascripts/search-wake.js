// Tells the search worker (search-worker.js) to build its index now: the
// reader has reached for search (focus in the search box, by Tab, "/" or
// "s", or the search button), or arrived with a search in the address (?q=).
(function wakeSearchWhenWanted() {
  const form = document.forms.namedItem("search");
  if (!form || !self.BroadcastChannel) return;
  const wake = () => new BroadcastChannel("search-wake").postMessage("build");
  const toggle = document.getElementById("__search");
  if (new URLSearchParams(location.search).has("q") || form.contains(document.activeElement)) wake();
  form.addEventListener("focusin", wake, { once: true });
  if (toggle) toggle.addEventListener("change", wake, { once: true });
})();
