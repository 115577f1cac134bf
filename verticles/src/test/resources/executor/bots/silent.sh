# Never sends a heartbeat itself; prints where MQTT is, then sleeps.
echo "mqtt=$CODEX32_MQTT_URL"
exec sleep 600
