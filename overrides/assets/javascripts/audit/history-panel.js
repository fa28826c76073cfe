// "Your audits on this device": starting a new audit (blank, or copied
// forward from the latest), opening, renaming, downloading and deleting one,
// downloading them all in one file, and opening a file (one audit, or a file
// of all audits). Every change is told to other tabs, whose lists redraw.
import { el, isolate, isolated, showProblems } from "./dom.js";
import { download } from "./downloads.js";
import { fileBytes, tooLarge } from "./files.js";
import { defaultName } from "./history.js";
import { showRename } from "./history-view.js";

// `page` is the self-audit page's shared state (see audit-page.js).
export function historyPanel(page) {
  const { root, history, channel, engine, frameworkId, fileStem, header } = page;
  const $ = (selector) => root.querySelector(selector);
  const announce = (text) => { $("[data-history-announcer]").textContent = text; };
  const find = (id) => page.audits.find((audit) => audit.id === id);
  const listChanged = () => channel?.postMessage({ type: "list-changed" });
  const refocus = (action, id) => root.querySelector(`[data-action=${action}][data-id="${CSS.escape(id)}"]`)?.focus();

  async function startNew(answers, what) {
    if (!page.storageWorks) return;
    await page.whenSaved();
    try {
      const created = await history.create({ answers });
      page.audits = await history.list();
      await page.showAudit(created.id);
      listChanged();
      announce(`${what}: ${isolate(created.name)}, now open.`);
      $("#audit-overview").focus();
    } catch (error) {
      announce("A new audit could not be started: this browser's storage may be full or turned off.");
    }
  }

  // Copying forward is how schools re-audit: the engine keeps the latest
  // audit's evidence and next steps and clears its ratings.
  async function copyForward() {
    const latest = page.audits[page.audits.length - 1];
    if (!latest) return startNew(header, "New audit started");
    const record = await history.get(latest.id);
    const result = JSON.parse(await engine.call("copy_forward", JSON.stringify(record.answers), frameworkId));
    if (!result.ok) {
      announce(result.problems.join(" "));
      return undefined;
    }
    return startNew(result.audit, `New audit started from ${isolate(latest.name)}`);
  }

  async function open(id) {
    await page.whenSaved();
    if (await page.showAudit(id)) announce(`${isolate(find(id).name)} is now open.`);
  }

  function rename(id) {
    showRename(root, find(id), {
      onSave: async (name) => {
        try {
          page.audits = await history.rename(id, name);
          listChanged();
          announce(`Renamed to ${isolate(name)}.`);
        } catch (error) {
          announce("The audit could not be renamed: this browser's storage may be full or turned off.");
        }
        page.showList();
        refocus("history-rename", id);
      },
      onCancel: () => {
        page.showList();
        refocus("history-rename", id);
      },
    });
  }

  async function remove(id) {
    const audit = find(id);
    const sure = window.confirm(`Delete “${audit.name}” from this device? This cannot be undone. `
      + "If you want to keep it, cancel and download it first.");
    if (!sure) return;
    await page.whenSaved();
    try {
      page.audits = await history.remove(id);
    } catch (error) {
      announce("The audit could not be deleted: this browser's storage may be turned off.");
      return;
    }
    channel?.postMessage({ type: "deleted", id });
    let message = `${isolate(audit.name)} deleted.`;
    if (id === page.openId) {
      const latest = page.audits[page.audits.length - 1];
      if (latest && await page.showAudit(latest.id)) {
        message += ` ${isolate(latest.name)} is now open.`;
      } else {
        page.startBlank();
        message += " The form is blank: your next answer starts a new audit.";
      }
    }
    page.showList();
    page.trend.schedule(0);
    announce(message);
    $("#audit-history-heading").focus();
  }

  async function downloadOne(id) {
    const record = await history.get(id);
    if (record) await page.downloadAnswersOf(record.answers);
  }

  async function downloadAll() {
    const records = await history.getMany(page.audits.map((audit) => audit.id));
    const audits = page.audits.map((audit, index) => ({
      id: audit.id, name: audit.name, created_at: audit.created_at, updated_at: audit.updated_at, saved: records[index].answers,
    }));
    const result = JSON.parse(await engine.call("write_history_backup",
      JSON.stringify({ exported_at: new Date().toISOString(), audits })));
    if (!result.ok) {
      page.showToolsMessage(`The file could not be made: ${result.problems.join(" ")}`);
      return;
    }
    download(result.text, `${fileStem}-all-audits`, "json");
    announce(`All ${result.count} audits downloaded in one file.`);
  }

  // ---- Opening a file ------------------------------------------------------
  // Where the opened answers stand, said truthfully.
  function importedText(saved) {
    if (saved) return " are now open here, as a new audit saved on this device.";
    if (page.savingPausedBy === "other-tab") {
      return " are open in this tab but not saved on this device, because this audit was also changed in another "
        + "tab: choose above which answers to keep.";
    }
    if (page.savingPausedBy === "kept-aside") {
      return " are open here, but not saved on this device until you download the saved answers this page could "
        + "not use (see above).";
    }
    return " are open here, but could not be saved on this device (the browser's storage may be full or turned "
      + "off). Download your answers (JSON) to keep them.";
  }

  async function openImportedAudit(entry, fileName) {
    if (entry.framework.id !== frameworkId) {
      return { failed: true, lines: [["The file ", isolated(fileName), ` is a saved ${entry.framework.title}: open it on that page.`]] };
    }
    await page.whenSaved();
    let saved = false;
    if (page.storageWorks && !page.savingPausedBy) {
      try {
        const created = await history.create({ name: `Opened from ${fileName}`, answers: entry.saved });
        page.audits = await history.list();
        saved = await page.showAudit(created.id);
        listChanged();
      } catch (error) {
        saved = false;
      }
    }
    if (!saved) page.showAnswers(entry.saved);
    return { failed: !saved, lines: [["Answers from ", isolated(fileName), importedText(saved)]] };
  }

  // A file of all audits adds those not already here (recognised by their
  // id), never doubling one and never changing one already here.
  async function addBackup(entries, fileName) {
    const mine = entries.filter((entry) => entry.framework.id === frameworkId);
    const others = entries.length - mine.length;
    const known = new Set(page.audits.map((audit) => audit.id));
    const fresh = mine.filter((entry) => entry.id && !known.has(entry.id));
    const already = mine.length - fresh.length;
    const lines = [];
    let failed = false;
    try {
      await history.addMany(fresh.map((entry) => ({
        id: entry.id,
        name: entry.name || defaultName(new Date(entry.created_at)),
        created_at: entry.created_at,
        updated_at: entry.updated_at,
        answers: entry.saved,
        score: entry.summary,
      })));
      page.audits = await history.list();
      listChanged();
      lines.push([`${fresh.length} ${fresh.length === 1 ? "audit" : "audits"} from `, isolated(fileName),
        " added to your audits on this device."]);
    } catch (error) {
      lines.push(["The audits from ", isolated(fileName), " could not be saved on this device (the browser's "
        + "storage may be full or turned off). Nothing here was changed."]);
      failed = true;
    }
    if (already) lines.push([`${already} ${already === 1 ? "was" : "were"} already on this device, so not added again.`]);
    if (others) lines.push([`${others} ${others === 1 ? "is" : "are"} for another self-review: open the file on that page too.`]);
    page.showList();
    page.trend.schedule(0);
    return { failed, lines };
  }

  async function importFile(input) {
    const file = input.files[0];
    input.value = "";
    if (!file) return;
    const summary = $("[data-error-summary]");
    const success = $("[data-import-success]");
    summary.hidden = true;
    success.hidden = true;
    let outcome;
    const large = tooLarge(file, page.maxFileBytes);
    if (large) {
      outcome = { ok: false, problems: [large] };
    } else {
      try {
        // Bytes, not text: the engine checks the encoding, so nothing is changed unseen.
        outcome = JSON.parse(await engine.call("read_history_backup", await fileBytes(file)));
      } catch (error) {
        outcome = { ok: false, problems: [`The file could not be checked: ${error.message}`] };
      }
    }
    if (!outcome.ok) {
      showProblems(summary, outcome.problems);
      return;
    }
    const { failed, lines } = outcome.kind === "audit"
      ? await openImportedAudit(outcome.audits[0], file.name)
      : await addBackup(outcome.audits, file.name);
    const notices = outcome.notices || [];
    success.replaceChildren(
      ...lines.map((line) => el("p", {}, ...line)),
      notices.length ? el("ul", {}, ...notices.map((text) => el("li", { text }))) : null,
    );
    success.classList.toggle("audit-banner--warning", failed);
    success.hidden = false;
    success.focus();
  }

  // Returns the work for a clicked button, or null if it is not this panel's.
  function actionFor(button) {
    const { action, id } = button.dataset;
    if (action === "new-blank") return () => startNew(header, "New audit started");
    if (action === "new-copy") return copyForward;
    if (action === "download-all") return downloadAll;
    if (action === "history-open") return () => open(id);
    if (action === "history-rename") return () => rename(id);
    if (action === "history-download") return () => downloadOne(id);
    if (action === "history-delete") return () => remove(id);
    return null;
  }

  $("[data-action=import]").addEventListener("change", (event) => importFile(event.target));
  return { actionFor };
}
