"""The README's Python examples run as written (its tour is the first code a user copies)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    namespace: dict = {}
    exec(compile("\n".join(blocks), str(README), "exec"), namespace)  # the README's own code
    assert "demo" in namespace and len(namespace["demo"].funds) == 3240


def test_readme_set_up_is_two_commands_and_the_main_one_runs(tmp_path, monkeypatch, capsys):
    import shlex

    from zsanalytics.cli import main

    text = README.read_text(encoding="utf-8")
    set_up = text[text.index("## Set up"):text.index("## A short tour")]
    commands = re.findall(r"```bash\n(.*?)\n```", set_up, re.S)
    assert len(commands) == 2
    install, run = commands[0].split(" && ")
    assert install == "python -m pip install -e ." and run.startswith("zsa briefing")
    assert commands[1] == 'python -m pip install -e ".[test]" && python -m pytest'
    monkeypatch.chdir(tmp_path)
    assert main(shlex.split(run)[1:]) == 0
    assert (tmp_path / "briefing.html").stat().st_size > 3_000_000
    assert "1-6月，全县实际到位资金25.27亿元，同比下降7.2%" in capsys.readouterr().out
