// Trainers link to exact sections. Every heading already has a visible
// permalink (#); this adds a "Copy link" button beside it that works by
// keyboard and says what happened in a polite live region.
(function addCopyLinkButtons() {
  const content = document.querySelector(".md-content .md-typeset");
  if (!content) return;

  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.id = "copy-link-status";
  document.body.append(status);

  const announce = (message) => {
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message; }, 50);
  };

  for (const permalink of content.querySelectorAll("h1 > .headerlink, h2 > .headerlink, h3 > .headerlink, h4 > .headerlink")) {
    const heading = permalink.parentElement;
    const title = heading.textContent.replace(permalink.textContent, "").trim();
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.textContent = "Copy link";
    button.setAttribute("aria-label", `Copy link to section: ${title}`);
    button.addEventListener("click", async () => {
      const url = new URL(permalink.getAttribute("href"), location.href).href;
      try {
        await navigator.clipboard.writeText(url);
        announce(`Link to “${title}” copied.`);
        button.textContent = "Copied";
        window.setTimeout(() => { button.textContent = "Copy link"; }, 2000);
      } catch (error) {
        announce(`Could not copy automatically. The link is ${url}`);
      }
    });
    permalink.after(button);
  }
})();
