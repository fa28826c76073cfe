// When a page finds something kept on this device that it cannot use (damaged,
// from an older version, answers to statements since retired), it never
// overwrites it unseen: the stored text is kept aside exactly as it was, the
// user is told plainly, and can download it. If even that cannot be kept
// (storage full), the page stops saving until the user has downloaded it.
import { el } from "./dom.js";
import { download } from "./downloads.js";
import { dayAndTime } from "./storage.js";

const REASONS = {
  unreadable: "could not be opened: they are damaged, or were saved in a form this page does not know",
  leftover: "include answers this version of the page does not have a place for (for example, for a statement "
    + "that is no longer in the audit), so those answers are not shown below",
};

function isJson(text) {
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    return false;
  }
}

function downloadEntries(entries, fileStem) {
  for (const entry of entries) download(entry.raw, `${fileStem}-kept-aside`, isJson(entry.raw) ? "json" : "txt");
}

// The notice itself. `reason` is "unreadable", "leftover" or null (kept on
// an earlier visit); `keptNow` is false when the text could not be kept
// aside, and then `onDownloaded` lets the page save again. `onRemove`
// forgets what was kept aside (after the user confirms).
export function showKeptAsideNotice(banner, { entries, reason, keptNow, what, fileStem, onDownloaded, onRemove }) {
  const paragraphs = [];
  if (reason) {
    paragraphs.push(`The ${what} saved on this device ${REASONS[reason]}.`);
  } else {
    const when = dayAndTime(entries[entries.length - 1].keptAt);
    paragraphs.push(`Some ${what} that this page could not use were kept aside on this device${when ? ` on ${when}` : ""}.`);
  }
  paragraphs.push(keptNow
    ? "They are kept aside on this device exactly as they were, so nothing has been lost. Download them to keep a copy "
      + "(you can copy notes back by hand), then remove them from this device."
    : "This browser’s storage is full, so they could not be kept aside. So that they are not overwritten, nothing "
      + "will be saved on this device until you download them.");

  const downloadButton = el("button", {
    className: "md-button",
    text: keptNow ? `Download the kept ${what}` : `Download the saved ${what} as they are`,
    attrs: { type: "button" },
  });
  const removeButton = el("button", {
    className: "md-button audit-button--danger",
    text: "Remove them from this device",
    attrs: { type: "button" },
  });
  downloadButton.addEventListener("click", () => {
    downloadEntries(entries, fileStem);
    if (!keptNow) {
      banner.hidden = true;
      onDownloaded();
    }
  });
  removeButton.addEventListener("click", async () => {
    if (!window.confirm(`Remove the kept ${what} from this device? Download them first if you want to keep them.`)) return;
    await onRemove();
    banner.hidden = true;
  });
  banner.replaceChildren(
    ...paragraphs.map((text) => el("p", { text })),
    el("p", { className: "audit-buttons" }, downloadButton, keptNow ? removeButton : null),
  );
  banner.hidden = false;
}

// For pages that keep one record in localStorage (a LocalRecord). Call once
// the page has read it: `found` is LocalRecord.read()'s answer; `leftover`
// says whether some of a readable record could not be shown. Returns
// { savingAllowed }: false until the user downloads what could not be kept.
export function guardUnusableRecord(store, found, leftover, { banner, what, fileStem, onSavingAllowed }) {
  const unusable = found.status === "unreadable" || (found.status === "ok" && leftover);
  const keptNow = unusable ? store.keepAside(found.raw) : true;
  const entries = keptNow ? store.keptAside() : [{ raw: found.raw, keptAt: new Date().toISOString() }];
  if (!entries.length) return { savingAllowed: true };
  showKeptAsideNotice(banner, {
    entries,
    reason: unusable ? (found.status === "unreadable" ? "unreadable" : "leftover") : null,
    keptNow,
    what,
    fileStem,
    onDownloaded: onSavingAllowed,
    onRemove: () => store.removeKeptAside(),
  });
  return { savingAllowed: keptNow };
}
