// A small promise wrapper around IndexedDB. Stores: meta (clear: salt, counters,
// cursor), records and outbox (values sealed with the PIN key).
export const DB_NAME = "pulih-field";
const STORES = ["meta", "records", "outbox"];
let handle = null;

function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function db() {
  if (handle) return handle;
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    for (const name of STORES) if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
  };
  handle = await req(request);
  return handle;
}

async function tx(store, mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(store, mode);
    const result = fn(t.objectStore(store));
    t.oncomplete = () => resolve(result && "result" in result ? result.result : result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

export const get = (store, key) => tx(store, "readonly", (s) => s.get(key));
export const put = (store, key, value) => tx(store, "readwrite", (s) => s.put(value, key));
export const del = (store, key) => tx(store, "readwrite", (s) => s.delete(key));
export const clear = (store) => tx(store, "readwrite", (s) => s.clear());

export async function putMany(store, entries) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(store, "readwrite");
    const s = t.objectStore(store);
    for (const [key, value] of entries) {
      if (value === undefined) s.delete(key);
      else s.put(value, key);
    }
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
  });
}

export async function entries(store) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const out = [];
    const request = d.transaction(store, "readonly").objectStore(store).openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return resolve(out);
      out.push([cursor.key, cursor.value]);
      cursor.continue();
    };
    request.onerror = () => reject(request.error);
  });
}

export async function destroy() {
  if (handle) {
    handle.close();
    handle = null;
  }
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
