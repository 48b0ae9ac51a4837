export * from './types.js';
export * from './project-file.js';
export * from './weights-file.js';
export * from './settings-schema.js';
export { draftModelSpec, draftProjectSchema, projectSchema } from './project-schema.js';
export { migrateProject, migrations } from './migrations.js';
export { createProject } from './create-project.js';
export { mergeExports, newRunId, runRecordFrom } from './record-run.js';
export { tidyProjectFolders, unlistedWeightsWarning, type ProjectLeftovers } from './leftovers.js';
