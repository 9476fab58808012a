// The sync engine: push the outbox in batches (same key until answered, so a
// retry is never applied twice), then pull changes from the cursor.
import * as api from "./api.js";
import { uuid } from "./crypto.js";
import * as store from "./store.js";
import { t } from "./i18n.js";

const { state } = store;
let running = null;
const listeners = new Set();

export function onChange(fn) {
  listeners.add(fn);
}

export function emit() {
  for (const fn of listeners) fn();
}

export function status() {
  const pending = store.outbox();
  return {
    pending: pending.length,
    errors: pending.filter((e) => e.error),
    lastSync: state.meta.last_sync || null,
    lastError: state.meta.last_error || null,
    running: Boolean(running),
    conflicts: store.rows("sync.conflict"),
  };
}

function payload(entry) {
  const out = { model: entry.model, op: entry.op, id: entry.id, data: entry.data };
  if (entry.op === "update") {
    out.base = entry.base || {};
    out.base_version = entry.base_version ?? null;
  }
  return out;
}

async function device() {
  let id = await store.meta("device");
  if (!id) {
    id = uuid();
    await store.setMeta("device", id);
  }
  return id;
}

async function push(retryErrors) {
  const size = (state.meta.settings && state.meta.settings.batch_size) || 200;
  const tried = new Set();
  const dev = await device();
  for (let guard = 0; guard < 1000; guard++) {
    let batch = state.meta.batch;
    if (!batch) {
      const queue = store.outbox().filter((e) => !tried.has(`${e.model}|${e.id}`) && (!e.error || retryErrors)).slice(0, size);
      if (!queue.length) return;
      batch = { key: uuid(), ids: queue.map((e) => `${e.model}|${e.id}`) };
      await store.setMeta("batch", batch);
    }
    const entries = batch.ids.map((k) => state.outbox.get(k)).filter(Boolean);
    batch.ids.forEach((k) => tried.add(k));
    if (!entries.length) {
      await store.setMeta("batch", null);
      continue;
    }
    let result;
    try {
      result = await api.post("/api/v1/sync/push", { key: batch.key, device: dev, records: entries.map(payload) });
    } catch (err) {
      if (err instanceof api.HttpError && err.status === 422 && err.body.details) {
        const bad = entries[err.body.details.index];
        if (bad) await store.saveOutbox([[`${bad.model}|${bad.id}`, { ...bad, error: { code: err.body.code, message: err.body.message } }]]);
        await store.setMeta("batch", null);
        continue;
      }
      if (err instanceof api.HttpError && err.status === 409) {
        await store.setMeta("batch", null); // the entries changed since: send them under a new key
        continue;
      }
      throw err; // offline or signed out: the same batch and key are retried next time
    }
    const updates = [];
    const rowUpdates = [];
    for (const res of result.results) {
      const entry = entries[res.index];
      const k = `${entry.model}|${entry.id}`;
      if (res.status === "error") {
        updates.push([k, { ...entry, error: res.error }]);
      } else {
        updates.push([k, undefined]);
        const local = store.row(entry.model, entry.id);
        if (local) rowUpdates.push([entry.model, entry.id, { ...local, _pending: false, _version: res.version }]);
      }
    }
    await store.saveOutbox(updates);
    await store.saveRows(rowUpdates);
    await store.setMeta("batch", null);
    emit();
  }
}

async function pull() {
  const reference = await api.get("/api/v1/sync/reference");
  await store.saveReference(reference);
  const cursor = state.meta.cursor || "";
  const dev = await device();
  const data = await api.get(`/api/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&device=${encodeURIComponent(dev)}`);
  const pending = new Set(store.outbox().map((e) => `${e.model}|${e.id}`));
  if (data.reset) {
    const keep = [];
    for (const k of pending) {
      const [model, id] = k.split("|");
      const local = store.row(model, id);
      if (local) keep.push([model, id, local]);
    }
    await store.clearRecords();
    await store.saveRows(keep);
  }
  const changes = [];
  for (const [model, rows] of Object.entries(data.records)) {
    for (const r of rows) {
      if (!pending.has(`${model}|${r.id}`)) changes.push([model, r.id, r]);
    }
  }
  for (const r of data.removals) changes.push([r.model, r.id, undefined]);
  const gone = new Set(data.removed_clients);
  if (gone.size) {
    for (const [model, rows] of state.records) {
      for (const r of rows.values()) {
        if ((model === "clients.client" && gone.has(String(r.id))) || gone.has(String(r.client_id))) changes.push([model, r.id, undefined]);
      }
    }
  }
  const live = new Set(data.conflicts.map((c) => c.id));
  for (const c of store.rows("sync.conflict")) if (!live.has(c.id)) changes.push(["sync.conflict", c.id, undefined]);
  for (const c of data.conflicts) changes.push(["sync.conflict", c.id, c]);
  await store.saveRows(changes);
  await store.setMeta("cursor", data.cursor);
}

export function syncNow({ retryErrors = false } = {}) {
  if (running) return running;
  running = (async () => {
    emit();
    try {
      await push(retryErrors);
      await pull();
      await store.setMeta("last_sync", Date.now());
      await store.setMeta("last_error", null);
      return { ok: true };
    } catch (err) {
      let message = t("sync_failed", { m: err.message });
      if (err instanceof api.OfflineError) message = t("sync_offline");
      if (err instanceof api.AuthError) message = t("sync_login");
      await store.setMeta("last_error", message);
      return { ok: false, message, auth: err instanceof api.AuthError };
    } finally {
      running = null;
      emit();
    }
  })();
  return running;
}

export async function resolveConflict(id, choice) {
  await api.post(`/api/v1/sync/conflicts/${id}/resolve`, { choice });
  await store.saveRows([["sync.conflict", id, undefined]]);
  return syncNow();
}

let timer = null;
export function startAuto() {
  window.addEventListener("online", () => syncNow());
  if (!timer) timer = setInterval(() => navigator.onLine && store.isUnlocked() && syncNow(), 60000);
}
