"""Dependency graphs that know no domain: finding a cycle, for the load order of data objects and the runbook."""

from collections.abc import Iterable, Mapping


def find_cycle(edges: Mapping[int, Iterable[int]]) -> list[int]:
    """A cycle as a path [a, b, …, a] where a points at b …, or [] when there is none (`edges[a]` = what a
    points at, e.g. what it depends on). Iterative, so a long chain cannot exhaust the stack."""
    state: dict[int, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(edges):
        if start in state:
            continue
        path = [start]
        pending = [iter(sorted(edges.get(start, ())))]
        state[start] = 1
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append(iter(sorted(edges.get(nxt, ()))))
    return []
