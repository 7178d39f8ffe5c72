"""The built wheel is the whole site: every app with its migrations, the templates, the static
files and the demo content, working from a fresh virtual environment outside the checkout.

The wheel is built from a copy of the checkout (so no build/ folder lands in it) with the
test venv's own setuptools, offline. The fresh venv gets the wheel alone (``--no-deps``) and
sees the test venv's installed dependencies through a .pth file: the same versions the rest
of the suite runs on, no network and seconds instead of minutes. A path added by a .pth file
is searched after the fresh venv's own packages and its own .pth files are not run, so the
checkout's editable install stays out of sight; the script below asserts every app was
imported from the fresh venv. ``pip check`` then holds the wheel's declared dependencies
against what is installed.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
APPS = ["canary", "core", "articles", "supporters", "mailroom", "newsletters", "readership"]
LEFT_OUT = shutil.ignore_patterns(".*", "var", "build", "*.egg-info", "__pycache__", "node_modules", "docs")

# Run inside the fresh venv, from a folder outside the checkout.
SCRIPT = """
import importlib, importlib.resources, json, sys
import django
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

apps = {name: importlib.import_module(name).__file__ for name in sys.argv[1].split(",")}
django.setup()
call_command("seed_demo", verbosity=0)
from articles import demo_content
from django.conf import settings

home = Client().get("/")
print(json.dumps({
    "apps": apps,
    "migrations": {name: len(list(importlib.resources.files(name).joinpath("migrations").glob("0*.py")))
                   for name in sys.argv[1].split(",") if name != "canary"},
    "home_status": home.status_code,
    "home_has_demo_story": demo_content.ARTICLES[0]["headline"] in home.content.decode(),
    "stylesheet": finders.find("css/site.css"),
    "templates": [str(path) for engine in settings.TEMPLATES for path in engine["DIRS"]],
}))
"""


def run(*args, cwd, env):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(CHECKOUT, source, ignore=LEFT_OUT)
    wheels = base / "wheels"
    env = {"PATH": os.environ["PATH"], "HOME": str(base), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    pip = [sys.executable, "-m", "pip"]
    run(
        *pip,
        "wheel",
        ".",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        wheels,
        cwd=source,
        env=env,
    )
    (wheel,) = wheels.glob("canary-*.whl")

    venv = base / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=base, env=env)
    python = venv / "bin" / "python"
    fresh_site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=base, env=env)
    )
    fresh_site = Path(str(fresh_site).strip())
    (fresh_site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(*pip, "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=base, env=env)
    return {"wheel": wheel, "python": python, "site": fresh_site, "base": base, "env": env}


def test_the_wheel_holds_every_app_with_its_migrations_templates_and_static_files(fresh_venv):
    import zipfile

    names = zipfile.ZipFile(fresh_venv["wheel"]).namelist()
    for app in APPS:
        assert f"{app}/__init__.py" in names
    for app in ["core", "articles", "supporters", "mailroom", "newsletters", "readership"]:
        assert any(name.startswith(f"{app}/migrations/0001_") for name in names), app
    assert "canary/templates/jinja2/base.html" in names
    assert "canary/templates/emails/mailroom/" in "".join(names)
    assert "canary/static/css/site.css" in names
    assert "articles/demo/articles.json" in names
    assert not [name for name in names if "__pycache__" in name or name.startswith("tests/")]


def test_the_installed_wheel_checks_migrates_and_serves_the_demo_from_outside_the_checkout(fresh_venv):
    python, base = fresh_venv["python"], fresh_venv["base"]
    outside = base / "elsewhere"
    outside.mkdir()
    env = {**fresh_venv["env"], "DJANGO_SETTINGS_MODULE": "canary.settings", "VAR_DIR": str(base / "var")}
    run(sys.executable, "-m", "pip", "--python", python, "check", cwd=outside, env=env)
    run(python, "-m", "django", "check", cwd=outside, env=env)
    run(python, "-m", "django", "migrate", "--noinput", "-v", "0", cwd=outside, env=env)

    found = json.loads(run(python, "-c", SCRIPT, ",".join(APPS), cwd=outside, env=env).splitlines()[-1])
    site = str(fresh_venv["site"])
    for app, path in found["apps"].items():
        assert path.startswith(site), f"{app} came from {path}, not the installed wheel"
    assert all(count >= 1 for count in found["migrations"].values()), found["migrations"]
    assert found["home_status"] == 200 and found["home_has_demo_story"]
    assert found["stylesheet"] and found["stylesheet"].startswith(site)
    assert all(path.startswith(site) for path in found["templates"])
