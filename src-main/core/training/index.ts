/** The training engine: backends, ModelSpec -> tf.js, the training loop, metrics and evaluation. */
export * from './types.js';
export {
  selectBackend,
  currentBackend,
  parseBackendOverride,
  withBackendOverride,
  type BackendSelection,
} from './backend.js';
export {
  bridgeMissingWasmKernels,
  bridgedWasmKernels,
  bridgedKernelsFor,
  describeBridged,
  type BridgedKernel,
} from './wasm-kernel-bridge.js';
export { buildModel, applyWeights, extractWeights, modelFromTrained, predictRaw } from './build-model.js';
export {
  defaultTrainingSettings,
  fitTrainingToRows,
  resolveLoss,
  type ConcreteLoss,
  type SplitRows,
} from './defaults.js';
export { makeOptimizer, getLearningRate, setLearningRate } from './tf-optimizers.js';
export {
  accuracy,
  confusionMatrix,
  perClassScores,
  predictedClasses,
  summarizeClassification,
  summarizeRegression,
  meanAbsoluteError,
  rootMeanSquaredError,
  rSquared,
  unscaleTarget,
  predictedVsActual,
  residuals,
  validationMetrics,
  type ClassScores,
  type ClassificationSummary,
  type RegressionSummary,
} from './metrics.js';
export {
  evaluate,
  evaluateOutputs,
  type Evaluation,
  type ClassificationEvaluation,
  type RegressionEvaluation,
} from './evaluate.js';
export { train, type TrainHooks } from './train.js';
export { chooseBackendByTrial, forgetBackendTrials } from './backend-trial.js';
export { RunControl } from './run-control.js';
export { createPrng, deriveSeed } from './prng.js';
