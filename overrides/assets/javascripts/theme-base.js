// Material for MkDocs' storage helpers, moved out of an inline <script> so the
// Content-Security-Policy can forbid inline scripts. Same behaviour: settings
// (palette, tabs) are stored per site, scoped to the site's root URL, which
// we derive from this file's own address (<root>/assets/javascripts/).
__md_scope = new URL("../../", document.currentScript.src);
__md_hash = (value) => [...value].reduce((hash, char) => (hash << 5) - hash + char.charCodeAt(0), 0);
__md_get = (key, storage = localStorage, scope = __md_scope) =>
  JSON.parse(storage.getItem(scope.pathname + "." + key));
__md_set = (key, value, storage = localStorage, scope = __md_scope) => {
  try {
    storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
  } catch (error) {
    // Storage may be full or disabled; the theme works without it.
  }
};
