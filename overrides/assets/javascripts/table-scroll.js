// Wide tables on narrow screens: the page itself never scrolls sideways, so a
// table wider than the screen would lose its last columns (WCAG 1.4.10).
// Each table sits in a box that scrolls sideways instead (data tables may,
// under 1.4.10). While, and only while, the box has something to scroll it
// is a named region that takes keyboard focus, so keyboard users can scroll
// it with the arrow keys and screen readers hear what it is; on a wide
// screen it adds no Tab stop and no landmark. Returns the box, which takes
// the table's place (or is to be placed, if the table was not yet in the
// page). Styles: .table-scroll in tools.css.
export function scrollSideways(table, name) {
  const box = document.createElement("div");
  box.className = "table-scroll";
  box.dataset.tableScroll = "";
  if (table.parentNode) table.replaceWith(box);
  box.append(table);
  const update = () => {
    if (!box.isConnected) return;
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name);
      box.tabIndex = 0;
    } else if (box.hasAttribute("tabindex")) {
      if (document.activeElement === box) box.blur();
      for (const attribute of ["role", "aria-label", "tabindex"]) box.removeAttribute(attribute);
    }
  };
  new ResizeObserver(update).observe(box);
  update();
  return box;
}
