#!/usr/bin/env bash
# examples.sh - keeps docker/ honest without a Docker engine:
#   - docker/Dockerfile: the build stage is debian:12 and its RUN lines call
#     docker/build-static.sh and nothing else; the final stage is scratch
#     with /probe alone and ENTRYPOINT ["/probe"];
#   - docker/examples/coolify/health-command.txt: each command is within
#     Coolify's characters ^[a-zA-Z0-9 \-_./:=@,+]+$ and <= 1000 characters;
#   - every probe command line in docker/examples (exec-form arrays in
#     Dockerfiles, compose and Kubernetes files; shell lines in RUN,
#     entrypoints and the Coolify commands) parses: run by the real probe
#     with --timeout 10ms against nothing, it exits 1 (checks fail), never
#     64 (usage) or 78 (configuration).  -f FILE names the example's own
#     checks file (a ConfigMap's data, or the file the image copies in).
set -eu
# shellcheck source=tests/integration/lib.sh
. "$TESTLIB"

DOCKER=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../docker" && pwd)
EX=$DOCKER/examples

# --- docker/Dockerfile ------------------------------------------------------
case_ "docker/Dockerfile runs docker/build-static.sh and nothing else"
# shellcheck disable=SC2034 # read by lib.sh's expect_*
OUT=$("$PYTHON" - "$DOCKER/Dockerfile" <<'PY'
import json, re, shlex, sys
text = open(sys.argv[1]).read()
# Instructions: comments dropped, backslash continuations joined.
lines = [l for l in text.split("\n") if not l.lstrip().startswith("#")]
joined = re.sub(r"\\\n", " ", "\n".join(lines))
instr = [l.strip() for l in joined.split("\n") if l.strip()]
stages = []
for l in instr:
    op, _, arg = l.partition(" ")
    op = op.upper()
    if op == "FROM":
        stages.append({"from": arg.split()[0], "as": arg.split()[2] if len(arg.split()) > 2 else None, "ops": []})
    elif not stages:
        print("an instruction before FROM: " + l)
    else:
        stages[-1]["ops"].append((op, arg.strip()))
if len(stages) != 2:
    print("want 2 stages, found %d" % len(stages))
    sys.exit()
build, final = stages
print("build stage FROM " + build["from"] + " AS " + str(build["as"]))
runs = [a for op, a in build["ops"] if op == "RUN"]
print("RUN count %d" % len(runs))
for a in runs:
    if a.startswith("["):
        words = json.loads(a)
    else:
        if re.search(r"[;&|`$<>()]", a):
            print("RUN with shell syntax: " + a)
        words = shlex.split(a)
    if words[:2] == ["bash", "docker/build-static.sh"]:
        print("RUN ok: " + " ".join(words))
    else:
        print("RUN other: " + a)
out = None
for i, w in enumerate(words):
    if w == "--out" and i + 1 < len(words): out = words[i + 1]
    if w.startswith("--out="): out = w[6:]
for op, a in build["ops"]:
    if op not in ("RUN", "COPY", "WORKDIR"):
        print("build stage has " + op)
print("final stage: FROM " + final["from"])
for op, a in final["ops"]:
    print("final " + op + " " + a)
want_copy = "--from=%s %s/probe /probe" % (build["as"], out)
print("want COPY: %s" % any(op == "COPY" and a == want_copy for op, a in final["ops"]))
PY
)
expect_out '^build stage FROM debian:12 AS build$'
expect_out '^RUN count 1$'
expect_out '^RUN ok: bash docker/build-static\.sh --out /out$'
expect_no_out '^RUN (other|with shell)'
expect_no_out '^build stage has '
expect_out '^final stage: FROM scratch$'
expect_out '^want COPY: True$'
expect_out '^final ENTRYPOINT \["/probe"\]$'
expect_no_out '^final (RUN|ADD|CMD|USER|ENV|HEALTHCHECK)'
if [ "$(printf '%s\n' "$OUT" | grep -c '^final [A-Z]')" = 2 ]; then t_ok; else t_bad "the final stage holds more than COPY and ENTRYPOINT"; fi
# The flags the RUN line passes are flags the script knows.
for flag in $(printf '%s\n' "$OUT" | sed -n 's/^RUN ok: bash docker\/build-static\.sh//p' | grep -o -- '--[a-z-]*'); do
	if grep -q -- "^	$flag)" "$DOCKER/build-static.sh" || grep -q -- "^	$flag) " "$DOCKER/build-static.sh"; then t_ok; else t_bad "build-static.sh has no $flag"; fi
done

# --- Coolify's characters -------------------------------------------------------
case_ "Coolify commands: within ^[a-zA-Z0-9 \\-_./:=@,+]+\$, <= 1000 characters"
n=0
while IFS= read -r cmd; do
	case $cmd in '' | '#'*) continue ;; esac
	n=$((n + 1))
	if printf '%s' "$cmd" | LC_ALL=C grep -Eq '^[a-zA-Z0-9 _./:=@,+-]+$'; then t_ok; else t_bad "not in Coolify's set: $cmd"; fi
	if [ "${#cmd}" -le 1000 ]; then t_ok; else t_bad "${#cmd} characters: $cmd"; fi
done <"$EX/coolify/health-command.txt"
if [ "$n" -ge 1 ]; then t_ok; else t_bad "no command in coolify/health-command.txt"; fi

# --- every probe command line parses ---------------------------------------------
# The variables the examples name, pointing at nothing that answers.
DEAD=$(free_port)
export DATABASE_URL="mysql+aiomysql://app:pw@127.0.0.1:$DEAD/app"
export REDIS_URL="redis://:pw@127.0.0.1:$DEAD/0"
export MYSQL_PASSWORD=pw REDIS_PASSWORD=pw PORT=$DEAD

# Prints "FILE<TAB>JSON-ARRAY-OF-WORDS" for each probe command line found,
# the words after the probe program; extracts -f files into $T_DIR/checks/.
"$PYTHON" - "$EX" "$T_DIR/checks" >"$T_DIR/commands" <<'PY'
import json, os, re, shlex, sys
ex, checks_dir = sys.argv[1], sys.argv[2]
os.makedirs(checks_dir, exist_ok=True)
PROG = re.compile(r"(?:^|[\s;&|(])(?:/usr/local/bin/)?probe(?=\s)")
STOP = {";", "&&", "||", "|", "do", "then", "&"}

def checks_files(folder):
    """name -> path of each checks file an example ships: *.checks files,
    and `NAME.checks: |` blocks of a ConfigMap."""
    found = {}
    for f in sorted(os.listdir(folder)):
        p = os.path.join(folder, f)
        if f.endswith(".checks"):
            found[f] = p
        elif f.endswith((".yaml", ".yml")):
            lines = open(p).read().split("\n")
            for i, l in enumerate(lines):
                m = re.match(r"^(\s*)([\w.-]+\.checks): \|\s*$", l)
                if not m:
                    continue
                ind, block = len(m.group(1)), []
                for b in lines[i + 1:]:
                    if b.strip() and len(b) - len(b.lstrip()) <= ind:
                        break
                    block.append(b.strip())
                out = os.path.join(checks_dir, os.path.basename(folder) + "-" + m.group(2))
                open(out, "w").write("\n".join(block) + "\n")
                found[m.group(2)] = out
    return found

for folder in sorted(os.listdir(ex)):
    d = os.path.join(ex, folder)
    if not os.path.isdir(d):
        continue
    files = checks_files(d)
    for f in sorted(os.listdir(d)):
        if not (f.startswith("Dockerfile") or f.endswith((".yml", ".yaml", ".sh", ".txt"))):
            continue
        text = open(os.path.join(d, f)).read()
        compose = f.endswith((".yml", ".yaml")) and "services:" in text
        text = "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("#"))
        if f.endswith((".yml", ".yaml", ".sh")):  # and their comments after code
            text = re.sub(r"[ \t]+#[^\n]*", "", text)
        text = re.sub(r"\\\n", " ", text)
        cmds = []
        # exec form: JSON arrays whose program is probe
        dec = json.JSONDecoder()
        for m in re.finditer(r"\[", text):
            try:
                arr, _ = dec.raw_decode(text, m.start())
            except ValueError:
                continue
            if isinstance(arr, list) and all(isinstance(w, str) for w in arr):
                for i, w in enumerate(arr):
                    if os.path.basename(w) == "probe":
                        cmds.append(arr[i + 1:])
                        break
        # shell form: a line that runs probe
        for line in text.split("\n"):
            if line.lstrip().startswith("["):
                continue
            for m in PROG.finditer(line):
                lex = shlex.shlex(line[m.end():], posix=True, punctuation_chars=True)
                lex.whitespace_split = True
                words = []
                for w in lex:
                    if w in STOP:
                        break
                    words.append(w)
                cmds.append(words)
        for words in cmds:
            if compose:  # compose's own escape: $$ is a $
                words = [w.replace("$$", "$") for w in words]
            out, skip = [], False
            for i, w in enumerate(words):
                if skip:
                    skip = False
                elif w == "--timeout":
                    skip = True
                elif w.startswith("--timeout="):
                    pass
                elif i > 0 and words[i - 1] in ("-f", "--file"):
                    base = os.path.basename(w)
                    out.append(files.get(base, w))
                else:
                    out.append(w)
            print("%s/%s\t%s" % (folder, f, json.dumps(out)))
PY

case_ "the examples hold probe command lines"
for want in fastapi/docker-compose.yml fastapi/Dockerfile fastapi/entrypoint.sh reflex/Dockerfile \
	nextjs/Dockerfile kubernetes/deployment.yaml coolify/health-command.txt coolify/Dockerfile; do
	if grep -q "^$want	" "$T_DIR/commands"; then t_ok; else t_bad "no probe command found in $want"; fi
done

while IFS=$'\t' read -r where arr; do
	mapfile -t words < <("$PYTHON" -c 'import json,sys; print("\n".join(json.loads(sys.argv[1])))' "$arr")
	case_ "$where: probe ${words[*]}"
	if [ "${words[0]:-}" = wait ]; then # the subcommand comes first
		run_probe wait --timeout 10ms --format json "${words[@]:1}"
	else
		run_probe --timeout 10ms --format json "${words[@]}"
	fi
	expect_rc 1
	expect_out '^(\{"probe":"unhealthy"|✗ unhealthy)'
done <"$T_DIR/commands"

finish
