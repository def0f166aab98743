#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One home for each function's error list: netns.h's comment is it, and
every section-3 man page's ERRORS section must name the same errnos for each
function it documents.

netns.h: the errnos of a function are the entries of its "Returns ..., or:"
list (lines ` *  -EXXX, -EYYY  text`), plus, where the comment says so, the
errors of another function ("errors of netns_spawn()", "errors as
netns_spawn()", "return values as netns_string()").
A man page: its ERRORS section is split by the lines that name functions
(`*netns_x*():`, `*netns_x*() and *netns_y*():`); a page without such lines
speaks for every function of its NAME line, but an entry whose text starts
with `*netns_x*():` speaks for that one. The errnos are the entries'
`*-EXXX*` labels, plus the same "errors of" references.

Prints every function whose two lists differ, and the errnos each side
lacks, and fails then.

usage: errors-check.py NETNS_H MAN_PAGE.3.scd...
"""
import re
import sys

ERRNO = re.compile(r"-E[A-Z0-9]+")
REF = re.compile(r"(?:errors?|return values) (?:of|as) \*?(netns_\w+)\*?\(\)")


def header_lists(path):
    text = open(path, encoding="utf-8").read()
    lists, refs = {}, {}
    for m in re.finditer(r"/\*\*\n \* (netns_\w+) - (.*?)\*/", text, re.S):
        name, body = m.group(1), m.group(2)
        lines = body.split("\n")
        errnos = set()
        in_returns = False
        for line in lines:
            b = re.sub(r"^ \*( |$)", "", line)
            if b.startswith("Returns "):
                in_returns = True
                continue
            if in_returns:
                e = re.match(r"^ (-E[A-Z0-9]+(?:,\s*-E[A-Z0-9]+)*)", b)
                if e:
                    errnos |= set(ERRNO.findall(e.group(1)))
        lists[name] = errnos
        refs[name] = set(REF.findall(" ".join(lines)))
    return resolve(lists, refs)


def resolve(lists, refs):
    """Adds the errors of the functions each one refers to."""
    changed = True
    while changed:
        changed = False
        for name, targets in refs.items():
            for t in targets:
                if t != name and t in lists and not lists[t] <= lists[name]:
                    lists[name] |= lists[t]
                    changed = True
    return lists


HEADING = re.compile(r"^\*netns_\w+\*\(\).*:$")


def page_lists(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    name_line = lines[lines.index("# NAME") + 2]
    page_functions = [f.strip() for f in name_line.split(" - ")[0].split(",")]
    try:
        start = lines.index("# ERRORS") + 1
    except ValueError:
        return {}, {}
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("# ")), len(lines))
    lists = {f: set() for f in page_functions}
    refs = {f: set() for f in page_functions}
    current = page_functions
    entry = []  # (errnos, text lines) of the entry being read

    def flush():
        if not entry:
            return
        errnos, text = entry[0], entry[1:]
        who = current
        prefixed = [re.match(r"^\t\*(netns_\w+)\*\(\):", t) for t in text]
        if text and prefixed[0]:
            who = [m.group(1) for m in prefixed if m]
        for f in who:
            lists.setdefault(f, set()).update(errnos)
            refs.setdefault(f, set()).update(REF.findall(" ".join(text)))
        entry.clear()

    for line in lines[start:end]:
        if HEADING.match(line):
            flush()
            current = re.findall(r"\*(netns_\w+)\*\(\)", line.split(":")[0])
            for f in current:
                lists.setdefault(f, set())
                refs.setdefault(f, set())
        elif line.startswith("*-E"):
            flush()
            entry.append(set(ERRNO.findall(line)))
        elif line.startswith("\t") and entry:
            entry.append(line)
        else:
            flush()
            for f in current:
                refs[f].update(REF.findall(line))
    flush()
    return lists, refs


def main():
    header = header_lists(sys.argv[1])
    man, man_refs = {}, {}
    for page in sys.argv[2:]:
        lists, refs = page_lists(page)
        for f, errnos in lists.items():
            man.setdefault(f, set()).update(errnos)
            man_refs.setdefault(f, set()).update(refs[f])
    man = resolve(man, man_refs)
    failed = False
    for f in sorted(set(header) | set(man)):
        h, m = header.get(f, set()), man.get(f, set())
        if f not in man:
            if h:
                print(f"{f}: no man page lists its errors ({' '.join(sorted(h))})")
                failed = True
            continue
        if h != m:
            failed = True
            print(f"{f}: netns.h and the man page differ")
            if h - m:
                print(f"  only in netns.h:  {' '.join(sorted(h - m))}")
            if m - h:
                print(f"  only in man page: {' '.join(sorted(m - h))}")
    checked = sum(1 for f in header if f in man)
    print(f"{checked} functions checked against {len(sys.argv) - 2} man pages")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
