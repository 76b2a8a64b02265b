// Counter: counts the spikes it receives in host-kept state (key "count"), so the count survives restarts,
// and broadcasts the new count (8 bytes, little-endian) after each.
import { ABI_VERSION, EXCITATORY, broadcast, state_get, state_put } from "./neuromesh";

const key = memory.data<u8>([0x63, 0x6f, 0x75, 0x6e, 0x74]); // "count"
const cell = memory.data(8);
let count: i64 = 0;

export function abi_version(): i32 { return ABI_VERSION; }

export function init(): void {
  if (state_get(key, 5, cell, 8) == 8) count = load<i64>(cell);
}

export function on_spike(source: i32, target: i32, type: i32, sequence: i32, len: i32): void {
  count++;
  store<i64>(cell, count);
  // State refused: crash, and let the supervisor restart from the logged count.
  if (state_put(key, 5, cell, 8) != 0) unreachable();
  broadcast(cell, 8, EXCITATORY);
}
