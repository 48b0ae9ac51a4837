/**
 * Geometry of the network diagram: the textbook picture of columns of neurons joined by connections,
 * one column per layer output. Wide layers show a few neurons from each end and an ellipsis with the
 * real count; layers whose output is a grid or a sequence (convolution, recurrent with sequences, …)
 * are drawn as one labelled block since their neurons do not form a column.
 */
import { shapeText, type LayerShape } from '$core/model/infer-shapes.js';

export interface DiagramColumnInput {
  label: string;
  /** The output shape; null when it is not known (no dataset yet, or the stack breaks before here). */
  shape: number[] | null;
  /** Element-wise layers (Activation, Dropout, normalization) join neuron i to neuron i, not to all. */
  elementwise?: boolean;
  invalid?: boolean;
}

export interface DiagramNode {
  x: number;
  y: number;
  /** Which neuron of its layer this is (a wide column skips the middle ones). */
  neuron: number;
}

export interface DiagramColumn {
  label: string;
  shapeLabel: string;
  kind: 'neurons' | 'block';
  x: number;
  nodes: DiagramNode[];
  /** Neurons: where the ellipsis sits and what it says ("… 64"); absent when all neurons are drawn. */
  ellipsis?: { y: number; text: string };
  /** Blocks: the rectangle and the text inside it ("8×8×16"). */
  block?: { x: number; y: number; width: number; height: number; text: string };
  invalid: boolean;
}

export interface DiagramLink {
  /** The neurons it joins: `from` in the column before, `to` in this one (-1: a block's side). */
  from: number;
  to: number;
  /** The column the link enters. */
  column: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface DiagramLayout {
  width: number;
  height: number;
  columns: DiagramColumn[];
  links: DiagramLink[];
}

export const MAX_NEURONS = 12;
const NODE_GAP = 17;
const COLUMN_GAP = 110;
const MARGIN_X = 60;
const MARGIN_TOP = 20;
const LABEL_SPACE = 44;
const BLOCK_WIDTH = 56;
const ELLIPSIS_GAP = 20;

/** How many neurons to draw at each end of a column of `count`. */
function visibleNeurons(count: number, most: number): { head: number; tail: number } {
  if (count <= most) return { head: count, tail: 0 };
  return { head: Math.floor(most / 2), tail: Math.floor(most / 2) };
}

function columnHeight(count: number, most: number): number {
  const { head, tail } = visibleNeurons(count, most);
  const gaps = Math.max(0, head + tail - 1) * NODE_GAP;
  return gaps + (tail > 0 ? ELLIPSIS_GAP : 0);
}

/** `maxNeurons`: the most neurons a column draws before it elides the middle ones. */
export function layoutDiagram(inputs: readonly DiagramColumnInput[], maxNeurons = MAX_NEURONS): DiagramLayout {
  const fullHeight = columnHeight(maxNeurons + 1, maxNeurons);
  const centerY = MARGIN_TOP + fullHeight / 2;
  const columns: DiagramColumn[] = inputs.map((input, i) => {
    const x = MARGIN_X + i * COLUMN_GAP;
    const invalid = Boolean(input.invalid);
    const flat = input.shape !== null && input.shape.length === 1;
    const shapeLabel = input.shape === null ? '?' : shapeText(input.shape);
    if (!flat) {
      const height = Math.min(fullHeight, 110);
      return {
        label: input.label,
        shapeLabel,
        kind: 'block',
        x,
        nodes: [],
        invalid,
        block: {
          x: x - BLOCK_WIDTH / 2,
          y: centerY - height / 2,
          width: BLOCK_WIDTH,
          height,
          text: input.shape === null ? '?' : input.shape.join('×'),
        },
      };
    }
    const count = input.shape![0]!; // flat: the shape is exactly one number
    const { head, tail } = visibleNeurons(count, maxNeurons);
    const top = centerY - columnHeight(count, maxNeurons) / 2;
    const nodes: DiagramNode[] = [];
    for (let n = 0; n < head; n++) nodes.push({ x, y: top + n * NODE_GAP, neuron: n });
    const column: DiagramColumn = { label: input.label, shapeLabel, kind: 'neurons', x, nodes, invalid };
    if (tail > 0) {
      const gapTop = top + (head - 1) * NODE_GAP;
      column.ellipsis = { y: gapTop + (NODE_GAP + ELLIPSIS_GAP) / 2, text: `… ${count}` };
      for (let n = 0; n < tail; n++)
        nodes.push({ x, y: gapTop + NODE_GAP + ELLIPSIS_GAP + n * NODE_GAP, neuron: count - tail + n });
    }
    return column;
  });

  const links: DiagramLink[] = [];
  for (let i = 1; i < columns.length; i++) {
    const from = anchors(columns[i - 1]!, 'right');
    const to = anchors(columns[i]!, 'left');
    const oneToOne = inputs[i]!.elementwise && from.length === to.length;
    if (oneToOne) {
      from.forEach((a, n) => {
        const b = to[n]!;
        links.push({ from: a.neuron, to: b.neuron, column: i, x1: a.x, y1: a.y, x2: b.x, y2: b.y });
      });
    } else {
      for (const a of from)
        for (const b of to) links.push({ from: a.neuron, to: b.neuron, column: i, x1: a.x, y1: a.y, x2: b.x, y2: b.y });
    }
  }
  return {
    width: MARGIN_X * 2 + Math.max(0, columns.length - 1) * COLUMN_GAP,
    height: MARGIN_TOP + fullHeight + LABEL_SPACE,
    columns,
    links,
  };
}

/** Where connections attach: each neuron, or the middle of a block's side. */
function anchors(column: DiagramColumn, side: 'left' | 'right'): DiagramNode[] {
  if (column.kind === 'neurons') return column.nodes;
  const block = column.block!;
  return [{ x: side === 'left' ? block.x : block.x + block.width, y: block.y + block.height / 2, neuron: -1 }];
}

/** Layers that act on each value separately, so neuron i feeds only neuron i. */
const ELEMENTWISE_LAYERS: ReadonlySet<string> = new Set([
  'Activation',
  'Dropout',
  'BatchNormalization',
  'LayerNormalization',
]);

/** What the diagram reads from a stack: the dataset's input shape, the layers and each one's checked shape. */
export interface DiagramStack {
  inputShape: number[] | null;
  layers: readonly { className: string }[];
  layerShape(index: number): LayerShape | undefined;
}

/** The input, then each layer's output; `invalidAt` marks the column at fault (-1: the input). */
export function stackColumns(stack: DiagramStack, invalidAt?: number): DiagramColumnInput[] {
  return [
    { label: 'Input', shape: stack.inputShape, invalid: invalidAt === -1 },
    ...stack.layers.map((layer, index) => ({
      label: layer.className,
      shape: stack.layerShape(index)?.outputShape ?? null,
      elementwise: ELEMENTWISE_LAYERS.has(layer.className),
      invalid: invalidAt === index,
    })),
  ];
}
