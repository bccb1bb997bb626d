"""Package discovery for the wheel: every package of the tree, and static/ carried as kezek.static.

The rest of the build configuration (metadata, dependencies, package data) is in pyproject.toml;
this file exists only because pyproject's `packages.find` cannot add a package that lives outside its
parent's folder (static/ at the top of the tree, installed inside the application package).
"""
from setuptools import find_namespace_packages, setup

PACKAGES = find_namespace_packages(include=["kezek", "kezek.*", "kiosk", "kiosk.*", "display", "display.*",
                                            "directory", "directory.*", "printer", "printer.*"])

# static/ and its folders (css, js, vendor, fonts, sounds) become kezek.static and its subpackages.
STATIC = ["kezek.static", *(f"kezek.static.{name}" for name in find_namespace_packages(where="static"))]

setup(packages=[*PACKAGES, *STATIC], package_dir={"kezek.static": "static"})
