// Material for MkDocs' storage helpers, moved out of an inline <script> so the
// Content-Security-Policy can forbid inline scripts. Same behaviour: settings
// (palette, tabs) are stored per site, scoped to the site's root URL, which
// we derive from this file's own address (<root>/assets/javascripts/).
__md_scope = new URL("../../", document.currentScript.src);
__md_hash = (value) => [...value].reduce((hash, char) => (hash << 5) - hash + char.charCodeAt(0), 0);
// Storage may be full, disabled, or throw on mere access (some privacy
// settings), so even reaching localStorage happens inside the try: the theme
// works without remembered settings.
__md_get = (key, storage, scope = __md_scope) => {
  try {
    return JSON.parse((storage || localStorage).getItem(scope.pathname + "." + key));
  } catch (error) {
    return null;
  }
};
__md_set = (key, value, storage, scope = __md_scope) => {
  try {
    (storage || localStorage).setItem(scope.pathname + "." + key, JSON.stringify(value));
  } catch (error) {
    // Nothing remembered; nothing lost.
  }
};
