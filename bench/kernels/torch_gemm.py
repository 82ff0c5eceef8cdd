"""PyTorch reference for bench/kernels/gemm.ts: times the same GEMM shapes and one full Corelab 1
training step, and prints one JSON object. Run with Debian's python3 (python3-torch, OpenBLAS):
    /usr/bin/python3 bench/kernels/torch_gemm.py '<json: {"shapes": [[m,k,n],...], "batches": [300,640], "threads": 1}>'
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchBench import corelab1_model  # noqa: E402  (bench/torchBench.py, one definition of the network)

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

steps = {}
for batch in request["batches"]:
    model = corelab1_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(batch, 784)
    y = torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    steps[str(batch)] = best_seconds(step, min_total=0.5)

print(json.dumps({"version": torch.__version__, "gemm": gemm, "step": steps}))
