"""Turns of one conversation never overlap, within one web process and across processes (Redis)."""

from __future__ import annotations

import asyncio

from bot.turns import TurnLocks


async def overlapping(
    locks: list[TurnLocks], conversation: str, n: int = 8
) -> tuple[int, list[str]]:
    inside, most, order = 0, 0, []

    async def turn(index: int) -> None:
        nonlocal inside, most
        async with locks[index % len(locks)].turn(conversation):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            order.append(f"t{index}")
            inside -= 1

    await asyncio.gather(*(turn(i) for i in range(n)))
    return most, order


def test_turns_of_one_conversation_run_one_at_a_time_in_one_process() -> None:
    most, order = asyncio.run(overlapping([TurnLocks()], "c1"))
    assert most == 1 and len(order) == 8


def test_different_conversations_do_not_wait_for_each_other() -> None:
    locks = TurnLocks()

    async def both() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()

        async def turn(conversation: str) -> None:
            async with locks.turn(conversation):
                await asyncio.sleep(0.2)

        await asyncio.gather(turn("a"), turn("b"))
        return loop.time() - start

    assert asyncio.run(both()) < 0.35


def test_turns_are_serialised_across_processes_through_redis(redis_url: str) -> None:
    # two TurnLocks stand for two web processes: only Redis is shared between them
    async def run() -> tuple[int, list[str]]:
        processes = [TurnLocks(redis_url), TurnLocks(redis_url)]
        return await overlapping(processes, "c-redis-" + str(id(processes)))

    most, order = asyncio.run(run())
    assert most == 1 and len(order) == 8
