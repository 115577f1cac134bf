#!/bin/sh
# Prints a line, then exits with the code given as $1.
echo "run starting, will exit with $1"
echo "about to exit" >&2
exit "$1"
