#!/bin/sh
# Two grandchildren in the bot's process group, and one that left it for a session of its own.
sleep 1000 &
sleep 1000 &
setsid sleep 1000 &
echo started
wait
