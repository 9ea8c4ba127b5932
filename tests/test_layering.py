"""The layers import downwards only, and the edges render what the composer wrote.

tools/      the engine: imports nothing of ours outside tools/ (a pure library)
knowledge/  corpus, index, retrieval: imports tools/ only (its own settings and errors)
assistant/  the conversation; its edges (cli/, web/) serialise or render the typed Answer and
            never compose a sentence themselves: no reason or step texts from the catalogue, no
            answer templates, no composer.

Imports are read from the source (every `import`, also the lazy ones inside functions), so a
module that is only imported on some paths is covered too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("tools", "knowledge", "assistant")
ALLOWED = {"tools": {"tools"}, "knowledge": {"knowledge", "tools"},
           "assistant": {"assistant", "knowledge", "tools"}}
# Where sentences come from: the engine's reason and step texts, the answer templates, the
# composer and its reason sentences. The edges get them inside the Answer.
SENTENCE_SOURCES = ("tools.catalogue", "assistant.answers.compose", "assistant.answers.templates",
                    "assistant.answers.reasons")
EDGES = ("assistant/cli", "assistant/web")


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, absolute, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def ours(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in OURS else None


@pytest.mark.parametrize("package", ["tools", "knowledge"])
def test_lower_layers_never_import_upwards(package):
    wrong = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sources(package)
        for module in imported_modules(path)
        if ours(module) and ours(module) not in ALLOWED[package]
    }
    assert not wrong, f"{package}/ may import only {sorted(ALLOWED[package])}:\n" + "\n".join(sorted(wrong))


def test_edges_never_compose_sentences():
    wrong = {
        f"{path.relative_to(ROOT)}: {module}"
        for edge in EDGES
        for path in sources(edge)
        for module in imported_modules(path)
        if module.startswith(SENTENCE_SOURCES)
    }
    assert not wrong, "edges render the Answer's parts; they may not take texts from:\n" + "\n".join(sorted(wrong))


def test_the_check_finds_an_upward_import(tmp_path):
    """The reader sees lazy imports inside functions too (or the tests above prove nothing)."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from assistant.settings import Settings\n    import tools.catalogue\n")
    assert {"assistant.settings", "tools.catalogue"} <= imported_modules(module)
