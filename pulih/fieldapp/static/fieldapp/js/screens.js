// The agent's screens. Every save goes to the encrypted store and the outbox; sync sends it.
import * as store from "./store.js";
import * as sync from "./sync.js";
import { complete, plan, text } from "./assist.js";
import { choices, form } from "./forms.js";
import { language, t } from "./i18n.js";
import { flash, h, mount, today, when } from "./ui.js";

const { state } = store;
const go = (hash) => {
  window.location.hash = hash;
};

function label(choiceName, value) {
  const found = choices(choiceName).find((c) => String(c.value) === String(value));
  return found ? found.label : value || "";
}

function page(title, ...body) {
  return [h("h1", { class: "title", "data-testid": "screen-title" }, title), ...body];
}

function back(hash = "#/") {
  return h("a", { class: "back", href: hash }, "‹ ", t("back"));
}

function clients() {
  return store.rows("clients.client").sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

function clientChoices() {
  return clients().map((c) => ({ value: c.id, label: `${c.name} (${c.code || t("pending_badge")})` }));
}

function episodeOf(clientId) {
  const eps = store.rows("clients.episode").filter((e) => String(e.client_id) === String(clientId));
  return eps.sort((a, b) => b.number - a.number)[0];
}

async function saved(model, data, options, next) {
  await store.record(model, data, options);
  sync.emit();
  if (navigator.onLine) sync.syncNow();
  go(next);
  setTimeout(() => flash(t("saved")), 50);
}

// --- Home: the unit's caseload ------------------------------------------------------

export function home() {
  const list = h("ul", { class: "list", "data-testid": "caseload" });
  const search = h("input", { type: "search", placeholder: t("search"), "data-testid": "search", class: "search" });
  function fill() {
    const q = search.value.trim().toLowerCase();
    const shown = clients().filter((c) => !q || String(c.name).toLowerCase().includes(q) || String(c.code || "").toLowerCase().includes(q));
    list.replaceChildren(
      ...(shown.length
        ? shown.map((c) => {
            const ep = episodeOf(c.id);
            return h(
              "li",
              {},
              h(
                "a",
                { href: `#/client/${c.id}`, class: "list__item", "data-testid": "client-row" },
                h("strong", {}, c.name),
                h("span", { class: "muted" }, ` ${c.code || ""}`),
                c._pending ? h("span", { class: "badge badge--warn" }, t("pending_badge")) : null,
                ep ? h("span", { class: "badge" }, label("episode_status", ep.status)) : null
              )
            );
          })
        : [h("li", { class: "empty" }, t("no_clients"))])
    );
  }
  search.addEventListener("input", fill);
  fill();
  const menu = [
    ["#/register", t("register"), "register"],
    ["#/outreach", t("outreach"), "outreach"],
    ["#/session", t("group_session"), "session"],
    ["#/activity", t("activity"), "activity"],
    ["#/hotspot", t("hotspot"), "hotspot"],
    ["#/sync", t("sync"), "sync"],
  ].map(([href, text_, id]) => h("a", { href, class: "tile", "data-testid": `menu-${id}` }, text_));
  mount(...page(t("caseload")), h("nav", { class: "tiles" }, menu), search, list);
}

// --- A client's page: facts, history, actions -------------------------------------------

const TIMELINE = [
  ["clients.consent", "t_consent", "given_at", (r) => label("consent_kind", r.kind) + (r.withdrawn_at ? " ✕" : "")],
  ["clients.episode", "t_episode", "opened_at", (r) => `#${r.number} ${label("episode_status", r.status)}`],
  ["screening.screening", "t_screening", "completed_at", (r) => `${r["instrument__code"] || "ASSIST"} ${r.highest_level || ""}`],
  ["clients.interventionplan", "t_plan", "created_at", (r) => r.goals],
  ["clients.urinetest", "t_urine", "tested_on", (r) => `${r.substances}: ${label("urine_result", r.result)}`],
  ["clients.monitoringcontact", "t_contact", "due_on", (r) => `${label("contact_mode", r.mode)} ${r.done_on ? "✓ " + label("contact_outcome", r.outcome) : ""}`],
  ["clients.progressnote", "t_note", "written_on", (r) => r.text],
  ["referrals.referral", "t_referral", "created_at", (r) => `${(state.reference?.providers || []).find((p) => p.id === Number(r.provider_id))?.name || ""} ${r.state || ""}`],
];

export function client(id) {
  const c = store.row("clients.client", id);
  if (!c) return go("#/");
  const entries = [];
  for (const [model, kind, dateField, describe] of TIMELINE) {
    for (const r of store.rows(model).filter((x) => String(x.client_id) === String(id))) {
      entries.push({ at: String(r[dateField] || r.due_on || ""), kind: t(kind), detail: describe(r), pending: r._pending, model, row: r });
    }
  }
  for (const s of store.rows("clients.session").filter((x) => (x.clients || []).map(String).includes(String(id)))) {
    entries.push({ at: String(s.held_on), kind: t("t_session"), detail: `${label("session_kind", s.kind)}: ${s.topic}`, pending: s._pending });
  }
  entries.sort((a, b) => b.at.localeCompare(a.at));
  const ep = episodeOf(id);
  const actions = [
    ["assist", t("screening")], ["plan", t("plan")], ["session", t("session")], ["monitoring", t("monitoring")],
    ["urine", t("urine")], ["referral", t("referral")], ["consent", t("sharing_consent")], ["note", t("note")], ["edit", t("edit_client")],
  ].map(([what, text_]) => h("a", { class: "tile tile--small", href: `#/client/${id}/${what}`, "data-testid": `action-${what}` }, text_));
  mount(
    back(),
    ...page(c.name),
    h(
      "dl",
      { class: "facts", "data-testid": "client-facts" },
      h("dt", {}, t("code")), h("dd", {}, c.code || t("pending_badge")),
      h("dt", {}, t("f_phone")), h("dd", { "data-testid": "client-phone" }, c.phone || "—"),
      h("dt", {}, t("f_rw")), h("dd", {}, c.rw || "—"),
      h("dt", {}, t("episode")), h("dd", {}, ep ? label("episode_status", ep.status) : "—")
    ),
    h("h2", {}, t("actions")),
    h("nav", { class: "tiles" }, actions),
    h("h2", {}, t("timeline")),
    h(
      "ol",
      { class: "timeline", "data-testid": "timeline" },
      entries.map((e) =>
        h(
          "li",
          {},
          h("span", { class: "muted" }, e.at.slice(0, 10)), " ", h("strong", {}, e.kind), " ", e.detail,
          e.pending ? h("span", { class: "badge badge--warn" }, t("pending_badge")) : null,
          e.model === "clients.monitoringcontact" && !e.row.done_on
            ? h("a", { class: "btn btn--ghost btn--small", href: `#/contact/${e.row.id}`, "data-testid": "contact-done" }, "✓")
            : null
        )
      )
    )
  );
}

// --- Registration with consent -----------------------------------------------------------

export function register() {
  const ref = state.reference || {};
  const villages = (ref.villages || []).map((v) => ({ value: v.code, label: `${v.name} (${v["district__name"]})` }));
  const f = form(
    [
      { name: "name", label: t("f_name"), required: true },
      { name: "sex", label: t("f_sex"), type: "select", choices: "sex", required: true },
      { name: "birth_year", label: t("f_birth_year"), type: "number", inputmode: "numeric" },
      { name: "age_band", label: t("f_age_band"), type: "select", choices: "age_band" },
      { name: "village", label: t("f_village"), type: "select", choices: villages, required: true },
      { name: "rw", label: t("f_rw") },
      { name: "phone", label: t("f_phone"), type: "tel" },
      { name: "nik", label: t("f_nik"), inputmode: "numeric" },
      { name: "referral_source", label: t("f_referral_source"), type: "select", choices: "referral_source", required: true },
      { name: "consent_services", label: t("f_consent_services"), type: "check" },
      { name: "consent_data", label: t("f_consent_data"), type: "check" },
      { name: "guardian", label: t("f_guardian"), type: "check" },
      { name: "given_by", label: t("f_given_by"), type: "select", choices: "consent_giver" },
      { name: "giver_name", label: t("f_giver_name") },
    ],
    { village: ref.unit ? ref.unit.village : "", given_by: "client" },
    {
      onSubmit: async (v) => {
        const data = {
          name: v.name, sex: v.sex, birth_year: v.birth_year, age_band: v.age_band, village: v.village, rw: v.rw,
          phone: v.phone, nik: v.nik, referral_source: v.referral_source, status: "active",
          consent: { services: v.consent_services, data_processing: v.consent_data, guardian: v.guardian, given_by: v.given_by || "client", giver_name: v.giver_name },
        };
        const id = await store.record("clients.client", data);
        sync.emit();
        if (navigator.onLine) sync.syncNow();
        go(`#/client/${id}`);
        setTimeout(() => flash(t("saved")), 50);
      },
    }
  );
  mount(back(), ...page(t("register")), f.el);
}

export function editClient(id) {
  const c = store.row("clients.client", id);
  const f = form(
    [
      { name: "name", label: t("f_name"), required: true },
      { name: "phone", label: t("f_phone"), type: "tel" },
      { name: "rw", label: t("f_rw") },
    ],
    c,
    {
      onSubmit: async (v) => {
        const changed = {};
        const base = {};
        for (const k of ["name", "phone", "rw"]) {
          if ((v[k] || "") !== (c[k] || "")) {
            changed[k] = v[k];
            const queued = state.outbox.get(`clients.client|${id}`);
            base[k] = queued && queued.base && k in queued.base ? queued.base[k] : c[k] || "";
          }
        }
        if (!Object.keys(changed).length) return go(`#/client/${id}`);
        if (c._pending && state.outbox.get(`clients.client|${id}`)?.op === "create") {
          return saved("clients.client", changed, { id }, `#/client/${id}`);
        }
        const queued = state.outbox.get(`clients.client|${id}`);
        await saved("clients.client", changed, { op: "update", id, base: { ...base, ...(queued?.base || {}) }, baseVersion: queued?.base_version ?? c._version ?? 0 }, `#/client/${id}`);
      },
    }
  );
  mount(back(`#/client/${id}`), ...page(t("edit_client")), f.el);
}

// --- Outreach, sessions, care ---------------------------------------------------------------

export function outreach() {
  const villages = (state.reference?.villages || []).map((v) => ({ value: v.code, label: v.name }));
  const f = form(
    [
      { name: "contacted_on", label: t("f_date"), type: "date", required: true },
      { name: "channel", label: t("f_channel"), type: "select", choices: "outreach_channel", required: true },
      { name: "outcome", label: t("f_outcome"), type: "select", choices: "outreach_outcome", required: true },
      { name: "village", label: t("f_village"), type: "select", choices: villages },
      { name: "notes", label: t("f_notes"), type: "textarea" },
    ],
    { contacted_on: today(), village: state.reference?.unit?.village },
    { onSubmit: (v) => saved("clients.outreachcontact", v, {}, "#/") }
  );
  mount(back(), ...page(t("outreach")), f.el);
}

export function session(clientId) {
  const f = form(
    [
      { name: "kind", label: t("f_kind"), type: "select", choices: "session_kind", required: true },
      { name: "held_on", label: t("f_date"), type: "date", required: true },
      { name: "topic", label: t("f_topic"), required: true },
      { name: "clients", label: t("f_clients"), type: "multi", choices: clientChoices(), required: true },
      { name: "duration_minutes", label: t("f_duration"), type: "number" },
      { name: "notes", label: t("f_notes"), type: "textarea" },
    ],
    { held_on: today(), kind: clientId ? "individual" : "group", clients: clientId ? [clientId] : [] },
    { onSubmit: (v) => saved("clients.session", v, {}, clientId ? `#/client/${clientId}` : "#/") }
  );
  mount(back(clientId ? `#/client/${clientId}` : "#/"), ...page(t("session")), f.el);
}

function clientForm(id, title, model, fields, initial = {}, fixed = {}) {
  const f = form(fields, initial, { onSubmit: (v) => saved(model, { ...v, ...fixed, client: id, client_id: id }, {}, `#/client/${id}`) });
  mount(back(`#/client/${id}`), ...page(title), f.el);
}

export function plan_(id) {
  const agents = (state.reference?.agents || []).map((a) => ({ value: a.id, label: a.full_name }));
  clientForm(id, t("plan"), "clients.interventionplan", [
    { name: "goals", label: t("f_goals"), type: "textarea", required: true },
    { name: "modality", label: t("f_modality"), type: "select", choices: "plan_modality", required: true },
    { name: "frequency", label: t("f_frequency"), required: true },
    { name: "responsible", label: t("f_responsible"), type: "select", choices: agents },
    { name: "review_on", label: t("f_review_on"), type: "date", required: true },
  ], {}, { created_at: today() });
}

export function urine(id) {
  clientForm(id, t("urine"), "clients.urinetest", [
    { name: "tested_on", label: t("f_date"), type: "date", required: true },
    { name: "method", label: t("f_method"), type: "select", choices: "urine_method", required: true },
    { name: "facility", label: t("f_facility") },
    { name: "substances", label: t("f_substances"), required: true },
    { name: "result", label: t("f_result"), type: "select", choices: "urine_result", required: true },
  ], { tested_on: today(), method: "kit", substances: "MET, AMP, THC, MOR, BZO" });
}

export function monitoring(id) {
  clientForm(id, t("monitoring"), "clients.monitoringcontact", [
    { name: "due_on", label: t("f_due_on"), type: "date", required: true },
    { name: "mode", label: t("f_mode"), type: "select", choices: "contact_mode", required: true },
    { name: "done_on", label: t("f_done_on"), type: "date" },
    { name: "outcome", label: t("f_outcome"), type: "select", choices: "contact_outcome" },
    { name: "notes", label: t("f_notes"), type: "textarea" },
  ], { due_on: today(), mode: "visit" });
}

export function contactDone(contactId) {
  const c = store.row("clients.monitoringcontact", contactId);
  if (!c) return go("#/");
  const f = form(
    [
      { name: "done_on", label: t("f_done_on"), type: "date", required: true },
      { name: "outcome", label: t("f_outcome"), type: "select", choices: "contact_outcome", required: true },
      { name: "notes", label: t("f_notes"), type: "textarea" },
    ],
    { done_on: today() },
    {
      onSubmit: (v) => {
        const queued = state.outbox.get(`clients.monitoringcontact|${contactId}`);
        if (queued && queued.op === "create") return saved("clients.monitoringcontact", v, { id: contactId }, `#/client/${c.client_id}`);
        return saved(
          "clients.monitoringcontact", v,
          { op: "update", id: contactId, base: { done_on: c.done_on || null, outcome: c.outcome || "", notes: c.notes || "" }, baseVersion: c._version ?? 0 },
          `#/client/${c.client_id}`
        );
      },
    }
  );
  mount(back(`#/client/${c.client_id}`), ...page(t("monitoring")), f.el);
}

export function note(id) {
  clientForm(id, t("note"), "clients.progressnote", [
    { name: "written_on", label: t("f_date"), type: "date", required: true },
    { name: "text", label: t("f_text"), type: "textarea", required: true },
  ], { written_on: today() });
}

export function consent(id) {
  clientForm(id, t("sharing_consent"), "clients.consent", [
    { name: "given_by", label: t("f_given_by"), type: "select", choices: "consent_giver", required: true },
    { name: "giver_name", label: t("f_giver_name") },
    { name: "destination", label: t("f_destination") },
    { name: "share_identity", label: t("f_share_identity"), type: "check" },
  ], { given_by: "client" }, { kind: "sharing" }); // only sharing consent is given after registration
}

export function referral(id) {
  const providers = (state.reference?.providers || []).map((p) => ({ value: p.id, label: p.name }));
  clientForm(id, t("referral"), "referrals.referral", [
    { name: "provider", label: t("f_provider"), type: "select", choices: providers, required: true },
    { name: "pathway", label: t("f_pathway"), type: "select", choices: "referral_pathway", required: true },
    { name: "urgency", label: t("f_urgency"), type: "select", choices: "referral_urgency", required: true },
    { name: "reason", label: t("f_reason"), type: "textarea", required: true },
  ], { urgency: "routine" }, { created_at: today() });
}

// --- ASSIST, rendered from the downloaded instrument -----------------------------------------

export function assist(id) {
  const instrument = (state.reference?.instruments || []).find((i) => i.code === "ASSIST") || (state.reference?.instruments || [])[0];
  if (!instrument) return mount(back(`#/client/${id}`), ...page(t("screening")), h("p", {}, t("loading")));
  const spec = instrument.content;
  const lang = language();
  const answers = {};
  const started = new Date().toISOString();
  const body = h("div", { class: "assist" });
  const klass = (code) => spec.classes.find((c) => c.code === code);
  function set(q, cls, value) {
    if (q.per_class) answers[q.code] = { ...(answers[q.code] || {}), [cls]: value };
    else answers[q.code] = value;
    draw();
  }
  function options(q, cls, name) {
    const current = q.per_class ? (answers[q.code] || {})[cls] : answers[q.code];
    return h(
      "div",
      { class: "options" },
      q.options.map((o) =>
        h("label", { class: "option" }, h("input", { type: "radio", name, value: o.code, checked: current === o.code, onchange: () => set(q, cls, o.code), "data-testid": `${name}-${o.code}` }), " ", text(o.label, lang))
      )
    );
  }
  function draw() {
    const { steps } = plan(spec, answers);
    body.replaceChildren(
      h("p", { class: "muted" }, t("assist_intro")),
      ...steps.map((s) => {
        const q = s.question;
        if (s.kind === "probe") return h("div", { class: "card" }, h("p", {}, h("strong", {}, t("assist_probe")), " ", text(q.probe, lang)));
        if (s.kind === "checklist") {
          return h(
            "div",
            { class: "card" },
            h("p", {}, h("strong", {}, q.code), " ", text(q.text, lang)),
            s.classes.map((c) => h("div", { class: "class" }, h("p", {}, text(klass(c).name, lang)), options(q, c, `${q.code}-${c}`)))
          );
        }
        const name = s.cls ? text(klass(s.cls).name, lang) : "";
        return h("div", { class: "card" }, h("p", {}, h("strong", {}, q.code), " ", text(q.text, lang).replace("{substance}", name)), options(q, s.cls, s.key));
      }),
      h("p", { class: "muted", "data-testid": "assist-state" }, complete(spec, answers) ? t("assist_done") : t("assist_missing")),
      h("button", {
        class: "btn", type: "button", "data-testid": "assist-save",
        onclick: () => {
          if (!complete(spec, answers)) return flash(t("assist_missing"), "error");
          return saved("screening.screening", {
            client: id, client_id: id, instrument: instrument.code, instrument_version: instrument.version, answers,
            started_at: started, completed_at: new Date().toISOString(), instrument__code: instrument.code,
          }, {}, `#/client/${id}`);
        },
      }, t("save"))
    );
  }
  draw();
  mount(back(`#/client/${id}`), ...page(t("screening")), body);
}

// --- Community activities and hotspots ----------------------------------------------------------

export function activity() {
  const ref = state.reference || {};
  const f = form(
    [
      { name: "kind", label: t("f_kind"), type: "select", choices: "activity_kind", required: true },
      { name: "held_on", label: t("f_date"), type: "date", required: true },
      { name: "place", label: t("f_place") },
      { name: "rw", label: t("f_rw") },
      { name: "partners", label: t("f_partners"), type: "multi", choices: choices("activity_partner") },
      { name: "men", label: `${t("f_participants")} — ${t("men")}`, type: "number" },
      { name: "women", label: `${t("f_participants")} — ${t("women")}`, type: "number" },
      { name: "description", label: t("f_description"), type: "textarea" },
    ],
    { held_on: today() },
    {
      onSubmit: (v) => {
        const participants = [];
        if (v.men) participants.push({ sex: "m", age_band: "25-34", count: v.men });
        if (v.women) participants.push({ sex: "f", age_band: "25-34", count: v.women });
        return saved("prevention.communityactivity", {
          kind: v.kind, held_on: v.held_on, place: v.place, rw: v.rw, partners: v.partners, description: v.description,
          village: ref.unit?.village, participants,
        }, {}, "#/");
      },
    }
  );
  mount(back(), ...page(t("activity")), f.el);
}

export function hotspot() {
  const mapping = (state.reference?.mappings || [])[0];
  if (!mapping) return mount(back(), ...page(t("hotspot")), h("p", { class: "empty" }, t("no_mapping")));
  const where = h("p", { class: "muted", "data-testid": "gps-state" });
  const gps = h("button", {
    type: "button", class: "btn btn--ghost", "data-testid": "gps",
    onclick: () => {
      where.textContent = t("gps_wait");
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          f.el.elements.latitude.value = pos.coords.latitude.toFixed(6);
          f.el.elements.longitude.value = pos.coords.longitude.toFixed(6);
          where.textContent = t("gps_ok", { lat: pos.coords.latitude.toFixed(5), lon: pos.coords.longitude.toFixed(5), acc: Math.round(pos.coords.accuracy) });
        },
        (err) => { where.textContent = t("gps_fail", { m: err.message }); },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    },
  }, t("gps"));
  const f = form(
    [
      { name: "label", label: t("f_label"), required: true },
      { name: "kind", label: t("f_kind"), type: "select", choices: "hotspot_kind", required: true },
      { name: "rw", label: t("f_rw") },
      { name: "latitude", label: t("f_latitude"), inputmode: "decimal" },
      { name: "longitude", label: t("f_longitude"), inputmode: "decimal" },
      { name: "notes", label: t("f_notes"), type: "textarea" },
    ],
    {},
    { extra: [gps, where], onSubmit: (v) => saved("mapping.hotspot", { ...v, mapping: mapping.id, mapping_id: mapping.id }, {}, "#/") }
  );
  mount(back(), ...page(t("hotspot")), f.el);
}

// --- Sync: pending, last success, per-record errors, conflicts ------------------------------------

function describe(entry) {
  const r = store.row(entry.model, entry.id) || {};
  const who = store.row("clients.client", r.client_id || entry.data.client)?.name || r.name || "";
  return `${entry.model.split(".")[1]} ${who}`.trim();
}

export function syncScreen() {
  const s = sync.status();
  const errors = s.errors.map((e) =>
    h("li", { class: "card card--error", "data-testid": "sync-error" }, h("strong", {}, describe(e)), h("p", {}, e.error.message), h("p", { class: "muted" }, `${t("error_code")}: ${e.error.code}`))
  );
  const conflicts = s.conflicts.map((c) => {
    const who = store.row("clients.client", c.client_id)?.name || c.object_id;
    const choose = (choice) => async () => {
      if (!navigator.onLine) return flash(t("need_online"), "error");
      await sync.resolveConflict(c.id, choice);
      flash(t("resolved"));
      syncScreen();
    };
    return h(
      "li",
      { class: "card card--warn", "data-testid": "conflict" },
      h("strong", {}, `${who} — ${t(`f_${c.field.replace("_id", "")}`)}`),
      h("p", { class: "muted" }, t("conflict_help")),
      h("dl", { class: "facts" }, h("dt", {}, t("server_value")), h("dd", { "data-testid": "conflict-server" }, String(c.server_value ?? "")), h("dt", {}, t("device_value")), h("dd", { "data-testid": "conflict-device" }, String(c.device_value ?? ""))),
      h("div", { class: "split" },
        h("button", { class: "btn btn--ghost", type: "button", onclick: choose("server"), "data-testid": "keep-server" }, t("keep_server")),
        h("button", { class: "btn", type: "button", onclick: choose("device"), "data-testid": "keep-device" }, t("keep_device")))
    );
  });
  const run = (retryErrors) => async () => {
    const result = await sync.syncNow({ retryErrors });
    syncScreen();
    flash(result.ok ? t("sync_ok") : result.message, result.ok ? "ok" : "error");
  };
  mount(
    back(),
    ...page(t("sync")),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("pending_count")), h("dd", { "data-testid": "pending-count" }, String(s.pending)),
      h("dt", {}, t("last_sync")), h("dd", { "data-testid": "last-sync" }, s.lastSync ? when(s.lastSync) : t("never"))
    ),
    s.lastError ? h("p", { class: "error", "data-testid": "sync-last-error" }, s.lastError) : null,
    s.lastError === t("sync_login") ? h("a", { class: "btn btn--ghost", href: "/accounts/login/?next=/app/%23/sync" }, t("signin")) : null,
    h("div", { class: "split" },
      h("button", { class: "btn", type: "button", onclick: run(false), "data-testid": "sync-now", disabled: s.running }, s.running ? t("syncing") : t("sync_now")),
      h("button", { class: "btn btn--ghost", type: "button", onclick: run(true), "data-testid": "sync-retry" }, t("retry"))),
    h("h2", {}, t("errors")),
    h("ul", { class: "list" }, errors.length ? errors : h("li", { class: "empty" }, t("no_errors"))),
    h("h2", {}, t("conflicts")),
    h("ul", { class: "list" }, conflicts.length ? conflicts : h("li", { class: "empty" }, t("no_conflicts")))
  );
}
