// On paper nothing may be hidden: open every <details> before printing, and
// restore them afterwards (print.css also opens them where the browser
// supports ::details-content, so print preview shows them too).
(function preparePrinting() {
  let closed = [];
  window.addEventListener("beforeprint", () => {
    closed = [...document.querySelectorAll("details:not([open])")];
    for (const details of closed) details.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const details of closed) details.open = false;
    closed = [];
  });
})();
