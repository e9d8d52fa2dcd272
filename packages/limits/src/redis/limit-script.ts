import { createHash } from 'node:crypto';
import { HOLD_RETRY_MS } from '../counter/counter';

/**
 * The one Lua script behind every Redis decision. It mirrors `counter/counter-kernel.ts`: pass 1
 * rolls every counter of every key and checks room; pass 2 applies the amounts when all fit (or
 * when forced) and writes the state back. Redis runs it atomically.
 *
 * State per key is one string (GET + SET PX: two commands per key, exact doubles):
 * `<id>|<id>|…\0` followed by three little-endian doubles `[a, b, c]` per id, in that order, and —
 * only while the key has open reservations — a 16-byte marker `[earliest hold expiry (a lower
 * bound), expiry of the holds hash]`. The request's layout signature (its ids joined by `|`) comes
 * first, so the usual call compares one prefix and unpacks its doubles with one `struct.unpack`;
 * counters of other layouts under the same key are kept (after ours), and a value in the former
 * MessagePack map format (`{ [counterId]: [a, b, c] }`) is read and rewritten in the new format.
 *
 * Reservations (holds) of a key live in a hash `<key>:h` (same hash tag, same slot): field = hold id,
 * value = `<expiresAt, reservedAt, count>` doubles then per held counter `id\0` and
 * `<code, windowMs, capacity, amount, periodStart>` doubles. The hash is read only when the marker
 * says a hold may have lapsed (then lapsed holds are given back like a release, before the
 * decision) or when a request opens or settles a hold, so the usual decision stays GET + SET.
 *
 * KEYS: per operation the state key and its holds key.
 * ARGV: now, flags (1 force, +2 open a hold, +4 settle a hold), refundAt, key count, then per key:
 * layout signature, counter count, and the counters' numbers as little-endian doubles in one binary
 * string (one `struct.unpack` instead of a `tonumber` per number): per counter algorithm code,
 * windowMs, capacity, amount, and by algorithm: token bucket refill; calendar periodStart, periodEnd
 * (-1 = never), refundPeriodStart (-1 = none); when opening or settling a hold, one more binary
 * string of one double per counter (held amounts, or the amounts once the hold lapsed). Last, when
 * opening or settling: the hold id and (opening) its expiry.
 * Returns: allowed, failedOperation, failedCounter, retryAfterMs (-1 unknown, -2 never, ≤ -1001:
 * `-(1000 + wait)` when the deciding counter would have room without the live holds on its key —
 * folded into the header so the reply keeps its size), then remaining and resetAt (-2 never) per
 * counter, then (settling) how many keys found the hold lapsed. A denial on a key with holds reads
 * its holds hash (denials only: the usual call does not).
 */
export const LIMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local flags = tonumber(ARGV[2])
local force = flags % 2 == 1
local mode = math.floor(flags / 2)
local refundAt = tonumber(ARGV[3])
local keyCount = tonumber(ARGV[4])
local INF = math.huge
local unpackd, packd, sbyte, ssub, rep = struct.unpack, struct.pack, string.byte, string.sub, string.rep
local tonumber, ceil, floor, max, min = tonumber, math.ceil, math.floor, math.max, math.min
local pos = 5
local states, heads, tails, params, extras, markers, swept, lapsedLists, lives = {}, {}, {}, {}, {}, {}, {}, {}, {}
local out = { 0, -1, -1, 0 }
local at = 4
local onHoldsOut = false
local heldCache
local allowed = true
local retry = 0
local failedOp, failedCounter = -1, -1
local holdId, holdExp
if mode ~= 0 then
  holdId = ARGV[#ARGV - (mode == 1 and 1 or 0)]
  if mode == 1 then holdExp = tonumber(ARGV[#ARGV]) end
end
local lapsedCount = 0

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

-- Gives back x (< 0) taken at time t (calendar: in the period starting rps); returns the new b, c.
local function refund(code, w, cap, x, t, rps, a, b, c)
  if code == 1 then
    local start = t - (t % w)
    if start == a then b = max(0, b + x) elseif start == a - w then c = max(0, c + x) end
  elseif code == 2 then
    b = min(cap, b - x)
  elseif code == 3 then
    if t - (t % w) == a then b = max(0, b + x) end
  elseif code == 4 then
    if rps == a then b = max(0, b + x) end
  else
    b = max(0, b + x)
  end
  return b, c
end

-- Reads a key's value in any layout: our counters' [a, b, c] go to S (a = nil when unknown), the
-- other counters to the returned head (extra ids) and tail (their packed doubles), then the marker.
local function readOther(raw, sig, n, S)
  local have = {}
  local extraIds, extraVals = {}, {}
  local m1, m2
  if sbyte(raw, 1) >= 128 then
    for id, v in pairs(cmsgpack.unpack(raw)) do have[id] = v end
  else
    local sep = string.find(raw, '\\0', 1, true)
    local ids = ssub(raw, 1, sep - 1)
    local count = select(2, string.gsub(ids, '[^|]+', ''))
    local i = 0
    local vals = { unpackd('<' .. rep('d', 3 * count), raw, sep + 1) }
    for id in string.gmatch(ids, '[^|]+') do
      have[id] = { vals[i + 1], vals[i + 2], vals[i + 3] }
      i = i + 3
    end
    local markAt = sep + 1 + 24 * count
    if #raw >= markAt + 15 then m1, m2 = unpackd('<dd', raw, markAt) end
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
  if #extraIds == 0 then return '', '', m1, m2 end
  return '|' .. table.concat(extraIds, '|'), packd('<' .. rep('d', #extraVals), unpack(extraVals)), m1, m2
end

-- Adds a lapsed hold's counters to give back: ours by index into give[j], others into other[id].
local function collect(v, index, give, other)
  local _, reservedAt, count, p = unpackd('<ddd', v)
  for i = 1, count do
    local id, code, w, cap, x, rps
    id, code, w, cap, x, rps, p = unpackd('<sddddd', v, p)
    local j = index[id]
    local entry = { x, reservedAt, rps, code, w, cap }
    if j then
      give[j] = give[j] or {}
      give[j][#give[j] + 1] = entry
    else
      other[id] = other[id] or {}
      other[id][#other[id] + 1] = entry
    end
  end
end

-- Live holds of a key (lease after now): their held entries per counter of layout sig, and per
-- counter the earliest expiry of the holds on it. Denials only.
local function liveHeld(sig, hk)
  local index = {}
  local j = 0
  for id in string.gmatch(sig, '[^|]+') do
    j = j + 1
    index[id] = j
  end
  local byJ, earliest = {}, {}
  local all = redis.call('HGETALL', hk)
  for i = 1, #all, 2 do
    local e = unpackd('<d', all[i + 1])
    if e > now then
      local one = {}
      collect(all[i + 1], index, one, {})
      for jj, list in pairs(one) do
        byJ[jj] = byJ[jj] or {}
        for _, f in ipairs(list) do byJ[jj][#byJ[jj] + 1] = f end
        if earliest[jj] == nil or e < earliest[jj] then earliest[jj] = e end
      end
    end
  end
  return { byJ, earliest }
end

for k = 1, keyCount do
  local sig, blob = ARGV[pos], ARGV[pos + 2]
  local n = tonumber(ARGV[pos + 1])
  pos = pos + 3
  local P = { unpackd('<' .. rep('d', #blob / 8), blob) }
  params[k] = P
  if mode ~= 0 then
    extras[k] = { unpackd('<' .. rep('d', n), ARGV[pos]) }
    pos = pos + 1
  end
  local q = 1
  local fmt = '<' .. rep('d', 3 * n)
  local raw = redis.call('GET', KEYS[2 * k - 1])
  local S
  local head, tail = '', ''
  local m1, m2
  if raw then
    local len = #sig
    local mark = sbyte(raw, len + 1)
    if (mark == 0 or mark == 124) and ssub(raw, 1, len) == sig then
      local sep = len + 1
      local others = 0
      if mark == 124 then
        sep = string.find(raw, '\\0', len + 1, true)
        head = ssub(raw, len + 1, sep - 1)
        others = select(2, string.gsub(head, '|', ''))
      end
      S = { unpackd(fmt, raw, sep + 1) }
      local markAt = sep + 1 + 24 * (n + others)
      if others > 0 then tail = ssub(raw, sep + 1 + 24 * n, markAt - 1) end
      if #raw >= markAt + 15 then m1, m2 = unpackd('<dd', raw, markAt) end
    else
      S = {}
      head, tail, m1, m2 = readOther(raw, sig, n, S)
    end
  else
    S = {}
  end

  -- Reservations: give back lapsed holds, find the one being settled.
  local give, other
  local live = false
  if (m1 and m1 <= now) or mode == 2 then
    local hk = KEYS[2 * k]
    local index = {}
    local j = 0
    for id in string.gmatch(sig, '[^|]+') do
      j = j + 1
      index[id] = j
    end
    local lapsed = {}
    if m1 and m1 <= now then
      local all = redis.call('HGETALL', hk)
      local nextExp = INF
      for i = 1, #all, 2 do
        local e = unpackd('<d', all[i + 1])
        if e <= now then
          lapsed[#lapsed + 1] = all[i]
          give, other = give or {}, other or {}
          collect(all[i + 1], index, give, other)
        elseif mode == 2 and all[i] == holdId then
          live = true
        elseif e < nextExp then
          nextExp = e
        end
      end
      m1 = nextExp
      swept[k] = true
    elseif mode == 2 then
      local v = redis.call('HGET', hk, holdId)
      if v then
        if unpackd('<d', v) <= now then
          lapsed[1] = holdId
          give, other = {}, {}
          collect(v, index, give, other)
          swept[k] = true
        else
          live = true
        end
      end
    end
    lapsedLists[k] = lapsed
    if other and next(other) ~= nil and head ~= '' then
      -- Counters of other layouts under this key: give back in place (not rolled, like a refund).
      local ids = {}
      for id in string.gmatch(head, '[^|]+') do ids[#ids + 1] = id end
      local T = { unpackd('<' .. rep('d', 3 * #ids), tail) }
      for i = 1, #ids do
        local list = other[ids[i]]
        if list then
          for _, f in ipairs(list) do
            T[3 * i - 1], T[3 * i] = refund(f[4], f[5], f[6], -f[1], f[2], f[3], T[3 * i - 2], T[3 * i - 1], T[3 * i])
          end
        end
      end
      tail = packd('<' .. rep('d', 3 * #ids), unpack(T, 1, 3 * #ids))
    end
  end
  lives[k] = live
  local late = mode == 2 and not live
  if late then lapsedCount = lapsedCount + 1 end
  markers[k] = { m1, m2 }

  for j = 1, n do
    local code, w, cap = P[q], P[q + 1], P[q + 2]
    if late then P[q + 3] = extras[k][j] end
    local x = P[q + 3]
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
    elseif code == 3 then
      local start = now - (now % w)
      if a == nil or a < start then
        a = start
        b = 0
      end
    elseif code == 4 then
      local ps = P[q]
      pe = P[q + 1]
      if pe < 0 then pe = INF end
      q = q + 3
      if a == nil or a < ps then
        a = ps
        b = 0
      end
    else
      if a == nil or now - a > w then b = 0 end
      a = now
    end
    if give and give[j] then
      for _, f in ipairs(give[j]) do b, p = refund(code, w, cap, -f[1], f[2], f[3], a, b, p) end
    end
    if code == 1 then
      local e = (now - a) / w
      local weight
      if e >= 1 then weight = 0 elseif e <= 0 then weight = 1 else weight = 1 - e end
      used = p * weight + b
    elseif code == 2 then
      used = cap - b
    else
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
      -- Denied while reservations are held on this key: if they alone take the room, retry soon.
      local onHolds = false
      if m1 ~= nil and m1 ~= INF and x <= cap then
        heldCache = heldCache or {}
        heldCache[k] = heldCache[k] or liveHeld(sig, KEYS[2 * k])
        local list = heldCache[k][1][j]
        if list then
          local b2, p2 = b, p
          for _, f in ipairs(list) do b2, p2 = refund(code, w, cap, -f[1], f[2], f[3], a, b2, p2) end
          local used2
          if code == 1 then
            local e = (now - a) / w
            local weight
            if e >= 1 then weight = 0 elseif e <= 0 then weight = 1 else weight = 1 - e end
            used2 = p2 * weight + b2
          elseif code == 2 then
            used2 = cap - b2
          else
            used2 = b2
          end
          if used2 + x <= cap then
            onHolds = true
            wait = max(1, min(wait, ${HOLD_RETRY_MS}, heldCache[k][2][j] - now))
          end
        end
      end
      if allowed or wait > retry then
        retry = wait
        failedOp = k - 1
        failedCounter = j - 1
        onHoldsOut = onHolds
      end
      allowed = false
    end
  end
  states[k], heads[k], tails[k] = S, head, tail
end

local apply = allowed or force
out[1], out[2], out[3] = allowed and 1 or 0, failedOp, failedCounter
if retry == INF then out[4] = -2 elseif onHoldsOut then out[4] = -(1000 + retry) else out[4] = retry end
at = 4
pos = 5
for k = 1, keyCount do
  local S, P = states[k], params[k]
  local sig = ARGV[pos]
  local n = tonumber(ARGV[pos + 1])
  pos = pos + 3
  if mode ~= 0 then pos = pos + 1 end
  local q = 1
  local ttl = 0
  local held, heldCount = nil, 0
  for j = 1, n do
    local code, w, cap, x = P[q], P[q + 1], P[q + 2], P[q + 3]
    q = q + 4
    local refill, pe, rps, ps
    if code == 2 then
      refill = P[q]
      q = q + 1
    elseif code == 4 then
      ps = P[q]
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
      else
        b, S[o] = refund(code, w, cap, x, refundAt, rps, a, b, S[o])
      end
      S[o - 1] = b
      left = left - x
    end
    if mode == 1 and apply and extras[k][j] > 0 then
      held = held or {}
      heldCount = heldCount + 1
      held[heldCount] = { j, packd('<ddddd', code, w, cap, extras[k][j], ps or -1) }
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
  if apply or swept[k] then
    local hk = KEYS[2 * k]
    local m1, m2 = markers[k][1], markers[k][2]
    local lapsed = lapsedLists[k]
    if lapsed and #lapsed > 0 then redis.call('HDEL', hk, unpack(lapsed)) end
    if apply and mode == 2 and lives[k] then redis.call('HDEL', hk, holdId) end
    local keepUntil = 0
    if apply and heldCount > 0 then
      local ids = {}
      for id in string.gmatch(sig, '[^|]+') do ids[#ids + 1] = id end
      local parts = { packd('<ddd', holdExp, now, heldCount) }
      for i = 1, heldCount do parts[#parts + 1] = ids[held[i][1]] .. '\\0' .. held[i][2] end
      redis.call('HSET', hk, holdId, table.concat(parts))
      if m1 == nil or holdExp < m1 then m1 = holdExp end
      keepUntil = holdExp
    end
    local value = sig .. heads[k] .. '\\0' .. packd('<' .. rep('d', 3 * n), unpack(S, 1, 3 * n)) .. tails[k]
    if m1 ~= nil and m1 ~= INF then
      -- The holds hash outlives the state and every hold in it, so a lapsed hold is always found.
      -- Times are the caller's clock, so the expiry is relative (PEXPIRE), with a second of slack.
      local want = INF
      if ttl ~= INF then want = max(now + ttl, keepUntil) end
      if m2 ~= nil and m2 > want then want = m2 end
      if heldCount > 0 or m2 == nil or want > m2 then
        if want == INF then redis.call('PERSIST', hk) else redis.call('PEXPIRE', hk, ceil(want - now) + 1000) end
        m2 = want
      end
      value = value .. packd('<dd', m1, m2)
    end
    if ttl == INF then
      redis.call('SET', KEYS[2 * k - 1], value)
    else
      redis.call('SET', KEYS[2 * k - 1], value, 'PX', max(1, ceil(ttl)))
    end
  end
end
if mode == 2 then out[#out + 1] = lapsedCount end
return out
`;

/** SHA1 of {@link LIMIT_SCRIPT}, for EVALSHA. */
export const LIMIT_SCRIPT_SHA = createHash('sha1').update(LIMIT_SCRIPT).digest('hex');
