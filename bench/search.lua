-- bench/search.lua: wrk script for bench/search.sh. Each connection POSTs
-- the _search bodies of one query class (one JSON document a line, file
-- BENCH_BODIES) in turn, starting at a different line per thread; with
-- BENCH_BYPASS=1 it asks the engine to skip the Redis result cache
-- (honoured from loopback only); BENCH_ENGINE (sql|memory) asks for one
-- search engine (X-Souk-Search-Engine, loopback only; unset: whichever
-- answers). done() prints one line:
--   requests=N non2xx=N errors=N seconds=S p50=MS p95=MS p99=MS max=MS
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do
	if #line > 0 then bodies[#bodies + 1] = line end
end
local bypass = os.getenv("BENCH_BYPASS") == "1"
local engine = os.getenv("BENCH_ENGINE") or ""
local threads = {}
local n = 0

function setup(thread)
	thread:set("id", #threads)
	threads[#threads + 1] = thread
end

function init(args)
	n = id * 7
end

function request()
	n = n + 1
	local headers = { ["Content-Type"] = "application/json" }
	if bypass then headers["X-Souk-Search-Cache"] = "bypass" end
	if engine ~= "" then headers["X-Souk-Search-Engine"] = engine end
	return wrk.format("POST", "/api/v1/products/_search", headers, bodies[(n % #bodies) + 1])
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		"requests=%d non2xx=%d errors=%d seconds=%.3f p50=%.2f p95=%.2f p99=%.2f max=%.2f\n",
		summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
		summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
		latency:percentile(99) / 1e3, latency.max / 1e3))
end
