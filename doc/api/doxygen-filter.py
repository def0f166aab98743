#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Doxygen INPUT_FILTER for libnetns's public headers.

The headers are written for people: netns.h in kernel-doc style
(`name - brief`, `@param` references, a `Returns ..., or:` list of
negative errnos), netns.hpp in plain `//` comments. This filter hands
Doxygen the same text in its own markup, line for line (so the line
numbers of Doxygen's warnings are the header's):

netns.h
  - the first plain comment becomes the file's documentation (@file);
  - `/** name - brief ... */` becomes @brief, the description, @return
    and one @retval per errno entry (`-EMFILE, -ENFILE  no descriptor`);
  - a plain comment directly above a run of #defines documents each of
    them (a member group with its documentation distributed);
  - `@name` in the text becomes `@p name` (but `@defgroup`, and the
    `@{` `@}` around a group, are Doxygen's own);
  - a `Since 0.3.` paragraph becomes @since.
netns.hpp
  - the first comment after the SPDX line becomes @file;
  - a `//` comment directly above a declaration, at namespace or class
    scope (never inside a function body), becomes a `///` comment;
  - some declarations the header leaves without a comment of their own
    get one made from their shape: an overload right after a documented
    one (@overload), a [[deprecated("...")]] one (@deprecated ...),
    deleted copy and move operations, `explicit operator bool()` that
    returns is_open(), swap, operator!=, an enumerator set from a macro,
    a data member right after a documented one (@copydoc). SHAPED lists
    the few more whose text is written here (destructors, moves,
    is_open(), the namespace); doc/api/README.md says why they are here
    and not in the header.
Anything else without a comment stays so, and Doxygen's
WARN_IF_UNDOCUMENTED with WARN_AS_ERROR fails the build on it.

usage: doxygen-filter.py FILE   (prints the filtered FILE)
"""
import re
import sys

# --- text of a comment -------------------------------------------------------

# `code` and "quoted text", which Doxygen shows as they are.
CODE_SPAN = re.compile(r'(`[^`]*`|"[^"\n]*")')


def escape(text, c_params=False):
    """Escapes what Doxygen would read as markup: <...> outside `code` and
    "quotes" (HTML tags for Doxygen), the dot of "e.g." (not a sentence's
    end), and, in netns.h, turns kernel-doc's @name
    into @p name (and a '*' before it into a literal one)."""
    out = []
    for part in CODE_SPAN.split(text):
        if len(part) > 1 and part[0] == part[-1] and part[0] in "`\"":
            out.append(part)
            continue
        part = part.replace("<", r"\<").replace(">", r"\>")
        # Not the end of a sentence, for the brief (JAVADOC_AUTOBRIEF).
        part = re.sub(r"\b(e\.g|i\.e|etc)\. ", r"\1.\\ ", part)
        if c_params:
            part = part.replace("*@", r"\*@")
            # (but for the Doxygen commands netns.h writes: @defgroup)
            part = re.sub(r"@(?!defgroup\b)([A-Za-z_]\w*)", r"@p \1", part)
        out.append(part)
    return "".join(out)


class Prose:
    """Escapes comment lines one after another, leaving Markdown code
    blocks (4+ spaces of indentation after a blank line) as they are."""

    def __init__(self, c_params):
        self.c_params = c_params
        self.in_code = False
        self.prev_blank = True

    def __call__(self, body):
        if not body.strip():
            self.prev_blank = True
            return body
        indented = len(body) - len(body.lstrip(" ")) >= 4
        self.in_code = indented and (self.prev_blank or self.in_code)
        self.prev_blank = False
        return body if self.in_code else escape(body, self.c_params)


# --- netns.h: kernel-doc ----------------------------------------------------

ERRNO_LIST = r"-E[A-Z0-9]+(?:,\s*-E[A-Z0-9]+)*"
ENTRY = re.compile(r"^ (" + ERRNO_LIST + r")(,?)(?:\s+(.*))?$")
OTHER_ENTRY = re.compile(r"^ (\S.*)$")
KDOC_HEAD = re.compile(r"^(\w+) - (.*)$")
SINCE = re.compile(r"^Since (\d+\.\d+)\.$")


def star_body(line):
    """' * text' -> 'text'; ' *' -> ''."""
    m = re.match(r"^\s*\*(?: (.*))?$", line)
    return (m.group(1) or "") if m else line


def codes(text):
    """'-EMFILE, -ENFILE' -> '-EMFILE,<no-break space>-ENFILE' (one @retval name)."""
    return re.sub(r",\s*", ",\u00a0", text.strip())


def kerneldoc(block):
    """One `/** name - brief ... */` block (a list of lines) in Doxygen's
    markup, as many lines."""
    bodies = [star_body(l) for l in block[1:-1]]
    out = ["/**"]
    prose = Prose(c_params=True)
    head = KDOC_HEAD.match(bodies[0])
    bodies[0] = head.group(2)[:1].upper() + head.group(2)[1:]
    section = "brief"  # brief, text, returns, errors
    others = 0
    out.append(" * @brief " + prose(bodies[0]))
    i = 1
    while i < len(bodies):
        b = bodies[i]
        prev_blank = not bodies[i - 1].strip()
        if not b.strip():
            if section == "brief":
                section = "text"
            out.append(" *")
            i += 1
            continue
        if SINCE.match(b):
            # "Since 0.3." (its own paragraph): the release that added it.
            out.append(" * @since " + SINCE.match(b).group(1))
            i += 1
            continue
        if b.startswith("Returns ") and prev_blank:
            section = "returns"
            out.append(" * @return " + prose(b[len("Returns "):]))
            i += 1
            continue
        if section in ("returns", "errors"):
            m = ENTRY.match(b)
            if m:
                section = "errors"
                names, rest = m.group(1), m.group(3) or ""
                # A list of errnos that goes on on the next line
                # ("..., -EMFILE,\n -ENFILE  as netns_attach().").
                if m.group(2) and not rest and i + 1 < len(bodies):
                    n = ENTRY.match(bodies[i + 1])
                    if n:
                        names += ", " + n.group(1)
                        out.append(" * @retval " + codes(names))
                        out.append(" *            " + escape(n.group(3) or "", True))
                        i += 2
                        continue
                out.append(" * @retval " + codes(names) + " " + escape(rest, True))
                i += 1
                continue
            if section == "errors":
                if OTHER_ENTRY.match(b):
                    # An entry that is not an errno ("the exec and resource
                    # errors of netns_spawn()").
                    # Doxygen merges @retvals of one name: the label
                    # "other" is made unique by invisible spaces.
                    others += 1
                    out.append(" * @retval other" + "\u00a0" * (others - 1)
                               + " " + prose(b.strip()))
                    i += 1
                    continue
                if not b.startswith(" "):
                    # Text after the list ends it.
                    section = "text"
                    out.append(" * @note " + prose(b))
                    i += 1
                    continue
        out.append(" * " + prose(b))
        i += 1
    out.append(" */")
    return out


def filter_c(lines):
    out = []
    close_at = []  # lines of out that a member group's end goes in front of
    seen_file_doc = False
    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if not s.startswith("/*"):
            out.append(line)
            i += 1
            continue
        # Collect the whole comment.
        j = i
        while "*/" not in lines[j]:
            j += 1
        block = lines[i:j + 1]
        following = lines[j + 1] if j + 1 < len(lines) else ""
        if s.startswith("/**") and len(block) > 2 and KDOC_HEAD.match(star_body(block[1])):
            out.extend(kerneldoc(block))
        elif s.startswith("/**"):
            prose = Prose(c_params=True)
            out.extend(re.sub(r"^ \* Since (\d+\.\d+)\.$", r" * @since \1", prose(l))
                       for l in block)
        elif not seen_file_doc and len(block) > 1:
            # The header's opening comment: the file's documentation.
            seen_file_doc = True
            prose = Prose(c_params=True)
            out.append("/** @file")
            out.extend(" * " + prose(star_body(l)) if star_body(l) else " *"
                       for l in block[1:-1])
            out.append(" */")
        elif following.lstrip().startswith("#define"):
            # A plain comment over a run of #defines documents each one.
            text = " ".join(star_body(l).strip() for l in block)
            text = text.replace("/*", "").replace("*/", "").strip()
            first = "/**@{*/ /** " + escape(text, True) + " */"
            out.append(first)
            out.extend("" for _ in block[1:])
            k = j + 1
            while k < len(lines) and lines[k].lstrip().startswith("#define"):
                out.append(lines[k])
                k += 1
            if k < len(lines) and not lines[k].strip():
                out.append("/**@}*/")  # in place of the blank line
                k += 1
            elif k < len(lines):
                # No blank line after the run: the group ends at the start
                # of the next line, so that the line numbers stay the
                # header's.
                close_at.append(len(out))
            i = k
            continue
        else:
            out.extend(block)
        i = j + 1
    for n in close_at:
        out[n] = "/**@}*/ " + out[n]
    return out


# --- netns.hpp: // comments -------------------------------------------------

ATTRS = re.compile(r"\[\[[^\]]*\]\]\s*")
DEPRECATED = re.compile(r'\[\[deprecated\("([^"]*)"\)\]\]')
NOT_DECL = re.compile(r"^(#|}|public:|private:|protected:|static_assert|namespace detail\b|//)")

# Declarations that netns.hpp leaves without a comment, documented here by
# their shape: (class or None for any, regex on the stripped line, text).
SHAPED = [
    (None, r"^~(?:Handle|Fd|Monitor)\(\)",
     "Closes the descriptor, if it holds one (errors ignored)."),
    ("SetGuard", r"^~SetGuard\(\)",
     "Moves the calling thread back into the saved namespace, unless "
     "restore() already did (errors ignored: see restore())."),
    ("SetGuard", r"^explicit SetGuard\(const Handle &target\)",
     "Saves the calling thread's network namespace (netns_get), then moves "
     "the thread into @p target (netns_set). Throws, with the thread where "
     "it was, when it cannot."),
    (None, r"^(\w+)\(\1 &&other\) noexcept",
     "Takes over the descriptor of @p other, which is left empty."),
    (None, r"^(\w+) &operator=\(\1 &&other\) noexcept",
     "Closes the descriptor this one holds (errors ignored) and takes over "
     "that of @p other, which is left empty."),
    (None, r"^(\w+)\(\) noexcept = default;",
     "An empty one: it holds no descriptor."),
    (None, r"^\[\[nodiscard\]\] bool is_open\(\) const noexcept",
     "Whether it holds a descriptor (the descriptor itself is not checked)."),
]

GENERIC = [
    (r"^(\w+)\(const \1 &\) = delete;", "Not copyable."),
    (r"^(\w+) &operator=\(const \1 &\) = delete;", "Not copyable."),
    (r"^(\w+)\(\1 &&\) = delete;", "Not movable."),
    (r"^(\w+) &operator=\(\1 &&\) = delete;", "Not movable."),
    (r"^explicit operator bool\(\) const noexcept \{ return (\w+)\(\); \}",
     r"The same as \1()."),
    (r"^friend void swap\((\w+) &a, \1 &b\) noexcept",
     "Swaps @p a and @p b (a.swap(b)), for std::swap and ADL."),
    (r"^void swap\((\w+) &other\) noexcept",
     "Exchanges the descriptors of this one and @p other."),
    (r"^friend bool operator!=\(", "The negation of operator==()."),
]


def decl_name(stmt):
    s = ATTRS.sub("", stmt)
    s = re.sub(r"^template\s*<[^>]*>\s*", "", s)
    m = re.search(r"(operator\s*[^\s(]+|~?\w+)\s*\(", s)
    if m:
        return m.group(1)
    m = re.search(r"(\w+)\s*(?:=.*)?;\s*$", s)
    return m.group(1) if m else None


def filter_cpp(lines):
    out = []
    stack = []  # ('scope', name) for namespace/class bodies, ('fn', None)
    stmt = ""  # the statement read so far (to tell a class from a function)
    file_doc_done = False
    documented_prev = None  # (name, is_data) of the declaration just before
    pending_doc = None  # the /// lines just written, waiting for their decl
    comment = []  # a run of // lines not yet written
    file_brief = ""

    def doc_scope():
        return all(kind == "scope" for kind, _ in stack)

    def current_class():
        for kind, name in reversed(stack):
            if kind == "scope":
                return name
        return None

    def flush_comment(as_doc):
        nonlocal pending_doc
        prose = Prose(c_params=False)
        for c in comment:
            indent, body = c.split("//", 1)
            body = body[1:] if body.startswith(" ") else body
            out.append(indent + ("/// " + prose(body) if as_doc else "//" + c.split("//", 1)[1]))
        pending_doc = as_doc or None
        comment.clear()

    for idx, line in enumerate(lines):
        s = line.strip()
        at_doc_scope = doc_scope()
        at_boundary = stmt.strip() == ""

        if s.startswith("//") and at_doc_scope and at_boundary:
            if not file_doc_done and idx > 0 and not s.startswith("// SPDX"):
                comment.append(line)
                continue
            comment.append(line)
            continue

        if comment:
            if not file_doc_done:
                # The file's opening comment (after SPDX): @file.
                file_doc_done = True
                spdx = [c for c in comment if "SPDX" in c]
                rest = [c for c in comment if "SPDX" not in c]
                out.extend(spdx)
                prose = Prose(c_params=False)
                first = True
                for c in rest:
                    body = c.split("//", 1)[1]
                    body = body[1:] if body.startswith(" ") else body
                    if first and not body.strip():
                        out.append("/// @file")
                        first = False
                        continue
                    if not file_brief and body.strip():
                        file_brief = body.strip()
                    out.append("/// " + prose(body))
                    first = False
                comment.clear()
            else:
                flush_comment(as_doc=bool(s) and not NOT_DECL.match(s))

        prefix = ""
        if s and at_doc_scope and at_boundary and not NOT_DECL.match(s):
            name = decl_name(s)
            is_data = "(" not in ATTRS.sub("", s) and s.endswith(";") and not s.startswith("using ")
            documented = pending_doc is not None
            if not documented:
                cls = current_class()
                text = None
                m = DEPRECATED.search(s)
                if m:
                    text = "@deprecated " + escape(m.group(1)[0].upper() + m.group(1)[1:]) + "."
                if text is None:
                    for klass, pattern, doc in SHAPED:
                        if (klass is None or klass == cls) and re.match(pattern, s):
                            text = doc
                            break
                if text is None:
                    for pattern, doc in GENERIC:
                        m = re.match(pattern, s)
                        if m:
                            text = m.expand(doc)
                            break
                if text is not None:
                    pass
                elif documented_prev and name and documented_prev[0] == name and not is_data:
                    text = "@overload"
                elif documented_prev and documented_prev[0] and documented_prev[1] and is_data:
                    text = "@copydoc " + documented_prev[0]
                elif re.match(r"^namespace (\w+) \{$", s):
                    text = escape(file_brief)
                if text is not None:
                    prefix = "/** " + text + " */ "
                    documented = True
            documented_prev = (name, is_data) if documented else None
            pending_doc = None
        elif not s and at_doc_scope:
            documented_prev = None
            pending_doc = None

        # An enumerator set from a macro is documented as that macro.
        if re.match(r"^enum (class )?\w+", s):
            line = re.sub(r"(\b\w+ = (NETNS_\w+))", r"\1 /**< \2 */", line)

        out.append(line[: len(line) - len(line.lstrip())] + prefix + line.lstrip() if prefix else line)

        # Braces: what kind of body each one opens.
        if s.startswith("#"):
            continue
        code = re.sub(r'"(?:\\.|[^"\\])*"', '""', line.split("//", 1)[0])
        for ch in re.findall(r"[{};]|[^{};]+", code):
            if ch == "{":
                m = re.search(r"\b(namespace|class|struct|union|enum)\b\s*(\w+)?", stmt)
                if m and "(" not in stmt[m.start():]:
                    stack.append(("scope", m.group(2)))
                else:
                    stack.append(("fn", None))
                stmt = ""
            elif ch == "}":
                if stack:
                    stack.pop()
                stmt = ""
            elif ch == ";":
                stmt = ""
            else:
                stmt += ch
        if re.match(r"^(public|private|protected):$", s):
            stmt = ""
    if comment:
        flush_comment(as_doc=False)
    return out


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if path.endswith((".hpp", ".hh", ".hxx")):
        result = filter_cpp(lines)
    else:
        result = filter_c(lines)
    sys.stdout.write("\n".join(result))


if __name__ == "__main__":
    main()
