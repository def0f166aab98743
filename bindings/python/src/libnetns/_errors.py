# SPDX-License-Identifier: Apache-2.0
"""C return values to Python: ``-errno`` becomes ``OSError``, carrying the
path, name or program as ``filename`` (and ``filename2``) as ``os`` does, so
that ``str(e)`` reads ``[Errno 2] No such file or directory: 'blue'``."""

from __future__ import annotations

import os
from typing import Optional, Union

#: A path or name as the bindings take it.
StrPath = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


def error(err: int, filename: object = None, filename2: object = None) -> OSError:
    """``OSError(err, strerror, filename, None, filename2)``: the subclass
    for ``err`` (``FileNotFoundError``...), as ``os`` raises it."""
    if filename is None:
        return OSError(err, os.strerror(err))
    if filename2 is None:
        return OSError(err, os.strerror(err), filename)
    return OSError(err, os.strerror(err), filename, None, filename2)


def check(rc: int, filename: object = None, filename2: object = None) -> int:
    """``rc`` itself when ``>= 0``; else raises :func:`error` for ``-rc``."""
    if rc < 0:
        raise error(-rc, filename, filename2)
    return rc


def encode(value: StrPath, what: str) -> bytes:
    """A str, bytes or os.PathLike as the bytes the C API takes; a NUL
    byte is a ValueError, as in ``os``."""
    raw = os.fsencode(value)
    if b"\0" in raw:
        raise ValueError(f"embedded null byte in {what}")
    return raw


def encode_optional(value: Optional[StrPath], what: str) -> Optional[bytes]:
    return None if value is None else encode(value, what)
