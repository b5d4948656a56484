"""The demo shop's settings are safe by default and pass `check --deploy` in production.

Each test loads the settings in a fresh process: pytest-django has loaded them
in this one already, and Django's test setup turns DEBUG off whatever they say.
"""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parent.parent

# The configuration of the README's "Production settings" section.
PRODUCTION = {
    "DJANGO_ALLOWED_HOSTS": "shop.example.com",
    "DJANGO_HTTPS": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
}


def clean_environment(tmp_path, **variables) -> dict[str, str]:
    """This process's environment without any DJANGO_ setting, plus `variables`.

    The key file is in `tmp_path` unless `variables` say otherwise, so no test
    makes or reads the project's own `.secret_key`.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SECRET_KEY_FILE"] = str(tmp_path / "secret_key")
    return {**env, "DJANGO_SETTINGS_MODULE": "shop.settings", **variables}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
    )


def setting(name: str, env: dict[str, str]) -> str:
    result = run_python(f"from shop import settings; print(settings.{name})", env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level=WARNING"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )


def test_debug_is_off_unless_the_environment_turns_it_on(tmp_path):
    assert setting("DEBUG", clean_environment(tmp_path)) == "False"
    assert setting("DEBUG", clean_environment(tmp_path, DJANGO_DEBUG="1")) == "True"
    assert setting("DEBUG", clean_environment(tmp_path, DJANGO_DEBUG="0")) == "False"


def test_a_misspelt_switch_is_refused_not_taken_for_off(tmp_path):
    result = run_python(
        "import shop.settings", clean_environment(tmp_path, DJANGO_HTTPS="ture")
    )
    assert result.returncode == 1
    assert "DJANGO_HTTPS must be 1 or 0, not 'ture'." in result.stderr


def test_the_secret_key_comes_from_the_environment(tmp_path):
    key = get_random_secret_key()
    env = clean_environment(tmp_path, DJANGO_SECRET_KEY=key)
    assert setting("SECRET_KEY", env) == key
    assert not (tmp_path / "secret_key").exists()


def test_without_one_a_random_key_is_made_once_for_the_owner_only(tmp_path):
    first = clean_environment(tmp_path / "first")
    second = clean_environment(tmp_path / "second")
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()

    key = setting("SECRET_KEY", first)
    key_file = tmp_path / "first" / "secret_key"
    assert key_file.read_text() == key + "\n"
    assert len(key) == 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert setting("SECRET_KEY", first) == key  # kept, not made again
    assert setting("SECRET_KEY", second) != key  # no default: each place its own
    assert sorted(p.name for p in (tmp_path / "first").iterdir()) == ["secret_key"]


def test_a_damaged_key_file_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    result = run_python("import shop.settings", clean_environment(tmp_path))
    assert result.returncode == 1
    assert "shorter than 50 characters" in result.stderr


def test_the_settings_hold_no_key():
    source = (ROOT / "shop" / "settings.py").read_text()
    assert settings.SECRET_KEY not in source
    assert "insecure" not in source.lower()


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_the_key_in_use_is_in_no_file_of_the_repository():
    found = subprocess.run(
        ["git", "grep", "--quiet", "--fixed-strings", "-e", settings.SECRET_KEY],
        cwd=ROOT,
    )
    assert found.returncode == 1  # 1: not found; 0 would be found, 128 an error


def test_check_deploy_reports_nothing_in_the_production_configuration(tmp_path):
    env = clean_environment(
        tmp_path, DJANGO_SECRET_KEY=get_random_secret_key(), **PRODUCTION
    )
    result = check_deploy(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_warns_about_the_default_configuration(tmp_path):
    # The test above means something: the defaults are for a local demo.
    result = check_deploy(clean_environment(tmp_path))
    assert result.returncode == 1
    for warning in ["W004", "W008", "W012", "W016"]:
        assert f"(security.{warning})" in result.stderr
    # Off and random by default, even here.
    assert "(security.W018)" not in result.stderr
    assert "(security.W009)" not in result.stderr
