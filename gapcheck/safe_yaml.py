"""Parse YAML from files users hand us (catalogs, profiles) without letting it do or cost much.

``yaml.safe_load`` already refuses object-constructing tags (``!!python/object``), but
three cheap attacks remain:

* deep nesting (``[[[[...``): PyYAML's composer recurses once per level, so a few
  hundred levels end in ``RecursionError`` instead of a message;
* alias bombs ("billion laughs"): ``&a [x, x]``, ``&b [*a, *a]``, ... construct quickly
  because aliases share one object, but anything that walks the data (validation,
  JSON output) visits every path, exponentially many;
* sheer size.

So the event stream is first read iteratively to bound depth (no recursion, nothing
built), the node graph is composed and its size with every alias written out is
computed (memoised, so linear in the file), and only then are Python objects built.
Errors are :class:`~gapcheck.errors.CatalogError` lines that name the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gapcheck.errors import CatalogError, GapcheckError

MAX_YAML_BYTES = 10 * 1024 * 1024
"""The bundled catalogs are under 200 KB; fifty times that is a mistake or an attack."""

MAX_DEPTH = 64
"""Catalogs nest about six levels; PyYAML's recursive composer fails near 300."""

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML was built with it (eight times faster), else the Python one.

Both construct only plain types (the safe constructor); the C composer recurses too,
which is why depth is checked first.
"""

MAX_EXPANDED_SIZE = 2 * MAX_YAML_BYTES
"""Scalar characters plus one per node, with aliases expanded; plain files stay below
their byte size, so only alias amplification can reach this."""


def load_untrusted_yaml(raw: str, path: Path, error: type[GapcheckError] = CatalogError) -> Any:
    """Parse one YAML document from ``raw`` (read from ``path``) with the safe loader.

    Raises:
        GapcheckError: ``error`` (a :class:`CatalogError` by default) naming ``path`` and,
            where known, the line: invalid YAML, a forbidden tag, too large, nested too
            deeply, or aliases that expand too far.
    """
    if len(raw) > MAX_YAML_BYTES:
        raise error(
            f"{path}: YAML file is too large ({len(raw) // 1024} KiB; "
            f"the limit is {MAX_YAML_BYTES // 1024} KiB)"
        )
    try:
        _check_depth(raw, path, error)
        loader = SafeLoader(raw)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_expansion(node, path, error)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        detail = getattr(problem, "problem", None) or str(problem).splitlines()[0]
        raise error(f"{path}: invalid YAML{where}: {detail}") from None


def _check_depth(raw: str, path: Path, error: type[GapcheckError]) -> None:
    """Walk the parser's events (iterative, builds nothing) and bound the nesting depth."""
    depth = 0
    for event in yaml.parse(raw, Loader=SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise error(
                    f"{path}: YAML nested too deeply at line {line} (more than {MAX_DEPTH} levels)"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_expansion(root: yaml.Node, path: Path, error: type[GapcheckError]) -> None:
    """Bound the document's size with aliases expanded; refuse aliases that contain themselves.

    An alias is the same node object as its anchor, so sizes are memoised per node and
    the walk is linear in the file even when the expansion is exponential.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if not children_done:
            if key in open_nodes:
                raise error(
                    f"{path}: YAML alias at line {node.start_mark.line + 1} refers to itself "
                    "(recursive structures are not allowed)"
                )
            open_nodes.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    raise error(
                        f"{path}: YAML alias at line {child.start_mark.line + 1} refers to "
                        "an enclosing node (recursive structures are not allowed)"
                    )
                if id(child) not in sizes:
                    stack.append((child, False))
            continue
        open_nodes.discard(key)
        own = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
        sizes[key] = 1 + own + sum(sizes[id(child)] for child in children)
        if sizes[key] > MAX_EXPANDED_SIZE:
            raise error(
                f"{path}: YAML aliases expand too far near line {node.start_mark.line + 1} "
                f"(over {MAX_EXPANDED_SIZE:,} characters written out; an alias bomb?)"
            )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
