import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_the_settings_read_is_documented():
    settings_source = (ROOT / "workbench" / "settings.py").read_text()
    read = set(re.findall(r'env(?:str|bool|int|list)\("([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read, "the settings read no variable at all?"
    assert read - documented == set(), f"document these in .env.example: {sorted(read - documented)}"


def test_production_settings_pass_the_deployment_check():
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x7Hq2-vR9pL4mZ8tW1nB6cY3kD5sF0gJ-aE7uI2oP9rT4yQ8wX",
        "ALLOWED_HOSTS": "example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"DEBUG": "0", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
