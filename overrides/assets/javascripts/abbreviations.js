// Abbreviations explain themselves on hover (their title). So that keyboard
// users get the same, the first use of each abbreviation on a page takes
// focus and shows its meaning (see site.css). Only the first, so the Tab key
// is not swamped.
(function makeAbbreviationsFocusable() {
  const seen = new Set();
  for (const abbr of document.querySelectorAll(".md-content abbr[title]")) {
    if (seen.has(abbr.textContent)) continue;
    seen.add(abbr.textContent);
    abbr.tabIndex = 0;
  }
})();
