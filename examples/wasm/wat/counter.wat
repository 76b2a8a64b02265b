;; Counter: counts the spikes it receives in host-kept state (key "count"), so the count survives restarts,
;; and broadcasts the new count (8 bytes, little-endian) after each.
(module
  (import "neuromesh" "state_get" (func $state_get (param i32 i32 i32 i32) (result i32)))
  (import "neuromesh" "state_put" (func $state_put (param i32 i32 i32 i32) (result i32)))
  (import "neuromesh" "broadcast" (func $broadcast (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "count")
  (global $count (mut i64) (i64.const 0))
  (func (export "abi_version") (result i32) (i32.const 1))
  ;; Runs before the first spike, after the host restored the state from the neuron's log.
  (func (export "init")
    (if (i32.eq (call $state_get (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 8)) (i32.const 8))
      (then (global.set $count (i64.load (i32.const 16))))))
  (func (export "on_spike") (param i32 i32 i32 i32 i32)
    (global.set $count (i64.add (global.get $count) (i64.const 1)))
    (i64.store (i32.const 16) (global.get $count))
    ;; A refused write crashes the instance; its supervisor restarts it from the logged count.
    (if (call $state_put (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 8)) (then unreachable))
    (drop (call $broadcast (i32.const 16) (i32.const 8) (i32.const 0)))))
