#!/usr/bin/env bash
# Build the repository's Dockerfile with podman on a machine that has no Docker engine and
# no registry to pull python:3.11-slim from: the base is made here from Debian's packages
# (mmdebstrap), kept in podman's storage, and handed to the very same Dockerfile through its
# PYTHON_IMAGE build argument. On a machine with Docker, `docker build .` is all it takes.
#
#   scripts/build-image.sh [IMAGE]      (default fakeauth:dev; prints the image's name)
#
# Needs root (mmdebstrap and podman's storage), podman and mmdebstrap: on Debian,
# `apt-get install podman runc mmdebstrap`. The base is rebuilt only when BASE_IMAGE
# names one that is not in storage yet (about two minutes); each later build takes seconds
# plus the dependencies' download.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${1:-fakeauth:dev}
# Bump the tag when the recipe below changes, so a stale base is not reused.
BASE_IMAGE=${BASE_IMAGE:-localhost/fakeauth-base:python3-bookworm-1}
# The CA bundle this machine trusts. Where the package registries are reached through a
# proxy that presents its own certificate, pip inside the build needs it too.
CA_BUNDLE=${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}

for tool in podman mmdebstrap; do
    command -v "$tool" >/dev/null || { echo "build-image: $tool is not installed" >&2; exit 3; }
done

if ! podman image exists "$BASE_IMAGE"; then
    echo "build-image: making the base $BASE_IMAGE with mmdebstrap" >&2
    # The same Debian mirror as this machine's apt, and no host name written here.
    sources=/etc/apt/sources.list.d/debian.sources
    [ -f "$sources" ] || sources=/etc/apt/sources.list
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    # What python:3.11-slim gives the Dockerfile: python3 (3.11 on bookworm) with venv and
    # pip, /bin/sh, useradd; documentation and translations left out to keep it small.
    mmdebstrap --quiet --variant=minbase --include=python3,python3-venv,ca-certificates \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --customize-hook="cp '$CA_BUNDLE' \"\$1/etc/ssl/certs/ca-certificates.crt\"" \
        bookworm "$rootfs/rootfs.tar" "$sources" </dev/null
    podman import --quiet \
        --change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
        --change 'CMD ["python3"]' \
        "$rootfs/rootfs.tar" "$BASE_IMAGE" >/dev/null
fi

# chroot isolation and the host's network: what works here without crun's cgroups.
# --format docker keeps the HEALTHCHECK, which the OCI image format has no field for.
podman build --quiet --isolation chroot --format docker --network host \
    --build-arg "PYTHON_IMAGE=$BASE_IMAGE" --tag "$IMAGE" . >/dev/null
echo "$IMAGE"
