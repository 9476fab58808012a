// Pulih field app service worker (version {{ version }}): the app shell and assets work offline.
// API calls always go to the network: client data lives only in the encrypted store.
const CACHE = "pulih-app-{{ version }}";
const SHELL = "/app/";
const ASSETS = {{ assets|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await cache.addAll(ASSETS);
      const shell = await fetch(SHELL, { credentials: "same-origin" });
      if (shell.ok && !shell.redirected) await cache.put(SHELL, shell);
    }).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("pulih-app-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (event.request.mode === "navigate" && url.pathname.startsWith("/app")) {
    // The shell from the network when signed in (refreshing the copy), else the kept copy.
    event.respondWith(
      fetch(event.request).then(async (response) => {
        if (response.ok && !response.redirected) {
          const cache = await caches.open(CACHE);
          await cache.put(SHELL, response.clone());
          return response;
        }
        return (await caches.match(SHELL)) || response;
      }).catch(async () => (await caches.match(SHELL)) || Response.error())
    );
    return;
  }
  event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
});
