-- wrk script for benches/payments.sh: POST /api/v1/payments, a ₹50 cash payment for a random
-- household of the list, each request with its own Idempotency-Key.
--
--   wrk -t2 -c16 -d15s --latency -s benches/payments.lua http://127.0.0.1:18183/api/v1/payments \
--       -- IDS_FILE TOKEN RUN_NAME ACK_DIR
--
-- IDS_FILE: household ids, one per line. TOKEN: an API token of a secretary of their GP.
-- RUN_NAME: makes the keys unique across runs (e.g. "c16"). ACK_DIR: each thread appends the
-- receipt number of every 201 it received to ACK_DIR/RUN_NAME-<thread>.txt, so the script
-- can check afterwards that every acknowledged receipt is in the database.
-- At the end it prints one "result …" line and, if anything but 201 came back, the statuses
-- and the first such answer of each thread.

local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
  table.insert(threads, thread)
end

local ids = {}
local token, run, acks
local sent = 0

function init(args)
  local ids_file = args[1]
  token, run = args[2], args[3]
  for line in io.lines(ids_file) do
    local id = tonumber(line)
    if id then
      ids[#ids + 1] = id
    end
  end
  if #ids == 0 then
    error("no household ids in " .. ids_file)
  end
  math.randomseed(os.time() * 1000 + tid)
  acks = assert(io.open(args[4] .. "/" .. run .. "-" .. tid .. ".txt", "a"))
  -- read back by done() in the main thread
  created = 0
  other = 0
  statuses = {}
  first_error = ""
end

function request()
  sent = sent + 1
  local household = ids[math.random(#ids)]
  local body = string.format('{"household_id":%d,"amount":"50"}', household)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run, tid, sent),
  }
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    local receipt = body:match('"receipt_no":"([^"]+)"')
    if receipt then
      acks:write(receipt, "\n")
      acks:flush()
    end
  else
    other = other + 1
    statuses[status] = (statuses[status] or 0) + 1
    if first_error == "" then
      first_error = status .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local created_all, other_all, by_status, errors = 0, 0, {}, {}
  for _, t in ipairs(threads) do
    created_all = created_all + (t:get("created") or 0)
    other_all = other_all + (t:get("other") or 0)
    for status, n in pairs(t:get("statuses") or {}) do
      by_status[status] = (by_status[status] or 0) + n
    end
    local e = t:get("first_error")
    if e and e ~= "" then
      errors[#errors + 1] = e
    end
  end
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "result requests=%d seconds=%.2f rps=%.1f created=%d other=%d p50_ms=%.2f p99_ms=%.2f " ..
    "max_ms=%.2f connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, secs, summary.requests / secs, created_all, other_all,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout))
  local parts = {}
  for status, n in pairs(by_status) do
    parts[#parts + 1] = status .. ": " .. n
  end
  if #parts > 0 then
    table.sort(parts)
    io.write("statuses other than 201: " .. table.concat(parts, ", ") .. "\n")
    for _, err in ipairs(errors) do
      io.write("first such answer of a thread: " .. err .. "\n")
    end
  end
end
