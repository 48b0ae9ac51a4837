/** The sample datasets shipped in resources/samples, in the order the UI lists them. */

export interface Sample {
  id: string;
  name: string;
  fileName: string;
  description: string;
}

export const SAMPLES: readonly Sample[] = [
  {
    id: 'iris',
    name: 'Iris',
    fileName: 'iris.csv',
    description: '150 flowers, 4 measurements; classify the species (3 classes).',
  },
  {
    id: 'moons',
    name: 'Two moons',
    fileName: 'moons.csv',
    description:
      '400 points in two interleaved half-moons, 2 features; no straight line separates them (watch the decision boundary).',
  },
  {
    id: 'wine',
    name: 'Wine',
    fileName: 'wine.csv',
    description: '178 wines, 13 chemical measures on very different scales; classify the cultivar (3 classes).',
  },
  {
    id: 'breast_cancer',
    name: 'Breast cancer',
    fileName: 'breast_cancer.csv',
    description: '569 tumours, 30 cell measurements; malignant or benign (2 classes).',
  },
  {
    id: 'digits',
    name: 'Digits',
    fileName: 'digits.csv',
    description: '1797 handwritten digits as 8x8 pixels; classify 0-9 (try a Conv2D on shape 8x8x1).',
  },
  {
    id: 'diabetes',
    name: 'Diabetes',
    fileName: 'diabetes.csv',
    description: '442 patients, 10 measures; predict disease progression a year later (regression).',
  },
  {
    id: 'auto_mpg',
    name: 'Auto MPG',
    fileName: 'auto_mpg.csv',
    description:
      '398 cars with missing horsepower values and a text origin column; predict miles per gallon (regression).',
  },
];

export const SAMPLE_PROJECT_FILE = 'iris.layerlab.json';

export function findSample(id: string): Sample | undefined {
  return SAMPLES.find((sample) => sample.id === id);
}
