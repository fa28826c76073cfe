// Tells the search worker (search-worker.js) to build its index now: the
// reader has reached for search (focus in the search box, by Tab, "/" or
// "s", or the search button), or arrived with a search in the address (?q=).
// A worker that starts later asks ("wanted?") and is told again.
(function wakeSearchWhenWanted() {
  const form = document.forms.namedItem("search");
  if (!form || !self.BroadcastChannel) return;
  const channel = new BroadcastChannel("search-wake");
  let wanted = false;
  const wake = () => {
    wanted = true;
    channel.postMessage("build");
  };
  channel.addEventListener("message", (event) => {
    if (event.data === "wanted?" && wanted) channel.postMessage("build");
  });
  const toggle = document.getElementById("__search");
  if (new URLSearchParams(location.search).has("q") || form.contains(document.activeElement)) wake();
  form.addEventListener("focusin", wake, { once: true });
  if (toggle) toggle.addEventListener("change", wake, { once: true });
})();
