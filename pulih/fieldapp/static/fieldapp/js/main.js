// Boot: service worker, PIN (set up or unlock), wipe rules, router, automatic sync.
import * as api from "./api.js";
import * as store from "./store.js";
import * as sync from "./sync.js";
import * as screens from "./screens.js";
import { t, toggleLanguage } from "./i18n.js";
import { flash, h, mount } from "./ui.js";

const DAY = 24 * 60 * 60 * 1000;

function netBanner() {
  const el = document.getElementById("net");
  el.hidden = navigator.onLine;
  el.textContent = t("offline");
}

function badge() {
  const s = sync.status();
  const el = document.getElementById("sync-badge");
  el.textContent = s.running ? t("syncing") : s.pending ? t("pending", { n: s.pending }) : t("all_sent");
  el.className = `bar__sync${s.pending ? " bar__sync--pending" : ""}`;
}

const ROUTES = [
  [/^#\/?$/, () => screens.home()],
  [/^#\/register$/, () => screens.register()],
  [/^#\/outreach$/, () => screens.outreach()],
  [/^#\/session$/, () => screens.session()],
  [/^#\/activity$/, () => screens.activity()],
  [/^#\/hotspot$/, () => screens.hotspot()],
  [/^#\/sync$/, () => screens.syncScreen()],
  [/^#\/contact\/([\w-]+)$/, (m) => screens.contactDone(m[1])],
  [/^#\/client\/([\w-]+)$/, (m) => screens.client(m[1])],
  [/^#\/client\/([\w-]+)\/assist$/, (m) => screens.assist(m[1])],
  [/^#\/client\/([\w-]+)\/plan$/, (m) => screens.plan_(m[1])],
  [/^#\/client\/([\w-]+)\/session$/, (m) => screens.session(m[1])],
  [/^#\/client\/([\w-]+)\/monitoring$/, (m) => screens.monitoring(m[1])],
  [/^#\/client\/([\w-]+)\/urine$/, (m) => screens.urine(m[1])],
  [/^#\/client\/([\w-]+)\/referral$/, (m) => screens.referral(m[1])],
  [/^#\/client\/([\w-]+)\/consent$/, (m) => screens.consent(m[1])],
  [/^#\/client\/([\w-]+)\/note$/, (m) => screens.note(m[1])],
  [/^#\/client\/([\w-]+)\/edit$/, (m) => screens.editClient(m[1])],
];

function route() {
  if (!store.isUnlocked()) return;
  const hash = window.location.hash || "#/";
  for (const [pattern, show] of ROUTES) {
    const m = hash.match(pattern);
    if (m) {
      show(m);
      footer();
      return;
    }
  }
  screens.home();
  footer();
}

function footer() {
  const view = document.getElementById("view");
  view.append(
    h("footer", { class: "foot" },
      h("button", { type: "button", class: "btn btn--ghost btn--small", onclick: () => { toggleLanguage(); route(); badge(); netBanner(); } }, t("language")),
      h("button", { type: "button", class: "btn btn--danger btn--small", "data-testid": "logout", onclick: logout }, t("logout")))
  );
}

async function logout() {
  if (!window.confirm(t("logout_confirm"))) return;
  await store.wipe();
  const token = (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const formEl = h("form", { method: "post", action: "/accounts/logout/" }, h("input", { type: "hidden", name: "csrfmiddlewaretoken", value: decodeURIComponent(token) }));
  document.body.append(formEl);
  formEl.submit();
}

function pinInput(name, testid) {
  return h("input", { type: "password", name, inputmode: "numeric", autocomplete: "off", minlength: 6, required: true, "data-testid": testid });
}

async function session() {
  try {
    return { data: await api.get("/api/v1/sync/session") };
  } catch (err) {
    return { error: err };
  }
}

function signInScreen(message) {
  mount(h("h1", { class: "title" }, "Pulih"), h("p", { "data-testid": "signin-needed" }, message || t("signin_first")), h("a", { class: "btn", href: "/accounts/login/?next=/app/" }, t("signin")));
}

async function setupScreen(me) {
  const pin = pinInput("pin", "pin");
  const again = pinInput("again", "pin-again");
  const errors = h("div", { class: "field-errors" });
  const formEl = h("form", { class: "form", novalidate: true },
    h("div", { class: "field" }, h("label", {}, t("pin")), pin),
    h("div", { class: "field" }, h("label", {}, t("pin_again")), again),
    errors,
    h("button", { class: "btn", type: "submit", "data-testid": "pin-save" }, t("save_pin")));
  formEl.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!/^\d{6,}$/.test(pin.value)) return errors.replaceChildren(h("p", { class: "error" }, t("pin_short")));
    if (pin.value !== again.value) return errors.replaceChildren(h("p", { class: "error" }, t("pin_mismatch")));
    mount(h("p", { class: "muted", "data-testid": "first-sync" }, t("first_sync")));
    await store.setup(pin.value, me.user.id, me.settings);
    const result = await sync.syncNow();
    started();
    if (!result.ok) flash(result.message, "error");
  });
  mount(h("h1", { class: "title", "data-testid": "pin-setup" }, t("pin_setup_title")), h("p", { class: "muted" }, t("pin_setup_help")), formEl);
}

function unlockScreen() {
  const pin = pinInput("pin", "pin");
  const errors = h("div", { class: "field-errors", "data-testid": "pin-errors" });
  const formEl = h("form", { class: "form", novalidate: true },
    h("div", { class: "field" }, h("label", {}, t("pin")), pin), errors,
    h("button", { class: "btn", type: "submit", "data-testid": "pin-unlock" }, t("unlock")));
  formEl.addEventListener("submit", async (event) => {
    event.preventDefault();
    const outcome = await store.unlock(pin.value);
    if (outcome.result === "ok") return afterUnlock();
    if (outcome.result === "wiped") return boot();
    pin.value = "";
    errors.replaceChildren(h("p", { class: "error" }, t("pin_wrong", { n: outcome.left })));
  });
  mount(h("h1", { class: "title", "data-testid": "pin-unlock-title" }, t("pin_unlock_title")), formEl);
}

async function afterUnlock() {
  started();
  if (navigator.onLine) {
    const me = await session();
    if (me.data && me.data.user.id !== store.state.meta.owner) {
      await store.wipe("user");
      return boot();
    }
    sync.syncNow();
  }
}

function started() {
  sync.startAuto();
  route();
  badge();
}

async function boot() {
  netBanner();
  const wiped = sessionStorage.getItem("pulih-wiped");
  sessionStorage.removeItem("pulih-wiped");
  if (await store.isSetUp()) {
    const settings = (await store.meta("settings")) || {};
    const last = (await store.meta("last_sync")) || (await store.meta("created_at"));
    const days = settings.wipe_after_days || 14;
    if (last && Date.now() - last > days * DAY) {
      await store.wipe("days");
      return boot();
    }
    return unlockScreen();
  }
  const me = await session();
  if (me.error) {
    if (me.error instanceof api.HttpError && me.error.status === 403) return signInScreen(t("not_unit"));
    return signInScreen();
  }
  await setupScreen(me.data);
  if (wiped) flash(t(`wiped_${wiped}`, { n: (me.data.settings || {}).wipe_after_days }), "error");
}

window.addEventListener("hashchange", route);
window.addEventListener("online", netBanner);
window.addEventListener("offline", netBanner);
sync.onChange(() => {
  badge();
  if ((window.location.hash || "").startsWith("#/sync") && store.isUnlocked()) screens.syncScreen(), footer();
});

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(document.body.dataset.sw, { scope: "/app/" }).catch(() => {});
}
boot();
