/** How many layers a spec may have: checked first, so a 10,000-layer spec is refused before it is walked. */
import { formatCount } from '../format/numbers.js';

/** More layers than any tabular model needs, and few enough that nothing downstream runs out of stack. */
export const MAX_LAYERS = 1000;

/** Refuses a spec with more layers than MAX_LAYERS, before any layer is looked at. */
export function layerCountIssue(layerCount: number): string | null {
  if (layerCount <= MAX_LAYERS) return null;
  return (
    `The model has ${formatCount(layerCount)} layers; LayerLab builds models of up to ${formatCount(MAX_LAYERS)} ` +
    'layers: remove layers (a few wide layers learn tabular data better than thousands of narrow ones).'
  );
}
