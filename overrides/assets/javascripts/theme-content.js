// Material for MkDocs' content-tab restore, moved out of an inline <script> for
// the CSP: re-select the tab the reader chose last time, and open the tab a
// link points at (#__tabbed_1_2).
(function restoreTabs() {
  const tabs = __md_get("__tabs");
  if (Array.isArray(tabs)) {
    sets: for (const set of document.querySelectorAll(".tabbed-set")) {
      const labels = set.querySelector(".tabbed-labels");
      for (const tab of tabs) {
        for (const label of labels.getElementsByTagName("label")) {
          if (label.innerText.trim() === tab) {
            document.getElementById(label.htmlFor).checked = true;
            continue sets;
          }
        }
      }
    }
  }
  const target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
