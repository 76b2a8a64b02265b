#!/usr/bin/env bash
# The checks to run first on a machine with an NVIDIA GPU (see docs/engines.md, "GPU engine"): the CUDA copies of the GPU tests
# (they skip without a device), then the gpu benchmark suite, IlgpuEngine against CpuEngine in the same run. Everything
# they print goes under $OUT (default ./gpu-check-out): machine.txt, build.log, cuda-tests.log, gpu-quick.json/.log and,
# unless QUICK_ONLY=1, gpu.json/.log with the Brunel-size and microcircuit-scale networks.
#
#   deploy/gpu-check.sh                 # tests, quick suite, full suite
#   QUICK_ONLY=1 deploy/gpu-check.sh    # tests and quick suite only (a few minutes)
#
# Needs the .NET 10 SDK and the NVIDIA driver (libcuda); the CUDA toolkit is not needed (ILGPU JIT-compiles PTX).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-$PWD/gpu-check-out}
mkdir -p "$out"

{
  date -u
  nvidia-smi || echo "nvidia-smi: not found"
  dotnet --info | head -n 25
} >"$out/machine.txt" 2>&1

if ! dotnet build NeuroMesh.slnx -c Release >"$out/build.log" 2>&1; then
  tail -n 30 "$out/build.log"
  echo "gpu-check: the build failed (see $out/build.log)" >&2
  exit 1
fi

status=0
timeout "${TEST_TIMEOUT:-900}" dotnet test Tests/NeuroMesh.Tests.csproj -c Release --no-build \
  --filter "FullyQualifiedName~OnCuda|FullyQualifiedName~On_cuda|FullyQualifiedName~KernelCodeTests" >"$out/cuda-tests.log" 2>&1 || status=1
grep -E "^\s*Failed |Passed!|Failed!" "$out/cuda-tests.log" | head -n 60 # without a device every CUDA copy is skipped

timeout "${BENCH_TIMEOUT:-600}" dotnet run -c Release --no-build --project Benchmarks -- gpu --quick --json "$out/gpu-quick.json" \
  >"$out/gpu-quick.log" 2>&1 || status=1
sed -n '/^suite: gpu/,$p' "$out/gpu-quick.log"

if [ "${QUICK_ONLY:-0}" != 1 ]; then
  timeout "${BENCH_TIMEOUT:-600}" dotnet run -c Release --no-build --project Benchmarks -- gpu --json "$out/gpu.json" \
    >"$out/gpu.log" 2>&1 || status=1
  sed -n '/^suite: gpu/,$p' "$out/gpu.log"
fi

exit $status
