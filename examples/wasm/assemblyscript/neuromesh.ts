// The NeuroMesh WebAssembly behaviour ABI, version 1, for AssemblyScript (see docs/wasm.md).
// Build with --runtime stub --use abort= (no imports outside "neuromesh"); see asconfig.json.

export const ABI_VERSION: i32 = 1;
export const MAX_PAYLOAD: i32 = 4096;
export const EXCITATORY: i32 = 0;
export const INHIBITORY: i32 = 1;
export const MODULATORY: i32 = 2;

// Spikes: 0 when published, otherwise why it was refused (1 refractory, 2 axon full, 3 arena full).
// @ts-ignore: decorator
@external("neuromesh", "fire")
export declare function fire(payload: usize, len: i32): i32;
// @ts-ignore: decorator
@external("neuromesh", "broadcast")
export declare function broadcast(payload: usize, len: i32, type: i32): i32;
// @ts-ignore: decorator
@external("neuromesh", "fire_to")
export declare function fire_to(target: u32, payload: usize, len: i32, type: i32): i32;
// @ts-ignore: decorator
@external("neuromesh", "reward")
export declare function reward(value: f32): i32;
// @ts-ignore: decorator
@external("neuromesh", "find")
export declare function find(capability: usize, len: i32, out: usize, outMax: i32): i32;
// @ts-ignore: decorator
@external("neuromesh", "state_get")
export declare function state_get(key: usize, keyLen: i32, out: usize, outCap: i32): i32;
// @ts-ignore: decorator
@external("neuromesh", "state_put")
export declare function state_put(key: usize, keyLen: i32, value: usize, valueLen: i32): i32;
// @ts-ignore: decorator
@external("neuromesh", "now")
export declare function now(): i64;
// @ts-ignore: decorator
@external("neuromesh", "log")
export declare function log(line: usize, len: i32): void;
