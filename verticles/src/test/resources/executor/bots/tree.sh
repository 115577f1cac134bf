#!/bin/sh
# A bot with two grandchildren that all keep running until signalled.
sleep 1000 &
sleep 1000 &
echo "children started"
wait
