#!/usr/bin/env bash
# Install the Debian packages the test suite needs, listed in scripts/system-packages.txt.
#
#   scripts/system-packages.sh              # every package of the list
#   scripts/system-packages.sh nginx-light  # only these (each must be in the list)
#
# Idempotent: packages already installed are skipped, and `apt-get update` runs only
# when something is missing. Needs root or passwordless sudo. When it cannot install,
# it prints a notice and exits 0 (the tests needing those packages skip), except under
# CI=true, where that is an error.
set -uo pipefail

list="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/system-packages.txt"

in_ci() { [[ "${CI:-}" =~ ^([Tt]rue|TRUE|1)$ ]]; }

give_up() {
    if in_ci; then
        echo "system-packages: ERROR: $*" >&2
        exit 1
    fi
    printf '\n*** system-packages: NOTICE: %s\n*** Tests that need these packages will be skipped.\n\n' "$*" >&2
    exit 0
}

installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'; }

[[ -r "$list" ]] || give_up "cannot read $list"
mapfile -t wanted < <(awk '{ sub(/#.*/, "") } NF { print $1 }' "$list")
if (($# > 0)); then
    for pkg in "$@"; do
        [[ " ${wanted[*]} " == *" $pkg "* ]] || { echo "system-packages: $pkg is not in $list" >&2; exit 2; }
    done
    wanted=("$@")
fi

command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
    || give_up "not a Debian-like system (no dpkg/apt-get); install by hand: ${wanted[*]}"

missing=()
for pkg in "${wanted[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
    echo "system-packages: all ${#wanted[@]} installed (${wanted[*]})"
    exit 0
fi

if [[ "$(id -u)" == 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    give_up "not root and no passwordless sudo; run: sudo apt-get install -y --no-install-recommends ${missing[*]}"
fi

echo "system-packages: installing ${missing[*]}"
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
"${apt[@]}" update -q </dev/null || give_up "apt-get update failed"
"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" </dev/null \
    || give_up "apt-get install failed for: ${missing[*]}"

still=()
for pkg in "${missing[@]}"; do
    installed "$pkg" || still+=("$pkg")
done
((${#still[@]} == 0)) || give_up "still not installed: ${still[*]}"
echo "system-packages: installed ${missing[*]}"
