/** One weight tensor of one layer, in tf.js order and layout (row-major, channels-last). */
export interface WeightTensor {
  layerIndex: number;
  name: string;
  shape: number[];
  values: Float32Array;
}
