// Wide tables on narrow screens. The page itself never scrolls sideways, so
// a table wider than the screen would lose its last columns (WCAG 1.4.10).
// Each wide table sits in a box that scrolls sideways instead (data tables
// may, under 1.4.10): Material's box around Markdown tables, and
// scrollSideways() for the tables the tools draw. While, and only while, a
// box has something to scroll, it is a named region that takes keyboard
// focus, so keyboard users can scroll it with the arrow keys and screen
// readers hear what it is; on a wide screen it adds no Tab stop and no
// landmark. Loaded on every page (overrides/main.html); tool pages import
// scrollSideways. Styles: .table-scroll in tools.css.

function focusableWhileScrolling(box, name) {
  const update = () => {
    if (!box.isConnected) return;
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name());
      box.tabIndex = 0;
    } else if (box.hasAttribute("tabindex")) {
      if (document.activeElement === box) box.blur();
      for (const attribute of ["role", "aria-label", "tabindex"]) box.removeAttribute(attribute);
    }
  };
  new ResizeObserver(update).observe(box);
  update();
}

// Puts ``table`` in a box that scrolls sideways; returns the box, which takes
// the table's place (or is to be placed, if the table was not in the page).
export function scrollSideways(table, name) {
  const box = document.createElement("div");
  box.className = "table-scroll";
  box.dataset.tableScroll = "";
  if (table.parentNode) table.replaceWith(box);
  box.append(table);
  focusableWhileScrolling(box, () => name);
  return box;
}

// A Markdown table's name: its caption, its figure's caption, or the heading
// it comes under.
function tableName(box) {
  const table = box.querySelector("table");
  const caption = table && table.caption ? table.caption.textContent : "";
  const figure = box.closest("figure");
  const figcaption = figure && figure.querySelector("figcaption") ? figure.querySelector("figcaption").textContent : "";
  if (caption.trim() || figcaption.trim()) return (caption.trim() || figcaption.trim()).replace(/\s+/g, " ");
  const headings = [...document.querySelectorAll(".md-typeset :is(h1, h2, h3, h4)")]
    .filter((heading) => heading.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING);
  const heading = headings.at(-1);
  const words = heading ? heading.textContent.replace(/#|Copy link/g, "").replace(/\s+/g, " ").trim() : "";
  return words ? `Table: ${words}` : "Table";
}

// Material wraps Markdown tables in its box when the page has loaded (its
// handler for that runs before this one).
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    box.dataset.tableScroll = "";
    focusableWhileScrolling(box, () => tableName(box));
  }
});

// Chromium leaves a control that takes focus inside a box that scrolls
// sideways where it is, if any sliver of it shows. Bring all of it into
// view, with as little scrolling as will do.
document.addEventListener("focusin", (event) => {
  const target = event.target;
  if (!(target instanceof Element) || target.matches("[data-table-scroll], .table-scroll")) return;
  if (!target.closest("[data-table-scroll], .table-scroll")) return;
  target.scrollIntoView({ block: "nearest", inline: "nearest" });
});
