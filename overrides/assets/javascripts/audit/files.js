// Shared by the team tools (compare, moderate): reading the files a user
// chose, and keeping that work in this browser.
// Files are read here, in the page; nothing is sent anywhere. Text from a
// file only ever reaches the page through textContent or a control's value.

// The chosen files as [{ name, text }], in the order chosen.
export async function readFiles(fileList) {
  return Promise.all([...fileList].map(async (file) => ({ name: file.name, text: await file.text() })));
}

// Work kept in this browser (localStorage) under one key. Every write can
// fail (storage full, or turned off in some private windows): save() says
// whether it worked, and the page tells the user.
export class KeptWork {
  constructor(key) {
    this.key = key;
  }

  load() {
    try {
      const raw = localStorage.getItem(this.key);
      return raw ? JSON.parse(raw) : null;
    } catch (error) {
      return null;
    }
  }

  save(value) {
    try {
      localStorage.setItem(this.key, JSON.stringify({ ...value, savedAt: new Date().toISOString() }));
      return true;
    } catch (error) {
      return false;
    }
  }

  clear() {
    try {
      localStorage.removeItem(this.key);
    } catch (error) {
      // Nothing kept, nothing to clear.
    }
  }
}
