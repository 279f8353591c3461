// Schouw's service worker: the app shell works without a network.
// The cache name carries the build hash (filled in by `cargo xtask dist`), so a new release
// installs beside the old one and replaces it on activation.
const CACHE = 'schouw-shell-{{BUILD_HASH}}';
const PRECACHE = {{PRECACHE}};

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // Hashed assets never change, so the copy the page just loaded (HTTP cache) is the right
      // one and is not downloaded twice; the shell and manifest are fetched fresh.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, {
        cache: url.startsWith('/assets/') ? 'default' : 'reload',
      }))))
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
  // The office door is online only and not this worker's: never served from the field cache.
  if (url.pathname === '/kantoor' || url.pathname.startsWith('/kantoor/')) return;
  if (request.mode === 'navigate') {
    // Every route is the same shell; the app routes on the device. Cache first, so opening the
    // app never waits on a poor connection.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match('/')).then((hit) => hit || fetch(request)),
    );
    return;
  }
  // Only the shell's own files come from the cache; anything else (the office door's assets)
  // is the network's business.
  if (!PRECACHE.includes(url.pathname)) return;
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request).then((hit) => hit || fetch(request))),
  );
});
