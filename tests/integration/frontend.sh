#!/usr/bin/env bash
# frontend.sh - frontend:DIR against real builds: a Next.js 14 app (app
# router and pages router pages; a plain build, a standalone build and a
# real `next dev` run) and a vanilla Vite 5 app, both installed from the
# npm registry with the lock files in tests/fixtures/frontend/.  Each app
# is built once; every mutation (a deleted server chunk, BUILD_ID, an
# asset...) works on a copy of the build.
#
# Reflex cannot be installed here (it is a Python package that pulls its
# own JavaScript toolchain at run time), so its cases are fixtures laid out
# as Reflex's source says it writes them: 0.8 (reflex/utils/build.py,
# constants Dirs.STATIC = "build/client") exports React Router's client
# build to .web/build/client and copies index.html to 404.html and each
# <route>/index.html to <route>.html; 0.7 exported Next's static site to
# .web/_static; `reflex export` zips that folder into frontend.zip.
#
# Needs node >= 18.17 and npm: the node on PATH when new enough, else
# Debian's nodejs and npm packages (installed here with apt-get when
# missing).  npm downloads are cached in npm's cache ($HOME/.npm or
# $npm_config_cache), so only the first run on a machine downloads.  No
# node, no npm, no registry: the test fails - it never skips.
set -eu
. "$TESTLIB"

FIX=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/frontend" && pwd)
export NEXT_TELEMETRY_DISABLED=1 npm_config_update_notifier=false npm_config_fund=false \
	npm_config_audit=false

die() {
	echo "frontend.sh: $*" >&2
	exit 1
}

# The JSON line of the frontend check, and its pieces.
LINE='"check":"frontend".*'

# --- node and npm ----------------------------------------------------------
node_ok() { # node >= 18.17 and npm on PATH
	command -v node >/dev/null && command -v npm >/dev/null &&
		node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>18||(a==18&&b>=17)?0:1)' 2>/dev/null
}
if ! node_ok; then
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	echo "frontend.sh: installing Debian's nodejs and npm" >&2
	$SUDO apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null ||
		die "cannot install nodejs and npm with apt-get"
	node_ok || die "node $(node --version 2>/dev/null || echo missing) is older than 18.17 (Next.js 14 needs it)"
fi
echo "frontend.sh: node $(node --version), npm $(npm --version 2>/dev/null)" >&2

# npm ci from the committed lock file; the cache makes reruns offline.
install_app() { # NAME
	local t0 t1
	mkdir -p "$T_DIR/$1"
	cp "$FIX/$1/package.json" "$FIX/$1/package-lock.json" "$T_DIR/$1/"
	t0=$(date +%s)
	(cd "$T_DIR/$1" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) \
		>"$T_DIR/$1-install.log" 2>&1 || {
		tail -20 "$T_DIR/$1-install.log" >&2
		die "npm ci for the $1 fixture failed (is the npm registry reachable?)"
	}
	t1=$(date +%s)
	echo "frontend.sh: npm ci $1: $((t1 - t0)) s" >&2
}

timed() { # LABEL LOG CMD... - runs CMD in the app folder, logs, times it
	local label=$1 log=$2 t0 t1
	shift 2
	t0=$(date +%s)
	"$@" >"$log" 2>&1 || {
		tail -30 "$log" >&2
		die "$label failed"
	}
	t1=$(date +%s)
	echo "frontend.sh: $label: $((t1 - t0)) s" >&2
}

# A copy of build folder $1 (relative to $T_DIR) as case $2; prints its path.
copy_case() {
	rm -rf "$T_DIR/cases/$2"
	mkdir -p "$T_DIR/cases/$2"
	cp -a "$T_DIR/$1/." "$T_DIR/cases/$2/"
	printf '%s' "$T_DIR/cases/$2"
}

# --- Next.js -----------------------------------------------------------------
install_app next
N=$T_DIR/next
mkdir -p "$N/app/about" "$N/pages" "$N/public"
cat >"$N/app/layout.js" <<'EOF'
export default function RootLayout({ children }) {
  return (<html lang="en"><body>{children}</body></html>);
}
EOF
cat >"$N/app/page.js" <<'EOF'
export default function Home() { return <main>app router home</main>; }
EOF
cat >"$N/app/about/page.js" <<'EOF'
export const dynamic = 'force-dynamic';
export default function About() { return <p>about, rendered at {Date.now()}</p>; }
EOF
cat >"$N/pages/legacy.js" <<'EOF'
export default function Legacy() { return <p>pages router, static</p>; }
EOF
cat >"$N/pages/ssr.js" <<'EOF'
export async function getServerSideProps() { return { props: { t: Date.now() } }; }
export default function Ssr({ t }) { return <p>pages router, rendered at {t}</p>; }
EOF
echo 'User-agent: *' >"$N/public/robots.txt"
cat >"$N/next.config.js" <<'EOF'
module.exports = { output: process.env.PROBE_NEXT_OUTPUT || undefined };
EOF

case_ "next: a development server's .next (real next dev, killed)"
# Its own process group, so that the next-server child dies with it.
PORT=$(free_port)
cd "$N"
setsid bash -c 'echo $$ >"$1"; exec node_modules/.bin/next dev -p "$2"' _ "$T_DIR/dev.pid" "$PORT" \
	>"$T_DIR/next-dev.log" 2>&1 </dev/null &
DEV_SH=$!
kill_dev() {
	local pg
	pg=$(cat "$T_DIR/dev.pid" 2>/dev/null) || return 0
	kill -TERM -- "-$pg" 2>/dev/null || true
	wait "$DEV_SH" 2>/dev/null || true
	rm -f "$T_DIR/dev.pid"
}
trap 'kill_dev; t_cleanup' EXIT
for i in $(seq 1 240); do
	curl -fsS -o /dev/null --max-time 20 "http://127.0.0.1:$PORT/" 2>/dev/null && break
	sleep 0.25
done
cd - >/dev/null
kill_dev
[ -d "$N/.next" ] || { tail -20 "$T_DIR/next-dev.log" >&2; die "next dev wrote no .next"; }
cp -a "$N/.next" "$T_DIR/next-dev"
run_probe --format json "frontend:$N"
expect_rc 1
expect_out "$LINE\"result\":\"fail\".*\"error\":\"development build: .next has no BUILD_ID\".*\"detail\":\\{\"kind\":\"next\",.*\"hint\":\"a development build: run \`next build\`"
expect_hint HINT_FRONTEND_NEXT_DEV
run_probe --format json "frontend:$N/.next" kind=next
expect_rc 1
expect_out '"error":"development build: [^"]*/next/\.next has no BUILD_ID"'

case_ "next: a production build passes"
(cd "$N" && timed "next build" "$T_DIR/next-build.log" node_modules/.bin/next build)
# The webpack cache is no part of what is served: leave it out of copies.
rm -rf "$N/.next/cache"
mkdir -p "$T_DIR/next-prod"
cp -a "$N/.next" "$T_DIR/next-prod/.next"
cp -a "$N/public" "$T_DIR/next-prod/public"
run_probe --format json "frontend:$T_DIR/next-prod"
expect_rc 0
expect_out "$LINE\"result\":\"pass\".*\"detail\":\\{\"kind\":\"next\",\"missing\":0,\"checked\":[0-9]+\\}"
run_probe --format json "frontend:$T_DIR/next-prod/.next" kind=next
expect_rc 0
run_probe --format json "frontend:$T_DIR/next-prod/.next/"
expect_rc 0
expect_out '"kind":"next"'

case_ "next: an app router server chunk deleted"
D=$(copy_case next-prod app-page)
rm "$D/.next/server/app/page.js"
run_probe --format json "frontend:$D"
expect_rc 1
expect_out "$LINE\"result\":\"fail\".*\"error\":\"1 file missing from the build: .next/server/app/page.js\".*\"detail\":\\{\"kind\":\"next\",\"missing\":1,\"first_missing\":\".next/server/app/page.js\",\"checked\":[0-9]+\\}.*\"hint\":\"the Next.js build is incomplete: .*run \`next build\`"
expect_hint HINT_FRONTEND_NEXT

case_ "next: a pages router server chunk deleted, and more"
D=$(copy_case next-prod pages-ssr)
rm "$D/.next/server/pages/ssr.js" "$D/.next/server/pages/_document.js" "$D/.next/server/app/about/page.js"
run_probe --format json "frontend:$D"
expect_rc 1
expect_out '"error":"3 files missing from the build, first: .next/server/pages/(ssr|_document).js".*"missing":3,'

case_ "next: BUILD_ID deleted"
D=$(copy_case next-prod build-id)
rm "$D/.next/BUILD_ID"
run_probe --format json "frontend:$D"
expect_rc 1
expect_out '"error":"1 file missing from the build: .next/BUILD_ID".*"first_missing":".next/BUILD_ID".*"hint":"the Next.js build is incomplete'

case_ "next: a static chunk deleted"
D=$(copy_case next-prod static-chunk)
CHUNK=$(cd "$D" && ls .next/static/chunks/app/page-*.js | head -1)
rm "$D/$CHUNK"
run_probe --format json "frontend:$D"
expect_rc 1
expect_out "\"error\":\"1 file missing from the build: ${CHUNK//./\\.}\""

case_ "next: a manifest cut short"
D=$(copy_case next-prod truncated)
head -c 100 "$T_DIR/next-prod/.next/routes-manifest.json" >"$D/.next/routes-manifest.json"
run_probe --format json "frontend:$D"
expect_rc 1
expect_out '"error":".next/routes-manifest.json is not valid JSON: .* at byte 100"'
D=$(copy_case next-prod truncated-pages)
head -c 40 "$T_DIR/next-prod/.next/server/pages-manifest.json" >"$D/.next/server/pages-manifest.json"
run_probe --format json "frontend:$D"
expect_rc 1
expect_out '"error":".next/server/pages-manifest.json: not valid JSON: '

case_ "next: the dev .next again, without BUILD_ID but with server/ (kept from next dev)"
run_probe --format json "frontend:$T_DIR/next-dev" kind=next
expect_rc 1
expect_out '"error":"development build: .* has no BUILD_ID".*"hint":"a development build: run `next build`'

case_ "next: standalone output"
(cd "$N" && PROBE_NEXT_OUTPUT=standalone timed "next build (standalone)" "$T_DIR/next-standalone.log" \
	node_modules/.bin/next build)
rm -rf "$N/.next/cache"
[ -f "$N/.next/standalone/server.js" ] || die "next build wrote no .next/standalone/server.js"
run_probe --format json "frontend:$N"
expect_rc 1
expect_out "$LINE\"result\":\"fail\".*\"error\":\"[0-9]+ files missing from the build, first: .next/standalone/.next/static/.*\"hint\":\"\`next build\` does not do it: copy .next/static and public into .next/standalone"
expect_hint HINT_FRONTEND_NEXT_STANDALONE
cp -a "$N/.next/static" "$N/.next/standalone/.next/static"
run_probe --format json "frontend:$N"
expect_rc 1
expect_out '"error":"1 file missing from the build: .next/standalone/public/".*"hint":"`next build` does not do it: copy .next/static and public into .next/standalone'
cp -a "$N/public" "$N/.next/standalone/public"
run_probe --format json "frontend:$N"
expect_rc 0

case_ "next: standalone deployed as the Dockerfile of the Next docs does"
# COPY .next/standalone ./ ; COPY .next/static ./.next/static ; COPY public ./public
mkdir -p "$T_DIR/deploy"
cp -a "$N/.next/standalone/." "$T_DIR/deploy/"
rm -rf "$T_DIR/deploy/.next/static"
run_probe --format json "frontend:$T_DIR/deploy"
expect_rc 1
expect_out '"error":"[0-9]+ files missing from the build, first: .next/static/.*"hint":"`next build` does not do it: copy .next/static and public into .next/standalone'
cp -a "$N/.next/static" "$T_DIR/deploy/.next/static"
run_probe --format json "frontend:$T_DIR/deploy"
expect_rc 0

# --- Vite --------------------------------------------------------------------
install_app vite
V=$T_DIR/vite
mkdir -p "$V/public"
cat >"$V/index.html" <<'EOF'
<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <link rel="icon" type="image/svg+xml" href="/vite.svg" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>probe fixture</title>
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="/main.js"></script>
  </body>
</html>
EOF
cat >"$V/main.js" <<'EOF'
import './style.css'
import { setupCounter } from './counter.js'
document.querySelector('#app').innerHTML = `<button id="counter" type="button"></button>`
setupCounter(document.querySelector('#counter'))
EOF
cat >"$V/counter.js" <<'EOF'
export function setupCounter(element) {
  let counter = 0
  const set = (n) => { counter = n; element.innerHTML = `count is ${counter}` }
  element.addEventListener('click', () => set(counter + 1))
  set(0)
}
EOF
printf ':root { font-family: sans-serif; }\n#app { margin: 2rem; }\n' >"$V/style.css"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n' >"$V/public/vite.svg"

case_ "vite: a build passes"
(cd "$V" && timed "vite build" "$T_DIR/vite-build.log" node_modules/.bin/vite build)
run_probe --format json "frontend:$V"
expect_rc 0
expect_out "$LINE\"result\":\"pass\".*\"detail\":\\{\"kind\":\"vite\",\"missing\":0,\"checked\":4\\}"
run_probe --format json "frontend:$V/dist" kind=static
expect_rc 0
expect_out '"kind":"static","missing":0,"checked":4'
mkdir -p "$T_DIR/vite-prod"
cp -a "$V/dist" "$T_DIR/vite-prod/dist"

case_ "vite: a referenced asset deleted"
D=$(copy_case vite-prod asset)
JS=$(cd "$D" && ls dist/assets/*.js | head -1)
rm "$D/$JS"
run_probe --format json "frontend:$D"
expect_rc 1
expect_out "$LINE\"result\":\"fail\".*\"error\":\"1 file missing from the build: ${JS//./\\.}\".*\"detail\":\\{\"kind\":\"vite\",\"missing\":1,\"first_missing\":\"${JS//./\\.}\",\"checked\":4\\}.*\"hint\":\"the build output is incomplete: \`vite build\` \\(npm run build\\)"
expect_hint HINT_FRONTEND_VITE

case_ "vite: an interrupted build (dist emptied, partly written)"
D=$(copy_case vite-prod partial)
rm "$D/dist/index.html" "$D/dist/vite.svg"
run_probe --format json "frontend:$D"
expect_rc 1
expect_out '"error":"1 file missing from the build: dist/index.html"'
rm -rf "$D/dist"/*
run_probe --format json "frontend:$D"
expect_rc 1
expect_out '"error":"1 file missing from the build: dist/index.html"'

case_ "vite: .vite/manifest.json and base=/app/"
(cd "$V" && timed "vite build --manifest --base /app/" "$T_DIR/vite-build2.log" \
	node_modules/.bin/vite build --manifest --base /app/)
[ -f "$V/dist/.vite/manifest.json" ] || die "vite wrote no dist/.vite/manifest.json"
grep -q 'src="/app/assets/' "$V/dist/index.html" || die "vite ignored --base"
run_probe --format json "frontend:$V"
expect_rc 0
expect_out '"kind":"vite","missing":0,"checked":[4-9]'
CSS=$(cd "$V" && ls dist/assets/*.css | head -1)
rm "$V/$CSS"
run_probe --format json "frontend:$V"
expect_rc 1
# Named by index.html (as written, under the base) and by the manifest.
expect_out '"error":"2 files missing from the build, first: dist/app/assets/index-[^"]*\.css".*"missing":2,'
rm "$V/dist/index.html"
run_probe --format json "frontend:$V"
expect_rc 1
expect_out "\"error\":\"2 files missing from the build, first: dist/index.html\""

case_ "static: a plain folder with index.html"
S=$T_DIR/static-site
mkdir -p "$S/css"
printf '<html><head><link rel="stylesheet" href="css/site.css"><script src="https://cdn.example/x.js"></script></head></html>\n' >"$S/index.html"
echo 'body{}' >"$S/css/site.css"
run_probe --format json "frontend:$S"
expect_rc 0
expect_out '"kind":"static","missing":0,"checked":2'
rm "$S/css/site.css"
run_probe --format json "frontend:$S"
expect_rc 1
expect_out '"error":"1 file missing from the build: css/site.css".*"hint":"the site was copied incompletely'
expect_hint HINT_FRONTEND_STATIC

# --- Reflex (fixtures: see the header) -----------------------------------------
reflex08() { # DIR: .web/build/client as Reflex 0.8's build() leaves it
	local c=$1/.web/build/client
	mkdir -p "$c/assets" "$c/about"
	cat >"$c/index.html" <<'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>
<link rel="modulepreload" href="/assets/manifest-5a1d2c3b.js"/>
<link rel="modulepreload" href="/assets/entry.client-Bc9dE1fA.js"/>
<link rel="stylesheet" href="/assets/root-Cq8Zx1Yw.css"/>
<link rel="icon" href="/favicon.ico" type="image/x-icon"/>
</head><body><script>window.__reactRouterContext = {"url":"/"};</script>
<script type="module" async="">import "/assets/manifest-5a1d2c3b.js";</script></body></html>
EOF
	for f in manifest-5a1d2c3b.js entry.client-Bc9dE1fA.js root-Cq8Zx1Yw.css; do echo "/*$f*/" >"$c/assets/$f"; done
	echo ico >"$c/favicon.ico"
	cp "$c/index.html" "$c/about/index.html"
	cp "$c/index.html" "$c/about.html"
	cp "$c/index.html" "$c/404.html"
}

case_ "reflex 0.8: .web/build/client"
R=$T_DIR/reflex08
reflex08 "$R"
run_probe --format json "frontend:$R"
expect_rc 0
expect_out "$LINE\"result\":\"pass\".*\"detail\":\\{\"kind\":\"reflex\",\"missing\":0,\"checked\":6\\}"
rm "$R/.web/build/client/assets/entry.client-Bc9dE1fA.js"
run_probe --format json "frontend:$R"
expect_rc 1
expect_out '"error":"1 file missing from the build: .web/build/client/assets/entry.client-Bc9dE1fA.js".*"kind":"reflex".*"hint":"the Reflex frontend is not built: run `reflex export` \(or `reflex run --env prod`\)'
expect_hint HINT_FRONTEND_REFLEX
rm "$R/.web/build/client/404.html"
run_probe --format json "frontend:$R/.web" kind=reflex
expect_rc 1
expect_out '"error":"2 files missing from the build, first: build/client/404.html"'

case_ "reflex: REFLEX_WEB_WORKDIR names the .web folder"
R2=$T_DIR/reflex-elsewhere
reflex08 "$T_DIR/moved"
mkdir -p "$R2"
REFLEX_WEB_WORKDIR=$T_DIR/moved/.web run_probe --format json "frontend:$R2" kind=reflex
expect_rc 0
run_probe --format json "frontend:$R2" kind=reflex
expect_rc 1
expect_out '"error":"no Reflex production build: .web has neither build/client \(0.8\) nor _static \(0.7\)"'

case_ "reflex 0.7: .web/_static"
R=$T_DIR/reflex07
mkdir -p "$R/.web/_static/_next/static/chunks/pages" "$R/.web/_static/_next/static/css"
cat >"$R/.web/_static/index.html" <<'EOF'
<!DOCTYPE html><html><head><link rel="preload" href="/_next/static/css/7e1a.css" as="style"/>
<link rel="stylesheet" href="/_next/static/css/7e1a.css" data-n-g=""/>
<script defer="" nomodule="" src="/_next/static/chunks/polyfills-78c92fac7aa8fdd8.js"></script>
<script src="/_next/static/chunks/webpack-1a2b.js" defer=""></script>
<script src="/_next/static/chunks/pages/index-3c4d.js" defer=""></script></head><body></body></html>
EOF
for f in css/7e1a.css chunks/polyfills-78c92fac7aa8fdd8.js chunks/webpack-1a2b.js chunks/pages/index-3c4d.js; do
	echo x >"$R/.web/_static/_next/static/$f"
done
cp "$R/.web/_static/index.html" "$R/.web/_static/404.html"
run_probe --format json "frontend:$R"
expect_rc 0
expect_out '"kind":"reflex","missing":0,"checked":6'
rm "$R/.web/_static/_next/static/chunks/webpack-1a2b.js"
run_probe --format json "frontend:$R"
expect_rc 1
expect_out '"error":"1 file missing from the build: .web/_static/_next/static/chunks/webpack-1a2b.js"'

case_ "reflex: frontend.zip from reflex export"
Z=$T_DIR/reflex-zip
reflex08 "$Z"
(cd "$Z/.web/build/client" && "$PYTHON" -c '
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk("."):
        for f in files:
            z.write(os.path.join(root, f))
' "$Z/frontend.zip")
run_probe --format json "frontend:$Z"
expect_rc 0
expect_out '"kind":"reflex","missing":0,"checked":7'
rm -rf "$Z/.web"
run_probe --format json "frontend:$Z"
expect_rc 0
SIZE=$(stat -c %s "$Z/frontend.zip")
head -c $((SIZE - 30)) "$Z/frontend.zip" >"$Z/cut.zip" && mv "$Z/cut.zip" "$Z/frontend.zip"
run_probe --format json "frontend:$Z"
expect_rc 1
expect_out "\"error\":\"frontend.zip is not a complete zip archive \\($((SIZE - 30)) bytes\\)\".*\"hint\":\"not a complete zip: \`reflex export\` was cut off"
expect_hint HINT_FRONTEND_ZIP

case_ "reflex: .web from reflex run in dev mode (no build)"
R=$T_DIR/reflex-dev
mkdir -p "$R/.web/app/routes" "$R/.web/node_modules"
echo '{}' >"$R/.web/package.json"
run_probe --format json "frontend:$R"
expect_rc 1
expect_out '"error":"no Reflex production build: .web has neither build/client \(0.8\) nor _static \(0.7\)".*"kind":"reflex"'

case_ "frontend: bounded - at most 50000 files, and the deadline"
B=$T_DIR/big-site
mkdir -p "$B/a"
"$PYTHON" - "$B" <<'PY'
import os, sys
root = sys.argv[1]
with open(os.path.join(root, "index.html"), "w") as f:
    f.write("".join('<script src="/a/%d.js"></script>' % i for i in range(50100)))
for i in range(50100):
    open(os.path.join(root, "a", "%d.js" % i), "w").close()
PY
run_probe --format json --timeout 10s "frontend:$B"
expect_rc 0
expect_out '"kind":"static","missing":0,"checked":50001\}.*"warning":"checked 50001 files, then stopped at the limit of 50000 references: 100 more were not looked up"'
run_probe --format json --timeout 5s "frontend:$B" timeout=5ms
expect_rc 1
expect_out '"error":"stopped at the deadline after checking [0-9]+ files".*"hint":"the build holds more files than the time allows to check'
expect_hint HINT_FRONTEND_SLOW
expect_ms_below 1000

# --- usage and nothing there ---------------------------------------------------
case_ "frontend: no build, no folder, usage"
mkdir -p "$T_DIR/empty"
run_probe --format json "frontend:$T_DIR/empty"
expect_rc 1
expect_out "\"error\":\"no frontend build: no .next, .web, frontend.zip, dist or index.html in ${T_DIR//./\\.}/empty\".*\"detail\":\\{\"kind\":\"auto\",\"missing\":0,\"checked\":0\\}.*\"hint\":\"no frontend build here"
expect_hint HINT_FRONTEND_NONE
run_probe --format json "frontend:$T_DIR/nope"
expect_rc 1
expect_out '"error":".*/nope: No such file or directory"'
run_probe --format json "frontend:$T_DIR/static-site/index.html"
expect_rc 1
expect_out '"error":".*/index.html: not a directory"'
run_probe --format json "frontend:$T_DIR/empty" kind=angular
expect_rc 64
expect_out 'kind=angular: expected auto, next, reflex, vite or static'
run_probe --format json frontend:
expect_rc 64
run_probe --format json "frontend:$T_DIR/empty" depth=3
expect_rc 64

finish
