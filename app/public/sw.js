// Schouw's service worker: the app shell works without a network.
// The cache name carries the build hash (filled in by `cargo xtask dist`), so a new release
// installs beside the old one and replaces it on activation.
const CACHE = 'schouw-shell-{{BUILD_HASH}}';
const PRECACHE = {{PRECACHE}};

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith('schouw-shell-') && k !== CACHE).map((k) => caches.delete(k)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Data always comes from the network (the app keeps its own copy in IndexedDB).
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz') return;
  if (request.mode === 'navigate') {
    // Every route is the same shell; the app routes on the device. Cache first, so opening the
    // app never waits on a poor connection.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match('/')).then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request).then((hit) => hit || fetch(request))),
  );
});
