-- wrk script for the site search benchmark (docs/BENCHMARKS.md, "Server core (issue 4)").
-- A mix of what a search box sends: a city, a postcode (with and without space), a name fragment,
-- a sector filter, and an empty query (first page of everything). Token from SCHOUW_TOKEN.
local token = os.getenv("SCHOUW_TOKEN")
local queries = {
  "/api/v1/sites?q=aalten",
  "/api/v1/sites?q=7121",
  "/api/v1/sites?q=7004%20AB",
  "/api/v1/sites?q=7010xl",
  "/api/v1/sites?q=garage%20jansen",
  "/api/v1/sites?q=dorpsstraat%2012",
  "/api/v1/sites?q=lammers&sector=construction",
  "/api/v1/sites?q=winterswijk&limit=200",
  "/api/v1/sites?sector=garage",
  "/api/v1/sites",
  "/api/v1/sites?q=bestaat-niet",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1], { ["Authorization"] = "Bearer " .. token })
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (status %d)\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.errors.status))
  for _, p in ipairs({ 50, 90, 95, 99 }) do
    io.write(string.format("p%d %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max %.2f ms, mean %.2f ms\n", latency.max / 1000, latency.mean / 1000))
end
