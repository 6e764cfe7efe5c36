#!/usr/bin/env bash
# CI lane: every fuzz target for a short bounded time (12 s each unless EAPHOST_FUZZ_SECONDS
# says otherwise), ASan + UBSan; any finding fails the lane.
set -uo pipefail
cd "$(dirname "$0")/../.."
EAPHOST_FUZZ_SECONDS=${EAPHOST_FUZZ_SECONDS:-12} exec bash scripts/dev/fuzz.sh
