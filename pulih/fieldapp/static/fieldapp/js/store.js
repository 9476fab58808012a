// The encrypted local store. Everything about clients is sealed with the PIN key;
// only counters, the salt, the owner's id and the sync cursor are kept in clear.
import * as db from "./db.js";
import { deriveKey, open, randomBytes, seal, uuid } from "./crypto.js";

const CHECK = "pulih-ok";
let key = null;
export const state = { records: new Map(), outbox: new Map(), meta: {}, reference: null };

export async function meta(name) {
  return db.get("meta", name);
}

export async function setMeta(name, value) {
  state.meta[name] = value;
  return db.put("meta", name, value);
}

export async function isSetUp() {
  return Boolean(await meta("salt"));
}

export function isUnlocked() {
  return key !== null;
}

export async function setup(pin, owner, settings) {
  const salt = randomBytes(16);
  const iterations = settings.pin_iterations || 210000;
  key = await deriveKey(pin, salt, iterations);
  await db.putMany("meta", [
    ["salt", salt],
    ["iterations", iterations],
    ["check", await seal(key, CHECK)],
    ["owner", owner],
    ["settings", settings],
    ["wrong_pins", 0],
    ["created_at", Date.now()],
  ]);
  state.records.clear();
  state.outbox.clear();
}

// Returns "ok", or "wrong" with attempts left, or "wiped" after too many.
export async function unlock(pin) {
  const [salt, iterations, check, settings] = await Promise.all([meta("salt"), meta("iterations"), meta("check"), meta("settings")]);
  const candidate = await deriveKey(pin, salt, iterations);
  try {
    if ((await open(candidate, check)) !== CHECK) throw new Error("check");
  } catch {
    const wrong = ((await meta("wrong_pins")) || 0) + 1;
    const max = (settings && settings.max_wrong_pins) || 5;
    if (wrong >= max) {
      await wipe("pins");
      return { result: "wiped" };
    }
    await setMeta("wrong_pins", wrong);
    return { result: "wrong", left: max - wrong };
  }
  key = candidate;
  await setMeta("wrong_pins", 0);
  await load();
  return { result: "ok" };
}

async function load() {
  state.records.clear();
  state.outbox.clear();
  for (const [k, box] of await db.entries("records")) {
    const row = await open(key, box);
    const [model] = k.split("|");
    if (!state.records.has(model)) state.records.set(model, new Map());
    state.records.get(model).set(String(row.id), row);
  }
  for (const [k, box] of await db.entries("outbox")) state.outbox.set(k, await open(key, box));
  const ref = await db.get("meta", "reference");
  state.reference = ref ? await open(key, ref) : null;
  for (const name of ["cursor", "last_sync", "owner", "settings", "last_error", "batch"]) state.meta[name] = await meta(name);
}

// Erase everything on the phone (logout, too many wrong PINs, too long without sync).
export async function wipe(reason) {
  key = null;
  state.records.clear();
  state.outbox.clear();
  state.reference = null;
  state.meta = {};
  await db.destroy();
  if (reason) sessionStorage.setItem("pulih-wiped", reason);
}

export function rows(model) {
  return Array.from((state.records.get(model) || new Map()).values());
}

export function row(model, id) {
  const m = state.records.get(model);
  return m ? m.get(String(id)) : undefined;
}

export async function saveRows(changes) {
  // changes: [model, id, row|undefined]
  const writes = [];
  for (const [model, id, value] of changes) {
    if (!state.records.has(model)) state.records.set(model, new Map());
    if (value === undefined) state.records.get(model).delete(String(id));
    else state.records.get(model).set(String(id), value);
    writes.push([`${model}|${id}`, value === undefined ? undefined : await seal(key, value)]);
  }
  await db.putMany("records", writes);
}

export async function clearRecords() {
  state.records.clear();
  await db.clear("records");
}

export async function saveReference(reference) {
  state.reference = reference;
  await db.put("meta", "reference", await seal(key, reference));
}

// A local create or edit: shown at once, queued for the next push.
export async function record(model, data, { op = "create", id = null, base = null, baseVersion = null } = {}) {
  const recordId = id || uuid();
  const existing = row(model, recordId) || {};
  const local = { ...existing, ...data, id: recordId, _pending: true };
  const queued = state.outbox.get(`${model}|${recordId}`);
  let entry;
  if (queued && queued.op === op) {
    entry = { ...queued, data: { ...queued.data, ...data }, error: null };
  } else {
    entry = { seq: Date.now() + Math.random(), model, op, id: recordId, data, error: null };
    if (op === "update") {
      entry.base = base;
      entry.base_version = baseVersion;
    }
  }
  state.outbox.set(`${model}|${recordId}`, entry);
  await db.put("outbox", `${model}|${recordId}`, await seal(key, entry));
  await saveRows([[model, recordId, local]]);
  return recordId;
}

export function outbox() {
  return Array.from(state.outbox.values()).sort((a, b) => a.seq - b.seq);
}

export async function saveOutbox(entries) {
  const writes = [];
  for (const [k, entry] of entries) {
    if (entry === undefined) state.outbox.delete(k);
    else state.outbox.set(k, entry);
    writes.push([k, entry === undefined ? undefined : await seal(key, entry)]);
  }
  await db.putMany("outbox", writes);
}
