// The console's service worker (SPEC OTHERSET-AUTOSTART-8): it makes the console installable as an app and keeps
// its shell — the page, its start-up files and every screen's file once opened — so the app window and the user
// guide open while the server cannot be reached. API calls, sockets, files and the widget always go to the server.
const BUILD = new URL(self.location.href).searchParams.get('build') ?? 'dev';
const CACHE = `kefu-shell-${BUILD}`;
const SHELL = '/index.html';

/** The shell and the files it starts with: the entry chunk and its static imports, from Vite's build manifest. */
async function storeShell() {
  const cache = await caches.open(CACHE);
  const manifest = await (await fetch('/build-manifest.json', { cache: 'no-store' })).json();
  const files = new Set();
  const add = (key) => {
    const chunk = manifest[key];
    if (!chunk || files.has('/' + chunk.file)) return;
    for (const file of [chunk.file, ...(chunk.css ?? [])]) files.add('/' + file);
    for (const imported of chunk.imports ?? []) add(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) add(key);
  await cache.addAll([SHELL, ...files]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(storeShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('kefu-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const passThrough = (url) => url.origin !== self.location.origin || /^\/(api|socket\.io|widget|healthz|readyz|demo)(\/|$)/.test(url.pathname);

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || passThrough(url)) return;
  if (request.mode === 'navigate') {
    // Network first, so the server's answer wins while it can be reached; the stored shell only when it cannot.
    event.respondWith(fetch(request).catch(() => caches.match(SHELL)));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Built files carry content hashes in their names: a stored copy is always right, and a fetched one is kept.
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            if (response.ok) event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, response.clone())));
            return response;
          }),
      ),
    );
  }
});
