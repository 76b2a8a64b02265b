// Relay: passes every spike on to this neuron's subscribers, same payload and type.
import { ABI_VERSION, EXCITATORY, MAX_PAYLOAD, broadcast } from "./neuromesh";

const payload = memory.data(MAX_PAYLOAD);

export function abi_version(): i32 { return ABI_VERSION; }

export function payload_buffer(): usize { return payload; }

export function on_spike(source: i32, target: i32, type: i32, sequence: i32, len: i32): void {
  broadcast(payload, len, type);
}

export function on_fire(): void { broadcast(payload, 0, EXCITATORY); }
