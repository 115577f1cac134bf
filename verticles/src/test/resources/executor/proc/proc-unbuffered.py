import time

# No flush: the line must reach stdout.log while the bot still runs, thanks to PYTHONUNBUFFERED.
print("hello from python")
time.sleep(1000)
