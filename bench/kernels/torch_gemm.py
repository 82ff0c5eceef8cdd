"""PyTorch reference for bench/kernels/gemm.ts: times the same GEMM shapes and prints one JSON object. Run with Debian's python3 (python3-torch, OpenBLAS):
    /usr/bin/python3 bench/kernels/torch_gemm.py '<json: {"shapes": [[m,k,n],...], "threads": 1}>'
Thread count is fixed before torch starts, through the environment, so OpenBLAS obeys it too."""
import json
import os
import sys
import time

request = json.loads(sys.argv[1])
threads = str(request["threads"])
os.environ["OMP_NUM_THREADS"] = threads
os.environ["OPENBLAS_NUM_THREADS"] = threads
import torch  # noqa: E402  (after the environment is set)

torch.set_num_threads(request["threads"])
torch.manual_seed(0)


def best_seconds(fn, min_total=0.05, rounds=5):
    """Best mean time per call over a few rounds of at least min_total seconds each."""
    fn()
    reps = 1
    while True:
        start = time.perf_counter()
        for _ in range(reps):
            fn()
        if time.perf_counter() - start >= min_total / rounds:
            break
        reps *= 2
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - start) / reps)
    return best


gemm = []
for m, k, n in request["shapes"]:
    a = torch.rand(m, k)
    b = torch.rand(k, n)
    out = torch.empty(m, n)
    gemm.append(best_seconds(lambda: torch.mm(a, b, out=out)))

print(json.dumps({"version": torch.__version__, "gemm": gemm}))
