/* Learner: judges each spike's first payload byte; 1 earns a reward of +1, anything else -0.5
   (a modulatory spike carrying the value as an f32), and logs each judgement. */
#include "neuromesh.h"

static uint8_t payload[NM_MAX_PAYLOAD];
static const char judged[] = "judged";

NM_EXPORT("abi_version") int32_t abi_version(void) { return NM_ABI_VERSION; }

NM_EXPORT("payload_buffer") int32_t payload_buffer(void) { return (int32_t)(uintptr_t)payload; }

NM_EXPORT("on_spike") void on_spike(int32_t source, int32_t target, int32_t type, int32_t sequence, int32_t len)
{
    (void)source; (void)target; (void)type; (void)sequence;
    nm_reward(len > 0 && payload[0] == 1 ? 1.0f : -0.5f);
    nm_log(judged, sizeof judged - 1);
}
