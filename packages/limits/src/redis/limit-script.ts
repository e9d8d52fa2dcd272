import { createHash } from 'node:crypto';

/**
 * The one Lua script behind every Redis decision. It mirrors `counter/counter-kernel.ts`: pass 1
 * rolls every counter of every key and checks room; pass 2 applies the amounts when all fit (or
 * when forced) and writes the state back. Each key's state is one MessagePack map
 * `{ [counterId]: [a, b, c] }` (GET + SET PX: two commands per key, exact doubles, and counters
 * of other layouts under the same key are kept). Redis runs it atomically.
 *
 * ARGV: now, force (0|1), refundAt, key count, then per key: counter count, then per counter:
 * id, algorithm code, windowMs, capacity, refill, amount, periodStart, periodEnd (-1 = never), refundPeriodStart (-1 = none).
 * Returns: allowed, failedOperation, failedCounter, retryAfterMs (-1 unknown, -2 never), then
 * remaining and resetAt (-2 never) per counter.
 */
export const LIMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local force = ARGV[2] == '1'
local refundAt = tonumber(ARGV[3])
local keyCount = tonumber(ARGV[4])
local INF = math.huge
local pos = 5
local ops = {}
local allowed = true
local retry = 0
local failedOp, failedCounter = -1, -1

local function slidingUsedAt(a, b, c, w, at)
  local start = at - (at % w)
  local cur, prev, begin = b, c, a
  if start > a then
    if start - w == a then prev = b else prev = 0 end
    cur = 0
    begin = start
  end
  local e = (at - begin) / w
  local weight
  if e >= 1 then weight = 0 elseif e <= 0 then weight = 1 else weight = 1 - e end
  return prev * weight + cur
end

for k = 1, keyCount do
  local n = tonumber(ARGV[pos])
  pos = pos + 1
  local cs = {}
  for j = 1, n do
    local id = ARGV[pos]
    cs[j] = { id = id, code = tonumber(ARGV[pos + 1]), w = tonumber(ARGV[pos + 2]), cap = tonumber(ARGV[pos + 3]),
      refill = tonumber(ARGV[pos + 4]), amount = tonumber(ARGV[pos + 5]), ps = tonumber(ARGV[pos + 6]),
      pe = tonumber(ARGV[pos + 7]), rps = tonumber(ARGV[pos + 8]) }
    if cs[j].pe < 0 then cs[j].pe = INF end
    pos = pos + 9
  end
  local raw = redis.call('GET', KEYS[k])
  local stored = {}
  if raw then stored = cmsgpack.unpack(raw) end
  for j = 1, n do
    local c = cs[j]
    local saved = stored[c.id]
    local a, b, p = nil, 0, 0
    if saved then a, b, p = saved[1], saved[2], saved[3] end
    local w, cap, code, used = c.w, c.cap, c.code, 0
    if code == 1 then
      local start = now - (now % w)
      if a == nil or a < start then
        if a ~= nil and a == start - w then p = b else p = 0 end
        b = 0
        a = start
      end
      local e = (now - a) / w
      local weight
      if e >= 1 then weight = 0 elseif e <= 0 then weight = 1 else weight = 1 - e end
      used = p * weight + b
    elseif code == 2 then
      if a == nil then
        a = now
        b = cap
      elseif now > a then
        b = b + (now - a) * c.refill / w
        if b > cap then b = cap end
        a = now
      end
      used = cap - b
    elseif code == 3 then
      local start = now - (now % w)
      if a == nil or a < start then
        a = start
        b = 0
      end
      used = b
    elseif code == 4 then
      if a == nil or a < c.ps then
        a = c.ps
        b = 0
      end
      used = b
    else
      if a == nil or now - a > w then b = 0 end
      a = now
      used = b
    end
    c.a, c.b, c.p, c.used = a, b, p, used
    local x = c.amount
    if x > 0 and used + x > cap then
      local wait
      if code == 5 then
        wait = -1
      elseif x > cap then
        wait = INF
      elseif code == 1 then
        local e = (now - a) / w
        if b + x <= cap and p > 0 then
          wait = math.ceil((1 - (cap - b - x) / p - e) * w)
        else
          local f = 0
          if b > 0 then f = math.max(0, 1 - (cap - x) / b) end
          wait = math.ceil((1 - e + f) * w)
        end
        if wait < 1 then wait = 1 end
        while slidingUsedAt(a, b, p, w, now + wait) + x > cap do wait = wait + 1 end
      elseif code == 2 then
        wait = math.max(1, math.ceil((x - b) * w / c.refill))
      elseif code == 3 then
        wait = math.max(1, a + w - now)
      elseif c.pe == INF then
        wait = INF
      else
        wait = math.max(1, c.pe - now)
      end
      if allowed or wait > retry then
        retry = wait
        failedOp = k - 1
        failedCounter = j - 1
      end
      allowed = false
    end
  end
  cs.stored = stored
  ops[k] = cs
end

local apply = allowed or force
local out = { allowed and 1 or 0, failedOp, failedCounter, 0 }
if retry == INF then out[4] = -2 else out[4] = retry end
for k = 1, keyCount do
  local cs = ops[k]
  local stored = cs.stored
  local ttl = 0
  for j = 1, #cs do
    local c = cs[j]
    local code, w, cap, x = c.code, c.w, c.cap, c.amount
    local left = cap - c.used
    if apply and x ~= 0 then
      if x > 0 then
        if code == 2 then c.b = c.b - x else c.b = c.b + x end
      elseif code == 1 then
        local start = refundAt - (refundAt % w)
        if start == c.a then c.b = math.max(0, c.b + x) elseif start == c.a - w then c.p = math.max(0, c.p + x) end
      elseif code == 2 then
        c.b = math.min(cap, c.b - x)
      elseif code == 3 then
        if refundAt - (refundAt % w) == c.a then c.b = math.max(0, c.b + x) end
      elseif code == 4 then
        if c.rps == c.a then c.b = math.max(0, c.b + x) end
      else
        c.b = math.max(0, c.b + x)
      end
      left = left - x
    end
    if left > 0 then out[#out + 1] = math.floor(left) else out[#out + 1] = 0 end
    local reset, life
    if code == 1 then
      reset = c.a + w
      life = c.a + 2 * w - now
    elseif code == 3 then
      reset = c.a + w
      life = c.a + w - now
    elseif code == 2 then
      if cap - c.b <= 0 then reset = now else reset = now + math.ceil((cap - c.b) * w / c.refill) end
      life = reset - now + w
    elseif code == 4 then
      reset = c.pe
      life = c.pe - now
    else
      reset = now
      life = w
    end
    if reset == INF then out[#out + 1] = -2 else out[#out + 1] = reset end
    if ttl ~= INF and life > ttl then ttl = life end
    stored[c.id] = { c.a, c.b, c.p }
  end
  if apply then
    if ttl == INF then
      redis.call('SET', KEYS[k], cmsgpack.pack(stored))
    else
      redis.call('SET', KEYS[k], cmsgpack.pack(stored), 'PX', math.max(1, math.ceil(ttl)))
    end
  end
end
return out
`;

/** SHA1 of {@link LIMIT_SCRIPT}, for EVALSHA. */
export const LIMIT_SCRIPT_SHA = createHash('sha1').update(LIMIT_SCRIPT).digest('hex');
