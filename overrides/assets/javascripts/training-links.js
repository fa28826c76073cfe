// "Show QR code" beside each link on the trainers' page: draws the code for
// the link's full address as SVG, in the page, with the address written under
// it. The code is made here by the qrcode-generator module (served from this
// site); no service is asked.
import { qrcode } from "../vendor/qrcode-generator.mjs";

const SVG = "http://www.w3.org/2000/svg";

function qrSvg(text, label) {
  const code = qrcode(0, "M");
  code.addData(text);
  code.make();
  const count = code.getModuleCount();
  const quiet = 4;
  const size = count + quiet * 2;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("width", "240");
  svg.setAttribute("height", "240");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#ffffff");
  svg.append(background);
  let path = "";
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (code.isDark(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const modules = document.createElementNS(SVG, "path");
  modules.setAttribute("d", path);
  modules.setAttribute("fill", "#000000");
  svg.append(modules);
  return svg;
}

function toggle(button) {
  const item = button.closest("li");
  const existing = item.querySelector(":scope > figure.qr-code");
  if (existing) {
    existing.remove();
    button.textContent = "Show QR code";
    button.setAttribute("aria-expanded", "false");
    return;
  }
  const link = item.querySelector(":scope > a");
  const url = new URL(link.getAttribute("href"), location.href).href;
  const figure = document.createElement("figure");
  figure.className = "qr-code";
  const caption = document.createElement("figcaption");
  caption.textContent = url;
  figure.append(qrSvg(url, `QR code for ${link.textContent}`), caption);
  button.after(figure);
  button.textContent = "Hide QR code";
  button.setAttribute("aria-expanded", "true");
}

for (const button of document.querySelectorAll("button[data-qr]")) {
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", () => toggle(button));
}
