// Learner: judges each spike's first payload byte; 1 earns a reward of +1, anything else -0.5
// (a modulatory spike carrying the value as an f32), and logs each judgement.
import { ABI_VERSION, MAX_PAYLOAD, log, reward } from "./neuromesh";

const payload = memory.data(MAX_PAYLOAD);
const judged = memory.data<u8>([0x6a, 0x75, 0x64, 0x67, 0x65, 0x64]); // "judged"

export function abi_version(): i32 { return ABI_VERSION; }

export function payload_buffer(): usize { return payload; }

export function on_spike(source: i32, target: i32, type: i32, sequence: i32, len: i32): void {
  reward(len > 0 && load<u8>(payload) == 1 ? <f32>1.0 : <f32>-0.5);
  log(judged, 6);
}
