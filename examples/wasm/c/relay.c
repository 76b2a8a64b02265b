/* Relay: passes every spike on to this neuron's subscribers, same payload and type. */
#include "neuromesh.h"

static uint8_t payload[NM_MAX_PAYLOAD];

NM_EXPORT("abi_version") int32_t abi_version(void) { return NM_ABI_VERSION; }

NM_EXPORT("payload_buffer") int32_t payload_buffer(void) { return (int32_t)(uintptr_t)payload; }

NM_EXPORT("on_spike") void on_spike(int32_t source, int32_t target, int32_t type, int32_t sequence, int32_t len)
{
    (void)source; (void)target; (void)sequence;
    nm_broadcast(payload, len, type);
}

NM_EXPORT("on_fire") void on_fire(void) { nm_broadcast(payload, 0, NM_EXCITATORY); }
