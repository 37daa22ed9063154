-- wrk script of bench/run.sh: the same script drives the baseline and the measured endpoints, so
-- both pay the same per-request Lua cost.
--   wrk ... URL -- live                     GET /health/live
--   wrk ... URL -- verify FILE              GET /v1/models/{id}/verify, model ids round-robin
--   wrk ... URL -- batch FILE SIZE          POST /v1/verify with SIZE items per request
--   wrk ... URL -- drift IDS                POST /v1/models/{id}/drift, a mild observation, ids round-robin
-- FILE holds "model_id weights_hash" lines (written by `Governance.Bench setup-verify`); IDS holds
-- one model id a line (written by `Governance.Bench drift`).
-- When WRK_REPORT is set, done() writes a JSON summary there (latencies in microseconds).

local prepared = {}
local next_index = 1
local threads = 0

local function read_models(path)
  local models = {}
  for line in io.lines(path) do
    local id, hash = line:match("^(%S+)%s+(%S+)$")
    if id then
      models[#models + 1] = { id = id, hash = hash }
    end
  end
  assert(#models > 0, "no models in " .. tostring(path))
  return models
end

local function read_ids(path)
  local ids = {}
  for line in io.lines(path) do
    if line:match("^%S+$") then
      ids[#ids + 1] = line
    end
  end
  assert(#ids > 0, "no model ids in " .. tostring(path))
  return ids
end

-- Serving metrics equal to the training metrics the bench records: no drift, nothing revoked.
local mild_observation = '{"serving_metrics":{"loss":0.121,"accuracy":0.953}}'

local function json_headers()
  local headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  return headers
end

local function verify_path(model)
  return "/v1/models/" .. model.id .. "/verify?environment=production&scope=eu&weights_hash=" .. model.hash
end

local function batch_body(models, first, size)
  local items = {}
  for i = 0, size - 1 do
    local model = models[(first + i - 1) % #models + 1]
    items[#items + 1] = string.format(
      '{"model_id":"%s","environment":"production","scope":"eu","weights_hash":"%s"}', model.id, model.hash)
  end
  return '{"items":[' .. table.concat(items, ",") .. ']}'
end

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  local mode = args[1] or "live"
  if mode == "live" then
    prepared[1] = wrk.format("GET", "/health/live")
  elseif mode == "verify" then
    for _, model in ipairs(read_models(args[2])) do
      prepared[#prepared + 1] = wrk.format("GET", verify_path(model))
    end
  elseif mode == "batch" then
    local models = read_models(args[2])
    local size = tonumber(args[3] or "100")
    local headers = json_headers()
    for first = 1, #models, size do
      prepared[#prepared + 1] = wrk.format("POST", "/v1/verify", headers, batch_body(models, first, size))
    end
  elseif mode == "drift" then
    local headers = json_headers()
    for _, id in ipairs(read_ids(args[2])) do
      prepared[#prepared + 1] = wrk.format("POST", "/v1/models/" .. id .. "/drift", headers, mild_observation)
    end
  else
    error("unknown mode " .. mode)
  end
  -- Threads start at different models.
  next_index = ((thread_number or 0) * 7919) % #prepared + 1
end

function request()
  local r = prepared[next_index]
  next_index = next_index % #prepared + 1
  return r
end

function done(summary, latency, requests)
  local path = os.getenv("WRK_REPORT")
  if not path then
    return
  end
  local e = summary.errors
  local file = assert(io.open(path, "w"))
  file:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.2f,"latency_mean_us":%.1f,' ..
    '"latency_p50_us":%d,"latency_p90_us":%d,"latency_p99_us":%d,"latency_max_us":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6), latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
  file:close()
end
