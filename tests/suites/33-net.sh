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

# net_boot NAME [QEMU ARGS...]: boot $RT_OUT/sys/loader.img with a blank
# virtio-blk disk first (so that the NIC lands in slot 30, 0x0a003c00,
# where sysgen's board data and net_link.c put it) and ARGS; console and
# exit code as rt_boot leaves them.
net_boot() {
  local name=$1 dir="$RT_OUT/$1"
  shift
  mkdir -p "$dir"
  truncate -s 1M "$dir/blank.img"
  timeout "$RT_TIMEOUT" qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
    -cpu cortex-a53 -m 2G -nographic -semihosting -nic none -monitor none \
    -drive "if=none,id=disk,format=raw,file=$dir/blank.img" -device virtio-blk-device,drive=disk \
    "$@" -kernel "$RT_OUT/sys/loader.img" </dev/null >"$dir/console.log" 2>&1
  echo $? >"$dir/rc"
}

# -- the queue format on the host (cmocka, ASan, UBSan) ------------------------
check "net: queue format: range checks at their edges, pools, round trip, hostile indices (host test)" \
  "${NET_QUEUE_TEST:-build/tests/net/test_net_queue}"

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
mkdir -p "$RT_OUT/net"
net_boot net -global virtio-mmio.force-legacy=false -netdev user,id=net \
  -device virtio-net-device,netdev=net -object "filter-dump,id=dump,netdev=net,file=$RT_OUT/net/wire.pcap"
rt_expect net "the driver finds QEMU's virtio-net-mmio NIC and reads its MAC" \
  '^net_driver: virtio-net at 0xa003c00: mac 52:54:0:12:34:56, 128 rx buffers, 128 tx slots$'
rt_expect net "each client's ARP request for 10.0.2.2 is answered, to that client" \
  '^client0: ARP reply: 10\.0\.2\.2 is at 52:55:a:0:2:2$' \
  '^client1: ARP reply: 10\.0\.2\.2 is at 52:55:a:0:2:2$'
rt_expect net "bad tx descriptors (offset, wrap, lengths) are refused as 'invalid', logged" \
  "^client0: tx frame running past the data region's end -> invalid$" \
  '^client0: tx offset that wraps around -> invalid$' '^client0: tx length 0 -> invalid$' \
  '^client0: tx length 13 \(shorter than a header\) -> invalid$' \
  '^client0: tx length 1519 -> invalid$' '^client1: tx length 1519 -> invalid$' \
  '^net_virt_tx: client 0: frame at offset 0xfffffff0 len 60 refused: outside the frame limits'
rt_expect net "a frame with another client's source MAC is refused, logged" \
  "^client0: tx frame with the other client's source mac -> refused \(not its mac\)$" \
  "^client1: tx frame with the other client's source mac -> refused \(not its mac\)$" \
  "^net_virt_tx: client 1: frame at offset 0x0 len 60 refused: source mac is not the client's$"
rt_expect net "after their bad descriptors both clients still send and receive: 16 ARP requests at once, 16 replies" \
  '^client0: burst of ARP requests: 16 in flight, 16 replies$' \
  '^client1: burst of ARP requests: 16 in flight, 16 replies$'
rt_expect net "full-size frames both ways: a ping with 1472 bytes of payload comes back identical" \
  '^client0: ping 10\.0\.2\.2 with 1472 bytes of payload \(1514-byte frames\): reply, payload identical$' \
  '^client1: ping 10\.0\.2\.2 with 1472 bytes of payload \(1514-byte frames\): reply, payload identical$'
rt_expect net "the gateway's broadcast DHCP OFFER reaches both clients" \
  "^client0: received the gateway's broadcast DHCP OFFER$" \
  "^client1: received the gateway's broadcast DHCP OFFER$"
rt_expect net "no client received a frame for another MAC (the other's unicast replies included)" \
  '^client0: done, 21 frames received, 0 for another mac, 0 failures$' \
  '^client1: done, 20 frames received, 0 for another mac, 0 failures$'
rt_expect net "rx buffers a client gives its copier outside its region or too small come back unused, 'invalid'" \
  "^client1: its 2 bad rx buffers came back unused, 'invalid'$"
rt_expect net "a client that breaks its tx ring is dropped, logged, and the other is still served" \
  '^net_virt_tx: client 1 broke its tx ring; dropping it$' \
  '^client0: ARP request after client1 broke its tx ring -> reply$'
rt_reject net "no client check failed" 'FAIL'
rt_reject net "no copier dropped a frame (every client had buffers)" 'dropped'
rt_reject net "no PD faulted" '^KERN\|FAULT'
rt_exit_code net 0

# The wire's view: exactly the frames the clients were allowed to send
# left the NIC, and the gateway answered each at its sender's MAC.
if out=$("$PY" tests/net/check_pcap.py "$RT_OUT/net/wire.pcap" 2>&1); then
  ok "net: on the wire: 19 and 18 ARP requests from the clients, each from its own MAC and IP, a full-size ping each, one DHCP DISCOVER, nothing refused, replies to the right MAC"
else
  not_ok "net: on the wire: 19 and 18 ARP requests from the clients, each from its own MAC and IP, a full-size ping each, one DHCP DISCOVER, nothing refused, replies to the right MAC"
  printf '%s\n' "$out" | sed 's/^/#   /'
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
net_boot net-nonic -global virtio-mmio.force-legacy=false
rt_expect net-nonic "without a NIC the driver says so, and answers tx frames 'io error' to net_virt_tx" \
  '^net_driver: virtio-net at 0xa003c00: no network device in this slot; no frames will move$' \
  '^net_virt_tx: the driver could not send a frame \(status 3\)$'
rt_reject net-nonic "no PD faulted" '^KERN\|FAULT'
waits net-nonic

# A legacy (version 1) transport: refused with a hint, the same way.
net_boot net-legacy -global virtio-mmio.force-legacy=true -netdev user,id=net \
  -device virtio-net-device,netdev=net
rt_expect net-legacy "a legacy virtio-mmio transport is refused with a hint" \
  '^net_driver: virtio-net at 0xa003c00: not a version-2 transport \(QEMU needs -global virtio-mmio.force-legacy=false\)'
rt_reject net-legacy "no PD faulted" '^KERN\|FAULT'
waits net-legacy
exit 0
