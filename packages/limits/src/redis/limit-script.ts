import { createHash } from 'node:crypto';

/**
 * The one Lua script behind every Redis decision. It mirrors `counter/counter-kernel.ts`: pass 1
 * rolls every counter of every key and checks room; pass 2 applies the amounts when all fit (or
 * when forced) and writes the state back. Redis runs it atomically.
 *
 * State per key is one string (GET + SET PX: two commands per key, exact doubles):
 * `<id>|<id>|…\0` followed by three little-endian doubles `[a, b, c]` per id, in that order. The
 * request's layout signature (its ids joined by `|`) comes first, so the usual call compares one
 * prefix and unpacks its doubles with one `struct.unpack`; counters of other layouts under the same
 * key are kept (after ours), and a value in the former MessagePack map format
 * (`{ [counterId]: [a, b, c] }`) is read and rewritten in the new format.
 *
 * ARGV: now, force (0|1), refundAt, key count, then per key: layout signature, counter count, and
 * the counters' numbers as little-endian doubles in one binary string (one `struct.unpack` instead
 * of a `tonumber` per number): per counter algorithm code, windowMs, capacity, amount, and by
 * algorithm: token bucket refill; calendar periodStart, periodEnd (-1 = never), refundPeriodStart
 * (-1 = none).
 * Returns: allowed, failedOperation, failedCounter, retryAfterMs (-1 unknown, -2 never), then
 * remaining and resetAt (-2 never) per counter.
 */
export const LIMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local force = ARGV[2] == '1'
local refundAt = tonumber(ARGV[3])
local keyCount = tonumber(ARGV[4])
local INF = math.huge
local unpackd, packd, sbyte, ssub, rep = struct.unpack, struct.pack, string.byte, string.sub, string.rep
local tonumber, ceil, floor, max, min = tonumber, math.ceil, math.floor, math.max, math.min
local pos = 5
local states, heads, tails, params = {}, {}, {}, {}
local out = { 0, -1, -1, 0 }
local at = 4
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

-- Reads a key's value in any layout: our counters' [a, b, c] go to S (a = nil when unknown), the
-- other counters to the returned head (extra ids) and tail (their packed doubles).
local function readOther(raw, sig, n, S)
  local have = {}
  local extraIds, extraVals = {}, {}
  if sbyte(raw, 1) >= 128 then
    for id, v in pairs(cmsgpack.unpack(raw)) do have[id] = v end
  else
    local sep = string.find(raw, '\\0', 1, true)
    local i = 0
    local vals = { unpackd('<' .. rep('d', 3 * select(2, string.gsub(ssub(raw, 1, sep - 1), '[^|]+', ''))), raw, sep + 1) }
    for id in string.gmatch(ssub(raw, 1, sep - 1), '[^|]+') do
      have[id] = { vals[i + 1], vals[i + 2], vals[i + 3] }
      i = i + 3
    end
  end
  local j = 0
  for id in string.gmatch(sig, '[^|]+') do
    j = j + 1
    local v = have[id]
    if v then
      S[3 * j - 2], S[3 * j - 1], S[3 * j] = v[1], v[2], v[3]
      have[id] = nil
    end
  end
  for id, v in pairs(have) do
    extraIds[#extraIds + 1] = id
    extraVals[#extraVals + 1] = v[1]
    extraVals[#extraVals + 1] = v[2]
    extraVals[#extraVals + 1] = v[3]
  end
  if #extraIds == 0 then return '', '' end
  return '|' .. table.concat(extraIds, '|'), packd('<' .. rep('d', #extraVals), unpack(extraVals))
end

for k = 1, keyCount do
  local sig, blob = ARGV[pos], ARGV[pos + 2]
  local n = tonumber(ARGV[pos + 1])
  pos = pos + 3
  local P = { unpackd('<' .. rep('d', #blob / 8), blob) }
  params[k] = P
  local q = 1
  local fmt = '<' .. rep('d', 3 * n)
  local raw = redis.call('GET', KEYS[k])
  local S
  local head, tail = '', ''
  if raw then
    local len = #sig
    local mark = sbyte(raw, len + 1)
    if (mark == 0 or mark == 124) and ssub(raw, 1, len) == sig then
      local sep = len + 1
      if mark == 124 then sep = string.find(raw, '\\0', len + 1, true) end
      S = { unpackd(fmt, raw, sep + 1) }
      if mark == 124 then
        head = ssub(raw, len + 1, sep - 1)
        tail = ssub(raw, sep + 1 + 24 * n)
      end
    else
      S = {}
      head, tail = readOther(raw, sig, n, S)
    end
  else
    S = {}
  end
  for j = 1, n do
    local code, w, cap, x = P[q], P[q + 1], P[q + 2], P[q + 3]
    q = q + 4
    local o = 3 * j
    local a, b, p = S[o - 2], S[o - 1] or 0, S[o] or 0
    local used
    local refill, pe
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
      refill = P[q]
      q = q + 1
      if a == nil then
        a = now
        b = cap
      elseif now > a then
        b = b + (now - a) * refill / w
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
      local ps = P[q]
      pe = P[q + 1]
      if pe < 0 then pe = INF end
      q = q + 3
      if a == nil or a < ps then
        a = ps
        b = 0
      end
      used = b
    else
      if a == nil or now - a > w then b = 0 end
      a = now
      used = b
    end
    S[o - 2], S[o - 1], S[o] = a, b, p
    out[at + 1] = cap - used
    at = at + 2
    if x > 0 and used + x > cap then
      local wait
      if code == 5 then
        wait = -1
      elseif x > cap then
        wait = INF
      elseif code == 1 then
        local e = (now - a) / w
        if b + x <= cap and p > 0 then
          wait = ceil((1 - (cap - b - x) / p - e) * w)
        else
          local f = 0
          if b > 0 then f = max(0, 1 - (cap - x) / b) end
          wait = ceil((1 - e + f) * w)
        end
        if wait < 1 then wait = 1 end
        while slidingUsedAt(a, b, p, w, now + wait) + x > cap do wait = wait + 1 end
      elseif code == 2 then
        wait = max(1, ceil((x - b) * w / refill))
      elseif code == 3 then
        wait = max(1, a + w - now)
      elseif pe == INF then
        wait = INF
      else
        wait = max(1, pe - now)
      end
      if allowed or wait > retry then
        retry = wait
        failedOp = k - 1
        failedCounter = j - 1
      end
      allowed = false
    end
  end
  states[k], heads[k], tails[k] = S, head, tail
end

local apply = allowed or force
out[1], out[2], out[3] = allowed and 1 or 0, failedOp, failedCounter
if retry == INF then out[4] = -2 else out[4] = retry end
at = 4
pos = 5
for k = 1, keyCount do
  local S, P = states[k], params[k]
  local sig = ARGV[pos]
  local n = tonumber(ARGV[pos + 1])
  pos = pos + 3
  local q = 1
  local ttl = 0
  for j = 1, n do
    local code, w, cap, x = P[q], P[q + 1], P[q + 2], P[q + 3]
    q = q + 4
    local refill, pe, rps
    if code == 2 then
      refill = P[q]
      q = q + 1
    elseif code == 4 then
      pe = P[q + 1]
      if pe < 0 then pe = INF end
      rps = P[q + 2]
      q = q + 3
    end
    local o = 3 * j
    local a, b = S[o - 2], S[o - 1]
    local left = out[at + 1]
    if apply and x ~= 0 then
      if x > 0 then
        if code == 2 then b = b - x else b = b + x end
      elseif code == 1 then
        local start = refundAt - (refundAt % w)
        if start == a then b = max(0, b + x) elseif start == a - w then S[o] = max(0, S[o] + x) end
      elseif code == 2 then
        b = min(cap, b - x)
      elseif code == 3 then
        if refundAt - (refundAt % w) == a then b = max(0, b + x) end
      elseif code == 4 then
        if rps == a then b = max(0, b + x) end
      else
        b = max(0, b + x)
      end
      S[o - 1] = b
      left = left - x
    end
    if left > 0 then out[at + 1] = floor(left) else out[at + 1] = 0 end
    local reset, life
    if code == 1 then
      reset = a + w
      life = a + 2 * w - now
    elseif code == 3 then
      reset = a + w
      life = a + w - now
    elseif code == 2 then
      if cap - b <= 0 then reset = now else reset = now + ceil((cap - b) * w / refill) end
      life = reset - now + w
    elseif code == 4 then
      reset = pe
      life = pe - now
    else
      reset = now
      life = w
    end
    if reset == INF then out[at + 2] = -2 else out[at + 2] = reset end
    at = at + 2
    if ttl ~= INF and life > ttl then ttl = life end
  end
  if apply then
    local value = sig .. heads[k] .. '\\0' .. packd('<' .. rep('d', 3 * n), unpack(S, 1, 3 * n)) .. tails[k]
    if ttl == INF then
      redis.call('SET', KEYS[k], value)
    else
      redis.call('SET', KEYS[k], value, 'PX', max(1, ceil(ttl)))
    end
  end
end
return out
`;

/** SHA1 of {@link LIMIT_SCRIPT}, for EVALSHA. */
export const LIMIT_SCRIPT_SHA = createHash('sha1').update(LIMIT_SCRIPT).digest('hex');
