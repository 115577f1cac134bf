#!/bin/sh
# Ignores SIGTERM, and so does its child: only SIGKILL ends them.
trap '' TERM
sh -c "trap '' TERM; while true; do sleep 0.1; done" &
echo "ignoring TERM"
while true; do sleep 0.1; done
