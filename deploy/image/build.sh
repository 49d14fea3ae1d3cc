#!/usr/bin/env bash
# Builds the container image of `tp serve` from Debian packages and this repository, with no image registry:
#   1. a Debian base with a Java 17 runtime, curl (the health check) and the user tp (uid 10001), by mmdebstrap;
#   2. `podman import` of that root file system as the base image;
#   3. the image on top (Containerfile): the tp distribution of tp-cli in /usr/local/tp, the entrypoint tp-serve.
# The build runs no container (no RUN step), so it works where containers cannot start.
#
#   deploy/image/build.sh [IMAGE]        IMAGE defaults to localhost/tp-serve:latest
#
# Needs root (or podman's rootless setup), mmdebstrap and podman (Debian: apt-get install mmdebstrap podman), and
# a Debian mirror (MIRROR, default http://deb.debian.org/debian; SUITE, default bookworm). Builds the tp
# distribution (mvn -B -pl tp-cli -am package -DskipTests) when tp-cli/target has none for this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

image=${1:-localhost/tp-serve:latest}
suite=${SUITE:-bookworm}
mirror=${MIRROR:-http://deb.debian.org/debian}
base=localhost/tp-base:$suite

for tool in mmdebstrap podman; do
    command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (Debian: apt-get install $tool)" >&2; exit 1; }
done
case $(uname -m) in
    x86_64) platform=linux-x86_64 ;;
    aarch64) platform=linux-aarch64 ;;
    *) echo "build.sh: no CPU libtorch for $(uname -m) (linux-x86_64 and linux-aarch64 only)" >&2; exit 1 ;;
esac
distribution=$(ls tp-cli/target/tp-*-"$platform".tar 2>/dev/null | head -n 1 || true)
if [ -z "$distribution" ]; then
    mvn -B -q -pl tp-cli -am package -DskipTests
    distribution=$(ls tp-cli/target/tp-*-"$platform".tar | head -n 1)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== base: Debian $suite with openjdk-17-jre-headless (mmdebstrap from $mirror)"
mmdebstrap --variant=minbase --include=openjdk-17-jre-headless,curl,ca-certificates,passwd \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' `# the JRE's post-install needs it; man pages are left out` \
    --customize-hook='chroot "$1" useradd --system --uid 10001 --user-group --create-home --home-dir /home/tp tp' \
    --customize-hook='mkdir -p "$1/models" "$1/cache/huggingface" && chown 10001:10001 "$1/models" "$1/cache/huggingface"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$suite" "$work/base.tar" "$mirror"
podman import --message "Debian $suite, openjdk-17-jre-headless, user tp" "$work/base.tar" "$base"

echo "== image: $image from $distribution"
mkdir "$work/context"
tar -xf "$distribution" -C "$work/context"
mv "$work/context"/tp-* "$work/context/tp"
cp deploy/image/tp-serve "$work/context/tp-serve"
podman build --format docker --build-arg "BASE=$base" -f deploy/image/Containerfile -t "$image" "$work/context"
podman image inspect --format '{{.Id}} {{.Size}} bytes' "$image"
