"""The README stays true: its two set-up commands, CI's test command and its Python example."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
LAB_COMMAND = "pip install -r requirements.txt && python run_all.py"
TEST_COMMAND = "pip install -r requirements.txt && python -m pytest"


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def test_readme_gives_the_two_set_up_commands():
    lines = [ln.strip() for block in _bash_blocks() for ln in block.splitlines()]
    assert LAB_COMMAND in lines
    assert TEST_COMMAND in lines


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert f"TEST_COMMAND='{TEST_COMMAND}'" in ci
    assert 'bash -c "$TEST_COMMAND"' in ci


def test_requirements_cover_the_imports():
    reqs = (ROOT / "requirements.txt").read_text().lower()
    for package in ("numpy", "scipy", "sympy", "matplotlib", "numba", "pytest", "hypothesis"):
        assert package in reqs


def test_python_example_runs():
    (block,) = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    exec(compile(block, "README.md", "exec"), {})
