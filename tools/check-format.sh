#!/bin/sh
# Fails when a tracked source file is not formatted as the project formats it:
#   C/C++   clang-format (Debian's clang-format), style in .clang-format
#   Python  py_compile, then pycodestyle (Debian's python3-pycodestyle)
#   Rust    cargo fmt --check (rustfmt's defaults), when cargo is installed
# Run from anywhere in the tree; prints what is wrong and exits 1.
set -eu
cd "$(dirname "$0")/.."
status=0

git ls-files -z '*.c' '*.h' '*.cpp' '*.hpp' |
    xargs -0 clang-format --dry-run -Werror || status=1

py=$(command -v /usr/bin/python3 || command -v python3)
git ls-files -z '*.py' | xargs -0 "$py" -m py_compile || status=1
# Ignored: pycodestyle's defaults (E121 E123 E126 E226 E24 E704 W503 W504),
# plus E731 (a named lambda) and E741 (`l` as a name): the code uses both.
git ls-files -z '*.py' | xargs -0 "$py" -m pycodestyle --max-line-length=110 \
    --ignore=E121,E123,E126,E226,E24,E704,E741,E731,W503,W504 || status=1

cargo=$(command -v cargo || ls /root/.cargo/bin/cargo /usr/local/cargo/bin/cargo 2>/dev/null | head -n1 || true)
if [ -n "$cargo" ]; then
    PATH=$(dirname "$cargo"):$PATH
    (cd bindings/rust && cargo fmt --all --check) || status=1
else
    echo "check-format: cargo not found, Rust formatting not checked"
fi

[ "$status" = 0 ] && echo "check-format: every C, C++, Python and Rust file is formatted"
exit "$status"
