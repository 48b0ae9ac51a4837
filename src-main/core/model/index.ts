/** The model folder's public API: types, validation, the layer catalogue, shape and task checks. */
export * from './spec.js';
export {
  LAYER_CONFIG_SCHEMAS,
  describeLayer,
  layerSpecSchema,
  migrateModelSpec,
  modelSpecSchema,
  validateLayer,
  validateModelSpec,
  type LayerValidationResult,
  type MigrationResult,
  type ValidationResult,
} from './schema.js';
export {
  ACTIVATION_INFO,
  ACTIVATION_OPTIONS,
  INITIALIZER_OPTIONS,
  LAYER_CATALOG,
  LAYER_GROUPS,
  catalogByGroup,
  createLayer,
  type ActivationInfo,
  type FieldDescriptor,
  type FieldKind,
  type FieldOption,
  type LayerGroup,
  type LayerInfo,
} from './catalog.js';
export {
  applyShapeFix,
  inferShapes,
  shapeText,
  type LayerShape,
  type ShapeFix,
  type ShapeIssue,
  type ShapeReport,
} from './infer-shapes.js';
export {
  autoFixModel,
  checkModelForTask,
  defaultModelSpec,
  outputLayerFor,
  type ModelTask,
  type TaskKind,
  TASK_KINDS,
} from './task-check.js';
export { formatShape, modelSizeBytes } from './summary.js';
export { formatBytes, formatCount } from '../format/numbers.js';
export * from './exportability.js';
export * from './limits.js';
