# SPDX-License-Identifier: Apache-2.0
"""The callback walks shared by listing, nsid and monitor calls.

Without a callback a walk returns every item in a list (the C walk runs to
its end first). With one it calls ``callback(item)`` as C reports each
item; a true return value stops the walk, and the call returns whether it
did. An exception raised by the callback stops the walk too and is raised
again once the C call has returned (it never crosses the C frames)."""

from __future__ import annotations

from typing import Any, Callable, Optional

from ._errors import check


class Walk:
    """One callback walk: calls fn, turning its exception into a stop."""

    __slots__ = ("fn", "error", "taken")

    def __init__(self, fn: Callable[..., object]) -> None:
        if not callable(fn):
            raise TypeError(f"callback must be callable, not {type(fn).__name__}")
        self.fn = fn
        self.error: Optional[BaseException] = None
        self.taken = 0

    def call(self, *args: Any) -> int:
        self.taken += 1
        try:
            return 1 if self.fn(*args) else 0
        except BaseException as e:  # noqa: BLE001 - raised again by finish()
            self.error = e
            return 1

    def finish(self, rc: int) -> bool:
        error, self.error = self.error, None
        if error is not None:
            try:
                raise error
            finally:
                error = None
        return check(rc) > 0
