# Sourced by the bench scripts: how much of the machine's CPU other guests took (steal time).
# On a shared VM a round can lose half its CPU to the host's other tenants (2026-12-07: 38-66 % for
# minutes, nginx alone serving 8.4k-52k requests/s from one minute to the next), which load average
# does not show. Record it next to each measurement so noisy rounds can be told apart.
#   s0=$(host_ticks) ... s1=$(host_ticks); steal_percent "$s0" "$s1"   -> e.g. 12.3

# "<all ticks> <steal ticks>" of every CPU since boot (/proc/stat's first line).
host_ticks() {
  local _cpu user nice sys idle iowait irq softirq steal _rest
  read -r _cpu user nice sys idle iowait irq softirq steal _rest < /proc/stat
  echo "$((user + nice + sys + idle + iowait + irq + softirq + steal)) $steal"
}

# Steal as a percentage of all CPU time between two host_ticks readings (one decimal).
steal_percent() {
  local t0 s0 t1 s1
  read -r t0 s0 <<<"$1"; read -r t1 s1 <<<"$2"
  awk -v d=$((t1 - t0)) -v s=$((s1 - s0)) 'BEGIN { printf "%.1f", (d > 0 ? 100 * s / d : 0) }'
}
