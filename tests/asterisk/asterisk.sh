#!/usr/bin/env bash
# A real Asterisk for the integration tests: built once from upstream source into a cache folder
# outside the work tree, then started and stopped as throw-away instances on free loopback ports.
#
#   tests/asterisk/asterisk.sh build            build (or reuse) the cached install
#   tests/asterisk/asterisk.sh start [DIR]      start an instance in DIR (default: a new temp dir);
#                                               prints export lines for the integration tests
#   tests/asterisk/asterisk.sh stop DIR         stop that instance (DIR is kept; remove it yourself)
#   tests/asterisk/asterisk.sh restart DIR      stop and start it again on the same ports
#   tests/asterisk/asterisk.sh cli DIR 'cmd'    run one Asterisk CLI command against it
#
# Where the source comes from, in this order:
#   OBELUS_ASTERISK_PREFIX    an existing Asterisk install prefix (sbin/asterisk, lib/asterisk/modules):
#                             nothing is built, only instances are started from it
#   OBELUS_ASTERISK_TARBALL   an upstream Asterisk source tarball (asterisk-22.x.tar.gz or .tar.xz)
#   ../shared/asterisk/asterisk-22.10.1.tar.xz next to the repository (or next to the one it was
#                             cloned from), when present
# The cache lives in OBELUS_ASTERISK_CACHE (default ~/.cache/obelus-asterisk).
# To use an Asterisk that already runs elsewhere, skip this script and set the variables that
# `start` prints (OBELUS_ASTERISK_HOST, _PORT, _USER, _SECRET) yourself.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
version=22.10.1
# Bump when the build recipe below changes, so a cached build made the old way is rebuilt.
recipe=1
cache="${OBELUS_ASTERISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/obelus-asterisk}"

die() { echo "asterisk.sh: $*" >&2; exit 1; }
say() { echo "asterisk.sh: $*" >&2; }

prefix() {
  if [[ -n "${OBELUS_ASTERISK_PREFIX:-}" ]]; then
    echo "$OBELUS_ASTERISK_PREFIX"
  else
    echo "$cache/asterisk-$version-r$recipe"
  fi
}

find_tarball() {
  if [[ -n "${OBELUS_ASTERISK_TARBALL:-}" ]]; then
    [[ -f "$OBELUS_ASTERISK_TARBALL" ]] || die "OBELUS_ASTERISK_TARBALL=$OBELUS_ASTERISK_TARBALL does not exist"
    echo "$OBELUS_ASTERISK_TARBALL"
    return
  fi
  # Next to this checkout, or next to the checkout it was cloned from.
  local origin candidate
  origin="$(git -C "$repo" remote get-url origin 2>/dev/null || true)"
  for candidate in "$repo/.." "${origin:+$origin/..}"; do
    [[ -n "$candidate" && -f "$candidate/shared/asterisk/asterisk-$version.tar.xz" ]] || continue
    echo "$candidate/shared/asterisk/asterisk-$version.tar.xz"
    return
  done
  die "no Asterisk source found. Either
  - set OBELUS_ASTERISK_TARBALL to an upstream source tarball (https://downloads.asterisk.org/pub/telephony/asterisk/, version 22), or
  - set OBELUS_ASTERISK_PREFIX to the prefix of an Asterisk you already installed (it needs chan_iax2, app_dial, app_echo, app_confbridge, app_userevent, func_timeout, pbx_config), or
  - run the integration tests against any running Asterisk by setting OBELUS_ASTERISK_HOST, OBELUS_ASTERISK_PORT, OBELUS_ASTERISK_USER and OBELUS_ASTERISK_SECRET."
}

build_packages=(build-essential libedit-dev libjansson-dev libxml2-dev libsqlite3-dev uuid-dev libssl-dev pkg-config xz-utils)

install_build_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian system: make sure these are installed: ${build_packages[*]}"; return; }
  local missing=()
  for p in "${build_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return
  say "installing build packages: ${missing[*]}"
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Only what the dialplan in etc/ uses, so the build takes about a minute and never downloads.
menuselect_args=(
  --disable-category MENUSELECT_ADDONS --disable-category MENUSELECT_APPS
  --disable-category MENUSELECT_BRIDGES --disable-category MENUSELECT_CDR
  --disable-category MENUSELECT_CEL --disable-category MENUSELECT_CHANNELS
  --disable-category MENUSELECT_CODECS --disable-category MENUSELECT_FORMATS
  --disable-category MENUSELECT_FUNCS --disable-category MENUSELECT_PBX
  --disable-category MENUSELECT_RES --disable-category MENUSELECT_TESTS
  --disable-category MENUSELECT_UTILS --disable-category MENUSELECT_AGIS
  --disable-category MENUSELECT_CORE_SOUNDS --disable-category MENUSELECT_MOH
  --disable-category MENUSELECT_EXTRA_SOUNDS
  --enable pbx_config --enable chan_iax2 --enable app_dial --enable app_echo
  --enable app_confbridge --enable app_userevent --enable func_timeout --enable func_callerid
  --enable bridge_simple --enable bridge_softmix --enable bridge_holding --enable bridge_native_rtp
  --enable codec_ulaw --enable codec_alaw --enable codec_a_mu --enable res_timing_timerfd
  --enable res_manager_devicestate
  --enable DONT_OPTIMIZE --disable COMPILE_DOUBLE --disable BUILD_NATIVE
)

cmd_build() {
  local dest; dest="$(prefix)"
  if [[ -x "$dest/sbin/asterisk" && ( -n "${OBELUS_ASTERISK_PREFIX:-}" || -f "$dest/.obelus-built" ) ]]; then
    say "using $dest"
    return
  fi
  [[ -n "${OBELUS_ASTERISK_PREFIX:-}" ]] && die "OBELUS_ASTERISK_PREFIX=$dest has no sbin/asterisk"
  local tarball; tarball="$(find_tarball)"
  mkdir -p "$cache"
  exec 9>"$cache/.build.lock"
  flock 9
  if [[ -f "$dest/.obelus-built" ]]; then say "using $dest"; return; fi
  install_build_packages
  local work="$cache/build-$version-r$recipe"
  rm -rf "$work" "$dest"
  mkdir -p "$work"
  say "building Asterisk from $tarball into $dest (about a minute on 2 cores; log: $work/build.log)"
  local log="$work/build.log"
  (
    set -e
    cd "$work"
    tar -xf "$tarball" --strip-components=1
    ./configure --prefix="$dest" --without-pjproject-bundled --without-jansson-bundled \
      --without-libjwt-bundled --with-libedit
    make menuselect.makeopts
    menuselect/menuselect "${menuselect_args[@]}" menuselect.makeopts
    make -j"$(nproc)" DEBUG=
    make install DEBUG=
  ) >"$log" 2>&1 || { tail -n 40 "$log" >&2; die "build failed; see $log"; }
  touch "$dest/.obelus-built"
  rm -rf "$work"
  say "built $dest"
}

port_in_use() {
  # $1: port, $2: tcp|udp. /proc works without any extra tool.
  local hex; hex=$(printf '%04X' "$1")
  local files=(/proc/net/"$2" /proc/net/"$2"6)
  awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' "${files[@]}" 2>/dev/null
}

free_port() {
  local p tries=0
  while (( tries++ < 200 )); do
    p=$(( 20000 + RANDOM % 40000 ))
    port_in_use "$p" tcp || port_in_use "$p" udp || { echo "$p"; return; }
  done
  die "no free port found"
}

write_config() {
  local dir="$1" ami="$2" iax="$3" bin="$4"
  local etc="$dir/etc"
  rm -rf "$etc"
  mkdir -p "$etc" "$dir"/{lib,db,keys,spool,run,log,cache,agi}
  cp "$here"/etc/*.conf "$etc/"
  sed -i "s/^port = .*/port = $ami/" "$etc/manager.conf"
  sed -i -e "s/^bindaddr = .*/bindaddr = 127.0.0.1:$iax/" -e '/^bindport = /d' "$etc/iax.conf"
  sed -i "s#IAX2/guest@127.0.0.1/900#IAX2/guest@127.0.0.1:$iax/900#" "$etc/extensions.conf"
  cat >"$etc/asterisk.conf" <<EOF
[directories]
astetcdir => $etc
astmoddir => $bin/lib/asterisk/modules
astvarlibdir => $dir/lib
astdbdir => $dir/db
astkeydir => $dir/keys
astdatadir => $bin/var/lib/asterisk
astagidir => $dir/agi
astspooldir => $dir/spool
astrundir => $dir/run
astlogdir => $dir/log
astcachedir => $dir/cache
astsbindir => $bin/sbin

[options]
; Many calls at once in the tests: no limits from the defaults.
maxcalls = 0
; Each dialplan step and hangup in log/full, to tell a call the server never ended from one the
; client lost.
verbose = 3
EOF
  cat >"$dir/ports" <<EOF
AMI=$ami
IAX=$iax
EOF
}

ami_ready() {
  # The AMI answers with its banner once the manager is loaded.
  local port="$1" line=""
  { exec 8<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  IFS= read -r -t 2 line <&8 || true
  exec 8<&- 8>&-
  [[ "$line" == Asterisk\ Call\ Manager* ]]
}

launch() {
  local dir="$1" bin="$2" ami="$3"
  "$bin/sbin/asterisk" -C "$dir/etc/asterisk.conf" >"$dir/log/stdout.log" 2>&1
  local i
  for (( i = 0; i < 100; i++ )); do
    if ami_ready "$ami"; then return; fi
    sleep 0.2
  done
  tail -n 20 "$dir/log/stdout.log" "$dir/log/console" 2>/dev/null >&2 || true
  die "Asterisk in $dir did not open its AMI port $ami within 20 s"
}

print_env() {
  local dir="$1" ami="$2" iax="$3"
  cat <<EOF
export OBELUS_ASTERISK_HOST=127.0.0.1
export OBELUS_ASTERISK_PORT=$ami
export OBELUS_ASTERISK_USER=obelus
export OBELUS_ASTERISK_SECRET=obelus
export OBELUS_ASTERISK_LIMITED_USER=limited
export OBELUS_ASTERISK_LIMITED_SECRET=limited
export OBELUS_ASTERISK_IAX_PORT=$iax
export OBELUS_ASTERISK_DIR=$dir
export OBELUS_ASTERISK_CONTROL=$here/asterisk.sh
EOF
}

cmd_start() {
  local dir="${1:-}"
  cmd_build
  local bin; bin="$(prefix)"
  if [[ -z "$dir" ]]; then dir="$(mktemp -d "${TMPDIR:-/tmp}/obelus-asterisk.XXXXXX")"; fi
  mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
  local ami iax
  ami="$(free_port)"
  iax="$(free_port)"
  [[ "$iax" != "$ami" ]] || iax="$(free_port)"
  write_config "$dir" "$ami" "$iax" "$bin"
  launch "$dir" "$bin" "$ami"
  say "Asterisk $version running in $dir (AMI 127.0.0.1:$ami, IAX2 udp 127.0.0.1:$iax)"
  print_env "$dir" "$ami" "$iax" | tee "$dir/instance.env"
}

read_ports() {
  local dir="$1"
  [[ -f "$dir/ports" ]] || die "$dir is not an instance started by this script"
  # shellcheck disable=SC1091
  source "$dir/ports"
}

cmd_stop() {
  local dir="${1:?usage: asterisk.sh stop DIR}"
  read_ports "$dir"
  local bin; bin="$(prefix)"
  local pidfile="$dir/run/asterisk.pid" pid=""
  [[ -f "$pidfile" ]] && pid="$(cat "$pidfile")"
  "$bin/sbin/asterisk" -C "$dir/etc/asterisk.conf" -rx 'core stop now' >/dev/null 2>&1 || true
  local i
  for (( i = 0; i < 50; i++ )); do
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    say "Asterisk $pid did not stop within 5 s; killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  say "stopped the Asterisk in $dir"
}

cmd_restart() {
  local dir="${1:?usage: asterisk.sh restart DIR}"
  cmd_stop "$dir"
  read_ports "$dir"
  local bin; bin="$(prefix)"
  launch "$dir" "$bin" "$AMI"
  say "restarted the Asterisk in $dir"
}

cmd_cli() {
  local dir="${1:?usage: asterisk.sh cli DIR COMMAND}"
  "$(prefix)/sbin/asterisk" -C "$dir/etc/asterisk.conf" -rx "${2:?usage: asterisk.sh cli DIR COMMAND}"
}

case "${1:-}" in
  build) cmd_build ;;
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  restart) cmd_restart "${2:-}" ;;
  cli) cmd_cli "${2:-}" "${3:-}" ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
