#!/bin/sh
# Regenerates the media service's hold music, server/sfu/holdmusic.opus
# (needs libopus, as the app build does).
set -eu
cd "$(dirname "$0")/.."
go run ./scripts/holdmusic -o server/sfu/holdmusic.opus
