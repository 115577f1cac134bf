#!/bin/sh
# Ignores SIGTERM, and so does its grandchild (an ignored signal stays ignored across fork and exec).
trap '' TERM
sh -c 'while true; do sleep 0.1; done' &
echo started
while true; do sleep 0.1; done
