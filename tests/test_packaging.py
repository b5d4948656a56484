"""The wheel ships all of ``inkasso`` and nothing else.

setuptools silently leaves out package data that ``pyproject.toml`` does not
declare, so the test builds a real wheel and compares its file list with the
files of the package.
"""

import email.parser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    "*.sqlite3",
    "staticfiles",
    "test-artifacts",
    ".pgdata",
    ".ruff_cache",
    ".pytest_cache",
)
MUST_HAVE = {
    "inkasso/__init__.py",
    "inkasso/apps.py",
    "inkasso/migrations/__init__.py",
    "inkasso/migrations/0001_initial.py",
    "inkasso/management/commands/inkasso_export.py",
    "inkasso/static/inkasso/inkasso.css",
    "inkasso/templates/admin/inkasso/hand_over_confirmation.html",
    "inkasso/templates/admin/inkasso/order_change_form.html",
    "inkasso/templates/admin/inkasso/order_handover.html",
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> tuple[Path, zipfile.ZipFile]:
    """Build the wheel from a clean copy, so no stale ``build/`` can leak in."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", tmp / "dist", source],
        check=True,
        capture_output=True,
    )
    [path] = (tmp / "dist").glob("django_inkasso-*-py3-none-any.whl")
    with zipfile.ZipFile(path) as archive:
        yield source, archive


def package_files(source: Path) -> set[str]:
    return {
        path.relative_to(source).as_posix()
        for path in (source / "inkasso").rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix not in (".pyc", ".pyo")
    }


@pytest.mark.slow
def test_the_wheel_holds_exactly_the_files_of_the_inkasso_package(wheel):
    source, archive = wheel
    names = set(archive.namelist())
    shipped = {name for name in names if not name.startswith("django_inkasso-")}
    metadata = {name for name in names if name.startswith("django_inkasso-")}

    assert shipped == package_files(source)
    assert shipped >= MUST_HAVE
    assert {name.split("/")[0] for name in shipped} == {"inkasso"}
    assert {name.split("/", 1)[0] for name in metadata} == {
        "django_inkasso-0.1.0.dist-info"
    }


@pytest.mark.slow
def test_the_wheel_ships_compiled_translations_next_to_their_catalogues(wheel):
    _source, archive = wheel
    names = set(archive.namelist())
    catalogues = {n for n in names if n.startswith("inkasso/locale/")}

    assert {n.removesuffix(".po") for n in catalogues if n.endswith(".po")} == {
        n.removesuffix(".mo") for n in catalogues if n.endswith(".mo")
    }


@pytest.mark.slow
def test_the_wheel_asks_for_dependency_ranges_not_pins(wheel):
    _source, archive = wheel
    [metadata_path] = [n for n in archive.namelist() if n.endswith("/METADATA")]
    metadata = email.parser.Parser().parsestr(archive.read(metadata_path).decode())
    requirements = {
        req.name.lower(): req.specifier
        for req in map(Requirement, metadata.get_all("Requires-Dist"))
        if not req.marker
    }

    assert metadata["Name"] == "django-inkasso"
    assert requirements["django"] == SpecifierSet(">=5.2")
    assert requirements["django-import-export"] == SpecifierSet(">=4.4,<5")
    assert not [
        name
        for name, specifier in requirements.items()
        if any(spec.operator in ("==", "===") for spec in specifier)
    ]
