// Material's header buttons for the navigation drawer (below 1220 px) and
// the search box (below 960 px) are <label>s for hidden checkboxes: a mouse
// can use them, a keyboard cannot even reach them. Each becomes a button for
// the keyboard and for assistive technology: it takes focus, has a name,
// says whether what it opens is open, and works with Enter and Space.
// Opened, the drawer takes focus; it closes with Escape (focus goes back to
// its button) and when focus leaves it for the page that its shade covers.
// site.css hides the closed drawer and search box, so their links are not
// invisible Tab stops. Loaded on every page (overrides/main.html).
(function keyboardHeaderButtons() {
  const drawer = document.getElementById("__drawer");
  const search = document.getElementById("__search");

  const makeButton = (toggle, name) => {
    const label = toggle && document.querySelector(`.md-header label.md-header__button[for="${toggle.id}"]`);
    if (!label) return null;
    label.tabIndex = 0;
    label.setAttribute("role", "button");
    label.setAttribute("aria-label", name);
    const show = () => label.setAttribute("aria-expanded", String(toggle.checked));
    show();
    toggle.addEventListener("change", show);
    label.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      // Handled here, so Material's own Enter-on-a-label handler must not
      // toggle it a second time.
      event.preventDefault();
      event.stopPropagation();
      toggle.click();
    });
    return label;
  };

  // A browser may bring a page back with a checkbox as it was left (the
  // theme's markup no longer asks it not to): start with both closed.
  window.addEventListener("pageshow", () => {
    for (const toggle of [drawer, search]) if (toggle && toggle.checked) toggle.click();
  });

  const menuButton = makeButton(drawer, "Site menu");
  makeButton(search, "Search");
  if (!menuButton) return;

  const sidebar = document.querySelector(".md-sidebar--primary");
  if (!sidebar) return;
  const close = () => { if (drawer.checked) drawer.click(); };

  // Opened, the drawer covers the rest of the page (header included) with
  // its shade: focus moves into it, and leaving it closes it.
  drawer.addEventListener("change", () => {
    if (!drawer.checked) return;
    const first = sidebar.querySelector("a[href], [tabindex='0']");
    if (first) first.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !drawer.checked) return;
    close();
    menuButton.focus();
  });
  document.addEventListener("focusin", (event) => {
    if (!drawer.checked || sidebar.contains(event.target) || event.target === menuButton) return;
    close();
  });
})();
