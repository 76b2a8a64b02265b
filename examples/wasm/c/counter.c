/* Counter: counts the spikes it receives in host-kept state (key "count"), so the count survives restarts,
   and broadcasts the new count (8 bytes, little-endian) after each. */
#include "neuromesh.h"

static const char key[] = "count";
static int64_t count;

NM_EXPORT("abi_version") int32_t abi_version(void) { return NM_ABI_VERSION; }

NM_EXPORT("init") void init(void)
{
    int64_t stored;
    if (nm_state_get(key, sizeof key - 1, &stored, sizeof stored) == sizeof stored) {
        count = stored;
    }
}

NM_EXPORT("on_spike") void on_spike(int32_t source, int32_t target, int32_t type, int32_t sequence, int32_t len)
{
    (void)source; (void)target; (void)type; (void)sequence; (void)len;
    count++;
    if (nm_state_put(key, sizeof key - 1, &count, sizeof count) != 0) {
        __builtin_trap(); /* state refused: crash, and let the supervisor restart from the logged count */
    }
    nm_broadcast(&count, sizeof count, NM_EXCITATORY);
}
