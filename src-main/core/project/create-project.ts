import type { ModelSpec } from '../model/spec.js';
import type { DataSettings } from '../data/types.js';
import type { TrainingSettings } from '../training/types.js';
import { PROJECT_FORMAT, PROJECT_VERSION, type DatasetReference, type ProjectDocument } from './types.js';

export function createProject(parts: {
  name: string;
  model: ModelSpec;
  training: TrainingSettings;
  dataset?: DatasetReference | null;
  dataSettings?: DataSettings | null;
}): ProjectDocument {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name: parts.name,
    dataset: parts.dataset ?? null,
    dataSettings: parts.dataSettings ?? null,
    model: parts.model,
    training: parts.training,
    runs: [],
  };
}
