;; Relay: passes every spike on to this neuron's subscribers, same payload and type.
(module
  (import "neuromesh" "broadcast" (func $broadcast (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "abi_version") (result i32) (i32.const 1))
  ;; Incoming payloads (up to 4096 bytes) are copied here before on_spike.
  (func (export "payload_buffer") (result i32) (i32.const 1024))
  (func (export "on_spike") (param $source i32) (param $target i32) (param $type i32) (param $seq i32) (param $len i32)
    (drop (call $broadcast (i32.const 1024) (local.get $len) (local.get $type))))
  (func (export "on_fire") (drop (call $broadcast (i32.const 0) (i32.const 0) (i32.const 0)))))
