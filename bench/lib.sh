# Shared by the bench scripts (sourced, not run).

# Restarts the lab's Unbound for a cold cache: the same configuration, a new process. Args: LAB_DIR RESOLVER PORT.
restart_unbound() {
  local dir=$1 resolver=$2 port=$3 pidfile conf
  pidfile=$(find "$dir" -name 'unbound.pid' | head -1)
  conf="$dir/unbound/unbound.conf"
  kill "$(cat "$pidfile")" 2>/dev/null || true
  for _ in $(seq 50); do pgrep -x unbound >/dev/null || break; sleep 0.2; done
  setsid unbound -d -c "$conf" >> "$dir/unbound/unbound.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 100); do dig +time=1 +tries=1 @"$resolver" -p "$port" . SOA >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "unbound did not come back" >&2; exit 1
}

# The lab's resolver as "ADDRESS PORT", from its endpoints.json. Arg: ENDPOINTS.
lab_resolver() {
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['resolver']; print(r['address'], r['port'])" "$1"
}

# CPU seconds (user + system) a process has used so far. Arg: PID.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"
}

# CPU seconds a JVM's threads have used since it started, summed by thread name with digits dropped (the JIT's
# "C2 CompilerThread0" and "C1 CompilerThread0" both count as "CN CompilerThreN"), largest first. Arg: PID [LINES].
thread_cpu() {
  local hz t rest
  hz=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    rest=$(cat "$t/stat" 2>/dev/null) || continue
    rest=${rest##*) }
    # shellcheck disable=SC2086
    set -- $rest
    printf '%s\t%s\n' "$(sed 's/[0-9]\+/N/g' "$t/comm" 2>/dev/null)" "$(( ${12} + ${13} ))"
  done | awk -F'\t' -v hz="$hz" '{cpu[$1] += $2} END {for (k in cpu) printf "%8.1f %s\n", cpu[k] / hz, k}' | sort -rn | head -"${2:-8}"
}

# CPU seconds (user + system) a process, its live children and its reaped children have used so far. Postfix's master
# forks smtpd processes that live for many connections (max_use), so reaped children alone miss most of its CPU (the
# validation rows before 2026-12-05 counted only those). Arg: PID.
cpu_seconds_with_children() {
  local hz child
  hz=$(getconf CLK_TCK)
  { sed 's/^.*) /P /' "/proc/$1/stat"; for child in $(pgrep -P "$1"); do sed 's/^.*) /C /' "/proc/$child/stat" 2>/dev/null; done; } |
    awk -v hz="$hz" '$1 == "P" {t += $13 + $14 + $15 + $16} $1 == "C" {t += $13 + $14} END {printf "%.1f", t / hz}'
}

# "name pid" per line for the lab's servers (Unbound, PowerDNS, BIND, Postfix's master, and the registries' CDS scanner
# where the lab runs one). Arg: LAB_DIR.
lab_server_pids() {
  local dir=$1
  echo "unbound $(cat "$(find "$dir" -name unbound.pid | head -1)")"
  echo "powerdns $(pgrep -f "pdns_server --config-dir=.*$dir/powerdns" | head -1)"
  echo "registry-powerdns $(pgrep -f "pdns_server --config-dir=.*$dir/registry-dns" | head -1)"
  echo "bind $(pgrep -f "named .*$dir" | head -1)"
  echo "postfix $(cat "$dir/postfix/queue/pid/master.pid" | tr -d ' ')"
  [ -f "$dir/registry/cds-scanner.pid" ] && echo "cds-scanner $(cat "$dir/registry/cds-scanner.pid")"
  return 0
}

# The machine's CPU seconds so far from /proc/stat, as "BUSY IDLE" (busy: user, nice, system, irq, softirq, steal;
# idle: idle and iowait). Two readings' difference says whether a span left cores idle.
machine_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" {printf "%.1f %.1f\n", ($2 + $3 + $4 + $7 + $8 + $9) / hz, ($5 + $6) / hz}' /proc/stat
}

# "name pid cpu" for each "name pid" line on stdin whose process runs (cpu with reaped children), for a later cpu_used.
cpu_readings() {
  local name pid
  while read -r name pid; do
    [ -n "$pid" ] && [ -d "/proc/$pid" ] && echo "$name $pid $(cpu_seconds_with_children "$pid")"
  done
  return 0
}

# "name cpu" per line: the CPU seconds each process of a cpu_readings output (on stdin) has used since, while it still runs.
cpu_used() {
  local name pid before
  while read -r name pid before; do
    [ -n "$pid" ] && [ -d "/proc/$pid" ] && echo "$name $(awk -v a="$before" -v b="$(cpu_seconds_with_children "$pid")" 'BEGIN {printf "%.1f", b - a}')"
  done
  return 0
}

# "name pid cpu" per lab server (cpu with reaped children), for a later lab_cpu_since. Arg: LAB_DIR.
lab_cpu_now() {
  lab_server_pids "$1" | cpu_readings
}

# Prints each lab server's CPU seconds since a lab_cpu_now reading, and the machine's busy and idle CPU seconds since
# a machine_cpu reading, on one line. Args: LABEL "LAB_CPU_NOW OUTPUT" "MACHINE_CPU OUTPUT".
lab_cpu_since() {
  local label=$1 line name used parts=() busy0 idle0 busy1 idle1
  while read -r name used; do
    parts+=("$name $used")
  done < <(cpu_used <<< "$2")
  read -r busy0 idle0 <<< "$3"
  read -r busy1 idle1 < <(machine_cpu)
  line=$(IFS=,; echo "${parts[*]}")
  echo "$label: lab servers' CPU-s ${line//,/, }; machine busy $(awk -v a="$busy0" -v b="$busy1" 'BEGIN {printf "%.1f", b - a}') CPU-s, idle $(awk -v a="$idle0" -v b="$idle1" 'BEGIN {printf "%.1f", b - a}') CPU-s"
}

# "name pid" per line for the lab's mail sender: its Postfix master and its own Unbound (the endpoints' Postfix, which
# stores what it is sent, is lab_server_pids' "postfix"). Arg: LAB_DIR.
mail_sender_pids() {
  local dir=$1
  echo "mail-sender $(tr -d ' ' < "$dir/mail-sender/queue/pid/master.pid" 2>/dev/null || true)"
  echo "sender-unbound $(cat "$(find "$dir/mail-sender" -name 'unbound-sender.pid' | head -1)" 2>/dev/null || true)"
}

# Builds what the benches run with 'package' (jars and classes in each module's target/; nothing installed into the
# ~/.m2 that other worktrees share), writes each module's target/runtime.classpath (what ./mxshift reads, so that it
# does not build again), and the operator's test classpath (the bench tools) to FILE. Offline first. Arg: FILE.
build_for_bench() {
  local offline=-o
  ./mvnw -B -q $offline -pl services/operator -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/runtime.classpath -DincludeScope=runtime -Dmdep.includeScope=runtime >&2 || {
    offline=""
    ./mvnw -B -q -pl services/operator -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/runtime.classpath -DincludeScope=runtime -Dmdep.includeScope=runtime >&2
  }
  ./mvnw -B -q $offline -pl services/operator -am dependency:build-classpath -Dmdep.outputFile="$ROOT/$1" \
      -DincludeScope=test -Dmdep.includeScope=test >&2
  local m
  for m in services/operator services/discovery-service; do
    [ -s "$m/target/runtime.classpath" ] || { echo "build_for_bench: no $m/target/runtime.classpath after the build" >&2; return 1; }
  done
  touch services/*/target/runtime.classpath
}

# "HOSTERS REGISTRY": the queries (UDP and TCP) the lab's two PowerDNS servers have answered since they started, from
# their statistics API. The difference over a window is what the resolver asked them: more for the same domains means
# the resolver's cache did not hold what an earlier step fetched. Arg: ENDPOINTS.
pdns_queries() {
  python3 - "$1" <<'PY'
import json, sys, urllib.request
counts = []
for api in ("powerdnsApi", "registryApi"):
    try:
        a = json.load(open(sys.argv[1]))[api]
        # the url names the API's root (…/api/v1)
        req = urllib.request.Request(a["url"].rstrip("/") + "/servers/" + a["serverId"] + "/statistics",
                                     headers={"X-API-Key": a["apiKey"]})
        stats = {s["name"]: s.get("value") for s in json.load(urllib.request.urlopen(req, timeout=10)) if s.get("type") == "StatisticItem"}
        counts.append(str(int(stats["udp-queries"]) + int(stats["tcp-queries"])))
    except Exception as x:  # a bench must not stop for a figure it only reports
        print("pdns_queries: %s in %s: %s" % (api, sys.argv[1], x), file=sys.stderr)
        counts.append("-")
print(" ".join(counts))
PY
}

# Prints the authoritative queries since a pdns_queries reading. Args: LABEL "PDNS_QUERIES OUTPUT" ENDPOINTS.
pdns_queries_since() {
  local h0 r0 h1 r1
  read -r h0 r0 <<< "$2"
  read -r h1 r1 < <(pdns_queries "$3")
  echo "$1: authoritative queries answered: hosters' PowerDNS $(awk -v a="$h0" -v b="$h1" 'BEGIN {print (a !~ /^[0-9]+$/ || b !~ /^[0-9]+$/) ? "unknown" : b - a}'),"\
    "registry's PowerDNS $(awk -v a="$r0" -v b="$r1" 'BEGIN {print (a !~ /^[0-9]+$/ || b !~ /^[0-9]+$/) ? "unknown" : b - a}')"
}

# The lab PowerDNS servers' answers so far by query type and by response code (their statistics API's
# response-by-qtype and response-by-rcode maps), as one line of JSON, for a later pdns_answers_since. Arg: ENDPOINTS.
pdns_answers() {
  python3 - "$1" <<'PY'
import json, sys, urllib.request
out = {}
for api in ("powerdnsApi", "registryApi"):
    try:
        a = json.load(open(sys.argv[1]))[api]
        req = urllib.request.Request(a["url"].rstrip("/") + "/servers/" + a["serverId"] + "/statistics?includerings=false",
                                     headers={"X-API-Key": a["apiKey"]})
        out[api] = {m["name"] + " " + v["name"]: int(v["value"]) for m in json.load(urllib.request.urlopen(req, timeout=10))
                    if m.get("name") in ("response-by-qtype", "response-by-rcode") for v in m["value"]}
    except Exception as x:  # a bench must not stop for a figure it only reports
        print("pdns_answers: %s in %s: %s" % (api, sys.argv[1], x), file=sys.stderr)
print(json.dumps(out))
PY
}

# Prints each lab PowerDNS server's answers by query type and response code since a pdns_answers reading, largest
# first. Args: LABEL "PDNS_ANSWERS OUTPUT" ENDPOINTS.
pdns_answers_since() {
  python3 - "$1" "$2" "$(pdns_answers "$3")" <<'PY'
import json, sys
label, before, after = sys.argv[1], json.loads(sys.argv[2] or "{}"), json.loads(sys.argv[3] or "{}")
for api, name in (("powerdnsApi", "hosters' PowerDNS"), ("registryApi", "registry's PowerDNS")):
    b, a = before.get(api, {}), after.get(api, {})
    d = sorted(((a[k] - b.get(k, 0), k) for k in a if a[k] - b.get(k, 0) > 0), reverse=True)
    print("%s: %s answered by type and code: %s" % (label, name, ", ".join("%s %d" % (k.replace("response-by-", ""), n) for n, k in d) or "none"))
PY
}

