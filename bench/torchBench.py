"""The Corelab 1 network in PyTorch, for `npm run bench` to compare against on the same machine.

Usage: python3 torchBench.py MNIST_DIR WORKLOAD [WORKLOAD ...], a workload being BATCH (relu hidden layers)
or ACTIVATION:BATCH with ACTIVATION one of relu, tanh, sigmoid, leakyRelu; prints one JSON object per line.
A timed epoch is what DNN Lab's is: 60,000 training images, then the 10,000 test images forward only; BENCH_EPOCHS
(default 1) epochs are trained per workload, each printed.
With --serve in place of the workloads it loads MNIST once and then reads one request a line from stdin, a workload
or "gemm" (the 1024x1024 sgemm's GFLOP/s), answering each with its JSON lines and {"event": "done"}: so that
`npm run bench` can run PyTorch and DNN Lab on a workload seconds apart.
"""
import ctypes
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def blas_library():
    """The BLAS actually loaded (Debian's torch links the generic libblas, which alternatives may point at OpenBLAS)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower()}
    return ", ".join(sorted(paths)) or "unknown"


def openblas_threads():
    """OpenBLAS's own thread count: the pthread build runs its GEMMs on its pool, whatever torch.get_num_threads() says."""
    for path in blas_library().split(", "):
        try:
            return ctypes.CDLL(path).openblas_get_num_threads()
        except (OSError, AttributeError):
            pass
    return None


def gemm_peak():
    """GFLOP/s of a large float32 matrix product: the machine's practical ceiling."""
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)
    a @ b
    best = float("inf")
    for _ in range(10):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * 1024**3 / best / 1e9


ACTIVATIONS = {
    "relu": torch.nn.ReLU,
    "tanh": torch.nn.Tanh,
    "sigmoid": torch.nn.Sigmoid,
    # Keras's (and DNN Lab's) default leakyRelu slope.
    "leakyRelu": lambda: torch.nn.LeakyReLU(0.3),
}


def corelab1_model(activation="relu"):
    """The Corelab 1 network, 784-256-128-64-32-10 with `activation` between the layers (softmax is in the loss)."""
    sizes = [784, 256, 128, 64, 32, 10]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(ACTIVATIONS[activation]())
    return torch.nn.Sequential(*layers)


def read_split(folder, prefix):
    x = read_idx(f"{folder}/{prefix}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    return torch.from_numpy(x), torch.from_numpy(read_idx(f"{folder}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64))


def evaluate(model, x, y):
    """Mean loss and accuracy forward only, in chunks of 1000 as DNN Lab's trainer evaluates (EVAL_CHUNK)."""
    loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            out = model(x[i : i + 1000])
            loss += loss_fn(out, y[i : i + 1000]).item()
            correct += (out.argmax(1) == y[i : i + 1000]).sum().item()
    return loss / len(x), correct / len(x)


def parse_workload(w):
    return (w.split(":")[0], int(w.split(":")[1])) if ":" in w else ("relu", int(w))


def main():
    folder = sys.argv[1]
    serve = sys.argv[2:] == ["--serve"]
    workloads = [] if serve else [parse_workload(w) for w in sys.argv[2:]]
    x, y = read_split(folder, "train")
    x_test, y_test = read_split(folder, "t10k")
    peak = gemm_peak()
    blas = blas_library()
    print(json.dumps({"event": "torch", "version": torch.__version__, "threads": torch.get_num_threads(),
                      "openblasThreads": openblas_threads(), "openblasEnv": os.environ.get("OPENBLAS_NUM_THREADS"),
                      "blas": blas, "openblas": "openblas" in blas, "gemmPeakGflops": peak}), flush=True)
    epochs = max(1, int(os.environ.get("BENCH_EPOCHS", "1")))
    if not serve:
        for activation, batch in workloads:
            run_workload(activation, batch, epochs, x, y, x_test, y_test)
        return
    for request in sys.stdin:
        request = request.strip()
        if request == "gemm":
            print(json.dumps({"event": "gemm", "gemmPeakGflops": gemm_peak()}), flush=True)
        elif request:
            run_workload(*parse_workload(request), epochs, x, y, x_test, y_test)
        print(json.dumps({"event": "done"}), flush=True)


def run_workload(activation, batch, epochs, x, y, x_test, y_test):
    """Trains the Corelab 1 network with `activation` at `batch` for `epochs` epochs, printing each epoch's line."""
    torch.manual_seed(1)
    model = corelab1_model(activation)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(x))  # inside the timing: DNN Lab shuffles inside its epoch too
        correct = 0
        for i in range(0, len(x), batch):
            idx = order[i : i + batch]
            optimizer.zero_grad()
            out = model(x[idx])
            loss = loss_fn(out, y[idx])
            loss.backward()
            optimizer.step()
            correct += (out.argmax(1) == y[idx]).sum().item()
        test_loss, test_accuracy = evaluate(model, x_test, y_test)
        seconds = time.perf_counter() - start
        # ru_maxrss is in KB on Linux: this process's peak so far, data and every batch size before this one included.
        print(json.dumps({"event": "epoch", "activation": activation, "batchSize": batch, "epoch": epoch, "epochs": epochs,
                          "seconds": seconds, "trainAccuracy": correct / len(x), "testLoss": test_loss,
                          "testAccuracy": test_accuracy, "peakRssKB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)


if __name__ == "__main__":
    main()
