//! The Lua scripts run in Redis, each atomically: reserve a slot, give one back, note a throttling
//! answer. One hash per account and action holds `tat` (the theoretical arrival time, the next
//! free slot) and, after a throttling answer, `rate` and `at` (the rate set by the last decrease and
//! when). Times are microseconds of the Redis server's clock (`TIME`), so processes on hosts whose
//! clocks differ still agree; rates are requests per second. The adaptive rule is the runtime's
//! (`tencentcloud_runtime::rate_limit::adaptive`), passed in as arguments so both compute the same.

use redis::Script;

/// `KEYS[1]` the hash; `ARGV`: configured rate, recovery share per second, 1 when adaptive, the
/// idle lifetime in ms. Returns `{wait, send_at, next, now}` in microseconds.
const RESERVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local max = tonumber(ARGV[1])
local f = redis.call('HMGET', KEYS[1], 'tat', 'rate', 'at')
local tat = tonumber(f[1]) or 0
local rate = max
if ARGV[3] == '1' and f[2] and f[3] then
  rate = math.min(max, tonumber(f[2]) + max * tonumber(ARGV[2]) * math.max(0, now - tonumber(f[3])) / 1000000)
end
local send_at = math.max(tat, now)
local nxt = send_at + math.ceil(1000000 / rate) + 1
redis.call('HSET', KEYS[1], 'tat', nxt)
redis.call('PEXPIRE', KEYS[1], math.ceil((nxt - now) / 1000) + tonumber(ARGV[4]))
return {send_at - now, send_at, nxt, now}
";

/// `KEYS[1]` the hash; `ARGV`: the slot's `next` and `send_at`. Puts the TAT back to `send_at`
/// when the slot is still the latest one. Returns 1 when it was taken back.
const GIVE_BACK: &str = r"
local tat = redis.call('HGET', KEYS[1], 'tat')
if tat and tonumber(tat) == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'tat', ARGV[2])
  return 1
end
return 0
";

/// `KEYS[1]` the hash; `ARGV`: configured rate, recovery share per second, decrease factor,
/// floor, when the throttled slot was granted, the idle lifetime in ms. Cuts the rate unless the
/// slot was granted before the last cut. Returns the new rate in thousandths, or -1.
const THROTTLED: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local max = tonumber(ARGV[1])
local f = redis.call('HMGET', KEYS[1], 'rate', 'at')
if f[2] and tonumber(ARGV[5]) <= tonumber(f[2]) then
  return -1
end
local cur = max
if f[1] and f[2] then
  cur = math.min(max, tonumber(f[1]) + max * tonumber(ARGV[2]) * math.max(0, now - tonumber(f[2])) / 1000000)
end
local new = math.max(cur * tonumber(ARGV[3]), math.min(tonumber(ARGV[4]), max))
redis.call('HSET', KEYS[1], 'rate', tostring(new), 'at', now)
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[6]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
end
return math.floor(new * 1000)
";

/// The three scripts, hashed once.
#[derive(Debug)]
pub(crate) struct Scripts {
    pub(crate) reserve: Script,
    pub(crate) give_back: Script,
    pub(crate) throttled: Script,
}

impl Scripts {
    pub(crate) fn new() -> Self {
        Scripts {
            reserve: Script::new(RESERVE),
            give_back: Script::new(GIVE_BACK),
            throttled: Script::new(THROTTLED),
        }
    }
}
