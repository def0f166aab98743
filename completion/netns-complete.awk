# netns-complete.awk: the engine of the bash, zsh and fish completions of
# netns, installed once (<datadir>/netns/netns-complete.awk) and run by
# each shell's script with awk -f. It asks the tool: `TOOL help` for the
# commands (its Commands: block) and the global options, `TOOL help CMD`
# for the synopsis and options of CMD; nothing is listed here.
# Run as: awk -f netns-complete.awk -- TOOL CUR WORD...  (CUR: the word at
# the cursor; WORDs: those between the tool and it). Prints what to offer,
# one a line:
#   w WORD     a word (already filtered by CUR)
#   pids | files | dirs
#   command N  complete a command line from word N (the tool is word 0)
#   prefix P   CUR starts with P (--opt=): offer the value after it
function q(s,   n, a, i, r) {
    n = split(s, a, SQ); r = a[1]
    for (i = 2; i <= n; i++) r = r SQ BS SQ SQ a[i]
    return SQ r SQ
}
function run(args, out,   c, n, line) {
    c = q(tool) " " args " 2>/dev/null"
    n = 0
    while ((c | getline line) > 0)
        out[++n] = line
    close(c)
    return n
}
function offer(word) { if (index(word, cur) == 1) print "w " word }
# An option line ("  -j, -json, --json   TEXT"): its spellings go to
# opt[set, SPELLING] (the metavar if it takes an argument, else "").
function optline(set, line,   col, i, n, t, k, meta, names) {
    col = substr(line, 3)
    i = match(col, /   */)
    if (i) col = substr(col, 1, i - 1)
    n = split(col, t, /[ ,]+/)
    meta = ""; k = 0
    for (i = 1; i <= n; i++) {
        if (t[i] ~ /^-/) {
            if (index(t[i], "=")) {
                meta = substr(t[i], index(t[i], "=") + 1)
                t[i] = substr(t[i], 1, index(t[i], "=") - 1)
            }
            names[++k] = t[i]
        } else if (t[i] ~ /^[A-Z<]/)
            meta = t[i]
    }
    ++nline
    for (i = 1; i <= k; i++) {
        addopt(set, names[i], meta)
        same[set, names[i]] = same[set, names[i]] " " nline
        spell[nline] = spell[nline] " " names[i]
    }
}
# use(set, o): o and its other spellings (-all is --all) are used.
function use(set, o,   a, n, i, b, m, j) {
    used[o] = 1
    n = split(same[set, o], a, " ")
    for (i = 1; i <= n; i++) {
        m = split(spell[a[i]], b, " ")
        for (j = 1; j <= m; j++) used[b[j]] = 1
    }
}
function addopt(set, o, meta) {
    if (!((set, o) in opt)) olist[set] = olist[set] " " o
    if (meta != "" || !((set, o) in opt)) opt[set, o] = meta
}
function ismeta(t) { return t ~ /^[A-Z<]/ || t == "cmd" || t == "command" }
# The index in tk[] of the command word of a synopsis "netns [OPTS] WORD ...".
function wordat(n,   i) {
    for (i = 1; i <= n && tk[i] != "netns"; i++) ;
    for (i++; i <= n; i++)
        if (tk[i] !~ /^[-[]/) return i
    return 0
}
# Reads `TOOL help ARG`: fills syn (synopsis lines), opt["c", ...], kw, defs.
# Returns the command word its synopsis names ("" when none).
function loadcmd(arg,   h, n, i, k, m, t, d, r, word, line, meta, bar, chainpos, chainopts) {
    n = run("help " q(arg), h)
    word = ""; ns = 0
    for (i = 1; i <= n; i++) {
        line = h[i]
        if (line ~ /^  -/) { optline("c", line); continue }
        if (line ~ /^[ ]*[A-Z][A-Z0-9_-]* :=/) {
            sub(/^[ ]*/, "", line)
            m = split(line, d, /[ |]+/)
            for (k = 3; k <= m; k++)
                if (d[k] ~ /^[a-z]/) defs[d[1]] = defs[d[1]] "|" d[k]
            continue
        }
        if (line !~ /^(Usage:)?[ ]*netns /) continue
        # Brackets go; a bar joins a word to the one before it ("|WORD"):
        # NAME|--all|--pid PID is one choice, ID|auto one operand.
        gsub(/[][{}]/, " ", line)
        gsub(/[ ]*[|][ ]*/, " |", line)
        m = split(line, tk, " ")
        k = wordat(m)
        if (!k || (word != "" && tk[k] != word)) continue
        word = tk[k]; ns++; np[ns] = 0
        chainpos = 0; chainopts = ""
        for (k++; k <= m; k++) {
            t = tk[k]; bar = sub(/^[|]/, "", t)
            if (t == "") continue
            if (t == "...") { rep[ns, np[ns]] = 1; continue }
            r = sub(/[.][.][.]$/, "", t)
            if (!bar) { chainpos = 0; chainopts = "" }
            if (t ~ /^-/) {
                meta = ""
                if (index(t, "=")) { meta = substr(t, index(t, "=") + 1); t = substr(t, 1, index(t, "=") - 1) }
                else if (k < m && ismeta(tk[k + 1])) meta = tk[++k]
                sub(/[.][.][.]$/, "", meta)
                sopt[ns, t] = 1; anysopt[t] = 1
                addopt("c", t, meta)
                # An option in the choice of an operand stands for it.
                chainopts = chainopts " " t
                if (chainpos) palt[ns, chainpos] = palt[ns, chainpos] " " t
            } else if (t ~ /^[a-z]/ && !ismeta(t) && k < m && ismeta(tk[k + 1]) && tk[k + 1] != "cmd") {
                kw[t] = tk[++k]
            } else if (bar && chainpos) {
                pk[ns, chainpos] = pk[ns, chainpos] "|" t
            } else {
                np[ns]++; pk[ns, np[ns]] = t; rep[ns, np[ns]] = r
                palt[ns, np[ns]] = chainopts; chainpos = np[ns]
            }
        }
    }
    return word
}
# The synopsis line that fits the options used so far: the first one that
# has each of them.
function pickline(   s, o, ok) {
    for (s = 1; s <= ns; s++) {
        ok = 1
        for (o in used)
            if ((o in anysopt) && !((s, o) in sopt)) ok = 0
        if (ok) return s
    }
    return 1
}
# Whether operand k of synopsis line s is replaced by a used option.
function skipped(s, k,   a, n, i) {
    n = split(palt[s, k], a, " ")
    for (i = 1; i <= n; i++)
        if (a[i] in used) return 1
    return 0
}
# The kind of the n-th operand in synopsis line s ("" past its end).
function slot(s, n,   k, c) {
    c = 0
    for (k = 1; k <= np[s]; k++)
        if (!skipped(s, k) && ++c == n) return pk[s, k]
    if (np[s] && rep[s, np[s]] && !skipped(s, np[s])) return pk[s, np[s]]
    return ""
}
# What the metavars say (no command is named here): CMD is a program and
# its words, COMMAND one of the commands of the tool (help COMMAND), NAME a name
# that exists, NEWNAME one to make (nothing to offer).
function isprog(k) { return k == "CMD" || k == "cmd" }
# Offers what a metavar (or "ID|auto") stands for.
function act(kind,   a, n, i, m) {
    n = split(kind, a, "|")
    for (i = 1; i <= n; i++) {
        m = a[i]
        gsub(/[<>]/, "", m)
        if (a[i] ~ /^[a-z]/ && !isprog(a[i])) { offer(a[i]); continue }
        if (m in defs) { act(substr(defs[m], 2)); continue }
        if (m == "COMMAND") offercmds()
        else if (m == "NAME") names()
        else if (m == "PID") print "pids"
        else if (m == "FILE" || m == "PATH") print "files"
        else if (m == "DIR") print "dirs"
    }
}
function offercmds(   i) { for (i = 1; i <= ncmd; i++) offer(cmds[i]) }
# The names in the run dir the line names (--run-dir, --rootless; the
# environment reaches the tool by itself), as `TOOL list` prints them.
function names(   args, out, n, i, s) {
    args = ""
    if (hasrd) args = args " --run-dir " q(rundir)
    if (rootless) args = args " --rootless"
    n = run(args " list", out)
    for (i = 1; i <= n; i++) {
        s = out[i]
        sub(/ [(]id: [0-9]+[)]$/, "", s)
        if (s != "") offer(s)
    }
}
function note(o, val) {
    if (o == "--run-dir") { hasrd = 1; rundir = val }
    if (o == "--rootless") rootless = 1
}
function offeropts(set,   n, a, i) {
    n = split(olist[set], a, " ")
    for (i = 1; i <= n; i++) offer(a[i])
}
# cur is --opt=VALUE for an option of set that takes one: offer the value.
function eqvalue(set,   o) {
    if (cur !~ /^-[^=]*=/) return 0
    o = substr(cur, 1, index(cur, "=") - 1)
    if (!((set, o) in opt) || opt[set, o] == "") return 0
    print "prefix " o "="
    cur = substr(cur, index(cur, "=") + 1)
    act(opt[set, o])
    return 1
}
BEGIN {
    SQ = sprintf("%c", 39); BS = sprintf("%c", 92)
    # Operands, not -v: awk would read escapes in a -v value.
    tool = ARGV[1]; cur = ARGV[2]
    nw = ARGC - 3
    for (i = 1; i <= nw; i++) w[i] = ARGV[i + 2]
    ARGC = 1
    # The commands and global options.
    n = run("help", h)
    blk = 0
    for (i = 1; i <= n; i++) {
        line = h[i]
        if (line ~ /^Commands/) { blk = 1; continue }
        if (line ~ /^[ ]*$/) { blk = 0; continue }
        if (line ~ /^  -/) { optline("g", line); continue }
        if (blk && line ~ /^[ ]*netns /) {
            gsub(/[][{}]/, " ", line)
            m = split(line, tk, " ")
            k = wordat(m)
            if (k && !(tk[k] in iscmd)) { iscmd[tk[k]] = 1; cmds[++ncmd] = tk[k] }
        }
    }
    # Global options, up to the command word.
    cmd = ""; pending = ""; dd = 0
    for (i = 1; i <= nw; i++) {
        t = w[i]
        if (t == "--") { i++; break }
        if (t !~ /^-./) break
        o = t; val = ""; eq = 0
        if (!(("g", o) in opt) && index(t, "=")) {
            o = substr(t, 1, index(t, "=") - 1); val = substr(t, index(t, "=") + 1); eq = 1
        }
        if (("g", o) in opt && opt["g", o] != "" && !eq) {
            if (i == nw) { pending = opt["g", o]; break }
            val = w[++i]
        }
        if (("g", o) in opt) use("g", o)
        note(o, val)
    }
    if (pending != "") { act(pending); exit }
    if (i > nw) {
        if (eqvalue("g")) exit
        if (cur ~ /^-/) offeropts("g")
        else offercmds()
        exit
    }
    # The command word: the tool says which command it is (`help WORD`
    # names it in full when the tool takes WORD), else the first of the
    # Commands: block that starts with it.
    typed = w[i]; cmdat = i
    cmd = loadcmd(typed)
    if (cmd == "") {
        for (k = 1; k <= ncmd; k++)
            if (index(cmds[k], typed) == 1) { cmd = loadcmd(cmds[k]); break }
    }
    if (cmd == "") exit
    # The words of the command: its options, keywords and operands.
    npos = 0
    for (i = cmdat + 1; i <= nw; i++) {
        t = w[i]
        if (!dd && t == "--") { dd = 1; continue }
        if (!dd && t ~ /^-./) {
            o = t; val = ""; eq = 0
            if (!(("c", o) in opt) && index(t, "=")) {
                o = substr(t, 1, index(t, "=") - 1); val = substr(t, index(t, "=") + 1); eq = 1
            }
            if (("c", o) in opt) {
                use("c", o)
                if (opt["c", o] != "" && !eq) {
                    if (i == nw) { pending = opt["c", o]; break }
                    val = w[++i]
                }
                note(o, val)
                continue
            }
        }
        if (!dd && (t in kw)) {
            usedkw[t] = 1
            if (i == nw) { pending = kw[t]; break }
            i++
            continue
        }
        npos++
        if (isprog(slot(pickline(), npos))) { print "command " i; exit }
    }
    if (pending != "") { act(pending); exit }
    if (!dd && eqvalue("c")) exit
    s = pickline()
    k = slot(s, npos + 1)
    if (isprog(k)) { print "command " nw + 1; exit }
    if (!dd && cur ~ /^-/) offeropts("c")
    act(k)
    if (!dd && cur !~ /^-/)
        for (t in kw)
            if (!(t in usedkw)) offer(t)
}
