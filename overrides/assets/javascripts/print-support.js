// On paper nothing may be hidden: open every <details> before printing (and
// restore afterwards), and give each content tab its label so the printed
// tabs read as headed sections (site's print.css shows them all).
(function preparePrinting() {
  for (const set of document.querySelectorAll(".tabbed-set")) {
    const labels = set.querySelectorAll(".tabbed-labels > label");
    const blocks = set.querySelectorAll(".tabbed-content > .tabbed-block");
    blocks.forEach((block, index) => {
      if (labels[index]) block.dataset.printLabel = labels[index].textContent.trim();
    });
  }
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
