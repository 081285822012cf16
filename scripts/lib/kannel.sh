# Starts Kannel (bearerbox, smsbox) with its fake SMSC on loopback in a directory of its own,
# and exports where Passage's tests find it. Sourced by scripts/test and scripts/with-kannel.
#   start_kannel DIR    stop_kannel DIR
start_kannel() {
  local dir=$1
  local admin=${PASSAGE_TEST_KANNEL_ADMIN_PORT:-53000} box=${PASSAGE_TEST_KANNEL_BOX_PORT:-53001}
  local smsc=${PASSAGE_TEST_KANNEL_SMSC_PORT:-53010} send=${PASSAGE_TEST_KANNEL_SEND_PORT:-53013}
  local password="kannel-$RANDOM$RANDOM" admin_password="admin-$RANDOM$RANDOM"
  mkdir -p "$dir"
  cat > "$dir/kannel.conf" <<CONF
group = core
admin-port = $admin
admin-password = $admin_password
admin-allow-ip = 127.0.0.1
smsbox-port = $box
box-allow-ip = 127.0.0.1
log-file = $dir/bearerbox.log
log-level = 1
access-log = $dir/access.log
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
host = 127.0.0.1
port = $smsc
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $box
sendsms-port = $send
sendsms-interface = 127.0.0.1
log-file = $dir/smsbox.log
log-level = 1

group = sendsms-user
username = passage
password = $password
concatenation = true
max-messages = 10
CONF
  chmod 600 "$dir/kannel.conf"
  bearerbox "$dir/kannel.conf" > "$dir/bearerbox.out" 2>&1 & echo $! > "$dir/bearerbox.pid"
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$admin/status.txt?password=$admin_password" >/dev/null 2>&1 && break; sleep 0.2; done
  smsbox "$dir/kannel.conf" > "$dir/smsbox.out" 2>&1 & echo $! > "$dir/smsbox.pid"
  for _ in $(seq 1 50); do curl -s "http://127.0.0.1:$send/" >/dev/null 2>&1 && break; sleep 0.2; done
  /usr/lib/kannel/test/fakesmsc -H 127.0.0.1 -r "$smsc" -m 0 "0 0 text none" > "$dir/fakesmsc.log" 2>&1 & echo $! > "$dir/fakesmsc.pid"
  for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$admin/status.txt?password=$admin_password" 2>/dev/null | grep -q "fake.*online" && break; sleep 0.2
  done
  curl -fs "http://127.0.0.1:$admin/status.txt?password=$admin_password" | grep -q "fake.*online" || { echo "Kannel did not come up"; tail -n 20 "$dir"/*.log "$dir"/*.out; return 1; }
  export PASSAGE_TEST_KANNEL_URL="http://127.0.0.1:$send/cgi-bin/sendsms"
  export PASSAGE_TEST_KANNEL_USER=passage PASSAGE_TEST_KANNEL_PASSWORD="$password"
  export PASSAGE_TEST_FAKESMSC_LOG="$dir/fakesmsc.log"
}

stop_kannel() {
  local dir=$1 pid
  for p in fakesmsc smsbox bearerbox; do
    [ -f "$dir/$p.pid" ] || continue
    pid=$(cat "$dir/$p.pid")
    kill "$pid" 2>/dev/null || true
    # Wait for it to let go of its ports, so the next start finds them free.
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  return 0
}
