# Prints a numbered line every 100 ms, burning a little CPU between lines.
import itertools
import sys
import time
for n in itertools.count():
    print(f"tick {n}", flush=True)
    end = time.time() + 0.05
    while time.time() < end:
        pass
    time.sleep(0.05)
