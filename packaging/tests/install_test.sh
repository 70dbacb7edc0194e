#!/usr/bin/env bash
# The packages' install test (./dev package --install-test): installs the built .debs into a clean
# Debian 12 root made with debootstrap, with apt resolving their dependencies from the Debian mirror, and
# checks what a user would do first: retaind --version, a started daemon answering `retainctl health`,
# the desktop client's screenshot mode under QT_QPA_PLATFORM=offscreen; then purges the packages and
# checks that the learner's database is untouched.
#
#   packaging/tests/install_test.sh [--bootstrap-only] DEB_DIR [CACHE_DIR]
#
# CACHE_DIR (default build/install-test) keeps the bootstrapped root as a tarball, so a rerun starts in
# seconds instead of minutes; delete it to bootstrap again. Needs root (chroot, mount) and debootstrap.
set -euo pipefail

MIRROR=${RETAIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${RETAIN_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm

log() { printf '\033[1m--> %s\033[0m\n' "$*" >&2; }
die() { printf 'install test: FAILED: %s\n' "$*" >&2; exit 1; }

bootstrap_only=0
if [ "${1:-}" = "--bootstrap-only" ]; then bootstrap_only=1; shift; fi
[ $# -ge 1 ] || die "usage: $0 [--bootstrap-only] DEB_DIR [CACHE_DIR]"
deb_dir=$(readlink -f "$1")
cache=$(readlink -m "${2:-build/install-test}")
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mount)"
command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"

mkdir -p "$cache"
tarball="$cache/debian12-minbase.tar"
if [ ! -f "$tarball" ]; then
  log "bootstrapping a minimal Debian 12 ($SUITE) root from $MIRROR (once; cached in $tarball)"
  fresh="$cache/bootstrap"
  rm -rf "$fresh"
  debootstrap --variant=minbase "$SUITE" "$fresh" "$MIRROR" >"$cache/debootstrap.log" 2>&1 ||
    die "debootstrap failed; see $cache/debootstrap.log"
  # The same suites as a normal installation, so the packages' dependency versions resolve.
  cat >"$fresh/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
SOURCES
  rm -rf "$fresh/var/cache/apt/archives/"*.deb
  tar -C "$fresh" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf "$fresh"
fi
[ "$bootstrap_only" -eq 1 ] && { log "root cached in $tarball"; exit 0; }

shopt -s nullglob
debs=("$deb_dir"/retain-*.deb)
[ ${#debs[@]} -gt 0 ] || die "no retain-*.deb in $deb_dir (run ./dev package first)"

root=$(mktemp -d "$cache/root.XXXXXX")
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  if [ "${RETAIN_KEEP_ROOT:-0}" = 1 ]; then log "root kept in $root"; else rm -rf "$root"; fi
}
trap cleanup EXIT
log "unpacking a clean root in $root"
tar -C "$root" -xf "$tarball"
for m in proc dev dev/pts; do
  case $m in
    proc) mount -t proc proc "$root/proc" ;;
    dev) mount --bind /dev "$root/dev" ;;
    dev/pts) mount -t devpts devpts "$root/dev/pts" 2>/dev/null || continue ;;
  esac
  mounted+=("$root/$m")
done
cp /etc/resolv.conf "$root/etc/resolv.conf"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
# As an ordinary user with a private runtime directory, like a desktop session.
as_user() {
  chroot --userspec=learner:learner "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/home/learner \
    USER=learner LANG=C.UTF-8 XDG_RUNTIME_DIR=/run/user/1000 QT_QPA_PLATFORM=offscreen "$@"
}

mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"
log "installing ${debs[*]##*/} with apt (dependencies from the mirror)"
in_root apt-get update -qq >"$cache/apt.log" 2>&1 || die "apt-get update failed; see $cache/apt.log"
in_debs=()
for d in "${debs[@]}"; do in_debs+=("/tmp/debs/${d##*/}"); done
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${in_debs[@]}" \
  >>"$cache/apt.log" 2>&1 || die "apt-get install failed; see $cache/apt.log"

log "checking the installed files"
for f in /usr/bin/retaind /usr/bin/retainctl /usr/bin/retain /etc/retain/retaind.conf \
  /usr/lib/systemd/user/retaind.service /usr/share/applications/io.github.retain.Retain.desktop \
  /usr/share/metainfo/io.github.retain.Retain.metainfo.xml /usr/share/man/man1/retaind.1.gz \
  /usr/share/man/man1/retainctl.1.gz /usr/share/icons/hicolor/scalable/apps/io.github.retain.Retain.svg \
  /usr/share/icons/hicolor/256x256/apps/io.github.retain.Retain.png /usr/share/retain/content/blueprints \
  /usr/share/doc/retain-daemon/copyright /usr/share/doc/retain-desktop/changelog.Debian.gz; do
  [ -e "$root$f" ] || die "$f is missing after installation"
done
in_root dpkg-query -W -f='${Conffiles}\n' retain-daemon | grep -q /etc/retain/retaind.conf ||
  die "/etc/retain/retaind.conf is not a conffile of retain-daemon"

in_root useradd --create-home --uid 1000 --shell /bin/sh learner
install -d -m 0700 -o 1000 -g 1000 "$root/run/user/1000"

version=$(as_user retaind --version) || die "retaind --version failed"
log "retaind --version: $version"
[[ "$version" == "retaind "[0-9]* ]] || die "unexpected version line: $version"

log "starting retaind as the user, on its defaults (socket, data dir, installed content)"
as_user retaind >"$cache/retaind.log" 2>&1 &
daemon_pid=$!
stop_daemon() { kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true; }
trap 'stop_daemon; cleanup' EXIT
for _ in $(seq 1 150); do
  as_user retainctl health >/dev/null 2>&1 && break
  kill -0 "$daemon_pid" 2>/dev/null || die "retaind exited during start-up: $(tail -3 "$cache/retaind.log")"
  sleep 0.2
done
health=$(as_user retainctl health) || die "retainctl health failed: $health"
log "retainctl health: $health"
as_user retainctl today >/dev/null || die "retainctl today failed (learner data not created)"

log "rendering the desktop client's screens (retain --screenshot, offscreen)"
shots=$(as_user retain --screenshot /home/learner/shots) || die "retain --screenshot failed: $shots"
pngs=("$root"/home/learner/shots/*.png)
[ ${#pngs[@]} -ge 1 ] || die "retain --screenshot wrote no PNG files"
for p in "${pngs[@]}"; do
  head -c 8 "$p" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' || die "${p##*/} is not a PNG file"
done
log "screenshots: ${#pngs[@]} PNG files (${pngs[*]##*/})"

stop_daemon
trap cleanup EXIT
data=$root/home/learner/.local/share/retain
db=$data/retain.db
[ -s "$db" ] || die "the learner's database ${db#"$root"} was not created"
# The database with its write-ahead log, whatever files the daemon left.
data_hash() { (cd "$data" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
before=$(data_hash)

log "purging the packages"
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y retain-daemon retain-desktop retain-content-mls-c01 \
  >>"$cache/apt.log" 2>&1 || die "apt-get purge failed; see $cache/apt.log"
for f in /usr/bin/retaind /usr/bin/retain /etc/retain/retaind.conf /usr/share/retain/content; do
  [ ! -e "$root$f" ] || die "$f is still there after purging"
done
[ -s "$db" ] || die "purging the packages removed the learner's database"
[ "$(data_hash)" = "$before" ] || die "purging the packages changed the learner's data in ${data#"$root"}"
log "user data intact after purge: ${data#"$root"}: $(cd "$data" && find . -type f -printf '%P (%s bytes) ' ), same sha256"
echo "install test: PASSED (${#debs[@]} packages; version '$version'; health '$health'; ${#pngs[@]} screenshots; user data intact)"
