// Entry point of the wasm kernels: everything exported here is callable from the host
// (src/engine/kernels/wasm/kernelExports.ts declares the same list for TypeScript).
export { gemm, SCRATCH_FLOATS, TRANSPOSE_A, TRANSPOSE_B } from './gemm';

/** First byte past the module's static data (exp tables): the host's heap starts above it. */
export const HEAP_BASE: usize = __heap_base;
export {
  add,
  sub,
  mul,
  div,
  scale,
  addScalar,
  sqrt,
  square,
  addRow,
  relu,
  reluDerivative,
  leakyRelu,
  leakyReluDerivative,
  sigmoid,
  sigmoidDerivative,
  tanh,
  tanhDerivative,
  copy,
  fill,
  sumRows,
  sumSquares,
  transpose,
  transposeScaleBlocks,
  TRANSPOSE_BLOCK,
  bytesToFloats,
} from './elementwise';
export { adam, adamTable, ADAM_BLOCK, ADAM_ENTRY_BYTES } from './optimizers';
export {
  biasActivate,
  biasActivateBlock,
  backpropDelta,
  backpropDeltaBlock,
  ACT_LINEAR, ACT_RELU, ACT_LEAKY_RELU, ACT_SIGMOID, ACT_TANH } from './activations';
export { compressRows, bytesToCompressed, transposeRows, columnCursors, packStrips, sparseTimesDense, STRIP } from './sparse';
export { gemmBlock, sparseBlock, adamBlock, packBlock, transposeScaleBlock, countBlock, scatterBlock, EPILOGUE_BIAS_ACTIVATE, EPILOGUE_BACKPROP } from './jobs';
