// The 4 x 4 transpose in registers that every packing and transposing loop shares.

/**
 * Stores the transpose of the 4 x 4 block whose rows are v0..v3: its column j (v0[j], v1[j], v2[j],
 * v3[j]) goes to out + j·stride bytes.
 */
// @ts-ignore: decorator
@inline export function storeTransposed4x4(v0: v128, v1: v128, v2: v128, v3: v128, out: usize, stride: usize): void {
  const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(out + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(out + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(out + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}
