"""The package's shape: no import cycles between modules (the layer rules themselves are
import-linter contracts in pyproject.toml, run by .ci/run)."""

import grimp


def _cycle(graph: grimp.ImportGraph) -> list[str]:
    """One import cycle between modules of the graph, or [] if there is none (depth-first search)."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module], found = "open", []
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if state.get(imported) == "open":
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = "done"
        return found

    for module in sorted(graph.modules):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def test_no_import_cycles():
    graph = grimp.build_graph("peacemap")
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    assert _cycle(graph) == []
    graph.add_import(importer="c", imported="a")
    assert _cycle(graph) == ["a", "b", "c", "a"]
