# Reads itself once (GET /api/v1/self) and prints what it got, then sends a heartbeat every 200 ms,
# all with its own CODEX32_BOT_TOKEN against CODEX32_API_URL.
import json
import os
import time
import urllib.request

API = os.environ["CODEX32_API_URL"]
TOKEN = os.environ["CODEX32_BOT_TOKEN"]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + TOKEN)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read().decode()


# the first heartbeat at once: the watchdog's grace period is heartbeat_timeout_s from the start
status, _ = call("POST", "/api/v1/self/heartbeat", {"status": "starting"})
print("heartbeat", status, flush=True)
status, text = call("GET", "/api/v1/self")
me = json.loads(text)
print("self", status, json.dumps({"id": me["bot"]["id"], "command": me["bot"]["command"],
                                  "heartbeat_timeout_s": me["bot"]["heartbeat_timeout_s"],
                                  "status": me["bot"]["status"], "has_history": "metrics_history" in me}), flush=True)
print("mqtt", os.environ.get("CODEX32_MQTT_URL"), flush=True)
n = 0
while True:
    n += 1
    try:
        call("POST", "/api/v1/self/heartbeat", {"status": "beat %d" % n, "metrics": {"beats": n}})
    except Exception as e:  # keep beating; the test reads the log when something goes wrong
        print("heartbeat failed", e, flush=True)
    time.sleep(0.2)
