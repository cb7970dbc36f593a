"""YAML from files briefreader does not control (front matter, manifests, rules, themes, config),
loaded with bounded work.

PyYAML's safe loader never builds arbitrary objects, but it still lets a tiny file stall the tool:
aliases share one node many times (a 665-byte "billion laughs" file stands for 10^9 strings, and
whoever walks the result walks all of them), an alias can point at the node that holds it (the result
contains itself), deep nesting exhausts the recursion limit of the pure-Python composer, and some
scalars raise plain Python errors (``2025-13-45``, a 5000-digit integer). :func:`load_yaml` checks
the composed node graph before anything is built from it and turns every failure into one
:class:`YAMLProblem` with a readable message:

- the text is at most ``max_chars`` characters (the caller's size cap);
- nesting is at most :data:`MAX_DEPTH` levels;
- aliases may add at most :data:`MAX_ALIAS_NODES` nodes when expanded (reusing a small mapping a few
  times is fine; an alias bomb is refused in milliseconds, before any expansion);
- no alias refers to a node that contains it.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 100
MAX_ALIAS_NODES = 10_000

__all__ = ["MAX_ALIAS_NODES", "MAX_DEPTH", "YAMLProblem", "describe_size", "load_yaml"]


class YAMLProblem(Exception):
    """YAML that could not be loaded, or was refused; ``problem`` says why, ``line``/``column``
    (1-based, when known) where."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.problem
        where = f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
        return f"{self.problem} ({where})"


def _problem_at(problem: str, mark: Any) -> YAMLProblem:
    if mark is None:
        return YAMLProblem(problem)
    return YAMLProblem(problem, mark.line + 1, mark.column + 1)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_node_graph(root: yaml.Node, *, max_depth: int = MAX_DEPTH,
                     max_alias_nodes: int = MAX_ALIAS_NODES) -> None:
    """Raise :class:`YAMLProblem` when the composed graph under ``root`` nests too deep, contains
    itself, or expands (aliases followed) to more than ``max_alias_nodes`` nodes beyond its own.

    Iterative and linear in the number of distinct nodes: the expanded size is computed once per
    node, and the walk stops as soon as one exceeds the bound (so a bomb never makes big numbers).
    """
    size: dict[int, int] = {}  # id(node) -> expanded size (capped)
    height: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    ancestors: set[int] = set()  # nodes whose subtree is being walked
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            ancestors.discard(key)
            children = _children(node)
            total = 1
            tallest = 0
            for child in children:
                total += size[id(child)]
                tallest = max(tallest, height[id(child)])
            height[key] = tallest + 1
            if height[key] > max_depth:
                raise _problem_at(f"nested deeper than {max_depth} levels", node.start_mark)
            distinct += 1
            # the expansion of one node can only add to the document's: stop at the first node
            # (the innermost) whose aliases already expand too far
            if total - distinct > max_alias_nodes:
                raise _problem_at(f"aliases expand to more than {max_alias_nodes:,} extra values "
                                  "(an alias bomb?)", node.start_mark)
            size[key] = total
            continue
        if key in size:
            continue
        if key in ancestors:
            raise _problem_at("an alias refers to a node that contains it (a structure holding "
                              "itself)", node.start_mark)
        ancestors.add(key)
        stack.append((node, True))
        if len(ancestors) > max_depth:
            raise _problem_at(f"nested deeper than {max_depth} levels", node.start_mark)
        for child in _children(node):
            if id(child) not in size:
                if id(child) in ancestors:
                    raise _problem_at("an alias refers to a node that contains it (a structure "
                                      "holding itself)", child.start_mark)
                stack.append((child, False))


class _PyBoundedLoader(yaml.SafeLoader):
    """Pure-Python safe loader whose recursive composer stops at :data:`MAX_DEPTH` levels (it would
    otherwise raise RecursionError near 1000) and whose node graph is checked before construction."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _problem_at(f"nested deeper than {MAX_DEPTH} levels",
                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            check_node_graph(node)
        return node


_CLoader = getattr(yaml, "CSafeLoader", None)
if _CLoader is not None:

    class _CBoundedLoader(_CLoader):  # type: ignore[valid-type, misc]
        """libyaml's safe loader (fast; it stops nesting at 1000 levels itself), its node graph
        checked before construction."""

        def get_single_node(self) -> Any:
            node = super().get_single_node()
            if node is not None:
                check_node_graph(node)
            return node

    _LOADER: type = _CBoundedLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADER = _PyBoundedLoader


def load_yaml(text: str, *, max_chars: int | None = None, pure_python: bool = False) -> Any:
    """The data of one YAML document, loaded safely and with bounded work.

    Raises :class:`YAMLProblem` for broken YAML, for a value PyYAML cannot build (a date like
    2025-13-45, a 5000-digit number) and for anything refused (too big, too deep, an alias bomb, a
    structure containing itself). ``pure_python`` forces the pure-Python loader (tests).
    """
    if max_chars is not None and len(text) > max_chars:
        raise YAMLProblem(f"too big ({describe_size(len(text))}; the limit is {describe_size(max_chars)})")
    loader = _PyBoundedLoader if pure_python else _LOADER
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except YAMLProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or str(exc).splitlines()[0]
        raise _problem_at(problem, exc.problem_mark) from None
    except yaml.YAMLError as exc:
        raise YAMLProblem(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        # values the safe constructor cannot build raise plain Python errors
        raise YAMLProblem(f"a value could not be read ({type(exc).__name__}: {exc})") from None


def describe_size(chars: int) -> str:
    """``2.0 MB``, ``64 KB``: a size for a message."""
    if chars >= 1024 * 1024:
        return f"{chars / (1024 * 1024):.1f} MB"
    return f"{chars / 1024:.0f} KB"
