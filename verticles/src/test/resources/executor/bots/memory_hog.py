# Allocates about 200 MB and keeps it.
import time
block = bytearray(200 * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1
print("holding 200 MB", flush=True)
while True:
    time.sleep(1)
