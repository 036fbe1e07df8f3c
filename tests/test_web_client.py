"""The web client's own guards: its API types match openapi.yaml, and it type-checks.

Both run the project's Node.js (the venv's, as `make` installs it) in web/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"


def _npx(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    npx = shutil.which("npx", path=env["PATH"])
    if npx is None or not (WEB / "node_modules").is_dir():
        pytest.fail("Node.js and web/node_modules are needed: `make test` installs both")
    return subprocess.run(
        [npx, "--no-install", *args],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_generated_api_types_match_openapi_yaml(tmp_path):
    out = tmp_path / "schema.d.ts"
    result = _npx("openapi-typescript", str(ROOT / "openapi.yaml"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    committed = (WEB / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, (
        "web/src/api/schema.d.ts drifted from openapi.yaml: run `npm run gen:api` in web/"
    )


def test_web_client_type_checks():
    result = _npx("vue-tsc", "--noEmit", "-p", "tsconfig.json", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_web_client_unit_tests_pass():
    # The pure TypeScript logic of the views (vitest, src/**/*.test.ts).
    result = _npx("vitest", "run", "--reporter=dot", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout, result.stdout
