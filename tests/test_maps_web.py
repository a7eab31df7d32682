"""maps/web: peacemap's JavaScript and CSS are package files that .ci/lint-web parses, loaded with
importlib.resources, with constants filled in only as JavaScript literals or plain CSS values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from peacemap.maps import web

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / ".ci" / "lint-web"


def test_every_script_and_style_parses():
    result = subprocess.run([sys.executable, str(LINT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (ROOT / "maps" / "web").iterdir() if p.suffix in (".js", ".css"))
    assert f"{len(files)} files, 0 with errors" in result.stdout
    assert len(files) >= 10


@pytest.mark.parametrize("name", ["embed.js", "boxes.css"])
def test_the_linter_finds_a_broken_file(tmp_path, name):
    copy = tmp_path / name
    copy.write_text((ROOT / "maps" / "web" / name).read_text(encoding="utf-8") + "\n}\n", encoding="utf-8")  # a stray brace
    result = subprocess.run([sys.executable, str(LINT), str(copy)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert str(copy) in result.stderr


def test_values_are_literals_and_markers_must_match():
    assert "if (document.documentElement.clientWidth >= 760)" in web.script("fold.js", narrow_px=760)
    assert '"</script>"' not in web.script("fold.js", narrow_px="</script>")  # a JavaScript literal, escaped
    with pytest.raises(ValueError, match="narrow_max"):
        web.style("control_compare.css", map_width="62%", narrow_max="1px; } body { display: none")
    with pytest.raises(ValueError, match="NARROW_PX"):
        web.script("fold.js")
    with pytest.raises(ValueError, match="nothing"):
        web.script("unpack.js", width=1)


def test_the_files_are_package_data():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"peacemap.maps.web" = ["*.js", "*.css"]' in text
    assert '"peacemap.maps.web",' in text
