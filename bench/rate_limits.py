"""Rate-limit cost per request: `python -m bench.rate_limits` (`--redis URL` adds Redis).

What every authenticated request pays: one count against its key's limit (the `limits`
library's sliding window counter: a hit and the window's stats) and its two headers. Timed
in CPU time of this process (so that other work on a shared machine counts less), as the
best of several repeats, beside an empty coroutine call (the loop's own cost). With
`--redis`, the same count against a Redis server, in wall time (its round trips).
"""

from __future__ import annotations

import argparse
import asyncio
import time
import timeit
from collections.abc import Awaitable, Callable
from uuid import uuid4

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from counterparty.services.rate_limits import Policy, RateLimits
from counterparty.web.rate_limiting import policy_header, quota_header

UNREACHABLE = "1000000000/minute"


async def _per_call(
    call: Callable[[], Awaitable[None]], calls: int, clock: Callable[[], float]
) -> float:
    started = clock()
    for _ in range(calls):
        await call()
    return (clock() - started) / calls * 1e6


async def _best(
    call: Callable[[], Awaitable[None]], calls: int, repeats: int, clock: Callable[[], float]
) -> float:
    return min([await _per_call(call, calls, clock) for _ in range(repeats)])


def _counting(limits: RateLimits) -> Callable[[], Awaitable[None]]:
    key = uuid4().hex

    async def count() -> None:
        quota = await limits.key_used(key)
        assert quota is not None and quota.allowed
        policy_header(quota)
        quota_header(quota)

    return count


async def _nothing() -> None:
    return None


def _library_parts(calls: int, repeats: int) -> tuple[float, float]:
    """The two calls of `limits` a count makes, each alone: the hit, the window's stats."""
    limiter = SlidingWindowCounterRateLimiter(MemoryStorage())
    item = parse(UNREACHABLE)
    key = uuid4().hex

    def best(call: Callable[[], object]) -> float:
        timer = timeit.Timer(call, timer=time.process_time)
        return min(timer.repeat(number=calls, repeat=repeats)) / calls * 1e6

    return best(lambda: limiter.hit(item, key)), best(lambda: limiter.get_window_stats(item, key))


async def measure(calls: int, repeats: int, redis_url: str | None) -> None:
    in_memory = RateLimits(Policy.parsed("per-key", UNREACHABLE), None)
    empty = await _best(_nothing, calls, repeats, time.process_time)
    counted = await _best(_counting(in_memory), calls, repeats, time.process_time)
    hit, stats = _library_parts(calls, repeats)
    print(f"empty coroutine call:               {empty:6.2f} µs CPU")
    print(f"count + headers, in this process:   {counted:6.2f} µs CPU")
    print(f"  of which limits' hit alone:       {hit:6.2f} µs CPU")
    print(f"  of which limits' window stats:    {stats:6.2f} µs CPU")
    if redis_url:
        shared = RateLimits(Policy.parsed("per-key", UNREACHABLE), None, redis_url)
        calls = max(calls // 50, 50)
        through_redis = await _best(_counting(shared), calls, repeats, time.perf_counter)
        print(f"count + headers, through Redis:     {through_redis:6.0f} µs wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000, help="calls per repeat")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--redis", metavar="URL", help="also count in Redis (redis://…)")
    options = parser.parse_args()
    asyncio.run(measure(options.calls, options.repeats, options.redis))


if __name__ == "__main__":
    main()
