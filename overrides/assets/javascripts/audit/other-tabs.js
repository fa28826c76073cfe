// The same work open in two tabs or windows. When another tab saves
// something different, this tab stops saving (so neither overwrites the
// other) and asks which to keep. Loading the other tab's copy says first
// that it replaces what is here, and downloading this tab's copy is one click
// away: no typing is ever dropped unasked.
import { el } from "./dom.js";
import { timeOfDay } from "./storage.js";

const sameContent = (record, content) => Object.keys(content)
  .every((key) => JSON.stringify(record[key]) === JSON.stringify(content[key]));

function button(text, action) {
  const node = el("button", { className: "md-button", text, attrs: { type: "button" } });
  node.addEventListener("click", action);
  return node;
}

// `store` is a LocalRecord, or anything with the same read() (which may
// return a promise) and onChangeElsewhere(). `content()` is what this tab would save now; `pause()` stops its saving;
// `keepMine()` resumes and saves this tab's copy; `apply(record)` shows the
// other tab's record here and resumes saving; `download()` saves this tab's
// copy to a file. `what` names the work ("audit") and `things` its contents
// ("answers") in the messages.
export function watchOtherTabs(store, banner, { what, things, content, pause, keepMine, apply, download, downloadLabel }) {
  async function loadTheirs() {
    const latest = await store.read();
    if (latest.status !== "ok") return;
    if (!sameContent(latest.record, content())) {
      const sure = window.confirm(`Load the other tab's ${things}? They replace everything in this tab, including `
        + `what you typed here since the other tab's change. Cancel, then download this tab's ${things}, to keep them.`);
      if (!sure) return;
    }
    banner.hidden = true;
    apply(latest.record);
  }

  store.onChangeElsewhere((record) => {
    if (sameContent(record, content())) return;
    pause();
    const when = timeOfDay(record.savedAt);
    banner.replaceChildren(
      el("p", { text: `This ${what} was changed in another tab or window${when ? ` at ${when}` : ""}. So that neither `
        + `copy overwrites the other, this tab has stopped saving. Choose which ${things} to keep.` }),
      el("p", { className: "audit-buttons" },
        button(`Keep this tab's ${things}`, () => { banner.hidden = true; keepMine(); }),
        button(`Load the other tab's ${things}`, loadTheirs),
        button(downloadLabel, download)),
    );
    banner.hidden = false;
  });
}
