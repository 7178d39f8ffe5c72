"""Packaging that pyproject.toml cannot say: which folders of files ride in the wheel, and where.

In a checkout, templates/ and static/ sit beside the apps, where the newsroom edits them; an
installed wheel carries them inside the ``canary`` package (``canary/templates``,
``canary/static``), where canary/settings.py looks first. Folders of data inside an app (the
demo content) keep their place. Everything else about the package is in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

APPS = ["canary", "core", "articles", "supporters", "mailroom", "newsletters", "readership"]
# Folder in the checkout -> folder in the installed packages. Copied whole, as files, not
# declared as packages: they hold no code, and setuptools warns about data folders it could import.
FOLDERS = {"templates": "canary/templates", "static": "canary/static", "articles/demo": "articles/demo"}


class BuildWithFolders(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        here = Path(__file__).resolve().parent
        for source, target in FOLDERS.items():
            self.copy_tree(str(here / source), str(Path(self.build_lib) / target))


setup(
    packages=find_packages(include=[pattern for app in APPS for pattern in (app, f"{app}.*")]),
    include_package_data=False,  # the folders above are the data; nothing else is
    cmdclass={"build_py": BuildWithFolders},
)
