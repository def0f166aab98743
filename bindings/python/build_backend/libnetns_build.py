# SPDX-License-Identifier: Apache-2.0
"""The build backend of bindings/python/pyproject.toml: meson-python on the
project's root (../..), where the meson build and the root pyproject.toml
are, so that `pip install ./bindings/python` builds the same wheel as
`pip install .` at the root: the libnetns package with its own copy of
libnetns.so.0. meson-python builds the directory it runs in, hence the
chdir."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any, Optional

import mesonpy

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))


@contextlib.contextmanager
def _at_root() -> Iterator[None]:
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(old)


def get_requires_for_build_wheel(config_settings: Optional[dict[str, Any]] = None) -> list[str]:
    with _at_root():
        return list(mesonpy.get_requires_for_build_wheel(config_settings))


def get_requires_for_build_sdist(config_settings: Optional[dict[str, Any]] = None) -> list[str]:
    with _at_root():
        return list(mesonpy.get_requires_for_build_sdist(config_settings))


def build_wheel(wheel_directory: str, config_settings: Optional[dict[str, Any]] = None,
                metadata_directory: Optional[str] = None) -> str:
    wheel_directory = os.path.abspath(wheel_directory)
    with _at_root():
        return str(mesonpy.build_wheel(wheel_directory, config_settings, metadata_directory))


def build_sdist(sdist_directory: str, config_settings: Optional[dict[str, Any]] = None) -> str:
    sdist_directory = os.path.abspath(sdist_directory)
    with _at_root():
        return str(mesonpy.build_sdist(sdist_directory, config_settings))
