/* The NeuroMesh WebAssembly behaviour ABI, version 1, for freestanding C (clang --target=wasm32).
   See docs/wasm.md. No libc: build with -ffreestanding -nostdlib -Wl,--no-entry. */
#ifndef NEUROMESH_H
#define NEUROMESH_H

#include <stdint.h>

#define NM_ABI_VERSION 1
#define NM_MAX_PAYLOAD 4096
#define NM_EXCITATORY 0
#define NM_INHIBITORY 1
#define NM_MODULATORY 2

#define NM_IMPORT(name) __attribute__((import_module("neuromesh"), import_name(name)))
#define NM_EXPORT(name) __attribute__((export_name(name)))

/* Spikes: 0 when published, otherwise why it was refused (1 refractory, 2 axon full, 3 arena full). */
NM_IMPORT("fire") int32_t nm_fire(const void *payload, int32_t len);
NM_IMPORT("broadcast") int32_t nm_broadcast(const void *payload, int32_t len, int32_t type);
NM_IMPORT("fire_to") int32_t nm_fire_to(uint32_t target, const void *payload, int32_t len, int32_t type);
NM_IMPORT("reward") int32_t nm_reward(float value);

/* Discovery: ids of agents with the capability (up to out_max written); returns how many there are. */
NM_IMPORT("find") int32_t nm_find(const char *capability, int32_t len, uint32_t *out, int32_t out_max);

/* State kept by the host and logged as deltas: survives restarts and replays. */
NM_IMPORT("state_get") int32_t nm_state_get(const void *key, int32_t key_len, void *out, int32_t out_cap);
NM_IMPORT("state_put") int32_t nm_state_put(const void *key, int32_t key_len, const void *value, int32_t value_len);

NM_IMPORT("now") int64_t nm_now(void);
NM_IMPORT("log") void nm_log(const char *line, int32_t len);

#endif
