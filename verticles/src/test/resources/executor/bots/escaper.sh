#!/bin/sh
# Double fork: the grandchild `sleep` leaves this session (setsid) and is re-parented to init when
# its parent exits, so neither the process group nor the parentage leads to it any more.
# With "exit" as $1 the bot then ends itself, leaving the grandchild behind.
setsid sh -c 'sleep 600 & echo $! > escaped.pid'
echo "escaped"
if [ "$1" = "exit" ]; then
  exit 0
fi
exec sleep 600
