import type { LabConfig } from '../config/labConfig';

/** The run's sizes as the exported Python scripts (PyTorch, Keras) declare them, one constant a line. */
export function pythonRunConstants(config: LabConfig): string {
  return `BATCH_SIZE = ${config.batchSize}
EPOCHS = ${config.epochs}
SEED = ${config.seed}
TRAIN_SAMPLES = ${config.trainSamples}  # 0: all 60000
TEST_SAMPLES = ${config.testSamples}  # 0: all 10000`;
}

/**
 * The exported scripts' MNIST IDX reader (gzip or raw, the same file names DNN Lab accepts). `returns` names what
 * it gives back, and `toArray` is the Python expression that makes it from `data` (the file's bytes) and `offset`
 * (where the pixels start).
 */
export function pythonReadIdx(returns: string, toArray: string): string {
  return `def read_idx(folder, name):
    """One MNIST IDX file, gzip or not, as ${returns} of its shape."""
    for candidate in (name + ".gz", name, name.replace("-idx", ".idx")):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            magic, = struct.unpack(">i", data[:4])
            dims = magic & 0xFF
            shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
            offset = 4 + 4 * dims
            return ${toArray}.reshape(shape)
    raise SystemExit(f"error: {name}(.gz) is not in {folder}: pass --data with the folder of the four MNIST files")`;
}
