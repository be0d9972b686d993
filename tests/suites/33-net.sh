#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The net class end to end (drivers/net/): the virtio-net driver, the rx
# and tx virtualisers and one copier per client serving two test clients
# (tests/net/net_client.c) on QEMU's user-mode network, booted in QEMU.
# The system is written and linked by tests/net/net_link.c; see
# tests/net/net_test.h for what the pieces agree on.  QEMU records every
# frame on the wire (filter-dump) and the host checks that record too.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
RT_OUT=build/net-test
. tests/runtime/lib.sh

NET_LINK=${NET_LINK:-build/tests/net/net_link}

# net_boot NAME IMAGE DISK [QEMU ARGS...]: boot IMAGE with DISK as a
# virtio-blk disk first ("" for a blank one), so that the NIC lands in slot
# 30, 0x0a003c00, where sysgen's board data and net_link.c put it, then
# ARGS; console and exit code as rt_boot leaves them.
net_boot() {
  local name=$1 image=$2 disk=$3 dir="$RT_OUT/$1"
  shift 3
  mkdir -p "$dir"
  if [ -z "$disk" ]; then
    disk=$dir/blank.img
    truncate -s 1M "$disk"
  fi
  timeout "$RT_TIMEOUT" qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
    -cpu cortex-a53 -smp "${NET_SMP:-1}" -m 2G -nographic -semihosting -nic none -monitor none \
    -drive "if=none,id=disk,format=raw,file=$disk" -device virtio-blk-device,drive=disk \
    "$@" -kernel "$image" </dev/null >"$dir/console.log" 2>&1
  echo $? >"$dir/rc"
}

# net_run NAME IMAGE DISK C0 C1 MAC0 MAC1: boot IMAGE on QEMU's user-mode
# network, recording the wire, and check everything the two test clients
# (PDs C0 and C1, MACs MAC0 and MAC1) and the net PDs report, and the wire.
net_run() {
  local name=$1 image=$2 disk=$3 c0=$4 c1=$5 mac0=$6 mac1=$7
  mkdir -p "$RT_OUT/$name"
  net_boot "$name" "$image" "$disk" -global virtio-mmio.force-legacy=false \
    -netdev user,id=net -device virtio-net-device,netdev=net \
    -object "filter-dump,id=dump,netdev=net,file=$RT_OUT/$name/wire.pcap"
  rt_expect "$name" "the driver finds QEMU's virtio-net-mmio NIC and reads its MAC" \
    '^net_driver: virtio-net at 0xa003c00: mac 52:54:0:12:34:56, 128 rx buffers, 128 tx slots$'
  rt_expect "$name" "each client's ARP request for 10.0.2.2 is answered, to that client" \
    "^$c0: ARP reply: 10\\.0\\.2\\.2 is at 52:55:a:0:2:2$" \
    "^$c1: ARP reply: 10\\.0\\.2\\.2 is at 52:55:a:0:2:2$"
  rt_expect "$name" "bad tx descriptors (offset, wrap, lengths) are refused as 'invalid', logged" \
    "^$c0: tx frame running past the data region's end -> invalid$" \
    "^$c0: tx offset that wraps around -> invalid$" "^$c0: tx length 0 -> invalid$" \
    "^$c0: tx length 13 \\(shorter than a header\\) -> invalid$" \
    "^$c0: tx length 1519 -> invalid$" "^$c1: tx length 1519 -> invalid$" \
    '^net_virt_tx: client 0: frame at offset 0xfffffff0 len 60 refused: outside the frame limits'
  rt_expect "$name" "a frame with a source MAC not the client's own is refused, logged" \
    "^$c0: tx frame with a source mac not its own -> refused \\(not its mac\\)$" \
    "^$c1: tx frame with a source mac not its own -> refused \\(not its mac\\)$" \
    "^net_virt_tx: client 1: frame at offset 0x0 len 60 refused: source mac is not the client's$"
  rt_expect "$name" "after their bad descriptors both clients still send and receive: 16 ARP requests at once, 16 replies" \
    "^$c0: burst of ARP requests: 16 in flight, 16 replies$" \
    "^$c1: burst of ARP requests: 16 in flight, 16 replies$"
  rt_expect "$name" "full-size frames both ways: a ping with 1472 bytes of payload comes back identical" \
    "^$c0: ping 10\\.0\\.2\\.2 with 1472 bytes of payload \\(1514-byte frames\\): reply, payload identical$" \
    "^$c1: ping 10\\.0\\.2\\.2 with 1472 bytes of payload \\(1514-byte frames\\): reply, payload identical$"
  rt_expect "$name" "the gateway's broadcast DHCP OFFER reaches both clients" \
    "^$c0: received the gateway's broadcast DHCP OFFER$" \
    "^$c1: received the gateway's broadcast DHCP OFFER$"
  # 40 = client0's 22 from the gateway + client1's 18 broadcast ARP requests,
  # switched; 39 = client1's 20 + client0's 19 broadcasts sent before
  # client1 broke its rx ring (18 ARP requests and one DHCP DISCOVER).
  rt_expect "$name" "no client received a frame for another MAC (the other's unicast replies included); each got the other's broadcasts through the switch" \
    "^$c0: done, 40 frames received, 0 for another mac, 0 failures$" \
    "^$c1: done, 39 frames received, 0 for another mac, 0 failures$"
  rt_expect "$name" "rx buffers a client gives its copier outside its region or too small come back unused, 'invalid'" \
    "^$c1: its 2 bad rx buffers came back unused, 'invalid'$"
  rt_expect "$name" "a client that breaks its tx ring is dropped, logged, and the other is still served" \
    '^net_virt_tx: client 1 broke its tx ring; dropping it$' \
    "^$c0: ARP request after the other client broke its tx ring -> reply$"
  rt_expect "$name" "a client that breaks its rx ring is no longer served by its copier, the other still is" \
    '^net_copy_[a-z]+1: the client broke its free ring; no longer serving it$' \
    "^$c0: DHCP DISCOVER after the other client broke its rx ring -> OFFER$"
  rt_reject "$name" "no client check failed" 'FAIL'
  rt_reject "$name" "no copier dropped a frame (every client had buffers)" 'dropped'
  rt_reject "$name" "no PD faulted" '^KERN\|FAULT'
  rt_exit_code "$name" 0
  # The wire's view: exactly the frames the clients were allowed to send
  # left the NIC, and the gateway answered each at its sender's MAC.
  local what="$name: on the wire: 19 and 18 ARP requests from the clients, each from its own MAC and IP, a full-size ping each, two DHCP DISCOVERs, nothing refused, replies to the right MAC"
  if out=$("$PY" tests/net/check_pcap.py "$RT_OUT/$name/wire.pcap" "$mac0" "$mac1" 2>&1); then
    ok "$what"
  else
    not_ok "$what"
    printf '%s\n' "$out" | sed 's/^/#   /'
  fi
}

# -- the queue format on the host (cmocka, ASan, UBSan) ------------------------
check "net: queue format: range checks at their edges, pools, round trip, hostile indices (host test)" \
  "${NET_QUEUE_TEST:-build/tests/net/test_net_queue}"
check "net: switching: every row of docs/net.md's table, spoofed sources, dead clients, a full receive queue, no uplink (host test)" \
  "${NET_SWITCH_TEST:-build/tests/net/test_net_switch}"

# -- the system: driver, two virtualisers, two copiers, two clients ------------
rm -rf "$RT_OUT"
if out=$("$NET_LINK" "$RT_OUT/sys" "$RT_COMPONENTS" 2>&1) && [ -s "$RT_OUT/sys/loader.img" ]; then
  ok "net: system linked with driver, virtualiser and copier configs"
else
  not_ok "net: system linked with driver, virtualiser and copier configs"
  printf '%s\n' "$out" | sed 's/^/#   /'
  exit 1
fi

# -- a run on QEMU's user-mode network ----------------------------------------
net_run net "$RT_OUT/sys/loader.img" "" client0 client1 52:54:01:00:00:10 52:54:01:00:00:11

# -- the same on sysgen's own layout and configs --------------------------------
# sysgen lays out the whole two_guests system (serial, block, net, VMMs);
# --no-image stops it before linking.  Link its SDF with the config bytes
# it writes (--dump-config), the test
# client standing in for vmm.elf: the net PDs then run with exactly sysgen's
# names, maps, rights, channels and configs.
# The guests never start (their VMM is the test client), so a stand-in
# kernel (an arm64 Image header) and initrd keep the image small and the
# run independent of the guest build.
PLAN=$RT_OUT/plan
mkdir -p "$RT_OUT/stand-in-guest"
"$PY" -c 'import struct, sys
h = struct.pack("<IIQQQQQQII", 0, 0, 0x80000, 4096, 0xa, 0, 0, 0, 0x644d5241, 0)
open(sys.argv[1] + "/Image", "wb").write(h + bytes(4096 - len(h)))
open(sys.argv[1] + "/initrd.cpio.gz", "wb").write(bytes(512))' "$RT_OUT/stand-in-guest"
plan_sysgen() {
  "$SYSGEN" --no-image --guest-dir "$RT_OUT/stand-in-guest" -o "$PLAN" systems/two_guests.yaml "$@"
}
dumps=()
if plan_sysgen >"$RT_OUT/plan.log" 2>&1; then
  sed 's|<program_image path="vmm.elf" />|<program_image path="tests/net_client.elf" />|' \
    "$PLAN/generated/system.sdf" >"$PLAN/generated/net-test.system"
  mkdir -p "$PLAN/dumps"
  while read -r pd; do
    plan_sysgen --dump-config "$pd" >"$PLAN/dumps/$pd.hex" 2>>"$RT_OUT/plan.log" </dev/null &&
      dumps+=("$pd=$PLAN/dumps/$pd.hex")
  done < <(grep -o '<protection_domain name="[^"]*"' "$PLAN/generated/system.sdf" | cut -d'"' -f2)
fi
# client i's MAC, as sysgen laid it out (the generated VMM header).
plan_mac() {
  grep -o '\.mac = {[^}]*}' "$PLAN/generated/include/vmm_linux$1.h" 2>/dev/null |
    grep -o '0x[0-9a-f]*' | sed 's/0x//' | paste -sd:
}
if [ "${#dumps[@]}" -ge 12 ] &&
   out=$("$NET_LINK" --sdf "$PLAN/generated/net-test.system" "$PLAN/sys" "$RT_COMPONENTS" \
         "${dumps[@]}" 2>&1) && [ -s "$PLAN/sys/loader.img" ]; then
  ok "net: sysgen's two_guests layout linked with its own configs (test clients as the VMMs)"
  NET_SMP=$(system_cores "$PLAN") net_run net-plan "$PLAN/sys/loader.img" "$PLAN/disk.img" vmm_linux0 vmm_linux1 \
    "$(plan_mac 0)" "$(plan_mac 1)"
else
  not_ok "net: sysgen's two_guests layout linked with its own configs (test clients as the VMMs)"
  sed 's/^/#   /' "$RT_OUT/plan.log"
  printf '%s\n' "${out:-}" | sed 's/^/#   /'
fi

# -- device trouble becomes a message, never a crash ------------------------
# Sent frames are not acknowledged end to end (net_virt_tx answers a client
# once it has copied the frame), so without a device the clients simply
# wait for replies that never come: these runs end by a short timeout, and
# what is checked is the driver's message and that nothing faulted.
# No NIC: slot 30 is empty.
RT_TIMEOUT=${NET_TROUBLE_TIMEOUT:-6}
# waits NAME: the run was still waiting when the timeout stopped it.
waits() {
  if [ "$(cat "$RT_OUT/$1/rc")" = 124 ]; then
    ok "$1: the clients wait for replies until the timeout (no exit, no crash)"
  else
    not_ok "$1: the clients wait for replies until the timeout (no exit, no crash)"
    rt_show_console "$1"
  fi
}
net_boot net-nonic "$RT_OUT/sys/loader.img" "" -global virtio-mmio.force-legacy=false
rt_expect net-nonic "without a NIC the driver says so, and answers tx frames 'io error' to net_virt_tx" \
  '^net_driver: virtio-net at 0xa003c00: no network device in this slot; no frames will move$' \
  '^net_virt_tx: the driver could not send a frame \(status 3\)$'
rt_reject net-nonic "no PD faulted" '^KERN\|FAULT'
waits net-nonic

# A legacy (version 1) transport: refused with a hint, the same way.
net_boot net-legacy "$RT_OUT/sys/loader.img" "" -global virtio-mmio.force-legacy=true -netdev user,id=net \
  -device virtio-net-device,netdev=net
rt_expect net-legacy "a legacy virtio-mmio transport is refused with a hint" \
  '^net_driver: virtio-net at 0xa003c00: not a version-2 transport \(QEMU needs -global virtio-mmio.force-legacy=false\)'
rt_reject net-legacy "no PD faulted" '^KERN\|FAULT'
waits net-legacy
exit 0
