;; Learner: judges each spike's first payload byte; 1 earns a reward of +1, anything else -0.5
;; (a modulatory spike carrying the value as an f32), and logs each judgement.
(module
  (import "neuromesh" "reward" (func $reward (param f32) (result i32)))
  (import "neuromesh" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "judged")
  (func (export "abi_version") (result i32) (i32.const 1))
  (func (export "payload_buffer") (result i32) (i32.const 1024))
  (func (export "on_spike") (param i32 i32 i32 i32) (param $len i32)
    (drop (call $reward
      (select (f32.const 1) (f32.const -0.5)
        (i32.and (i32.gt_s (local.get $len) (i32.const 0)) (i32.eq (i32.load8_u (i32.const 1024)) (i32.const 1))))))
    (call $log (i32.const 64) (i32.const 6))))
